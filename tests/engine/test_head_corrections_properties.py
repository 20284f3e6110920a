"""`heads.HeadCorrections` over random sequences: bounded, and never pushed the wrong way.

Garbage-free but hostile inputs: time that jumps back or stalls, sensor offsets beyond the
limit, errors of any sign, heads that report running, idle or nothing, every setpoint step.
"""

from __future__ import annotations

import os

from hypothesis import given, settings, strategies as st

from engine.control.heads import CORRECTION_DEAD_STEPS, HeadCorrections
from engine.model import Mode

LIMIT = 3.0
TOLERANCE = 0.5
STEPS = st.sampled_from([0.0, 0.1, 0.5, 1.0, 5.0 / 9.0])
UPDATE = st.tuples(
    st.floats(-600.0, 3600.0),  # time moved (back too)
    st.sampled_from([Mode.HEAT, Mode.COOL, None]),
    st.floats(-4.0, 4.0),  # target - room
    st.floats(-5.0, 5.0),  # the head's reading minus the room's
    st.booleans(),  # that divided by 20, from the correction (so the offset is near it)
    st.sampled_from([True, False, None]),  # delivering
    STEPS,
)


@settings(max_examples=int(os.environ.get("HPZ_EXAMPLES", "300")), deadline=None)
@given(
    stored=st.dictionaries(
        st.sampled_from(["z:heat", "z:cool"]), st.floats(-10.0, 10.0), max_size=2
    ),
    updates=st.lists(UPDATE, max_size=60),
)
def test_corrections_stay_bounded_and_move_only_towards_the_room(
    stored: dict[str, float],
    updates: list[tuple[float, Mode | None, float, float, bool, bool | None, float]],
) -> None:
    """Every correction stays within +-limit. A room past the target by more than a tolerance
    never gets more output; there, a head that says it idles is left alone, and one that does
    not say is let back at most to its offset. An error within half the head's step moves
    nothing."""
    corrections = HeadCorrections(LIMIT, stored)
    now = 0.0
    for moved, mode, error, drawn, near, delivering, step in updates:
        now += moved
        before = corrections.learnt("z", mode) if mode is not None else None
        offset = (before or 0.0) + drawn / 20.0 if near else drawn
        corrections.update(
            "z",
            mode,
            error,
            now,
            offset=offset,
            tolerance=TOLERANCE,
            delivering=delivering,
            step=step,
        )
        for value in corrections.stored().values():
            assert -LIMIT - 0.05 <= value <= LIMIT + 0.05
        if mode is None or before is None:
            continue
        after = corrections.learnt("z", mode)
        assert after is not None
        sign = 1.0 if mode is Mode.HEAT else -1.0
        need = sign * error
        if abs(error) <= step * CORRECTION_DEAD_STEPS:
            assert after == before
        if need < -TOLERANCE:
            assert sign * (after - before) <= 1e-12  # never more output
            if delivering is False:
                assert after == before
            elif delivering is None:  # not beyond its offset, unless it was already
                push_before = sign * (before - offset)
                assert sign * (after - offset) >= min(push_before, 0.0) - 1e-9
