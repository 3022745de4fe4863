"""Excel's ROUND, vectorized.

Excel rounds the decimal number a cell shows (15 significant digits), half away from zero, so
``ROUND(1.005, 2)`` is 1.01 although the binary double of 1.005 lies just below it. numpy's
``round`` is banker's rounding on the binary value and gives 1.0. The reference computations
use :func:`excel_round` wherever a formula uses ROUND, so both agree to the last digit.
"""
from __future__ import annotations

import numpy as np

SIGNIFICANT_DIGITS = 15


def _to_significant(values: np.ndarray, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """Round each finite value to ``digits`` significant decimal digits (the number Excel shows)."""
    out = values.copy()
    finite = np.isfinite(values) & (values != 0)
    if not finite.any():
        return out
    exponents = np.floor(np.log10(np.abs(values[finite]))).astype(np.int64)
    idx = np.flatnonzero(finite)
    # Few distinct exponents occur in one column, so this loop is over exponents, not cells.
    for exponent in np.unique(exponents):
        sel = idx[exponents == exponent]
        out[sel] = np.round(values[sel], int(digits - 1 - exponent))
    return out


def excel_round(values: np.ndarray | float, digits: int = 0) -> np.ndarray:
    """ROUND(values, digits) as Excel computes it; NaN stays NaN (a blank stays blank)."""
    arr = np.atleast_1d(np.asarray(values, dtype=np.float64))
    scaled = _to_significant(arr * 10.0**digits)
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / 10.0**digits
    return rounded if np.ndim(values) else rounded[0]
