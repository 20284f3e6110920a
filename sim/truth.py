"""Ground-truth accumulators: what really happened in the simulated house.

Energies are in joules (``*_j``), times in seconds (``*_s``). Use :func:`kwh` to convert.
Heat is split in two non-negative accumulators per room: ``heat_j`` (heat added by
equipment) and ``cool_j`` (heat removed by equipment, sensible only).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from sim.units import J_PER_KWH


def kwh(joules: float) -> float:
    """Joules to kWh."""
    return joules / J_PER_KWH


@dataclass(slots=True)
class RoomTruth:
    """Per room: equipment heat actually delivered and the sampled temperature trace."""

    heat_j: float = 0.0
    cool_j: float = 0.0
    temperature_trace: array[float] = field(default_factory=lambda: array("d"))

    @property
    def net_heat_j(self) -> float:
        """Heat minus cooling delivered, J."""
        return self.heat_j - self.cool_j


@dataclass(slots=True)
class CycleTruth:
    """Compressor cycling: starts, completed run lengths, short cycles."""

    starts: int = 0
    run_lengths_s: list[float] = field(default_factory=list)
    short_cycles: int = 0
    runtime_s: float = 0.0

    def record_stop(self, run_s: float, short_cycle_s: float) -> None:
        """Close a run of ``run_s`` seconds."""
        self.run_lengths_s.append(run_s)
        if run_s < short_cycle_s:
            self.short_cycles += 1


@dataclass(slots=True)
class DuctedTruth:
    """A ducted unit. ``output_j`` is the coil's sensible output magnitude; of it,
    ``duct_loss_j`` was lost outside the conditioned space (attic/crawlspace) and
    ``duct_loss_conditioned_j`` leaked or conducted into the house."""

    electrical_j: float = 0.0
    compressor_j: float = 0.0
    blower_j: float = 0.0
    heat_output_j: float = 0.0
    cool_output_j: float = 0.0
    delivered_heat_j: float = 0.0
    delivered_cool_j: float = 0.0
    duct_loss_j: float = 0.0
    duct_loss_conditioned_j: float = 0.0
    defrost_s: float = 0.0
    low_airflow_s: float = 0.0
    no_airflow_s: float = 0.0
    cycles: CycleTruth = field(default_factory=CycleTruth)


@dataclass(slots=True)
class HeadTruth:
    """A mini-split head."""

    heat_j: float = 0.0
    cool_j: float = 0.0
    runtime_s: float = 0.0
    mode_conflict_s: float = 0.0  # commanded opposite to the outdoor unit's mode
    mode_conflict_calling_s: float = 0.0  # ... while its thermostat wanted to run


@dataclass(slots=True)
class MiniSplitTruth:
    """A multi-zone outdoor unit."""

    electrical_j: float = 0.0
    compressor_j: float = 0.0
    fans_j: float = 0.0
    heat_output_j: float = 0.0
    cool_output_j: float = 0.0
    defrost_s: float = 0.0
    below_minimum_s: float = 0.0  # running at the outdoor minimum above the request
    mode_conflict_s: float = 0.0  # sum over heads
    cycles: CycleTruth = field(default_factory=CycleTruth)


@dataclass(slots=True)
class EnergyBalance:
    """House-wide heat flows (J), for checking conservation."""

    hvac_j: float = 0.0  # net equipment heat into rooms (heating +, cooling -)
    internal_gains_j: float = 0.0
    solar_gains_j: float = 0.0
    loss_outdoor_j: float = 0.0  # to outdoor air through UA (positive = lost)
    loss_ground_j: float = 0.0


@dataclass(slots=True)
class Truth:
    """All ground truth of one :class:`sim.house.House` run."""

    rooms: dict[str, RoomTruth]
    ducted: dict[str, DuctedTruth]
    heads: dict[str, HeadTruth]
    minisplits: dict[str, MiniSplitTruth]
    balance: EnergyBalance = field(default_factory=EnergyBalance)
    trace_interval_s: float = 300.0
    trace_times: array[float] = field(default_factory=lambda: array("d"))
    simulated_s: float = 0.0
    # Commands each device received that changed what it was told (its mode, setpoint or
    # position), those between two steps counted as one: what a beep, a vent motor's run
    # or a cloud call costs. Keys: "thermostat:<system>", "head:<id>", "damper:<id>".
    commands: dict[str, int] = field(default_factory=dict)

    @property
    def mode_conflict_s(self) -> float:
        """Mode-conflict seconds summed over all heads."""
        return sum(h.mode_conflict_s for h in self.heads.values())

    def electrical_j(self, system_id: str) -> float:
        """Electrical energy of a ducted unit or mini-split, J."""
        if system_id in self.ducted:
            return self.ducted[system_id].electrical_j
        return self.minisplits[system_id].electrical_j

    def summary(self) -> dict[str, object]:
        """A compact, JSON-friendly summary (kWh, hours, counts)."""
        return {
            "simulated_h": self.simulated_s / 3600.0,
            "rooms": {
                rid: {"heat_kwh": kwh(r.heat_j), "cool_kwh": kwh(r.cool_j)}
                for rid, r in self.rooms.items()
            },
            "ducted": {
                sid: {
                    "electrical_kwh": kwh(d.electrical_j),
                    "heat_output_kwh": kwh(d.heat_output_j),
                    "cool_output_kwh": kwh(d.cool_output_j),
                    "duct_loss_kwh": kwh(d.duct_loss_j),
                    "duct_loss_conditioned_kwh": kwh(d.duct_loss_conditioned_j),
                    "starts": d.cycles.starts,
                    "short_cycles": d.cycles.short_cycles,
                    "runtime_h": d.cycles.runtime_s / 3600.0,
                    "low_airflow_min": d.low_airflow_s / 60.0,
                    "defrost_min": d.defrost_s / 60.0,
                }
                for sid, d in self.ducted.items()
            },
            "minisplits": {
                sid: {
                    "electrical_kwh": kwh(m.electrical_j),
                    "heat_output_kwh": kwh(m.heat_output_j),
                    "cool_output_kwh": kwh(m.cool_output_j),
                    "starts": m.cycles.starts,
                    "short_cycles": m.cycles.short_cycles,
                    "runtime_h": m.cycles.runtime_s / 3600.0,
                    "mode_conflict_min": m.mode_conflict_s / 60.0,
                    "below_minimum_min": m.below_minimum_s / 60.0,
                }
                for sid, m in self.minisplits.items()
            },
        }
