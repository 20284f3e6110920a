"""Fail when any module of the integration is under its coverage floor.

Floors: 95 % for every module, 100 % for the config flow (line and branch coverage together, as
coverage.py reports them with --cov-branch).
"""

from __future__ import annotations

import json
from pathlib import Path
import sys

FLOOR = 95.0
STRICT = {"config_flow.py": 100.0, "validation.py": 100.0}


def main(path: str) -> int:
    """Print each module's coverage and return 1 when one is below its floor."""
    report = json.loads(Path(path).read_text(encoding="utf-8"))
    failures = []
    for name, data in sorted(report["files"].items()):
        percent = float(data["summary"]["percent_covered"])
        floor = STRICT.get(Path(name).name, FLOOR)
        flag = "" if percent >= floor else f"  < {floor:.0f} %"
        print(f"{percent:6.1f} %  {name}{flag}")
        if flag:
            failures.append(name)
    if failures:
        print(f"{len(failures)} module(s) under their coverage floor", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "coverage.json"))
