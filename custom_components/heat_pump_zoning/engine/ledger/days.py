"""The ledger's daily buckets and their JSON form.

One `DayBucket` per local date holds a `SystemDay` (the source: compressor, blower, energy,
degree days, cycles) and one `ZoneDay` per zone that had anything booked that day. Times are
seconds, energy kWh. Per-mode figures are dicts keyed "heat", "cool" (or "unknown" when the
source ran without a known mode) so they stay readable in diagnostics and stable in JSON.

`to_dict` is the verbose, full-precision JSON form: the open day is saved in it (closed days are
saved as compact strings, see `store`) and ledgers of schema 1 hold every day in it. It
writes only non-zero values (missing keys read as zero), so older/newer files stay readable:
missing keys get defaults, unknown keys are ignored. Values of the wrong type, negative or
non-finite numbers raise `LedgerDataError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import datetime
import math
from typing import Any

from ..model import Mode

UNKNOWN_MODE = "unknown"
# Cycle-length histogram: upper edges in minutes; the last bin is open ("80 min and longer").
HISTOGRAM_EDGES_MIN = (5.0, 10.0, 20.0, 40.0, 80.0)
HISTOGRAM_LABELS = ("<5", "5-10", "10-20", "20-40", "40-80", ">=80")


class LedgerDataError(ValueError):
    """Stored ledger data is not something this version can read (garbage, wrong types)."""


def mode_key(mode: Mode | None) -> str:
    """The dict key of a mode ("heat", "cool" or "unknown")."""
    return UNKNOWN_MODE if mode is None else str(mode.value)


def add(bucket: dict[str, float], key: str, amount: float) -> None:
    """Add ``amount`` to ``bucket[key]`` (nothing for zero: a key is never created at zero)."""
    if amount:
        bucket[key] = bucket.get(key, 0.0) + amount


# ---------------------------------------------------------------------------------------------
# Reading JSON defensively


def read_number(data: dict[str, Any], key: str, default: float = 0.0) -> float:
    """A finite, non-negative number at ``key`` (``default`` if missing)."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LedgerDataError(f"{key!r} is not a number: {value!r}")
    number = float(value)
    if not math.isfinite(number) or number < 0.0:
        raise LedgerDataError(f"{key!r} is not a finite non-negative number: {value!r}")
    return number


def read_optional(data: dict[str, Any], key: str) -> float | None:
    """Like `read_number`, but None when missing or null."""
    if data.get(key) is None:
        return None
    return read_number(data, key)


def read_dict(data: dict[str, Any], key: str) -> dict[str, Any]:
    """A JSON object at ``key`` ({} if missing)."""
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise LedgerDataError(f"{key!r} is not an object")
    return value


def read_mode_map(data: dict[str, Any], key: str) -> dict[str, float]:
    """A {mode: number} object at ``key``."""
    raw = read_dict(data, key)
    return {k: read_number(raw, k) for k in raw}


def read_signed(data: dict[str, Any], key: str) -> float:
    """A finite number at ``key``, negative allowed (0.0 if missing)."""
    value = data.get(key, 0.0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise LedgerDataError(f"{key!r} is not a finite number: {value!r}")
    return float(value)


def read_signed_map(data: dict[str, Any], key: str) -> dict[str, float]:
    """A {mode: number} object at ``key`` whose numbers may be negative."""
    raw = read_dict(data, key)
    return {k: read_signed(raw, k) for k in raw}


def _nonzero(values: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in values.items() if v}


def _sparse(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (0, 0.0, None, {}, [])}


# ---------------------------------------------------------------------------------------------
# Buckets


@dataclass(slots=True)
class CycleStats:
    """Compressor cycles: starts counted at the start, lengths recorded at the stop."""

    starts: int = 0
    completed: int = 0
    total_s: float = 0.0  # summed length of the completed cycles
    min_s: float | None = None
    max_s: float | None = None
    short: int = 0  # completed cycles shorter than the ledger's short-cycle threshold
    histogram: list[int] = field(default_factory=lambda: [0] * len(HISTOGRAM_LABELS))

    def add_length(self, seconds: float, short_cycle_s: float) -> None:
        """Record one completed cycle."""
        self.completed += 1
        self.total_s += seconds
        self.min_s = seconds if self.min_s is None else min(self.min_s, seconds)
        self.max_s = seconds if self.max_s is None else max(self.max_s, seconds)
        if seconds < short_cycle_s:
            self.short += 1
        minutes = seconds / 60.0
        index = sum(1 for edge in HISTOGRAM_EDGES_MIN if minutes >= edge)
        self.histogram[index] += 1

    def merge(self, other: CycleStats) -> None:
        """Add another period's cycles to this one."""
        self.starts += other.starts
        self.completed += other.completed
        self.total_s += other.total_s
        self.short += other.short
        if other.min_s is not None:
            self.min_s = other.min_s if self.min_s is None else min(self.min_s, other.min_s)
        if other.max_s is not None:
            self.max_s = other.max_s if self.max_s is None else max(self.max_s, other.max_s)
        self.histogram = [a + b for a, b in zip(self.histogram, other.histogram, strict=True)]

    @property
    def average_s(self) -> float | None:
        """Mean length of the completed cycles (None without any)."""
        return self.total_s / self.completed if self.completed else None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (zeros left out, but a shortest or longest cycle of 0 s is kept)."""
        lengths = {"min_s": self.min_s, "max_s": self.max_s}
        return _sparse(
            {
                "starts": self.starts,
                "completed": self.completed,
                "total_s": self.total_s,
                "short": self.short,
                "histogram": self.histogram if any(self.histogram) else [],
            }
        ) | {k: v for k, v in lengths.items() if v is not None}

    @classmethod
    def from_dict(cls, data: Any) -> CycleStats:
        """Read the JSON form; raises `LedgerDataError` on garbage."""
        if not isinstance(data, dict):
            raise LedgerDataError("cycle stats are not an object")
        histogram = data.get("histogram") or [0] * len(HISTOGRAM_LABELS)
        if (
            not isinstance(histogram, list)
            or len(histogram) != len(HISTOGRAM_LABELS)
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in histogram)
        ):
            raise LedgerDataError("cycle histogram is not a list of counts")
        return cls(
            starts=int(read_number(data, "starts")),
            completed=int(read_number(data, "completed")),
            total_s=read_number(data, "total_s"),
            min_s=read_optional(data, "min_s"),
            max_s=read_optional(data, "max_s"),
            short=int(read_number(data, "short")),
            histogram=list(histogram),
        )


@dataclass(slots=True)
class SystemDay:
    """One local day of the source (air handler or outdoor unit)."""

    observed_s: float = 0.0  # time covered by samples (held at most max_gap each)
    unknown_s: float = 0.0  # time between samples beyond max_gap: nothing is known
    blower_s: float = 0.0
    runtime_s: dict[str, float] = field(default_factory=dict)  # compressor on, by mode
    unattributed_s: dict[str, float] = field(default_factory=dict)  # ran, but no zone got air
    cycles: dict[str, CycleStats] = field(default_factory=dict)  # by the mode at the start
    measured_kwh: float = 0.0
    estimated_kwh: float = 0.0
    # Bounds of estimated_kwh (`part_load`): low <= estimated <= high.
    estimated_low_kwh: float = 0.0
    estimated_high_kwh: float = 0.0
    kwh: dict[str, float] = field(default_factory=dict)  # by mode, plus "standby"
    unattributed_kwh: float = 0.0
    hdd: float = 0.0
    cdd: float = 0.0
    outdoor_integral: float = 0.0  # ∫ T dt over outdoor_s (for the daily mean)
    outdoor_s: float = 0.0
    comfort_s: dict[str, float] = field(default_factory=dict)  # a zone had a target, by mode
    # Ducts, by mode, over the running time when the return air (the rooms receiving air), the
    # space the ducts run through and outdoors all had a temperature: the seconds, ∫ (T_return -
    # T_duct_space) dt and ∫ T_outdoor dt (for the duct-loss model, `report.estimates`).
    duct_s: dict[str, float] = field(default_factory=dict)
    duct_dt_ks: dict[str, float] = field(default_factory=dict)  # may be negative
    duct_outdoor_ks: dict[str, float] = field(default_factory=dict)  # may be negative
    # Starts with the duct space's temperature known, by mode, each counted by how far the ducts
    # had cooled (heating) or warmed (cooling) to their space since the last stop: 1 after a long
    # rest, less after a short one (`ledger.DUCT_TIME_CONSTANT_S`): heat they take back at every
    # start and lose after it (`report.duct_model`).
    duct_cold_starts: dict[str, float] = field(default_factory=dict)

    @property
    def total_runtime_s(self) -> float:
        """Compressor runtime in every mode."""
        return sum(self.runtime_s.values())

    @property
    def outdoor_mean(self) -> float | None:
        """Time-weighted mean outdoor temperature (None without readings)."""
        return self.outdoor_integral / self.outdoor_s if self.outdoor_s > 0.0 else None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (zeros left out)."""
        return _sparse(
            {
                "observed_s": self.observed_s,
                "unknown_s": self.unknown_s,
                "blower_s": self.blower_s,
                "runtime_s": _nonzero(self.runtime_s),
                "unattributed_s": _nonzero(self.unattributed_s),
                "cycles": {k: v.to_dict() for k, v in self.cycles.items()},
                "measured_kwh": self.measured_kwh,
                "estimated_kwh": self.estimated_kwh,
                "estimated_low_kwh": self.estimated_low_kwh,
                "estimated_high_kwh": self.estimated_high_kwh,
                "kwh": _nonzero(self.kwh),
                "unattributed_kwh": self.unattributed_kwh,
                "hdd": self.hdd,
                "cdd": self.cdd,
                "outdoor_integral": self.outdoor_integral,
                "outdoor_s": self.outdoor_s,
                "comfort_s": _nonzero(self.comfort_s),
                "duct_s": _nonzero(self.duct_s),
                "duct_dt_ks": _nonzero(self.duct_dt_ks),
                "duct_outdoor_ks": _nonzero(self.duct_outdoor_ks),
                "duct_cold_starts": _nonzero(self.duct_cold_starts),
            }
        )

    @classmethod
    def from_dict(cls, data: Any) -> SystemDay:
        """Read the JSON form; raises `LedgerDataError` on garbage."""
        if not isinstance(data, dict):
            raise LedgerDataError("system day is not an object")
        return cls(
            observed_s=read_number(data, "observed_s"),
            unknown_s=read_number(data, "unknown_s"),
            blower_s=read_number(data, "blower_s"),
            runtime_s=read_mode_map(data, "runtime_s"),
            unattributed_s=read_mode_map(data, "unattributed_s"),
            cycles={k: CycleStats.from_dict(v) for k, v in read_dict(data, "cycles").items()},
            measured_kwh=read_number(data, "measured_kwh"),
            estimated_kwh=read_number(data, "estimated_kwh"),
            estimated_low_kwh=read_number(data, "estimated_low_kwh"),
            estimated_high_kwh=read_number(data, "estimated_high_kwh"),
            kwh=read_mode_map(data, "kwh"),
            unattributed_kwh=read_number(data, "unattributed_kwh"),
            hdd=read_number(data, "hdd"),
            cdd=read_number(data, "cdd"),
            outdoor_integral=read_signed(data, "outdoor_integral"),  # cold days: below zero
            outdoor_s=read_number(data, "outdoor_s"),
            comfort_s=read_mode_map(data, "comfort_s"),
            duct_s=read_mode_map(data, "duct_s"),
            duct_dt_ks=read_signed_map(data, "duct_dt_ks"),
            duct_outdoor_ks=read_signed_map(data, "duct_outdoor_ks"),
            duct_cold_starts=read_mode_map(data, "duct_cold_starts"),
        )


@dataclass(slots=True)
class ZoneDay:
    """One local day of one zone."""

    calling_s: dict[str, float] = field(default_factory=dict)  # by the mode it called for
    conditioned_s: dict[str, float] = field(default_factory=dict)  # receiving air / head on
    waiting_s: dict[str, float] = field(default_factory=dict)  # calling but blocked
    runtime_s: dict[str, float] = field(default_factory=dict)  # its share of source runtime
    measured_kwh: float = 0.0  # its share of measured energy
    estimated_kwh: float = 0.0  # its share of estimated energy
    kwh: dict[str, float] = field(default_factory=dict)  # its share of energy, by mode
    temperature_integral: float = 0.0  # ∫ T_room dt over temperature_s
    temperature_s: float = 0.0
    # ∫ kelvin below (heat) / above (cool) the system's comfort temperature dt, by mode
    comfort_gap_ks: dict[str, float] = field(default_factory=dict)

    @property
    def total_runtime_s(self) -> float:
        """Attributed source runtime in every mode."""
        return sum(self.runtime_s.values())

    @property
    def temperature_mean(self) -> float | None:
        """Time-weighted mean room temperature (None without readings)."""
        return self.temperature_integral / self.temperature_s if self.temperature_s else None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (zeros left out)."""
        return _sparse(
            {
                "calling_s": _nonzero(self.calling_s),
                "conditioned_s": _nonzero(self.conditioned_s),
                "waiting_s": _nonzero(self.waiting_s),
                "runtime_s": _nonzero(self.runtime_s),
                "measured_kwh": self.measured_kwh,
                "estimated_kwh": self.estimated_kwh,
                "kwh": _nonzero(self.kwh),
                "temperature_integral": self.temperature_integral,
                "temperature_s": self.temperature_s,
                "comfort_gap_ks": _nonzero(self.comfort_gap_ks),
            }
        )

    @classmethod
    def from_dict(cls, data: Any) -> ZoneDay:
        """Read the JSON form; raises `LedgerDataError` on garbage."""
        if not isinstance(data, dict):
            raise LedgerDataError("zone day is not an object")
        integral = data.get("temperature_integral", 0.0)
        if (
            isinstance(integral, bool)
            or not isinstance(integral, int | float)
            or not math.isfinite(integral)
        ):
            raise LedgerDataError("temperature_integral is not a finite number")
        return cls(
            calling_s=read_mode_map(data, "calling_s"),
            conditioned_s=read_mode_map(data, "conditioned_s"),
            waiting_s=read_mode_map(data, "waiting_s"),
            runtime_s=read_mode_map(data, "runtime_s"),
            measured_kwh=read_number(data, "measured_kwh"),
            estimated_kwh=read_number(data, "estimated_kwh"),
            kwh=read_mode_map(data, "kwh"),
            temperature_integral=float(integral),
            temperature_s=read_number(data, "temperature_s"),
            comfort_gap_ks=read_mode_map(data, "comfort_gap_ks"),
        )


@dataclass(slots=True)
class DayBucket:
    """Everything booked on one local date."""

    date: datetime.date
    system: SystemDay = field(default_factory=SystemDay)
    zones: dict[str, ZoneDay] = field(default_factory=dict)

    def zone(self, zone_id: str) -> ZoneDay:
        """The zone's bucket, created on first use."""
        bucket = self.zones.get(zone_id)
        if bucket is None:
            bucket = self.zones[zone_id] = ZoneDay()
        return bucket

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the date is the key in the ledger's JSON, not repeated here)."""
        return {
            "system": self.system.to_dict(),
            "zones": {k: v.to_dict() for k, v in self.zones.items()},
        }

    @classmethod
    def from_dict(cls, day: datetime.date, data: Any) -> DayBucket:
        """Read the JSON form; raises `LedgerDataError` on garbage."""
        if not isinstance(data, dict):
            raise LedgerDataError(f"day {day} is not an object")
        system = SystemDay.from_dict(data.get("system", {}))
        zones = {k: ZoneDay.from_dict(v) for k, v in read_dict(data, "zones").items()}
        return cls(date=day, system=system, zones=zones)
