"""Storage and CPU cost of the runtime ledger: 400 days of a 10-zone ducted system.

Run: .venv/bin/python benchmarks/bench_ledger.py [--days 400] [--zones 10] [--interval 60]

Prints the size of `Ledger.to_dict()` as JSON (what HA's Store writes) and the cost of one
`record()` against a baseline: `json.dumps` of the same sample (roughly what logging each sample
would cost).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
import json
import math
from pathlib import Path
import sys
import time
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custom_components.heat_pump_zoning.engine.ledger import Ledger, SystemSample, ZoneSample
from custom_components.heat_pump_zoning.engine.model import Mode


def sample_at(t: float, zones: int) -> SystemSample:
    """A plausible day: heating at night and in the morning, cooling in the afternoon."""
    hour = (t % 86400.0) / 3600.0
    outdoor = 10.0 + 8.0 * math.sin((hour - 9.0) / 24.0 * 2 * math.pi)
    mode = Mode.COOL if outdoor > 16.0 else Mode.HEAT
    running = (t // 900.0) % 3 != 0
    zone_samples = {
        f"zone_{i}": ZoneSample(
            calling=mode if (i + int(t // 1800.0)) % 3 else None,
            conditioned=running and (i + int(t // 1800.0)) % 3 != 0,
            waiting=False,
            weight=100.0 + 10.0 * i,
            temperature=21.0 + 0.1 * i,
        )
        for i in range(zones)
    }
    return SystemSample(
        running=running,
        mode=mode if running else None,
        blower=running,
        zones=zone_samples,
        power_w=2500.0 if running else 15.0,
        outdoor_temperature=outdoor,
    )


def main() -> None:
    """Fill the ledger and print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=400)
    parser.add_argument("--zones", type=int, default=10)
    parser.add_argument("--interval", type=float, default=60.0)
    args = parser.parse_args()

    ledger = Ledger([f"zone_{i}" for i in range(args.zones)], ZoneInfo("America/New_York"))
    start = 1_704_067_200.0  # 2024-01-01 UTC
    # A day's worth of distinct samples, reused (building them is not what we measure).
    per_day = int(86400 / args.interval)
    samples = [sample_at(start + i * args.interval, args.zones) for i in range(per_day)]
    count = args.days * per_day
    began = time.perf_counter()
    for i in range(count):
        ledger.record(start + i * args.interval, samples[i % per_day])
    record_us = (time.perf_counter() - began) / count * 1e6

    began = time.perf_counter()
    for i in range(min(count, 50_000)):
        json.dumps(asdict(samples[i % per_day]))
    baseline_us = (time.perf_counter() - began) / min(count, 50_000) * 1e6

    began = time.perf_counter()
    text = json.dumps(ledger.to_dict(), separators=(",", ":"))
    dump_ms = (time.perf_counter() - began) * 1e3
    began = time.perf_counter()
    Ledger.from_dict(json.loads(text), ledger.zone_ids, ledger.tz)
    load_ms = (time.perf_counter() - began) * 1e3
    days_kept = len(ledger.days(date.min, date.max))

    rows = [
        ("days kept", f"{days_kept}"),
        ("zones", f"{args.zones}"),
        ("samples recorded", f"{count}"),
        ("JSON size (bytes)", f"{len(text.encode())}"),
        ("JSON size per day (bytes)", f"{len(text.encode()) / max(days_kept, 1):.0f}"),
        ("record() per sample (µs)", f"{record_us:.1f}"),
        ("baseline json.dumps(sample) (µs)", f"{baseline_us:.1f}"),
        ("record() / baseline", f"{record_us / baseline_us:.2f}x"),
        ("to_dict + json.dumps (ms)", f"{dump_ms:.1f}"),
        ("json.loads + from_dict (ms)", f"{load_ms:.1f}"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"| {'metric':<{width}} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name:<{width}} | {value} |")


if __name__ == "__main__":
    main()
