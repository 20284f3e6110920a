"""A synthetic room for the room model's tests: a 1R1C room, heated at a fixed rate while it
calls, between a setback and a comfort target, in weather that swings every day."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
import math

from engine.ledger.samples import SystemSample, ZoneSample
from engine.model import Mode

START = 1_750_000_000.0


@dataclass(frozen=True, slots=True)
class Room:
    """``dT/dt = gains + loss * (outdoor - T) + power`` (K/h) while heating."""

    gains: float = 0.4
    loss: float = 0.06
    power: float = 3.0

    def heat_line(self) -> tuple[float, float]:
        """(intercept, slope) of the true heating line."""
        return self.gains + self.power, self.loss

    def recovery_hours(self, start: float, target: float, outdoor: float) -> float:
        """The true time from ``start`` to ``target`` while heating."""
        equilibrium = outdoor + (self.gains + self.power) / self.loss
        return math.log((equilibrium - start) / (equilibrium - target)) / self.loss

    def drift_hours(self, start: float, edge: float, outdoor: float) -> float | None:
        """The true time from ``start`` to ``edge`` with the heating off (None: never)."""
        equilibrium = outdoor + self.gains / self.loss
        if (equilibrium - edge) * (edge - start) <= 0.0:
            return None
        return math.log((equilibrium - start) / (equilibrium - edge)) / self.loss


def outdoor_at(t: float) -> float:
    """Weather from -8 to +12 °C with a daily swing and a slower one over days."""
    day = (t - START) / 86400.0
    return 2.0 + 6.0 * math.sin(2 * math.pi * day) + 4.0 * math.sin(2 * math.pi * day / 5.0)


def run_room(
    room: Room, days: float, *, step: float = 60.0, zone: str = "a", decimals: int = 2
) -> Iterator[tuple[float, SystemSample]]:
    """Samples of one zone, heated (calling, conditioned) when 0.5 K below its target until
    0.25 K above, the target 21 °C from 6 to 22 h and 17 °C otherwise (a daily recovery)."""
    t, temperature, heating = START, 19.0, False
    for _ in range(round(days * 86400.0 / step)):
        hour = (t - START) / 3600.0 % 24.0
        target = 21.0 if 6.0 <= hour < 22.0 else 17.0
        if temperature < target - 0.5:
            heating = True
        elif temperature > target + 0.25:
            heating = False
        outdoor = outdoor_at(t)
        sample = SystemSample(
            running=heating,
            mode=Mode.HEAT if heating else None,
            zones={
                zone: ZoneSample(
                    calling=Mode.HEAT if heating else None,
                    conditioned=heating,
                    temperature=round(temperature, decimals),
                )
            },
            outdoor_temperature=round(outdoor, 1),
        )
        yield t, sample
        rate = room.gains + room.loss * (outdoor - temperature) + (room.power if heating else 0)
        temperature += rate * step / 3600.0
        t += step
