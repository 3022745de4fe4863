"""A KPI scorecard's total: the weighted sum of KPI scores, weights re-spread over KPIs with data.

Weights must make 100% (refused otherwise, saying by how much). A KPI without data (blank score)
drops out and its weight is shared by the others in proportion, visibly: each KPI's effective
weight is a cell of its own.
"""
from __future__ import annotations

import numpy as np

from .rounding import excel_round
from .scheme import check_weights

TOTAL_DECIMALS = 2


def check(weights: list[float], file: str | None = None, where: str | None = None) -> None:
    check_weights(weights, "KPI 权重", "KPI weights", file, where)


def effective_weights(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each KPI's weight after re-spreading (0 without data); rows are scorecards."""
    s, w = np.asarray(scores, float), np.asarray(weights, float)
    have = ~np.isnan(s)
    share = (have * w).sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(have & (share > 0), w / share, 0.0)


def effective_weight_formula(score: str, weight: str, scores: str, weights: str) -> str:
    """``score``/``weight``: this KPI's cells; ``scores``/``weights``: the whole row's ranges."""
    share = f"SUMPRODUCT(ISNUMBER({scores})*{weights})"
    return f"IF(OR(NOT(ISNUMBER({score})),{share}=0),0,{weight}/{share})"


def total(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Σ weight × score ÷ Σ weight over the KPIs with data, 2 decimals; NaN when none has data."""
    s, w = np.asarray(scores, float), np.asarray(weights, float)
    have = ~np.isnan(s)
    num = (np.nan_to_num(s) * w).sum(axis=-1)
    den = (have * w).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, excel_round(num / den, TOTAL_DECIMALS), np.nan)


def total_formula(scores: str, weights: str) -> str:
    return runs_total_formula([(scores, weights)])


def runs_total_formula(runs: list[tuple[str, str]]) -> str:
    """The same over several spans of scores, each with its weights (a hand-made form's score
    columns need not be adjacent)."""
    den = "+".join(f"SUMPRODUCT(ISNUMBER({s})*{w})" for s, w in runs)
    num = "+".join(f"SUMPRODUCT({s},{w})" for s, w in runs)
    if len(runs) > 1:
        den, num = f"({den})", f"({num})"
    return f'IF({den}=0,"",ROUND({num}/{den},{TOTAL_DECIMALS}))'
