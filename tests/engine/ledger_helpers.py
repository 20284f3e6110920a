"""Random ledger samples for the Hypothesis tests of the ledger (no Home Assistant)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from engine.ledger.ledger import SystemSample, ZoneSample
from engine.model import Mode

NY = ZoneInfo("America/New_York")
ZONES = ("a", "b", "c")
MODES = st.one_of(st.none(), st.sampled_from(Mode))


def ledger_samples(
    *,
    weights: st.SearchStrategy[float],
    temperatures: st.SearchStrategy[float | None],
    powers: st.SearchStrategy[float | None],
) -> st.SearchStrategy[SystemSample]:
    """Samples of up to all of `ZONES`, in any mode, call and blower state.

    Airflow weights, room and outdoor temperatures and power are drawn from the given strategies.
    """
    zone_samples = st.builds(
        ZoneSample,
        calling=MODES,
        conditioned=st.booleans(),
        waiting=st.booleans(),
        weight=weights,
        temperature=temperatures,
    )
    return st.builds(
        SystemSample,
        running=st.booleans(),
        mode=MODES,
        blower=st.booleans(),
        zones=st.dictionaries(st.sampled_from(ZONES), zone_samples, max_size=3),
        power_w=powers,
        outdoor_temperature=temperatures,
    )
