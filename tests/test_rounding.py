"""ROUND as Excel does it: the 15 digits shown, half away from zero (not banker's, not binary)."""
from __future__ import annotations

import numpy as np
import pytest

from xlperf.rounding import excel_round


@pytest.mark.parametrize("value,digits,expected", [
    (1.005, 2, 1.01), (2.675, 2, 2.68), (0.285, 2, 0.29), (-1.005, 2, -1.01), (87.125, 2, 87.13),
    (-2.5, 0, -3.0), (0.5, 0, 1.0), (1234.5678, -2, 1200.0), (8.594999999999999, 2, 8.6),
    (1.0000000000000002, 4, 1.0), (0.0, 2, 0.0), (123456789.125, 2, 123456789.13)])
def test_like_excel(value: float, digits: int, expected: float) -> None:
    assert excel_round(value, digits) == expected
    assert excel_round(np.array([value]), digits)[0] == expected


def test_blank_stays_blank() -> None:
    assert np.isnan(excel_round(np.array([np.nan, 1.5]), 0)).tolist() == [True, False]
