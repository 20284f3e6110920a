"""What counts as a number in a reading (`engine.numbers`)."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, strategies as st
import pytest

from engine.numbers import number_within, positive


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (21.5, 21.5),
        ("21.5", 21.5),
        (3, 3.0),
        (-40, -40.0),
        (60, 60.0),
        (60.01, None),
        ("unknown", None),
        ("unavailable", None),
        ("", None),
        (None, None),
        (True, None),
        (float("nan"), None),
        ("inf", None),
        ([21.5], None),
    ],
)
def test_number_within(value: Any, expected: float | None) -> None:
    assert number_within(value, -40.0, 60.0) == expected


def test_positive_falls_back() -> None:
    assert positive("2.5", 1.0) == 2.5
    assert positive(0, 1.0) == 1.0
    assert positive(-3, 1.0) == 1.0
    assert positive("nan", 7.0) == 7.0
    assert positive(None, 7.0) == 7.0


@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(),
        st.text(max_size=8),
        st.booleans(),
        st.none(),
    ),
    st.floats(-1e6, 1e6),
    st.floats(0.0, 1e6),
)
def test_a_number_is_finite_and_in_range_or_none(value: Any, low: float, span: float) -> None:
    high = low + span
    number = number_within(value, low, high)
    assert number is None or (math.isfinite(number) and low <= number <= high)
    if isinstance(value, float) and math.isfinite(value) and low <= value <= high:
        assert number == value
