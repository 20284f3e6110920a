"""What HACS and Home Assistant read from the integration folder, besides the code."""

from __future__ import annotations

import json
from pathlib import Path
import struct

PACKAGE = Path(__file__).parents[1] / "custom_components/heat_pump_zoning"
ROOT = Path(__file__).parents[1]
HACS_KEYS = {
    "name",
    "content_in_root",
    "country",
    "filename",
    "hacs",
    "hide_default_branch",
    "homeassistant",
    "persistent_directory",
    "render_readme",
    "zip_release",
}


def test_brand_icon_is_the_size_home_assistant_serves() -> None:
    """brand/icon.png: a square 256 px PNG (served by Home Assistant 2026.3 and later)."""
    data = (PACKAGE / "brand" / "icon.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (256, 256)


def test_manifest_and_hacs_files() -> None:
    """Manifest keys: domain and name first, the rest sorted; hacs.json only known keys."""
    manifest = json.loads((PACKAGE / "manifest.json").read_text(encoding="utf-8"))
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert manifest["config_flow"] is True
    assert manifest["integration_type"] == "hub"  # an entry holds several devices (zones)
    for key in ("codeowners", "documentation", "iot_class", "issue_tracker", "version"):
        assert manifest[key]
    hacs = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    assert set(hacs) <= HACS_KEYS
