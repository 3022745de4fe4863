"""Amounts of money typed into a workbook: whole cents or refused, the same test in Python and in
the cell.

A typed 1234.56 is stored as the nearest binary number, so "whole cents" means x·100 lies within a
millionth of an integer — never an exact comparison, which engines would answer differently.
"""
from __future__ import annotations

import numpy as np

from .rounding import excel_round

CENT_TOLERANCE = 0.000001


def whole_cents(values: np.ndarray) -> np.ndarray:
    """True where the amount is whole cents (NaN is not)."""
    with np.errstate(invalid="ignore"):
        return np.abs(values * 100 - excel_round(values * 100, 0)) <= CENT_TOLERANCE


def whole_cents_formula(cell: str) -> str:
    return f"ABS({cell}*100-ROUND({cell}*100,0))<={CENT_TOLERANCE:.6f}"


def same_cents(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two amounts equal to the cent (a pool and what was paid out of it)."""
    return excel_round(np.asarray(a, float) * 100, 0) == excel_round(np.asarray(b, float) * 100, 0)


def same_cents_formula(a: str, b: str) -> str:
    return f"ROUND({a}*100,0)=ROUND({b}*100,0)"
