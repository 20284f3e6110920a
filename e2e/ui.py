"""What a user does in Home Assistant's UI, one helper per gesture.

Each helper finds the element the way a user would (by its label or text), waits for it and
clicks or types through the browser; nothing is set behind the frontend's back.
"""

from __future__ import annotations

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from .browser import Browser
from .server import DemoServer

INTEGRATION = "Heat Pump Zoning"
INTEGRATION_PAGE = "/config/integrations/integration/heat_pump_zoning"
# Where the frontend of 2026.2 and the one of 2026.11 put the same things, as selector lists.
ENTRY_ITEM = "ha-md-list-item.config_entry, div.config-entry-wrapper > ha-row-item"
ENTRY_MENU = (
    "ha-md-list-item.config_entry > ha-dropdown, div.config-entry-wrapper > ha-row-item"
    ' > ha-dropdown >>> button[aria-label="Menu"]'
)
LIST_ITEM = "ha-md-list-item, ha-list-item-button"


def flow_dialog(b: Browser) -> WebElement:
    """The open config-flow dialog (also options, reconfigure and subentry flows)."""
    return b.find("dialog-data-entry-flow", hidden=True, what="the flow dialog")


def form(b: Browser) -> WebElement:
    """The form step shown in the flow dialog."""
    return b.find("step-flow-form", root=flow_dialog(b), what="a form step")


def in_form(b: Browser, selector: str, text: str | None = None) -> list[WebElement]:
    """What matches `selector` in the form step shown *now*, without waiting.

    Helpers that wait poll this, so each poll looks in the step on screen: right after a
    submit the old step can still be shown for a moment and then be replaced, and an element
    found in it then would be searched in for ever.
    """
    dialogs = b.find_all("dialog-data-entry-flow", hidden=True)
    steps = b.find_all("step-flow-form", root=dialogs[0]) if dialogs else []
    return b.find_all(selector, text=text, root=steps[0]) if steps else []


def find_in_form(b: Browser, selector: str, what: str, text: str | None = None) -> WebElement:
    """The first element matching `selector` in the form step shown, waiting for it."""
    return b.wait(lambda: next(iter(in_form(b, selector, text)), None), what)


def deep_text(b: Browser, element: WebElement) -> str:
    """Every text `element` shows, shadow roots included, whitespace collapsed."""
    return b.text_of(element)


def form_text(b: Browser) -> str:
    """Everything the form step shows (labels, values, help, errors), for assertions."""
    return deep_text(b, form(b))


def form_showing(b: Browser, *texts: str) -> str:
    """The form step's text once it shows every one of `texts` (a form is drawn in parts: its
    pickers name their entities once they have rendered)."""

    def shown() -> str | None:
        text = form_text(b)
        return text if all(t in text for t in texts) else None

    return b.wait(shown, f"the form to show {', '.join(map(repr, texts))}")


def form_error(b: Browser, step: WebElement | None = None) -> str | None:
    """The error shown at the top of the form (`step`, or the one shown now), if any."""
    alerts = b.find_all('ha-alert[alert-type="error"]', root=step or form(b))
    return deep_text(b, alerts[0]) if alerts else None


def start_adding_system(b: Browser, server: DemoServer) -> None:
    """Settings → Devices & services → Add integration → Heat Pump Zoning."""
    b.open(server.url + "/config/integrations/dashboard")
    b.click(b.find("ha-fab, ha-button", text="Add integration"))
    dialog = b.find("dialog-add-integration", hidden=True)
    b.find("search-input, ha-input-search >>> input", root=dialog).send_keys(INTEGRATION)
    b.click(b.find("ha-integration-list-item", text=INTEGRATION, root=dialog))
    form(b)


def type_into(b: Browser, label: str, text: str) -> None:
    """Replace what the text or number field labelled `label` holds with `text`."""
    field = find_in_form(b, "ha-textfield, ha-input", f"the field {label!r}", text=label)
    box = b.find("input", root=field)
    b.click(box)
    # Keys go to the focused element, as a keyboard's would (WebElement.send_keys moves the
    # caret to the end when the field sits in a shadow root).
    ActionChains(b.driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(
        Keys.BACKSPACE
    ).send_keys(text).perform()


def entry_row(b: Browser, server: DemoServer, title: str) -> WebElement:
    """Open the integration's page and return the row of the system `title`."""
    return find_on_page(
        b, server.url + INTEGRATION_PAGE, "ha-config-entry-row", title, f"the row of {title!r}"
    )


def find_on_page(
    b: Browser, url: str, selector: str, text: str, what: str, *, hidden: bool = False
) -> WebElement:
    """Open `url` and find the `selector` element showing `text` (`hidden`: elements without a
    box of their own too).

    A page opened while Home Assistant is still busy (setting entries up, a loaded machine) can
    show its frame without that element for a while: then the page is loaded once more before
    giving up.
    """
    b.open(url)
    try:
        return b.find(selector, text=text, hidden=hidden, what=what)
    except TimeoutError:
        b.open(url)
        return b.find(selector, text=text, hidden=hidden, what=what)


def set_time(b: Browser, label: str, hour: int, minute: int) -> None:
    """Type a time before noon into the time field labelled `label` (hours and minutes; the
    AM/PM choice of a 12-hour locale is left at AM)."""
    field = find_in_form(b, "ha-time-input", f"the time field {label!r}", text=label)
    for name, value in (("hours", hour), ("minutes", minute)):
        box = b.find(f'[name="{name}"] >>> input', root=field, what=f"the {name} of {label!r}")
        b.click(box)
        ActionChains(b.driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(
            Keys.BACKSPACE
        ).send_keys(str(value)).send_keys(Keys.TAB).perform()


def choose_option(b: Browser, option_label: str) -> None:
    """Click the radio button of `option_label` (a list selector)."""
    b.click(
        b.wait(
            lambda: next(
                iter(
                    in_form(b, f'ha-radio >>> input[aria-label="{option_label}"]')
                    + in_form(b, "ha-radio-option", option_label)
                ),
                None,
            ),
            f"the option {option_label!r}",
        )
    )


def open_picker(b: Browser, label: str) -> WebElement:
    """Open the entity picker labelled `label`; return its open popover."""

    def field() -> WebElement | None:
        single = in_form(b, f'ha-picker-field[aria-label="{label}"]')
        if single:
            return single[0]
        # a multiple-entity picker: the label is on the list around it
        groups = in_form(b, "ha-entities-picker", label)
        return next(iter(b.find_all("ha-picker-field", root=groups[0])), None) if groups else None

    b.click(b.wait(field, f"picker {label!r}"))
    return find_in_form(b, "ha-picker-combo-box", f"the list of {label!r}")


def picker_choices(b: Browser, label: str) -> list[str]:
    """The names the picker labelled `label` offers (it is closed again afterwards)."""
    box = open_picker(b, label)
    b.find("ha-combo-box-item", root=box, what=f"entries of {label!r}")
    names: list[str] = b.driver.execute_script(
        "return [...arguments[0].shadowRoot.querySelectorAll('ha-combo-box-item')]"
        ".map((item) => item.innerText.split('\\n')[0].trim());",
        box,
    )
    b.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    b.wait(lambda: not in_form(b, "ha-picker-combo-box"), "the picker to close")
    return names


def pick(b: Browser, label: str, name: str) -> None:
    """Choose the entity called `name` in the picker labelled `label`."""
    box = open_picker(b, label)
    b.find("input", root=box).send_keys(name)
    b.click(b.find("ha-combo-box-item", text=name, root=box, what=f"{name!r} in {label!r}"))


def submit(b: Browser) -> None:
    """Press the form's submit button and wait for what comes next; a form that stays with
    an error fails here, with the error it shows."""
    b.step("submit")
    dialog = flow_dialog(b)
    before = deep_text(b, dialog)
    b.click(
        b.wait(  # below the form up to 2026.10, in the dialog's footer from 2026.11
            lambda: next(
                iter(
                    in_form(b, "div.buttons ha-button")
                    + b.find_all('ha-button[slot="primaryAction"]', root=dialog)
                ),
                None,
            ),
            "the submit button",
        )
    )
    last: list[str] = []

    def next_page() -> bool:
        if not b.find_all("dialog-data-entry-flow", hidden=True):
            return True
        # The step found here, not found again: the flow may move on in between.
        steps = b.find_all("step-flow-form", root=dialog)
        if steps and (error := form_error(b, steps[0])):
            raise AssertionError(f"the form was refused: {error}")
        # A new page, shown the same on two polls in a row: not the old step in its
        # "submitting" state, nor a page still being drawn.
        now = deep_text(b, dialog)
        settled = now != before and last == [now]
        last[:] = [now]
        return settled

    b.wait(next_page, "the next page of the flow")


def finish(b: Browser) -> None:
    """Close the flow's last page ("created", or a closing message) and wait for it to go."""
    b.step("finish")
    dialog = flow_dialog(b)
    button = b.wait(
        lambda: next(
            (
                button
                for button in b.find_all("ha-button", root=dialog)
                if button.text.strip().lower() in ("finish", "skip and finish", "close")
            ),
            None,
        ),
        "the Finish or Close button",
    )
    b.click(button)
    b.gone("dialog-data-entry-flow")


def abort_text(b: Browser) -> str:
    """The text of a flow's final message (e.g. after a reconfigure)."""
    step = b.find("step-flow-abort", root=flow_dialog(b), what="the flow's last message")
    return deep_text(b, step)
