"""Benchmarks of Heat Pump Zoning (development only; HACS installs none of this).

Importing this package puts the integration's folder at the end of `sys.path`, so that its engine
imports as the top-level package `engine` without Home Assistant (docs/ARCHITECTURE.md). The
benchmarks use the engine that way; only the in-Home Assistant run of `bench_control` loads the
integration, through pytest.
"""

from __future__ import annotations

from pathlib import Path
import sys

INTEGRATION = Path(__file__).resolve().parent.parent / "custom_components" / "heat_pump_zoning"
if str(INTEGRATION) not in sys.path:
    sys.path.append(str(INTEGRATION))
