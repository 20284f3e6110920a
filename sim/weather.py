"""Outdoor weather: hourly temperature and sun, synthetic (seeded) or loaded from CSV.

A :class:`Weather` holds evenly spaced hourly samples. Values are treated as
instantaneous at their timestamps and interpolated linearly in between; past the
last sample the series wraps around (so a one-year file can drive a longer run).

Solar geometry (declination, hour angle, azimuth) follows Duffie & Beckman,
*Solar Engineering of Thermal Processes*, ch. 1; the equation of time is ignored
(≤ 16 min error).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
import itertools
import math
from pathlib import Path
import random
from typing import Literal

from sim.units import SECONDS_PER_DAY, SECONDS_PER_HOUR, f_to_c

Season = Literal["winter", "summer", "shoulder", "year"]

# Solar constant, W/m² (Duffie & Beckman 4th ed., eq. 1.4.1 uses 1367 W/m²).
SOLAR_CONSTANT_W_M2 = 1367.0
# Ground reflectance for reflected irradiance on vertical windows (common default 0.2,
# Duffie & Beckman §2.16; not in DOMAIN.md).
GROUND_ALBEDO = 0.2
# Below this cos(zenith) the sun is treated as set (avoids DNI blow-up at sunrise).
MIN_COS_ZENITH = 0.02


@dataclass(frozen=True, slots=True)
class Site:
    """Where the house stands. ``utc_offset_h`` is local standard time (schedules)."""

    latitude_deg: float = 40.0  # mid-Atlantic US, e.g. Philadelphia ≈ 39.9 °N
    longitude_deg: float = -75.2  # east positive
    utc_offset_h: float = -5.0


@dataclass(frozen=True, slots=True)
class Weather:
    """Hourly weather samples starting at ``start`` (POSIX seconds).

    ``temperature_c`` and ``ghi_w_m2`` (global horizontal irradiance) have equal length;
    ``relative_humidity`` is outdoor RH in percent, optional.
    """

    start: float
    temperature_c: tuple[float, ...]
    ghi_w_m2: tuple[float, ...]
    relative_humidity: tuple[float, ...] | None = None
    site: Site = field(default_factory=Site)

    def __post_init__(self) -> None:
        if len(self.temperature_c) < 2:
            raise ValueError("weather needs at least two hourly samples")
        if len(self.ghi_w_m2) != len(self.temperature_c):
            raise ValueError("ghi_w_m2 and temperature_c differ in length")
        if self.relative_humidity is not None and len(self.relative_humidity) != len(
            self.temperature_c
        ):
            raise ValueError("relative_humidity and temperature_c differ in length")

    @property
    def hours(self) -> int:
        """Number of hourly samples."""
        return len(self.temperature_c)

    @property
    def end(self) -> float:
        """POSIX time of the last sample."""
        return self.start + (self.hours - 1) * SECONDS_PER_HOUR

    def index_of(self, t: float) -> tuple[int, float]:
        """(hour index, fraction into the hour), wrapping past the end."""
        x = (t - self.start) / SECONDS_PER_HOUR
        i = math.floor(x)
        return i % self.hours, x - i

    def sample_time(self, index: int) -> float:
        """POSIX time of sample ``index`` (no wrapping)."""
        return self.start + index * SECONDS_PER_HOUR

    def temperature_at(self, t: float) -> float:
        """Outdoor temperature (°C) at POSIX time ``t``."""
        i, frac = self.index_of(t)
        a = self.temperature_c[i]
        b = self.temperature_c[(i + 1) % self.hours]
        return a + (b - a) * frac

    def ghi_at(self, t: float) -> float:
        """Global horizontal irradiance (W/m²) at POSIX time ``t``."""
        i, frac = self.index_of(t)
        a = self.ghi_w_m2[i]
        b = self.ghi_w_m2[(i + 1) % self.hours]
        return a + (b - a) * frac

    def humidity_at(self, t: float) -> float | None:
        """Outdoor relative humidity (%) at ``t``, or None when not given."""
        if self.relative_humidity is None:
            return None
        i, frac = self.index_of(t)
        a = self.relative_humidity[i]
        b = self.relative_humidity[(i + 1) % self.hours]
        return a + (b - a) * frac


# --- solar geometry -------------------------------------------------------------------


def _day_of_year(t: float) -> int:
    return datetime.fromtimestamp(t, UTC).timetuple().tm_yday


def sun_position(t: float, site: Site) -> tuple[float, float]:
    """(cos zenith, compass azimuth in radians: N=0, E=π/2, S=π) at POSIX time ``t``."""
    n = _day_of_year(t)
    # Declination, Cooper (1969) (Duffie & Beckman eq. 1.6.1a).
    decl = math.radians(23.45) * math.sin(2.0 * math.pi * (284 + n) / 365.0)
    lat = math.radians(site.latitude_deg)
    utc_hours = (t % SECONDS_PER_DAY) / SECONDS_PER_HOUR
    solar_time = utc_hours + site.longitude_deg / 15.0
    omega = math.radians(15.0 * (solar_time - 12.0))
    cos_z = math.sin(lat) * math.sin(decl) + math.cos(lat) * math.cos(decl) * math.cos(omega)
    # Azimuth from south, positive west (Duffie & Beckman eq. 1.6.6 in atan2 form).
    az_south = math.atan2(
        math.sin(omega), math.cos(omega) * math.sin(lat) - math.tan(decl) * math.cos(lat)
    )
    return cos_z, az_south + math.pi


def extraterrestrial_horizontal(t: float, cos_zenith: float) -> float:
    """Extraterrestrial irradiance on a horizontal plane, W/m² (Duffie & Beckman 1.4.1b)."""
    if cos_zenith <= 0.0:
        return 0.0
    n = _day_of_year(t)
    return SOLAR_CONSTANT_W_M2 * (1.0 + 0.033 * math.cos(2.0 * math.pi * n / 365.0)) * cos_zenith


def diffuse_fraction_erbs(kt: float) -> float:
    """Diffuse share of GHI from the clearness index (Erbs, Klein & Duffie 1982)."""
    if kt <= 0.22:
        return 1.0 - 0.09 * kt
    if kt <= 0.80:
        return 0.9511 - 0.1604 * kt + 4.388 * kt**2 - 16.638 * kt**3 + 12.336 * kt**4
    return 0.165


def window_irradiance(
    t: float, ghi: float, site: Site, azimuths_deg: tuple[float | None, ...]
) -> list[float]:
    """Irradiance (W/m²) on surfaces at POSIX time ``t``.

    Each azimuth is a vertical surface's compass facing in degrees (N=0, E=90, S=180,
    W=270), or None for a horizontal surface (skylight). Isotropic sky model:
    beam·cos(incidence) + diffuse·(1+cos β)/2 + albedo·GHI·(1-cos β)/2.
    """
    if ghi <= 0.0:
        return [0.0] * len(azimuths_deg)
    cos_z, az_sun = sun_position(t, site)
    if cos_z < MIN_COS_ZENITH:
        # Sun at or below the horizon but GHI reported: all diffuse.
        return [ghi if a is None else 0.5 * ghi * (1.0 + GROUND_ALBEDO) for a in azimuths_deg]
    h0 = extraterrestrial_horizontal(t, cos_z)
    kt = min(ghi / h0, 1.0) if h0 > 0.0 else 0.0
    dhi = ghi * diffuse_fraction_erbs(kt)
    dni = (ghi - dhi) / cos_z
    sin_z = math.sqrt(max(0.0, 1.0 - cos_z * cos_z))
    out: list[float] = []
    for a in azimuths_deg:
        if a is None:
            out.append(ghi)
            continue
        cos_inc = sin_z * math.cos(az_sun - math.radians(a))
        out.append(dni * max(cos_inc, 0.0) + 0.5 * dhi + 0.5 * GROUND_ALBEDO * ghi)
    return out


def clear_sky_ghi(cos_zenith: float) -> float:
    """Clear-sky GHI, W/m² (Haurwitz 1945: 1098·cos z·exp(-0.057/cos z))."""
    if cos_zenith <= MIN_COS_ZENITH:
        return 0.0
    return 1098.0 * cos_zenith * math.exp(-0.057 / cos_zenith)


# --- synthetic weather ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeasonClimate:
    """Statistics of a synthetic season (daily values)."""

    mean_c: float  # mean daily temperature
    daily_range_c: float  # max - min on a clear day
    day_to_day_sd_c: float  # standard deviation of the daily-mean anomaly
    clear_probability: float  # share of mostly clear days
    start_day_of_year: int  # first day (sets sun angles)
    relative_humidity: float  # mean outdoor RH, %
    annual_amplitude_c: float = 0.0  # for "year": half the Jan-to-Jul swing


# Illustrative mid-Atlantic US climate, roughly NOAA 1991-2020 normals for Philadelphia
# (January mean ≈ 1 °C, April ≈ 13 °C, July ≈ 26 °C; approximate, not in DOMAIN.md).
# Shoulder days are mostly clear with a wide daily swing: cool mornings, sunny afternoons.
SEASONS: dict[str, SeasonClimate] = {
    "winter": SeasonClimate(0.0, 9.0, 4.0, 0.45, 15, 65.0),
    "summer": SeasonClimate(26.0, 10.0, 2.0, 0.6, 196, 65.0),
    "shoulder": SeasonClimate(10.0, 14.0, 2.5, 0.7, 100, 55.0),
    "year": SeasonClimate(13.0, 10.0, 3.0, 0.5, 1, 65.0, annual_amplitude_c=13.0),
}
# Day of year of the coldest daily mean in the "year" climate (late January).
COLDEST_DAY_OF_YEAR = 20
# Kasten & Czeplak (1980): GHI = clear-sky · (1 - 0.75·N^3.4), N = cloud cover 0..1.
KASTEN_A = 0.75
KASTEN_B = 3.4
# Day-to-day persistence of the temperature anomaly (AR(1) coefficient; assumption).
ANOMALY_PERSISTENCE = 0.7


def _diurnal_shape(hour: float) -> float:
    """-1 at 06:00, +1 at 15:00, a cosine on each leg (typical diurnal cycle shape)."""
    h = hour % 24.0
    if 6.0 <= h < 15.0:
        return -math.cos(math.pi * (h - 6.0) / 9.0)
    since_max = (h - 15.0) % 24.0  # 0..15 h from 15:00 to 06:00
    return math.cos(math.pi * since_max / 15.0)


def season_start(season: Season, year: int = 2025, site: Site | None = None) -> float:
    """POSIX time of local midnight on the season's first day."""
    site = site or Site()
    tz = timezone(timedelta(hours=site.utc_offset_h))
    day = datetime(year, 1, 1, tzinfo=tz) + timedelta(days=SEASONS[season].start_day_of_year - 1)
    return day.timestamp()


def synthetic_weather(
    season: Season,
    days: int,
    seed: int = 0,
    *,
    start: float | None = None,
    site: Site | None = None,
) -> Weather:
    """Seeded hourly weather for a season ("winter", "summer", "shoulder", "year").

    Deterministic for a given (season, days, seed, start, site). Each day draws a
    temperature anomaly (AR(1)) and a cloud cover; clear days swing more.
    """
    if days < 1:
        raise ValueError("days must be >= 1")
    site = site or Site()
    climate = SEASONS[season]
    t0 = season_start(season, site=site) if start is None else start
    rng = random.Random(f"{season}:{seed}")
    anomaly = 0.0
    innovation_sd = climate.day_to_day_sd_c * math.sqrt(1.0 - ANOMALY_PERSISTENCE**2)
    day_means: list[float] = []
    clouds: list[float] = []
    for d in range(days + 1):
        anomaly = ANOMALY_PERSISTENCE * anomaly + rng.gauss(0.0, innovation_sd)
        mean = climate.mean_c
        if climate.annual_amplitude_c:
            doy = (climate.start_day_of_year - 1 + d) % 365 + 1
            mean -= climate.annual_amplitude_c * math.cos(
                2.0 * math.pi * (doy - COLDEST_DAY_OF_YEAR) / 365.0
            )
        day_means.append(mean + anomaly)
        clear = rng.random() < climate.clear_probability
        clouds.append(rng.uniform(0.0, 0.3) if clear else rng.uniform(0.4, 1.0))
    temps: list[float] = []
    ghis: list[float] = []
    rhs: list[float] = []
    for h in range(days * 24):
        t = t0 + h * SECONDS_PER_HOUR
        d, hour = divmod(h, 24)
        # Daily mean interpolated noon to noon to avoid steps at midnight.
        if hour < 12:
            prev = day_means[d - 1] if d > 0 else day_means[0]
            mean = prev + (day_means[d] - prev) * (hour + 12) / 24.0
        else:
            mean = day_means[d] + (day_means[d + 1] - day_means[d]) * (hour - 12) / 24.0
        cloud = clouds[d]
        swing = climate.daily_range_c * (1.0 - 0.5 * cloud)
        temps.append(round(mean + 0.5 * swing * _diurnal_shape(hour), 3))
        cos_z, _ = sun_position(t, site)
        ghis.append(round(clear_sky_ghi(cos_z) * (1.0 - KASTEN_A * cloud**KASTEN_B), 2))
        rhs.append(round(min(100.0, climate.relative_humidity + 25.0 * cloud), 1))
    return Weather(t0, tuple(temps), tuple(ghis), tuple(rhs), site)


def constant_weather(
    temperature_c: float,
    hours: int = 48,
    *,
    ghi_w_m2: float = 0.0,
    start: float | None = None,
    site: Site | None = None,
) -> Weather:
    """Constant outdoor conditions; handy for tests."""
    site = site or Site()
    t0 = season_start("winter", site=site) if start is None else start
    return Weather(t0, (temperature_c,) * hours, (ghi_w_m2,) * hours, None, site)


# --- CSV ------------------------------------------------------------------------------


def _parse_time(text: str, site: Site) -> float:
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone(timedelta(hours=site.utc_offset_h)))
    return dt.timestamp()


def load_weather_csv(path: str | Path, site: Site | None = None) -> Weather:
    """Load hourly weather from a CSV file (format documented in sim/README.md).

    Columns (header required, order free, ``#`` lines ignored): ``time`` (ISO 8601,
    naive times are local standard time of ``site``; or POSIX seconds), one of
    ``temperature_c`` / ``temperature_f``, optional ``ghi_w_m2`` (default 0) and optional
    ``relative_humidity`` (%). Rows must be consecutive hours.
    """
    site = site or Site()
    with Path(path).open(newline="", encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    fields = set(reader.fieldnames or ())
    if "time" not in fields:
        raise ValueError("weather CSV needs a 'time' column")
    if not fields & {"temperature_c", "temperature_f"}:
        raise ValueError("weather CSV needs 'temperature_c' or 'temperature_f'")
    times: list[float] = []
    temps: list[float] = []
    ghis: list[float] = []
    rhs: list[float] = []
    has_rh = "relative_humidity" in fields
    for row in reader:
        times.append(_parse_time(row["time"], site))
        if row.get("temperature_c") not in (None, ""):
            temps.append(float(row["temperature_c"]))
        else:
            temps.append(f_to_c(float(row["temperature_f"])))
        ghis.append(max(0.0, float(row.get("ghi_w_m2") or 0.0)))
        if has_rh:
            rhs.append(float(row["relative_humidity"]))
    for a, b in itertools.pairwise(times):
        if abs(b - a - SECONDS_PER_HOUR) > 1.0:
            raise ValueError(f"weather CSV rows must be hourly; gap at {a} -> {b}")
    return Weather(times[0], tuple(temps), tuple(ghis), tuple(rhs) if has_rh else None, site)
