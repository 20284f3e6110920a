"""The stored form of closed ledger days: quantised, then written as one compact row each.

A day is *closed* once the ledger's clock has moved past it. Closing quantises it in place to the
storage resolution, so that what is in memory is exactly what a save and a load give back:

- times (runtime, calling, conditioned, waiting, blower, observed, unknown, cycle lengths) to
  0.1 s;
- energy to 0.01 Wh (0.00001 kWh);
- degree days to 0.00001 K·day;
- the temperature integrals (∫T dt, for daily means), the rooms' comfort gaps and the duct
  integrals (K·s) to 1 degree-second.

Parts that add up before closing still add up exactly afterwards: the zones' runtime plus the
unattributed runtime of each mode equal the system's runtime in that mode, the modes' runtimes
fit in the observed time, the zones' energy plus the unattributed energy equal the energy used
while running, and measured plus estimated energy equal the energy by mode (per zone and for the
system). They are rounded together with the largest-remainder method, so no value moves by a
whole unit or more.

A closed day is written as a string holding a compact JSON array of integers (in the units
above), so Home Assistant's indented JSON keeps it on one line and the ledger can keep the
string until the day is written to again::

    [system, [cycles, ...], zone, zone, ...]
    system = [observed_s, unknown_s, blower_s, runtime heat, runtime cool, unattributed heat,
              unattributed cool, measured_kwh, estimated_kwh, kwh heat, kwh cool, kwh standby,
              unattributed_kwh, hdd, cdd, outdoor_integral, outdoor_s, runtime unknown,
              unattributed unknown, kwh unknown, comfort heat, comfort cool, duct heat, duct
              cool, duct dt heat, duct dt cool, duct outdoor heat, duct outdoor cool,
              estimated_low_kwh, estimated_high_kwh]
    cycles = [mode, starts, completed, total_s, min_s, max_s, short, *histogram]  (mode 0 heat,
              1 cool, 2 unknown; min_s and max_s are 0 while nothing completed)
    zone   = [zone, calling heat, calling cool, conditioned heat, conditioned cool, runtime heat,
              runtime cool, kwh heat, kwh cool, measured_kwh, estimated_kwh, temperature_integral,
              temperature_s, waiting heat, waiting cool, calling unknown, conditioned unknown,
              waiting unknown, runtime unknown, kwh unknown, comfort gap heat, comfort gap
              cool]  (zone: index into the ledger's stored list of zone ids)

Trailing zeros are left out. A day holding something this layout has no place for (a mode key
written by another version) stays in the verbose form of `DayBucket.to_dict`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import datetime
import json
import math
from typing import Any

from .days import (
    HISTOGRAM_LABELS,
    UNKNOWN_MODE,
    CycleStats,
    DayBucket,
    LedgerDataError,
    SystemDay,
    ZoneDay,
)

SECONDS = 10  # units per second (0.1 s)
KWH = 100_000  # units per kWh (0.01 Wh)
DEGREE_DAYS = 100_000  # units per degree day
INTEGRAL = 1  # units per degree-second
COUNTS = 1000  # units per (fractional) count

HEAT, COOL, STANDBY = "heat", "cool", "standby"
MODES = (HEAT, COOL, UNKNOWN_MODE)
KWH_KEYS = (HEAT, COOL, UNKNOWN_MODE, STANDBY)
_SNAP = 1e-6  # a value this close to a whole number of units is that number (float noise)

# (attribute, mode key or None for a plain number, units per stored unit)
type Field = tuple[str, str | None, int]
SYSTEM_FIELDS: tuple[Field, ...] = (
    ("observed_s", None, SECONDS),
    ("unknown_s", None, SECONDS),
    ("blower_s", None, SECONDS),
    ("runtime_s", HEAT, SECONDS),
    ("runtime_s", COOL, SECONDS),
    ("unattributed_s", HEAT, SECONDS),
    ("unattributed_s", COOL, SECONDS),
    ("measured_kwh", None, KWH),
    ("estimated_kwh", None, KWH),
    ("kwh", HEAT, KWH),
    ("kwh", COOL, KWH),
    ("kwh", STANDBY, KWH),
    ("unattributed_kwh", None, KWH),
    ("hdd", None, DEGREE_DAYS),
    ("cdd", None, DEGREE_DAYS),
    ("outdoor_integral", None, INTEGRAL),
    ("outdoor_s", None, SECONDS),
    ("runtime_s", UNKNOWN_MODE, SECONDS),
    ("unattributed_s", UNKNOWN_MODE, SECONDS),
    ("kwh", UNKNOWN_MODE, KWH),
    ("comfort_s", HEAT, SECONDS),
    ("comfort_s", COOL, SECONDS),
    ("duct_s", HEAT, SECONDS),
    ("duct_s", COOL, SECONDS),
    ("duct_dt_ks", HEAT, INTEGRAL),
    ("duct_dt_ks", COOL, INTEGRAL),
    ("duct_outdoor_ks", HEAT, INTEGRAL),
    ("duct_outdoor_ks", COOL, INTEGRAL),
    ("estimated_low_kwh", None, KWH),
    ("estimated_high_kwh", None, KWH),
    ("duct_cold_starts", HEAT, COUNTS),
    ("duct_cold_starts", COOL, COUNTS),
)
ZONE_FIELDS: tuple[Field, ...] = (
    ("calling_s", HEAT, SECONDS),
    ("calling_s", COOL, SECONDS),
    ("conditioned_s", HEAT, SECONDS),
    ("conditioned_s", COOL, SECONDS),
    ("runtime_s", HEAT, SECONDS),
    ("runtime_s", COOL, SECONDS),
    ("kwh", HEAT, KWH),
    ("kwh", COOL, KWH),
    ("measured_kwh", None, KWH),
    ("estimated_kwh", None, KWH),
    ("temperature_integral", None, INTEGRAL),
    ("temperature_s", None, SECONDS),
    ("waiting_s", HEAT, SECONDS),
    ("waiting_s", COOL, SECONDS),
    ("calling_s", UNKNOWN_MODE, SECONDS),
    ("conditioned_s", UNKNOWN_MODE, SECONDS),
    ("waiting_s", UNKNOWN_MODE, SECONDS),
    ("runtime_s", UNKNOWN_MODE, SECONDS),
    ("kwh", UNKNOWN_MODE, KWH),
    ("comfort_gap_ks", HEAT, INTEGRAL),
    ("comfort_gap_ks", COOL, INTEGRAL),
)
# may be below zero
SIGNED = frozenset({"outdoor_integral", "temperature_integral", "duct_dt_ks", "duct_outdoor_ks"})
HEAT_COOL = (HEAT, COOL)  # maps kept for heating and cooling only
SYSTEM_MAPS = {
    "runtime_s": MODES,
    "unattributed_s": MODES,
    "kwh": KWH_KEYS,
    "comfort_s": HEAT_COOL,
    "duct_s": HEAT_COOL,
    "duct_dt_ks": HEAT_COOL,
    "duct_outdoor_ks": HEAT_COOL,
    "duct_cold_starts": HEAT_COOL,
}
ZONE_MAPS: dict[str, Sequence[str]] = dict.fromkeys(
    ("calling_s", "conditioned_s", "waiting_s", "runtime_s", "kwh"), MODES
) | {"comfort_gap_ks": HEAT_COOL}
CYCLE_COUNTS = 6  # starts, completed, total_s, min_s, max_s, short


# ---------------------------------------------------------------------------------------------
# Quantising


def _units(value: float, scale: int) -> float:
    """``value`` in storage units, snapped to a whole number when only float noise is left."""
    units = value * scale
    nearest = round(units)
    return float(nearest) if abs(units - nearest) <= _SNAP else units


def _value(units: int, scale: int) -> float:
    """The float a stored number of units stands for (the same expression on load and close)."""
    return units / scale


def _round(value: float, scale: int) -> int:
    return round(_units(value, scale))


def apportion(values: Sequence[float], scale: int, total: int) -> list[int]:
    """Round ``values`` to whole units that add up to ``total`` (largest remainder first).

    Values that do not add up to ``total`` within a unit per value (inconsistent data) are each
    rounded on their own.
    """
    units = [_units(value, scale) for value in values]
    floors = [math.floor(u) for u in units]
    remaining = total - sum(floors)
    fractional = [i for i, u in enumerate(units) if u > floors[i]]
    if not 0 <= remaining <= len(fractional):
        return [round(u) for u in units]
    fractional.sort(key=lambda i: (floors[i] - units[i], i))
    for i in fractional[:remaining]:
        floors[i] += 1
    return floors


def split_exactly(values: Sequence[float], scale: int, total: int) -> list[int]:
    """`apportion`, then any difference to ``total`` taken from or given to the largest parts
    (never below zero): a split of a total that was itself shared out with other values (a zone's
    energy cells) may differ from the split's own sum by more than its parts can round."""
    parts = apportion(values, scale, total)
    order = sorted(range(len(parts)), key=lambda i: (-parts[i], i))
    difference = total - sum(parts)
    for i in order:
        if difference == 0:
            break
        step = difference if difference > 0 else -min(parts[i], -difference)
        parts[i] += step
        difference -= step
    return parts


def _ordered(values: Mapping[str, int], scale: int, keys: Sequence[str]) -> dict[str, float]:
    """A mode map back in floats: known keys first in a fixed order, zeros left out."""
    order = [k for k in keys if k in values] + [k for k in values if k not in keys]
    return {k: _value(values[k], scale) for k in order if values[k]}


def _round_map(values: Mapping[str, float], scale: int, keys: Sequence[str]) -> dict[str, float]:
    return _ordered({k: _round(v, scale) for k, v in values.items()}, scale, keys)


def quantise(bucket: DayBucket) -> None:
    """Round a closed day in place to the storage resolution (see module), keeping the sums."""
    system, zones = bucket.system, list(bucket.zones.values())

    # Runtime by mode within the observed time, then each mode's runtime split over the zones
    # and the unattributed bucket.
    observed = _round(system.observed_s, SECONDS)
    modes = list(system.runtime_s)
    idle = max(0.0, system.observed_s - sum(system.runtime_s.values()))
    parts = apportion([system.runtime_s[k] for k in modes] + [idle], SECONDS, observed)
    runtime = dict(zip(modes, parts, strict=False))
    unattributed = {k: _round(v, SECONDS) for k, v in system.unattributed_s.items()}
    zone_runtime = [{k: _round(v, SECONDS) for k, v in z.runtime_s.items()} for z in zones]
    for mode, total in runtime.items():
        holders = [i for i, z in enumerate(zones) if mode in z.runtime_s]
        values = [system.unattributed_s.get(mode, 0.0)]
        values += [zones[i].runtime_s[mode] for i in holders]
        first, *rest = apportion(values, SECONDS, total)
        if mode in system.unattributed_s:
            unattributed[mode] = first
        for i, units in zip(holders, rest, strict=True):
            zone_runtime[i][mode] = units

    # Energy: the system's by key, measured/estimated; the zones' cells and the unattributed
    # energy share what was used while running; each zone's measured/estimated its own total.
    energy = _round(sum(system.kwh.values()), KWH)
    keys = list(system.kwh)
    kwh = dict(zip(keys, apportion([system.kwh[k] for k in keys], KWH, energy), strict=True))
    measured, estimated = split_exactly([system.measured_kwh, system.estimated_kwh], KWH, energy)
    cells = [(i, k) for i, z in enumerate(zones) for k in z.kwh]
    running = sum(units for k, units in kwh.items() if k != STANDBY)
    shared = apportion(
        [system.unattributed_kwh] + [zones[i].kwh[k] for i, k in cells], KWH, running
    )
    zone_kwh: list[dict[str, int]] = [{} for _ in zones]
    for (i, k), units in zip(cells, shared[1:], strict=True):
        zone_kwh[i][k] = units

    system.observed_s = _value(observed, SECONDS)
    system.runtime_s = _ordered(runtime, SECONDS, MODES)
    system.unattributed_s = _ordered(unattributed, SECONDS, MODES)
    system.kwh = _ordered(kwh, KWH, KWH_KEYS)
    system.measured_kwh = _value(measured, KWH)
    system.estimated_kwh = _value(estimated, KWH)
    # The bounds stay on their side of the estimate they bound.
    low = min(_round(system.estimated_low_kwh, KWH), estimated)
    high = max(_round(system.estimated_high_kwh, KWH), estimated)
    system.estimated_low_kwh = _value(low, KWH)
    system.estimated_high_kwh = _value(high, KWH)
    system.unattributed_kwh = _value(shared[0], KWH)
    for name, scale in (("unknown_s", SECONDS), ("blower_s", SECONDS), ("outdoor_s", SECONDS)):
        setattr(system, name, _value(_round(getattr(system, name), scale), scale))
    system.hdd = _value(_round(system.hdd, DEGREE_DAYS), DEGREE_DAYS)
    system.cdd = _value(_round(system.cdd, DEGREE_DAYS), DEGREE_DAYS)
    system.outdoor_integral = _value(_round(system.outdoor_integral, INTEGRAL), INTEGRAL)
    system.comfort_s = _round_map(system.comfort_s, SECONDS, HEAT_COOL)
    system.duct_s = _round_map(system.duct_s, SECONDS, HEAT_COOL)
    system.duct_dt_ks = _round_map(system.duct_dt_ks, INTEGRAL, HEAT_COOL)
    system.duct_outdoor_ks = _round_map(system.duct_outdoor_ks, INTEGRAL, HEAT_COOL)
    system.duct_cold_starts = _round_map(system.duct_cold_starts, COUNTS, HEAT_COOL)
    for stats in system.cycles.values():
        _quantise_cycles(stats)

    for zone, runtime_units, kwh_units in zip(zones, zone_runtime, zone_kwh, strict=True):
        _quantise_zone(zone, runtime_units, kwh_units)


def _quantise_zone(zone: ZoneDay, runtime_units: dict[str, int], kwh_units: dict[str, int]) -> None:
    """A zone of a closed day, its runtime and energy cells already shared out in units."""
    zone.runtime_s = _ordered(runtime_units, SECONDS, MODES)
    zone.kwh = _ordered(kwh_units, KWH, MODES)
    zone_measured, zone_estimated = split_exactly(
        [zone.measured_kwh, zone.estimated_kwh], KWH, sum(kwh_units.values())
    )
    zone.measured_kwh = _value(zone_measured, KWH)
    zone.estimated_kwh = _value(zone_estimated, KWH)
    zone.calling_s = _round_map(zone.calling_s, SECONDS, MODES)
    zone.conditioned_s = _round_map(zone.conditioned_s, SECONDS, MODES)
    zone.waiting_s = _round_map(zone.waiting_s, SECONDS, MODES)
    zone.temperature_integral = _value(_round(zone.temperature_integral, INTEGRAL), INTEGRAL)
    zone.temperature_s = _value(_round(zone.temperature_s, SECONDS), SECONDS)
    zone.comfort_gap_ks = _round_map(zone.comfort_gap_ks, INTEGRAL, HEAT_COOL)


def _quantise_cycles(stats: CycleStats) -> None:
    """0.1 s; the total stays between completed x shortest and completed x longest."""
    total = _round(stats.total_s, SECONDS)
    if stats.min_s is not None:
        shortest = _round(stats.min_s, SECONDS)
        stats.min_s = _value(shortest, SECONDS)
        if stats.completed:
            total = max(total, shortest * stats.completed)
    if stats.max_s is not None:
        longest = _round(stats.max_s, SECONDS)
        stats.max_s = _value(longest, SECONDS)
        if stats.completed:
            total = min(total, longest * stats.completed)
    stats.total_s = _value(total, SECONDS)


# ---------------------------------------------------------------------------------------------
# Encoding


def _row(target: Any, fields: Sequence[Field]) -> list[int]:
    """The stored numbers of ``fields`` of ``target``, trailing zeros left out."""
    row = [round(_field(target, name, key) * scale) for name, key, scale in fields]
    while row and row[-1] == 0:
        row.pop()
    return row


def _field(target: Any, name: str, key: str | None) -> float:
    value = getattr(target, name)
    return float(value if key is None else value.get(key, 0.0))


def _encodable(bucket: DayBucket) -> bool:
    """Whether the compact layout holds everything in ``bucket``."""
    system = bucket.system
    for name, keys in SYSTEM_MAPS.items():
        if not set(getattr(system, name)) <= set(keys):
            return False
    for key, stats in system.cycles.items():
        if key not in MODES or (stats.min_s is None) != (stats.completed == 0):
            return False
        if (stats.max_s is None) != (stats.completed == 0):
            return False
    return all(
        set(getattr(zone, name)) <= set(keys)
        for zone in bucket.zones.values()
        for name, keys in ZONE_MAPS.items()
    )


def encode(bucket: DayBucket, zone_codes: dict[str, int]) -> str | None:
    """The compact string of a quantised day (None if the layout cannot hold it).

    Zones not yet in ``zone_codes`` are given the next free index.
    """
    if not _encodable(bucket):
        return None
    cycles: list[list[int]] = []
    for key, stats in bucket.system.cycles.items():
        row = [
            MODES.index(key),
            stats.starts,
            stats.completed,
            _round(stats.total_s, SECONDS),
            _round(stats.min_s or 0.0, SECONDS),
            _round(stats.max_s or 0.0, SECONDS),
            stats.short,
            *stats.histogram,
        ]
        while len(row) > 1 and row[-1] == 0:
            row.pop()
        cycles.append(row)
    day: list[Any] = [_row(bucket.system, SYSTEM_FIELDS), cycles]
    for zone_id, zone in bucket.zones.items():
        code = zone_codes.setdefault(zone_id, len(zone_codes))
        day.append([code, *_row(zone, ZONE_FIELDS)])
    return json.dumps(day, separators=(",", ":"))


def close(bucket: DayBucket, zone_codes: dict[str, int]) -> str | None:
    """Quantise a closed day in place and return its compact string (see `encode`)."""
    quantise(bucket)
    return encode(bucket, zone_codes)


# ---------------------------------------------------------------------------------------------
# Decoding


class _Layout:
    """How to read one kind of row back (precomputed from its fields for speed)."""

    def __init__(self, fields: Sequence[Field], maps: Mapping[str, Sequence[str]], skip: int):
        """``skip``: numbers in front of the fields (a zone row's index)."""
        self.minimum, self.size = skip, skip + len(fields)
        self.zeros = [0] * self.size
        self.signed = frozenset(i + skip for i, f in enumerate(fields) if f[0] in SIGNED)
        where = {(name, key): (i + skip, scale) for i, (name, key, scale) in enumerate(fields)}
        self.plain = [(name, *where[name, None]) for name, key, _ in fields if key is None]
        self.maps = [
            (name, [(key, *where[name, key]) for key in keys]) for name, keys in maps.items()
        ]

    def check(self, value: Any, day: datetime.date, what: str) -> list[int]:
        """``value`` as a row of whole numbers, padded with zeros to its full length."""
        if not isinstance(value, list) or not self.minimum <= len(value) <= self.size:
            raise LedgerDataError(f"day {day}: {what} is not a list of at most {self.size} numbers")
        if not set(map(type, value)) <= {int}:
            raise LedgerDataError(f"day {day}: {what} holds a value that is not a whole number")
        negative = value and min(value) < 0
        if negative and any(n < 0 for i, n in enumerate(value) if i not in self.signed):
            raise LedgerDataError(f"day {day}: {what} holds a negative number")
        return value + self.zeros[len(value) :]

    def values(self, row: Sequence[int]) -> dict[str, Any]:
        """The keyword arguments of the day's dataclass."""
        out: dict[str, Any] = {name: row[i] / scale for name, i, scale in self.plain}
        for name, entries in self.maps:
            out[name] = {key: row[i] / scale for key, i, scale in entries if row[i]}
        return out


_SYSTEM = _Layout(SYSTEM_FIELDS, SYSTEM_MAPS, 0)
_ZONE = _Layout(ZONE_FIELDS, ZONE_MAPS, 1)
_CYCLE = _Layout(
    [(name, None, 1) for name in ("starts", "completed", "total_s", "min_s", "max_s", "short")]
    + [(f"histogram {label}", None, 1) for label in HISTOGRAM_LABELS],
    {},
    1,
)


def decode(day: datetime.date, text: str, zone_ids: Sequence[str]) -> DayBucket:
    """Read a compact day; raises `LedgerDataError` on anything malformed."""
    try:
        data = json.loads(text)
    except ValueError as err:
        raise LedgerDataError(f"day {day} is not readable") from err
    if not isinstance(data, list) or len(data) < 2 or not isinstance(data[1], list):
        raise LedgerDataError(f"day {day} is not a list of system, cycles and zones")
    system = SystemDay(**_SYSTEM.values(_SYSTEM.check(data[0], day, "system")))
    for raw in data[1]:
        row = _CYCLE.check(raw, day, "cycles")
        if row[0] >= len(MODES) or MODES[row[0]] in system.cycles:
            raise LedgerDataError(f"day {day} has a bad cycle mode")
        starts, completed, total, shortest, longest, short = row[1 : 1 + CYCLE_COUNTS]
        system.cycles[MODES[row[0]]] = CycleStats(
            starts=starts,
            completed=completed,
            total_s=_value(total, SECONDS),
            min_s=_value(shortest, SECONDS) if completed else None,
            max_s=_value(longest, SECONDS) if completed else None,
            short=short,
            histogram=row[1 + CYCLE_COUNTS :],
        )
    bucket = DayBucket(date=day, system=system)
    for raw in data[2:]:
        row = _ZONE.check(raw, day, "zone")
        if row[0] >= len(zone_ids) or zone_ids[row[0]] in bucket.zones:
            raise LedgerDataError(f"day {day} names an unknown zone")
        bucket.zones[zone_ids[row[0]]] = ZoneDay(**_ZONE.values(row))
    return bucket


def read_zone_list(data: Any) -> list[str]:
    """The stored list of zone ids the compact days index into."""
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(z, str) for z in data):
        raise LedgerDataError("the zone list is not a list of ids")
    if len(set(data)) != len(data):
        raise LedgerDataError("the zone list repeats an id")
    return data
