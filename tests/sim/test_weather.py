"""Weather: seeded synthesis, CSV loading, shoulder-season behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import Site, build_demo_house, load_weather_csv, synthetic_weather
from sim.weather import sun_position, window_irradiance


def test_seeded_weather_is_deterministic() -> None:
    a = synthetic_weather("winter", 5, seed=42)
    b = synthetic_weather("winter", 5, seed=42)
    c = synthetic_weather("winter", 5, seed=43)
    assert a == b
    assert a.temperature_c != c.temperature_c
    assert a.hours == 120


@pytest.mark.parametrize(
    ("season", "low", "high"),
    [("winter", -25.0, 18.0), ("summer", 10.0, 42.0), ("shoulder", -8.0, 30.0)],
)
def test_seasons_are_plausible(season: str, low: float, high: float) -> None:
    w = synthetic_weather(season, 14, seed=1)  # type: ignore[arg-type]
    assert low < min(w.temperature_c) and max(w.temperature_c) < high
    assert max(w.ghi_w_m2) > 300.0
    assert min(w.ghi_w_m2) == 0.0  # nights


def test_year_weather_has_seasons() -> None:
    w = synthetic_weather("year", 365, seed=0)
    jan = sum(w.temperature_c[: 31 * 24]) / (31 * 24)
    jul = sum(w.temperature_c[181 * 24 : 212 * 24]) / (31 * 24)
    assert jul - jan > 18.0


def test_sun_is_south_at_solar_noon_and_up_in_summer() -> None:
    site = Site(latitude_deg=40.0, longitude_deg=0.0, utc_offset_h=0.0)
    noon_june = 1750161600.0  # 2025-06-17 12:00 UTC
    cos_z, az = sun_position(noon_june, site)
    assert cos_z > 0.9
    assert az == pytest.approx(3.14159, abs=0.05)
    south, north = window_irradiance(noon_june - 6 * 3600 + 3 * 3600, 700.0, site, (180.0, 0.0))
    assert south > north


def test_load_weather_csv(tmp_path: Path) -> None:
    path = tmp_path / "weather.csv"
    path.write_text(
        "# hourly weather\n"
        "time,temperature_c,ghi_w_m2,relative_humidity\n"
        "2025-01-15T00:00:00-05:00,-3.0,0,80\n"
        "2025-01-15T01:00:00-05:00,-4.0,0,82\n"
        "2025-01-15T02:00:00-05:00,-5.0,0,85\n",
        encoding="utf-8",
    )
    w = load_weather_csv(path)
    assert w.hours == 3
    assert w.temperature_c == (-3.0, -4.0, -5.0)
    assert w.temperature_at(w.start + 1800.0) == pytest.approx(-3.5)
    assert w.humidity_at(w.start) == pytest.approx(80.0)
    house = build_demo_house(weather=w)
    house.run(2 * 3600.0, 60.0)
    assert house.outdoor_temperature == pytest.approx(-5.0)
    assert house.outdoor_humidity == pytest.approx(85.0)


def test_load_weather_csv_posix_and_fahrenheit(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("time,temperature_f\n0,32\n3600,50\n", encoding="utf-8")
    w = load_weather_csv(path)
    assert w.start == 0.0
    assert w.temperature_c == pytest.approx((0.0, 10.0))
    assert w.ghi_w_m2 == (0.0, 0.0)
    assert w.relative_humidity is None


def test_load_weather_csv_rejects_gaps(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("time,temperature_c\n0,1\n7200,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="hourly"):
        load_weather_csv(path)


def test_shoulder_day_heats_some_rooms_and_cools_others() -> None:
    """Free-floating demo house on a shoulder day: some rooms want cooling while
    others want heat on the same day (sunny south rooms vs the cold north room)."""
    days = 3
    house = build_demo_house(weather=synthetic_weather("shoulder", days, seed=0))
    house.run(days * 86400.0, 300.0)
    traces = {rid: r.temperature_trace for rid, r in house.truth.rooms.items()}
    per_day = 288
    found = False
    for d in range(days):
        day = {rid: t[d * per_day : (d + 1) * per_day] for rid, t in traces.items()}
        hot = {rid for rid, t in day.items() if max(t) > 24.0}
        cold = {rid for rid, t in day.items() if min(t) < 20.0}
        if hot and cold and hot != cold:
            found = True
    assert found
