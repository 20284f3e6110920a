"""The runtime ledger: where the source's runtime and energy went, per local day and per zone.

The HA layer builds a `SystemSample` after each controller decision and on a 1-minute timer and
calls `Ledger.record(now, sample)`. The previous sample holds from its time until ``now``, at most
``max_gap`` seconds (default 15 min); the rest of a longer gap (Home Assistant was down, a timer
stalled) is booked as *unknown* time, so a restart never invents runtime. Time going backwards
books nothing and moves the anchor to the new time.

Attribution without double counting: while the compressor runs, its runtime and energy are split
across the zones that receive air (``conditioned``), in proportion to their ``weight``: open design
airflow (airflow x position share) for a ducted unit, the head's share of output (power, fan or
compressor level) for a multi-split, or equal weights when none is given. The shares add up to the
source total; when no zone receives air the time and energy go to an explicit *unattributed*
bucket. Energy used while the compressor is off (standby, fan-only) is booked as "standby" on the
system only.

Cycles: a cycle is counted when the compressor starts (running False -> True) on the day it
starts, and its length (the runtime seen between start and stop) is recorded when it stops, on the
day it stops. A cycle whose start was not seen, or that spans unknown time, is not given a length.

Lifetime counters (per system and per zone) are never pruned and only ever grow: they back the
``total_increasing`` energy and runtime sensors.

Storage: a day is closed once the ledger's clock has passed it; closing rounds it to the storage
resolution (0.1 s, 0.01 Wh; see `store`) and keeps its compact string until the day
is written to again, so a save writes the open day in full and reuses the strings of the others.
Lifetime counters and the open day are kept at full precision.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta, tzinfo
import math
from typing import Any

from ..model import Mode
from ..units import default_degree_day_base
from .days import (
    CycleStats,
    DayBucket,
    LedgerDataError,
    SystemDay,
    add,
    mode_key,
    read_dict,
    read_number,
)
from .degree_days import (
    MAX_TIMESTAMP,
    clean_temperature,
    degree_days,
    local_date,
    next_midnight,
    split_by_day,
)
from .energy import DEFAULT_MAX_POWER_W, EnergyModel, clean_power, kwh
from .part_load import PartLoad
from .samples import (
    SystemSample,
    ZoneSample,
    attribution_shares,
    return_temperature,
    sample_from_dict,
    sample_to_dict,
)
from .store import close, decode, read_zone_list

SCHEMA_VERSION = 2  # 2: closed days as compact strings indexing a list of zone ids
DEFAULT_RETENTION_DAYS = 400
DEFAULT_MAX_GAP = 900.0  # seconds a sample may hold before the time is "unknown"
DEFAULT_SHORT_CYCLE = 600.0  # a completed cycle shorter than this counts as a short cycle
# How fast ducts left in their space after a stop cool (heating) or warm (cooling) towards it:
# their heat capacity over their walls' conductance. Sheet metal or flex duct, ≈ 1.1 kJ/(K·m²)
# (`report.duct_model`), behind R-6 and air films (≈ 1.26 m²·K/W): ≈ 23 minutes; taken at 30.
DUCT_TIME_CONSTANT_S = 1800.0
STANDBY = "standby"
COMFORT_MODES = (Mode.HEAT.value, Mode.COOL.value)

SYSTEM_COUNTERS = (
    "runtime_s",
    "blower_s",
    "cycles",
    "kwh",
    "measured_kwh",
    "estimated_kwh",
    "estimated_low_kwh",
    "estimated_high_kwh",
)
ZONE_COUNTERS = ("runtime_s", "kwh", "conditioned_s", "calling_s", "waiting_s")

__all__ = [
    "DayBucket",
    "EnergyModel",
    "Ledger",
    "LedgerDataError",
    "SystemSample",
    "ZoneSample",
    "attribution_shares",
]


class Ledger:
    """Runtime, energy and degree days of one system, bucketed by local day (see module)."""

    def __init__(
        self,
        zone_ids: Iterable[str],
        tz: tzinfo,
        *,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        degree_day_base: float | None = None,
        temperature_unit: str = "°C",
        energy_model: EnergyModel | None = None,
        estimate_energy: bool = True,
        max_gap: float = DEFAULT_MAX_GAP,
        short_cycle: float = DEFAULT_SHORT_CYCLE,
        max_power_w: float = DEFAULT_MAX_POWER_W,
    ) -> None:
        """Create an empty ledger; ``degree_day_base`` defaults to 18 °C / 65 °F by unit."""
        if retention_days < 1 or max_gap <= 0.0:
            raise ValueError("retention_days must be >= 1 and max_gap > 0")
        self.tz = tz
        self.retention_days = retention_days
        self.temperature_unit = temperature_unit
        self.degree_day_base = (
            default_degree_day_base(temperature_unit)
            if degree_day_base is None
            else degree_day_base
        )
        self.energy_model: EnergyModel | None = None
        if estimate_energy:
            self.energy_model = energy_model or EnergyModel(unit=temperature_unit)
        self.max_gap = max_gap
        self.short_cycle = short_cycle
        self.max_power_w = max_power_w
        self._zone_ids: tuple[str, ...] = ()
        self._days: dict[date, DayBucket] = {}
        self._closed: dict[date, str] = {}  # compact strings of the closed days (`store`)
        self._zone_codes: dict[str, int] = {}  # zone id -> its index in those strings
        self._lifetime: dict[str, float] = dict.fromkeys(SYSTEM_COUNTERS, 0.0)
        self._zone_lifetime: dict[str, dict[str, float]] = {}
        self._last_time: float | None = None
        self._last: SystemSample | None = None
        self._cycle_mode: str | None = None  # mode key of the running cycle
        self._cycle_run_s = 0.0
        self._cycle_known = False  # the start was seen and no unknown time since
        self._stopped_at: float | None = None  # when the last seen cycle stopped
        self.clock_jumps = 0  # times `now` went backwards
        self._day_cache: tuple[float, float, date] = (0.0, 0.0, date.min)
        self._pruned_on = date.min
        self.part_load = PartLoad()  # the estimate's memory (duty, learnt loss coefficient)
        self.set_zones(zone_ids)

    # -----------------------------------------------------------------------------------------
    # Input

    @property
    def zone_ids(self) -> tuple[str, ...]:
        """The zones currently configured (removed zones stay in old buckets)."""
        return self._zone_ids

    def set_zones(self, zone_ids: Iterable[str]) -> None:
        """Change the configured zones; history of removed zones stays in their buckets."""
        self._zone_ids = tuple(dict.fromkeys(zone_ids))
        for zone_id in self._zone_ids:
            self._zone_lifetime.setdefault(zone_id, dict.fromkeys(ZONE_COUNTERS, 0.0))

    def record(self, now: float, sample: SystemSample) -> None:
        """Book the previous sample from its time until ``now``, then adopt ``sample``.

        Raises ValueError for a timestamp that is not finite or outside the calendar.
        """
        _check_time(now)
        previous, last_time = self._last, self._last_time
        if previous is not None and last_time is not None:
            if now >= last_time:
                self._book(last_time, now, previous)
            else:
                self.clock_jumps += 1
        self._transition(now, previous, sample)
        self._last, self._last_time = sample, now
        self._prune(now)

    def resume(self, now: float) -> None:
        """Home Assistant was down since the last sample: nobody watched the equipment.

        The gap is booked as unknown time and the last sample is forgotten, so a restart never
        turns downtime into runtime (a cycle running across the gap gets no length, and a unit
        found running at start is not counted as a new start).
        """
        _check_time(now)
        last_time = self._last_time
        if last_time is not None and now > last_time:
            start = max(last_time, now - (self.retention_days + 2) * 86400.0)
            for day, seconds in split_by_day(start, now, self.tz):
                self._bucket(day).system.unknown_s += seconds
        self._cycle_mode, self._cycle_run_s, self._cycle_known = None, 0.0, False
        self._stopped_at = None
        self._last, self._last_time = None, None
        self._prune(now)

    def flush(self, now: float) -> None:
        """Book the current sample up to ``now`` (before reading totals or saving)."""
        if self._last is not None:
            self.record(now, self._last)

    def _transition(self, now: float, previous: SystemSample | None, sample: SystemSample) -> None:
        was_running = previous is not None and previous.running
        if sample.running and not was_running:
            self._cycle_mode = mode_key(sample.mode)
            self._cycle_run_s = 0.0
            self._cycle_known = previous is not None  # the first sample ever: start not seen
            if self._cycle_known:
                bucket = self._bucket(local_date(now, self.tz))
                cycles = bucket.system.cycles
                cycles.setdefault(self._cycle_mode, CycleStats()).starts += 1
                self._lifetime["cycles"] += 1.0
                self._book_cold_start(bucket.system, now, sample)
        elif was_running and not sample.running:
            if self._cycle_known and self._cycle_mode is not None:
                bucket = self._bucket(local_date(now, self.tz))
                stats = bucket.system.cycles.setdefault(self._cycle_mode, CycleStats())
                stats.add_length(self._cycle_run_s, self.short_cycle)
            self._cycle_mode, self._cycle_run_s, self._cycle_known = None, 0.0, False
            self._stopped_at = now

    def _book_cold_start(self, system: SystemDay, now: float, sample: SystemSample) -> None:
        """A start's share of a cold start for the ducts (`SystemDay.duct_cold_starts`)."""
        duct = clean_temperature(sample.duct_temperature, self.temperature_unit)
        if sample.mode is None or duct is None:
            return
        off = math.inf if self._stopped_at is None else max(now - self._stopped_at, 0.0)
        cold = 1.0 - math.exp(-off / DUCT_TIME_CONSTANT_S)
        add(system.duct_cold_starts, mode_key(sample.mode), cold)

    def _book(self, start: float, stop: float, sample: SystemSample) -> None:
        held_stop = min(stop, start + self.max_gap)
        for day, seconds in self._pieces(start, held_stop):
            self._book_piece(self._bucket(day), seconds, sample)
        if stop > held_stop:
            self._cycle_known = False
            self._stopped_at = None
            # Book unknown time only where it can still be kept (a jump of years stays cheap).
            unknown_start = max(held_stop, stop - (self.retention_days + 2) * 86400.0)
            for day, seconds in split_by_day(unknown_start, stop, self.tz):
                self._bucket(day).system.unknown_s += seconds

    def _pieces(self, start: float, stop: float) -> list[tuple[date, float]]:
        """`split_by_day`, with the current local day's bounds cached (the common case)."""
        day_start, day_end, day = self._day_cache
        if not day_start <= start < day_end:
            day = local_date(start, self.tz)
            day_end = next_midnight(start, self.tz)
            self._day_cache = (start, day_end, day)
        if stop <= day_end:
            return [(day, stop - start)] if stop > start else []
        return split_by_day(start, stop, self.tz)

    def _book_piece(self, bucket: DayBucket, seconds: float, sample: SystemSample) -> None:
        """Book `seconds` of `sample` into one day: weather, energy, the zones, runtime."""
        system = bucket.system
        system.observed_s += seconds
        outdoor = clean_temperature(sample.outdoor_temperature, self.temperature_unit)
        if outdoor is not None:
            heating, cooling = degree_days(outdoor, seconds, self.degree_day_base)
            system.hdd += heating
            system.cdd += cooling
            system.outdoor_integral += outdoor * seconds
            system.outdoor_s += seconds
        if sample.blower:
            system.blower_s += seconds
            self._lifetime["blower_s"] += seconds
        energy, measured = self._book_energy(system, seconds, sample, outdoor)
        comfort = {
            key: sample.comfort[key]
            for key in COMFORT_MODES
            if clean_temperature(sample.comfort.get(key), self.temperature_unit) is not None
        }
        for key in comfort:
            add(system.comfort_s, key, seconds)
        for zone_id, zone in sample.zones.items():
            self._book_zone_state(bucket, zone_id, zone, sample, seconds, comfort)
        if not sample.running:
            add(system.kwh, STANDBY, energy)
            return
        self._book_runtime(bucket, seconds, sample, outdoor, energy, measured)

    def _book_energy(
        self, system: SystemDay, seconds: float, sample: SystemSample, outdoor: float | None
    ) -> tuple[float, bool]:
        """Energy of the piece (kWh) and whether it is measured: from the power sensor when it
        gives a sane reading, else the model's estimate."""
        life = self._lifetime
        power = clean_power(sample.power_w, self.max_power_w)
        measured = power is not None
        bounds = (0.0, 0.0)
        if self.energy_model is not None:
            # Kept up to date even while measured, so its duty is right when the sensor drops.
            estimate = self.part_load.estimate(
                self.energy_model,
                seconds,
                running=sample.running,
                mode=sample.mode,
                blower=sample.blower,
                outdoor=outdoor,
                indoor=self._indoor(sample),
                inferred=sample.inferred,
            )
            if power is None:
                power = estimate.nominal
                bounds = (kwh(estimate.low, seconds), kwh(estimate.high, seconds))
        energy = kwh(power, seconds) if power is not None else 0.0
        if measured:
            system.measured_kwh += energy
            life["measured_kwh"] += energy
        else:
            system.estimated_kwh += energy
            system.estimated_low_kwh += bounds[0]
            system.estimated_high_kwh += bounds[1]
            life["estimated_kwh"] += energy
            life["estimated_low_kwh"] += bounds[0]
            life["estimated_high_kwh"] += bounds[1]
        life["kwh"] += energy
        return energy, measured

    def _indoor(self, sample: SystemSample) -> float | None:
        """Mean room temperature of the sample (None without any reading)."""
        readings = [
            t
            for zone in sample.zones.values()
            if (t := clean_temperature(zone.temperature, self.temperature_unit)) is not None
        ]
        return sum(readings) / len(readings) if readings else None

    def _book_runtime(
        self,
        bucket: DayBucket,
        seconds: float,
        sample: SystemSample,
        outdoor: float | None,
        energy: float,
        measured: bool,
    ) -> None:
        """A running piece: runtime and energy by mode, shared by the zones that receive air."""
        system = bucket.system
        key = mode_key(sample.mode)
        add(system.runtime_s, key, seconds)
        add(system.kwh, key, energy)
        self._book_ducts(system, key, seconds, sample, outdoor)
        self._lifetime["runtime_s"] += seconds
        if self._cycle_mode is not None:
            self._cycle_run_s += seconds
        shares = attribution_shares(sample)
        if not shares:
            add(system.unattributed_s, key, seconds)
            system.unattributed_kwh += energy
            return
        for zone_id, share in shares.items():
            zone_day = bucket.zone(zone_id)
            zone_life = self._zone_life(zone_id)
            add(zone_day.runtime_s, key, seconds * share)
            add(zone_day.kwh, key, energy * share)
            if measured:
                zone_day.measured_kwh += energy * share
            else:
                zone_day.estimated_kwh += energy * share
            zone_life["runtime_s"] += seconds * share
            zone_life["kwh"] += energy * share

    def _book_ducts(
        self,
        system: SystemDay,
        key: str,
        seconds: float,
        sample: SystemSample,
        outdoor: float | None,
    ) -> None:
        """The duct-loss model's running-time integrals (see `SystemDay.duct_s`)."""
        duct = clean_temperature(sample.duct_temperature, self.temperature_unit)
        if duct is None or outdoor is None or sample.mode is None:
            return
        returning = return_temperature(sample, self.temperature_unit)
        if returning is None:
            return
        add(system.duct_s, key, seconds)
        add(system.duct_dt_ks, key, (returning - duct) * seconds)
        add(system.duct_outdoor_ks, key, outdoor * seconds)

    def _book_zone_state(
        self,
        bucket: DayBucket,
        zone_id: str,
        zone: ZoneSample,
        sample: SystemSample,
        seconds: float,
        comfort: dict[str, float],
    ) -> None:
        temperature = clean_temperature(zone.temperature, self.temperature_unit)
        if zone.calling is None and not zone.conditioned and temperature is None:
            return
        zone_day = bucket.zone(zone_id)
        zone_life = self._zone_life(zone_id)
        if temperature is not None:
            zone_day.temperature_integral += temperature * seconds
            zone_day.temperature_s += seconds
            for key, held in comfort.items():
                # How far the room is from where every room would be held without zoning.
                gap = held - temperature if key == Mode.HEAT.value else temperature - held
                if gap > 0.0:
                    add(zone_day.comfort_gap_ks, key, gap * seconds)
        if zone.calling is not None:
            calling = mode_key(zone.calling)
            add(zone_day.calling_s, calling, seconds)
            zone_life["calling_s"] += seconds
            if zone.waiting:
                add(zone_day.waiting_s, calling, seconds)
                zone_life["waiting_s"] += seconds
        if zone.conditioned:
            mode = sample.mode if sample.running and sample.mode is not None else zone.calling
            add(zone_day.conditioned_s, mode_key(mode), seconds)
            zone_life["conditioned_s"] += seconds

    def _zone_life(self, zone_id: str) -> dict[str, float]:
        life = self._zone_lifetime.get(zone_id)
        if life is None:
            life = self._zone_lifetime[zone_id] = dict.fromkeys(ZONE_COUNTERS, 0.0)
        return life

    def _bucket(self, day: date) -> DayBucket:
        """The bucket of ``day`` to book into (a closed day is open again until the next close)."""
        self._closed.pop(day, None)
        bucket = self._days.get(day)
        if bucket is None:
            bucket = self._days[day] = DayBucket(date=day)
        return bucket

    def _prune(self, now: float) -> None:
        today = local_date(now, self.tz)
        if today == self._pruned_on:
            return
        self._pruned_on = today
        oldest = today - timedelta(days=self.retention_days - 1)
        for day in [day for day in self._days if day < oldest]:
            del self._days[day]
            self._closed.pop(day, None)
        self._close_days(today)

    def _close_days(self, today: date) -> None:
        """Quantise the days before ``today`` not closed yet and keep their compact strings."""
        for day, bucket in self._days.items():
            if day < today and day not in self._closed:
                text = close(bucket, self._zone_codes)
                if text is not None:
                    self._closed[day] = text

    # -----------------------------------------------------------------------------------------
    # Output

    def day(self, day: date) -> DayBucket | None:
        """The bucket of a local date, if anything was booked that day."""
        return self._days.get(day)

    def days(self, start: date, end: date) -> list[DayBucket]:
        """The buckets from ``start`` to ``end`` (both included), oldest first."""
        return [self._days[day] for day in sorted(self._days) if start <= day <= end]

    @property
    def first_day(self) -> date | None:
        """The oldest local date kept."""
        return min(self._days) if self._days else None

    def lifetime(self) -> dict[str, float]:
        """System counters since the ledger was created (never decrease)."""
        return dict(self._lifetime)

    def zone_lifetime(self, zone_id: str) -> dict[str, float]:
        """A zone's counters since the ledger was created (never decrease)."""
        return dict(self._zone_lifetime.get(zone_id) or dict.fromkeys(ZONE_COUNTERS, 0.0))

    # -----------------------------------------------------------------------------------------
    # Persistence

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for HA's Store (only str/float/int/list/dict/None)."""
        last: dict[str, Any] | None = None
        if self._last is not None and self._last_time is not None:
            last = {"time": self._last_time, "sample": sample_to_dict(self._last)}
        return {
            "schema": SCHEMA_VERSION,
            "degree_day_base": self.degree_day_base,
            "lifetime": dict(self._lifetime),
            "zone_lifetime": {k: dict(v) for k, v in self._zone_lifetime.items()},
            "zones": list(self._zone_codes),
            "days": {
                day.isoformat(): self._closed.get(day) or self._days[day].to_dict()
                for day in sorted(self._days)
            },
            "last": last,
            "cycle": {
                "mode": self._cycle_mode,
                "run_s": self._cycle_run_s,
                "known": self._cycle_known,
                "stopped": self._stopped_at,
            },
            "part_load": self.part_load.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any, zone_ids: Iterable[str], tz: tzinfo, **options: Any) -> Ledger:
        """Rebuild a ledger saved by `to_dict`; settings come from ``options`` (as `__init__`).

        Missing keys read as empty or zero and unknown keys are ignored (files of other versions
        stay readable). Anything else malformed raises `LedgerDataError`: the caller should then
        start a fresh ledger and tell the user.
        """
        if not isinstance(data, dict):
            raise LedgerDataError("ledger data is not an object")
        schema = data.get("schema")
        if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
            raise LedgerDataError(f"unknown ledger schema {schema!r}")
        ledger = cls(zone_ids, tz, **options)
        lifetime = read_dict(data, "lifetime")
        for key in SYSTEM_COUNTERS:
            ledger._lifetime[key] = read_number(lifetime, key)
        for zone_id, counters in read_dict(data, "zone_lifetime").items():
            if not isinstance(counters, dict):
                raise LedgerDataError(f"lifetime of zone {zone_id!r} is not an object")
            ledger._zone_life(zone_id).update({k: read_number(counters, k) for k in ZONE_COUNTERS})
        ledger._read_days(data)
        last = data.get("last")
        if last is not None:
            if not isinstance(last, dict):
                raise LedgerDataError("'last' is not an object")
            time = read_number(last, "time")
            _check_time(time, LedgerDataError)
            ledger._last, ledger._last_time = sample_from_dict(last.get("sample")), time
        cycle = read_dict(data, "cycle")
        mode = cycle.get("mode")
        if mode is not None and not isinstance(mode, str):
            raise LedgerDataError("cycle mode is not a string")
        ledger._cycle_mode = mode
        ledger._cycle_run_s = read_number(cycle, "run_s")
        ledger._cycle_known = cycle.get("known") is True
        stopped = cycle.get("stopped")
        if stopped is not None:
            stopped = read_number(cycle, "stopped")
            _check_time(stopped, LedgerDataError)
        ledger._stopped_at = stopped
        ledger.part_load = PartLoad.from_dict(data.get("part_load"))
        if ledger._last_time is not None:
            ledger._prune(ledger._last_time)
        return ledger

    def _read_days(self, data: dict[str, Any]) -> None:
        """The days of `to_dict`'s data: closed ones as compact strings, the others in full."""
        zone_list = read_zone_list(data.get("zones"))
        self._zone_codes = {zone_id: index for index, zone_id in enumerate(zone_list)}
        for key, value in read_dict(data, "days").items():
            try:
                day = date.fromisoformat(key)
            except ValueError as err:
                raise LedgerDataError(f"bad day key {key!r}") from err
            if isinstance(value, str):
                self._days[day] = decode(day, value, zone_list)
                self._closed[day] = value
            else:
                self._days[day] = DayBucket.from_dict(day, value)


def _check_time(now: float, error: type[ValueError] = ValueError) -> None:
    if isinstance(now, bool) or not isinstance(now, int | float):
        raise error(f"timestamp is not a number: {now!r}")
    if not math.isfinite(now) or not 86400.0 <= now <= MAX_TIMESTAMP:
        raise error(f"timestamp out of range: {now!r}")
