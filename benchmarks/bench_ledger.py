"""Storage and CPU cost of the runtime ledger: 400 days of a 10-zone ducted system.

The system has every sensor the ledger books (power, outdoor, each room, the duct space) and
zone targets in both modes, so its days hold every field: the largest file a system of this size
writes.

Run: .venv/bin/python benchmarks/bench_ledger.py [--days 400] [--zones 10] [--interval 60]

Fills two ledgers with the same samples (one a minute) and compares, in the same process:

- *old*: the ledger as stored before schema 2: every day in the verbose, full-precision form
  (`DayBucket.to_dict`), i.e. a ledger whose days are never closed;
- *new*: schema 2: closed days quantised (0.1 s, 0.01 Wh) and kept as compact strings,
  only the open day verbose.

Sizes are those of the file Home Assistant's `Store` writes (`prepare_save_json`, the function
the Store calls: indented JSON with the version envelope). "save" is what runs on the event loop
every minute (`to_dict` and the Store's serialisation); "load" is parsing the file and
`Ledger.from_dict`. Zone ids are 26 characters long, like Home Assistant's subentry ids.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, tzinfo
import json
import math
from pathlib import Path
import statistics
import sys
import time
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.helpers.json import prepare_save_json
from homeassistant.util.json import json_loads

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import benchmarks  # noqa: F401  (puts the engine on the path)
from engine.ledger.ledger import Ledger, SystemSample, ZoneSample
from engine.ledger.store import encode
from engine.model import Mode

START = 1_704_067_200.0  # 2024-01-01 UTC


class OldLedger(Ledger):
    """The ledger as stored before schema 2: days are never closed, all stay verbose."""

    def _close_days(self, today: date) -> None:
        return


def zone_id(index: int) -> str:
    """A 26-character id, as long as a config subentry's ULID."""
    return f"01JDZONE{index:018d}"


def sample_at(t: float, zones: int) -> SystemSample:
    """A plausible day: heating at night and in the morning, cooling in the afternoon."""
    hour = (t % 86400.0) / 3600.0
    outdoor = 10.0 + 8.0 * math.sin((hour - 9.0) / 24.0 * 2 * math.pi)
    mode = Mode.COOL if outdoor > 16.0 else Mode.HEAT
    running = (t // 900.0) % 3 != 0
    zone_samples = {
        zone_id(i): ZoneSample(
            calling=mode if (i + int(t // 1800.0)) % 3 else None,
            conditioned=running and (i + int(t // 1800.0)) % 3 != 0,
            waiting=(i + int(t // 1800.0)) % 5 == 0,
            weight=100.0 + 10.0 * i,
            temperature=21.0 + 0.1 * i + 0.5 * math.sin(t / 5000.0 + i),
        )
        for i in range(zones)
    }
    return SystemSample(
        running=running,
        mode=mode if running else None,
        blower=running,
        zones=zone_samples,
        power_w=(2500.0 + 300.0 * math.sin(t / 700.0)) if running else 15.0,
        outdoor_temperature=outdoor,
        duct_temperature=0.4 * outdoor + 7.8,  # a crawlspace between outdoors and the ground
        comfort={"heat": 21.4, "cool": 23.6},  # the most demanding targets (zoning savings)
    )


def store_file(ledger_data: dict[str, Any], version: int) -> bytes:
    """The bytes Home Assistant's Store writes for the system's storage key."""
    envelope = {
        "version": version,
        "minor_version": 1,
        "key": "heat_pump_zoning.01JDENTRY000000000000000000",
        "data": {"memory": None, "ledger": ledger_data},
    }
    _mode, data = prepare_save_json(envelope)
    return data if isinstance(data, bytes) else data.encode()


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1e3)
    return statistics.median(times)


def fill(ledger: Ledger, samples: list[SystemSample], count: int, interval: float) -> float:
    """Record ``count`` samples; µs per `record()`."""
    began = time.perf_counter()
    for i in range(count):
        ledger.record(START + i * interval, samples[i % len(samples)])
    return (time.perf_counter() - began) / count * 1e6


def main() -> None:
    """Fill both ledgers and print a before/after table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=400)
    parser.add_argument("--zones", type=int, default=10)
    parser.add_argument("--interval", type=float, default=60.0)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    tz: tzinfo = ZoneInfo("America/New_York")
    zones = [zone_id(i) for i in range(args.zones)]
    # A day's worth of distinct samples, reused (building them is not what we measure).
    per_day = int(86400 / args.interval)
    samples = [sample_at(START + i * args.interval, args.zones) for i in range(per_day)]
    count = args.days * per_day
    old, new = OldLedger(zones, tz), Ledger(zones, tz)
    record_us = {"old": fill(old, samples, count, args.interval)}
    record_us["new"] = fill(new, samples, count, args.interval)

    began = time.perf_counter()
    for i in range(min(count, 50_000)):
        json.dumps(asdict(samples[i % per_day]))
    baseline_us = (time.perf_counter() - began) / min(count, 50_000) * 1e6

    files = {"old": store_file(old.to_dict(), 1), "new": store_file(new.to_dict(), 2)}
    days_kept = len(new.days(date.min, date.max))
    save_ms = {
        "old": timed(lambda: store_file(old.to_dict(), 1), args.repeat),
        "new": timed(lambda: store_file(new.to_dict(), 2), args.repeat),
    }

    def load(kind: str, cls: type[Ledger]) -> Ledger:
        data = json_loads(files[kind])
        assert isinstance(data, dict)
        return cls.from_dict(data["data"]["ledger"], zones, tz)

    load_ms = {
        "old": timed(lambda: load("old", OldLedger), args.repeat),
        "new": timed(lambda: load("new", Ledger), args.repeat),
    }
    migrate_ms = timed(lambda: load("old", Ledger), max(1, args.repeat // 2))
    buckets = new.days(date.min, date.max)[:-1]
    codes = {z: i for i, z in enumerate(zones)}
    encode_all_ms = timed(lambda: [encode(b, codes) for b in buckets], args.repeat)

    print(
        f"{days_kept} days, {args.zones} zones, a sample every {args.interval:g} s "
        f"({count} samples); median of {args.repeat} saves/loads\n"
    )
    rows = [
        (
            "Store file (bytes)",
            f"{len(files['old']):,}",
            f"{len(files['new']):,}",
            f"{len(files['old']) / len(files['new']):.1f}x smaller",
        ),
        (
            "Store file per day (bytes)",
            f"{len(files['old']) / days_kept:,.0f}",
            f"{len(files['new']) / days_kept:,.0f}",
            "",
        ),
        (
            "save: to_dict + Store serialisation (ms)",
            f"{save_ms['old']:.1f}",
            f"{save_ms['new']:.1f}",
            f"without the cache of closed days, +{encode_all_ms:.1f} ms to encode them",
        ),
        (
            "load: parse + from_dict (ms)",
            f"{load_ms['old']:.1f}",
            f"{load_ms['new']:.1f}",
            f"first load of an old file (closes every day): {migrate_ms:.1f} ms",
        ),
        (
            "record() per sample (µs)",
            f"{record_us['old']:.1f}",
            f"{record_us['new']:.1f}",
            f"baseline json.dumps(sample): {baseline_us:.1f} µs",
        ),
    ]
    header = ("metric", "old (schema 1)", "new (schema 2)", "note")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")


if __name__ == "__main__":
    main()
