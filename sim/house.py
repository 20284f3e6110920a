"""The simulated house: thermal network + equipment + weather + ground truth.

Thermal model
-------------
Each room has two nodes: a fast *air* node (air, furniture, interior surfaces) and a
slow *envelope* node (structure). Air nodes exchange heat with outdoors directly
(windows, infiltration), with their envelope node, and with neighbouring rooms
(partitions + air exchange). Envelope nodes exchange heat with outdoors and, on the
ground floor, with the ground. Internal gains go to the air node; transmitted solar is
split between the two.

Integration is backward Euler (implicit) on the whole network with the system matrix
inverted once per step size: unconditionally stable, conservative (the energy balance
closes to rounding: stored = in - lost, with losses evaluated at end-of-step
temperatures), and accurate at 60 s steps because the fastest time constant is about
an hour (room air+furniture vs structure; DOMAIN.md 3R2C: fast τ ≈ 1.1 h).
Equipment outputs are held constant over a step (computed from start-of-step
temperatures), as a real controller sampling once a step would see them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
import math
from typing import TYPE_CHECKING, Protocol

from sim.ducted import Damper, DuctedHeatPump
from sim.minisplit import MiniSplit, MiniSplitHead
from sim.spec import (
    AIR_CAPACITANCE_J_K_M2,
    AIR_ENVELOPE_G_W_K_M2,
    DIRECT_UA_SHARE,
    ENVELOPE_CAPACITANCE_J_K_M2,
    EXTERIOR_UA_W_K_M2,
    GAIN_PROFILES,
    GROUND_U_W_K_M2,
    INTERNAL_GAIN_W_M2,
    SOLAR_TO_AIR_SHARE,
    HouseSpec,
    RoomSpec,
)
from sim.truth import (
    DuctedTruth,
    HeadTruth,
    MiniSplitTruth,
    RoomTruth,
    Truth,
)
from sim.units import SECONDS_PER_HOUR
from sim.weather import window_irradiance

if TYPE_CHECKING:
    from sim.weather import Weather

sumprod = math.sumprod

# Magnus formula coefficients over water (Sonntag 1990): ln e_s ∝ 17.62·T/(243.12 + T).
MAGNUS_A = 17.62
MAGNUS_B = 243.12
# Indoor air is moister than outdoor air by occupants, cooking, plants: dew point
# +2 K above outdoor, kept within -2…14 °C (assumption; gives ~25-60 % RH indoors).
INDOOR_DEW_POINT_RISE_K = 2.0
INDOOR_DEW_POINT_MIN_C = -2.0
INDOOR_DEW_POINT_MAX_C = 14.0
# Indoor dew point when the weather has no humidity (≈ 40 % RH at 21 °C).
DEFAULT_INDOOR_DEW_POINT_C = 7.0


def _magnus(temp_c: float) -> float:
    return MAGNUS_A * temp_c / (MAGNUS_B + temp_c)


def dew_point_c(temp_c: float, rh_percent: float) -> float:
    """Dew point (°C) from temperature and relative humidity (Magnus)."""
    g = _magnus(temp_c) + math.log(max(rh_percent, 0.1) / 100.0)
    return MAGNUS_B * g / (MAGNUS_A - g)


def relative_humidity(temp_c: float, dew_point: float) -> float:
    """Relative humidity (%) of air at ``temp_c`` with the given dew point."""
    return min(100.0, 100.0 * math.exp(_magnus(dew_point) - _magnus(temp_c)))


def invert(matrix: list[list[float]]) -> list[list[float]]:
    """Inverse of a square matrix by Gauss-Jordan elimination with partial pivoting."""
    n = len(matrix)
    a = [[*row, *(1.0 if i == j else 0.0 for j in range(n))] for i, row in enumerate(matrix)]
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[piv][col]) < 1e-300:
            raise ValueError("singular thermal matrix")
        a[col], a[piv] = a[piv], a[col]
        inv_p = 1.0 / a[col][col]
        row_c = [v * inv_p for v in a[col]]
        a[col] = row_c
        for r in range(n):
            if r != col:
                f = a[r][col]
                if f != 0.0:
                    a[r] = [x - f * y for x, y in zip(a[r], row_c, strict=True)]
    return [row[n:] for row in a]


def _validate(spec: HouseSpec, index: dict[str, int]) -> None:
    """Reject references to unknown rooms with a clear message."""
    refs: list[tuple[str, str]] = []
    for link in spec.links:
        refs += [(f"link {link.a}-{link.b}", link.a), (f"link {link.a}-{link.b}", link.b)]
    for d in spec.ducted:
        refs.append((f"ducted {d.id} thermostat", d.thermostat_room))
        refs += [(f"damper {dm.id}", dm.room) for dm in d.dampers]
    for m in spec.minisplits:
        refs += [(f"head {h.id}", h.room) for h in m.heads]
    for what, room in refs:
        if room not in index:
            raise ValueError(f"{what} refers to unknown room {room!r}")
    for r in spec.rooms:
        if r.floor_area_m2 <= 0.0:
            raise ValueError(f"room {r.id}: floor area must be positive")


class Commandable(Protocol):
    """A device whose commands are counted: it says whether it was told something new."""

    commanded: bool


class Room:
    """A room's observable state (what room sensors in HA would report)."""

    __slots__ = (
        "_house",
        "_next_report",
        "_reported",
        "floor_area_m2",
        "id",
        "index",
        "name",
        "spec",
    )

    def __init__(self, spec: RoomSpec, index: int, house: House) -> None:
        self.id = spec.id
        self.name = spec.display_name
        self.spec = spec
        self.index = index
        self.floor_area_m2 = spec.floor_area_m2
        self._house = house
        self._reported: float | None = None
        self._next_report = -math.inf

    @property
    def reading(self) -> float:
        """What the room's temperature sensor shows now, °C: the air itself, or (with a
        `SensorSpec`) its last report, taken every interval and rounded to its resolution."""
        sensor = self.spec.sensor
        if sensor is None:
            return self.temperature
        now = self._house.time
        if self._reported is None or now >= self._next_report - 1e-6:
            step = sensor.resolution_k
            self._reported = round(self.temperature / step) * step
            if self._next_report == -math.inf:
                self._next_report = self._house.start_time + sensor.phase_s
            while self._next_report <= now + 1e-6:
                self._next_report += sensor.interval_s
        return self._reported

    @property
    def temperature(self) -> float:
        """Room air temperature, °C."""
        return self._house._t[self.index]

    @property
    def envelope_temperature(self) -> float:
        """Temperature of the room's slow structure node, °C."""
        return self._house._t[self._house.n_rooms + self.index]

    @property
    def humidity(self) -> float:
        """Relative humidity, % (simple model: house-wide dew point)."""
        return relative_humidity(self.temperature, self._house.indoor_dew_point)


class House:
    """A running simulation. Build one with :func:`sim.build_demo_house` or from a
    :class:`sim.spec.HouseSpec`; advance it with :meth:`step` or :meth:`run`."""

    # Builds the whole house from its spec in one place: left whole on purpose.
    def __init__(  # noqa: C901, PLR0915
        self,
        spec: HouseSpec,
        weather: Weather,
        *,
        start: float | None = None,
        trace_interval_s: float = 300.0,
        gains_scale: float = 1.0,
    ) -> None:
        self.spec = spec
        self.weather = weather
        self.time = weather.start if start is None else float(start)
        self.start_time = self.time
        self.gains_scale = gains_scale
        rooms = spec.rooms
        n = len(rooms)
        self.n_rooms = n
        index = {r.id: i for i, r in enumerate(rooms)}
        if len(index) != n:
            raise ValueError("room ids must be unique")
        self._index = index
        _validate(spec, index)
        self.rooms: dict[str, Room] = {r.id: Room(r, i, self) for i, r in enumerate(rooms)}
        self.ground_temperature = spec.ground_temperature_c

        # --- thermal network ---
        nn = 2 * n
        cap = [0.0] * nn
        g_out = [0.0] * nn
        g_gnd = [0.0] * nn
        lap = [[0.0] * nn for _ in range(nn)]

        def connect(i: int, j: int, g: float) -> None:
            lap[i][i] += g
            lap[j][j] += g
            lap[i][j] -= g
            lap[j][i] -= g

        for i, r in enumerate(rooms):
            area = r.floor_area_m2
            cap[i] = r.air_capacitance_j_k or AIR_CAPACITANCE_J_K_M2 * area
            cap[n + i] = r.envelope_capacitance_j_k or ENVELOPE_CAPACITANCE_J_K_M2 * area
            ua = r.exterior_ua_w_k if r.exterior_ua_w_k is not None else EXTERIOR_UA_W_K_M2 * area
            g_ie = AIR_ENVELOPE_G_W_K_M2 * area
            g_out[i] = DIRECT_UA_SHARE * ua
            env_share = (1.0 - DIRECT_UA_SHARE) * ua
            g_env = 1.0 / (1.0 / env_share - 1.0 / g_ie) if env_share > 0.0 else 0.0
            if r.storey == 0:
                g_gnd[n + i] = min(GROUND_U_W_K_M2 * area, 0.5 * g_env)
            g_out[n + i] = g_env - g_gnd[n + i]
            connect(i, n + i, g_ie)
        for link in spec.links:
            connect(index[link.a], index[link.b], link.conductance_w_k)
        self._cap = cap
        self._g_out = g_out
        self._g_gnd = g_gnd
        self._g_out_sum = sum(g_out)
        self._g_gnd_sum = sum(g_gnd)
        self._lap = lap
        self._minv_cache: dict[float, tuple[list[list[float]], list[list[float]]]] = {}
        self._rows_cache: list[list[float]] = []
        self._rows_dt = -1.0
        self._t = [r.initial_temperature_c for r in rooms] * 2
        self._t0 = list(self._t)

        # --- gains ---
        self._gain_mean = [
            0.0
            if gains_scale == 0.0
            else gains_scale
            * (
                r.internal_gain_w
                if r.internal_gain_w is not None
                else INTERNAL_GAIN_W_M2 * r.floor_area_m2
            )
            for r in rooms
        ]
        self._gain_profile = []
        for r in rooms:
            prof = GAIN_PROFILES.get(r.kind, GAIN_PROFILES["other"])
            mean = sum(prof) / len(prof)
            self._gain_profile.append([p / mean for p in prof])
        self._windows = [
            (i, w.azimuth_deg, w.area_m2 * w.shgc) for i, r in enumerate(rooms) for w in r.windows
        ]
        self._azimuths = tuple(w[1] for w in self._windows)
        self._hour = -1
        self._g0: list[float] = [0.0] * nn
        self._g1: list[float] = [0.0] * nn
        self._sums0 = (0.0, 0.0)
        self._sums1 = (0.0, 0.0)
        self._q = [0.0] * n  # equipment heat into each room's air node, W
        self._zeros = [0.0] * n

        # --- truth and equipment ---
        self.truth = Truth(
            rooms={r.id: RoomTruth() for r in rooms},
            ducted={d.id: DuctedTruth() for d in spec.ducted},
            heads={h.id: HeadTruth() for m in spec.minisplits for h in m.heads},
            minisplits={m.id: MiniSplitTruth() for m in spec.minisplits},
            trace_interval_s=trace_interval_s,
        )
        room_truths = [self.truth.rooms[r.id] for r in rooms]
        self._room_truths = room_truths
        self.dampers: dict[str, Damper] = {}
        self.ducted: dict[str, DuctedHeatPump] = {}
        for d in spec.ducted:
            dampers = [Damper(ds, index[ds.room]) for ds in d.dampers]
            for dm in dampers:
                if dm.id in self.dampers:
                    raise ValueError(f"duplicate damper id {dm.id}")
                self.dampers[dm.id] = dm
            served = {ds.room for ds in d.dampers}
            area = sum(self.rooms[rid].floor_area_m2 for rid in served)
            self.ducted[d.id] = DuctedHeatPump(
                d,
                dampers,
                index[d.thermostat_room],
                area,
                self._t,
                self.truth.ducted[d.id],
                room_truths,
            )
        self.heads: dict[str, MiniSplitHead] = {}
        self.minisplits: dict[str, MiniSplit] = {}
        for m in spec.minisplits:
            heads = []
            for hs in m.heads:
                if hs.id in self.heads:
                    raise ValueError(f"duplicate head id {hs.id}")
                head = MiniSplitHead(hs, index[hs.room], self._t, self.truth.heads[hs.id])
                heads.append(head)
                self.heads[hs.id] = head
            self.minisplits[m.id] = MiniSplit(
                m,
                heads,
                self.truth.minisplits[m.id],
                [self.truth.heads[h.id] for h in m.heads],
                room_truths,
            )
        if set(self.ducted) & set(self.minisplits):
            raise ValueError("system ids must be unique across ducted units and mini-splits")
        self._ducted_list = list(self.ducted.values())
        self._minisplit_list = list(self.minisplits.values())
        self._commandable: list[tuple[str, Commandable]] = [
            *((f"thermostat:{sid}", unit) for sid, unit in self.ducted.items()),
            *((f"head:{hid}", head) for hid, head in self.heads.items()),
            *((f"damper:{did}", damper) for did, damper in self.dampers.items()),
        ]
        self._next_sample = self.time
        self._sample()

    # --- observation -------------------------------------------------------------------

    @property
    def system_ids(self) -> list[str]:
        """Ids of all HVAC systems (ducted units and mini-split outdoor units)."""
        return [*self.ducted, *self.minisplits]

    @property
    def outdoor_temperature(self) -> float:
        """Outdoor air temperature now, °C."""
        return self.weather.temperature_at(self.time)

    @property
    def outdoor_humidity(self) -> float | None:
        """Outdoor relative humidity now, % (None if the weather has none)."""
        return self.weather.humidity_at(self.time)

    @property
    def solar_irradiance(self) -> float:
        """Global horizontal irradiance now, W/m²."""
        return self.weather.ghi_at(self.time)

    @property
    def indoor_dew_point(self) -> float:
        """House-wide indoor dew point, °C (simple moisture model)."""
        rh = self.weather.humidity_at(self.time)
        if rh is None:
            return DEFAULT_INDOOR_DEW_POINT_C
        dp = dew_point_c(self.outdoor_temperature, rh) + INDOOR_DEW_POINT_RISE_K
        return min(max(dp, INDOOR_DEW_POINT_MIN_C), INDOOR_DEW_POINT_MAX_C)

    def duct_space_temperature(self, system_id: str) -> float | None:
        """Air temperature where a ducted unit's supply ducts run, °C (None: indoors)."""
        return self.ducted[system_id].duct_space_temperature(
            self.outdoor_temperature, self.solar_irradiance, self.ground_temperature
        )

    def power_w(self, system_id: str) -> float:
        """Electrical power of a system averaged over the last step, W."""
        if system_id in self.ducted:
            return self.ducted[system_id].power_w
        return self.minisplits[system_id].power_w

    def stored_energy_j(self) -> float:
        """Heat stored in all nodes relative to the initial state, J."""
        return sum(c * (t - t0) for c, t, t0 in zip(self._cap, self._t, self._t0, strict=True))

    def energy_balance_error_j(self) -> float:
        """(heat in) - (stored + lost), J; ≈ 0 up to rounding."""
        b = self.truth.balance
        heat_in = b.hvac_j + b.internal_gains_j + b.solar_gains_j
        return heat_in - (self.stored_energy_j() + b.loss_outdoor_j + b.loss_ground_j)

    def time_constants_h(self) -> tuple[float, float]:
        """(fastest, slowest) node time constants C/ΣG in hours (diagnostic)."""
        taus = [
            c / (self._lap[i][i] + self._g_out[i] + self._g_gnd[i]) for i, c in enumerate(self._cap)
        ]
        return min(taus) / SECONDS_PER_HOUR, max(taus) / SECONDS_PER_HOUR

    # --- stepping ----------------------------------------------------------------------

    def _matrix(self, dt: float) -> tuple[list[list[float]], list[list[float]]]:
        """(M⁻¹, base rows) for step ``dt``. With M = diag(C/dt) + G, backward Euler is
        T' = M⁻¹·(C/dt·T + h + g_out·T_out + g_gnd·T_gnd + gains). The base row i holds
        [M⁻¹_ij·C_j/dt (all nodes), M⁻¹_ij (air nodes, for h), M⁻¹·g_out, M⁻¹·g_gnd]."""
        cached = self._minv_cache.get(dt)
        if cached is None:
            nn = len(self._cap)
            n = self.n_rooms
            m = [list(row) for row in self._lap]
            cdt = [c / dt for c in self._cap]
            for i in range(nn):
                m[i][i] += cdt[i] + self._g_out[i] + self._g_gnd[i]
            minv = invert(m)
            base = [
                [
                    *(v * c for v, c in zip(row, cdt, strict=True)),
                    *row[:n],
                    sumprod(row, self._g_out),
                    sumprod(row, self._g_gnd),
                ]
                for row in minv
            ]
            cached = (minv, base)
            self._minv_cache[dt] = cached
        return cached

    def _rows(self, dt: float) -> list[list[float]]:
        """Fused step rows for ``dt`` and the current hour: base rows plus
        [M⁻¹·gains(hour k), M⁻¹·(gains(k+1) − gains(k))]; see :meth:`_matrix`."""
        minv, base = self._matrix(dt)
        dg = [b - a for a, b in zip(self._g0, self._g1, strict=True)]
        return [
            [*b, sumprod(row, self._g0), sumprod(row, dg)]
            for row, b in zip(minv, base, strict=True)
        ]

    def _gains_for_hour(self, k: int) -> tuple[list[float], tuple[float, float]]:
        """Gains vector (W per node) at weather sample ``k`` and (internal, solar) sums."""
        w = self.weather
        n = self.n_rooms
        t = w.sample_time(k)
        g = [0.0] * (2 * n)
        local_hour = int(((t + w.site.utc_offset_h * SECONDS_PER_HOUR) % 86400.0) // 3600.0)
        internal = 0.0
        for i in range(n):
            v = self._gain_mean[i] * self._gain_profile[i][local_hour]
            g[i] = v
            internal += v
        solar = 0.0
        if self._windows and self.gains_scale != 0.0:
            irr = window_irradiance(t, w.ghi_w_m2[k % w.hours], w.site, self._azimuths)
            for (i, _, a_shgc), e in zip(self._windows, irr, strict=True):
                s = a_shgc * e * self.gains_scale
                g[i] += SOLAR_TO_AIR_SHARE * s
                g[n + i] += (1.0 - SOLAR_TO_AIR_SHARE) * s
                solar += s
        return g, (internal, solar)

    def step(self, dt_s: float = 60.0) -> None:
        """Advance the simulation by ``dt_s`` seconds."""
        dt = float(dt_s)
        if not dt > 0.0:
            raise ValueError("dt_s must be positive")
        w = self.weather
        x = (self.time + 0.5 * dt - w.start) / SECONDS_PER_HOUR
        k = math.floor(x)
        frac = x - k
        if k != self._hour:
            if k == self._hour + 1:
                self._g0, self._sums0 = self._g1, self._sums1
            else:
                self._g0, self._sums0 = self._gains_for_hour(k)
            self._g1, self._sums1 = self._gains_for_hour(k + 1)
            self._hour = k
            self._rows_dt = -1.0
        if dt != self._rows_dt:
            self._rows_cache = self._rows(dt)
            self._rows_dt = dt
        hours = w.hours
        temps_out = w.temperature_c
        a = temps_out[k % hours]
        t_out = a + (temps_out[(k + 1) % hours] - a) * frac
        ghis = w.ghi_w_m2
        a = ghis[k % hours]
        ghi = a + (ghis[(k + 1) % hours] - a) * frac
        t_gnd = self.ground_temperature

        self._count_commands()
        hvac = self._q
        hvac[:] = self._zeros
        for unit in self._ducted_list:
            unit.step(dt, hvac, t_out, ghi, t_gnd)
        for ms in self._minisplit_list:
            ms.step(dt, hvac, t_out)

        temps = self._t
        state = [*temps, *hvac, t_out, t_gnd, 1.0, frac]
        temps[:] = [sumprod(row, state) for row in self._rows_cache]

        bal = self.truth.balance
        bal.hvac_j += sum(hvac) * dt
        i0, s0 = self._sums0
        i1, s1 = self._sums1
        bal.internal_gains_j += (i0 + (i1 - i0) * frac) * dt
        bal.solar_gains_j += (s0 + (s1 - s0) * frac) * dt
        bal.loss_outdoor_j += (sumprod(self._g_out, temps) - self._g_out_sum * t_out) * dt
        if self._g_gnd_sum:
            bal.loss_ground_j += (sumprod(self._g_gnd, temps) - self._g_gnd_sum * t_gnd) * dt
        self.time += dt
        self.truth.simulated_s += dt
        if self.time >= self._next_sample - 1e-6:
            self._sample()

    def _count_commands(self) -> None:
        """One command per device told something new since the last step."""
        commands = self.truth.commands
        for key, device in self._commandable:
            if device.commanded:
                device.commanded = False
                commands[key] = commands.get(key, 0) + 1

    def _sample(self) -> None:
        truth = self.truth
        truth.trace_times.append(self.time)
        for rt, temp in zip(self._room_truths, self._t, strict=False):
            rt.temperature_trace.append(temp)
        interval = truth.trace_interval_s
        while self._next_sample <= self.time + 1e-6:
            self._next_sample += interval

    def run(
        self,
        duration_s: float,
        dt_s: float = 60.0,
        on_step: Callable[[House], None] | None = None,
    ) -> None:
        """Step for ``duration_s`` seconds; ``on_step(house)`` runs before each step
        (that is where a controller under test reads sensors and sends commands)."""
        steps = round(duration_s / dt_s)
        step = self.step
        if on_step is None:
            for _ in range(steps):
                step(dt_s)
        else:
            for _ in range(steps):
                on_step(self)
                step(dt_s)

    def room_temperatures(self) -> dict[str, float]:
        """Current air temperature of every room, °C."""
        return {rid: self._t[r.index] for rid, r in self.rooms.items()}

    def set_all(self, ids: Iterable[str], mode: str, setpoint: float) -> None:
        """Convenience: command several heads/ducted units at once."""
        for sid in ids:
            unit = self.heads.get(sid) or self.ducted[sid]
            unit.set_mode(mode)
            unit.set_setpoint(setpoint)
