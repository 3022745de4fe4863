"""KPI scoring rules: from a KPI's actual value to a score, with each rule's lower-is-better mirror.

The rule is chosen per KPI on the 方案 sheet, so the cell formula picks it with CHOOSE(MATCH(...))
and every rule sits in one formula; the reference below computes the same, rule by rule.

=========  ==========================================================================================
完成比率   ratio: 100 × actual / target, capped (default 120%); lower is better: 100 × target / actual
线性插值   linear through threshold / target / stretch (scores 60 / 100 / 120); 0 below threshold
分段计分   step: below threshold 0, threshold to target 80, target to stretch 100, at stretch 120
否决       veto: below target 0, else 100
扣分制     deduction: 100 − per-unit × units beyond the target (errors over those allowed; a blank
           target allows none), floored at 0; higher is better: per unit short of the target
=========  ==========================================================================================

For lower-is-better KPIs (error rates) the comparisons run on the negated values, so "below the
threshold" means "worse than the threshold" either way. Scores are rounded to 2 decimals.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .rounding import excel_round

RULES = ("ratio", "linear", "step", "veto", "deduction")
RULE_LABELS = {"zh": ("完成比率", "线性插值", "分段计分", "否决", "扣分制"),
               "en": ("Ratio", "Linear", "Steps", "Veto", "Deduction")}
DIRECTIONS = ("higher", "lower")
DIRECTION_LABELS = {"zh": ("越高越好", "越低越好"), "en": ("Higher is better", "Lower is better")}
SCORE_DECIMALS = 2


@dataclass(frozen=True)
class Scores:
    """The scores the rules give at their points: editable on the 方案 sheet (names in brackets)."""

    threshold: float = 60.0  # linear, at the threshold (ThresholdScore)
    target: float = 100.0  # every rule, at the target (TargetScore)
    stretch: float = 120.0  # linear and step, at the stretch value and above (StretchScore)
    step: float = 80.0  # step, from the threshold to the target (StepScore)


@dataclass(frozen=True)
class RuleParams:
    """One KPI's rule and its parameters, as the 方案 sheet holds them."""

    rule: str
    direction: str = "higher"
    threshold: float | None = None
    target: float | None = None
    stretch: float | None = None
    cap: float = 1.2
    deduction: float = 0.0

    def validated(self, where: str | None = None, file: str | None = None) -> "RuleParams":
        """Refuse parameters with which a rule cannot score (e.g. the threshold above the target)."""
        if self.rule not in RULES:
            raise InputError("未知的计分规则", "unknown scoring rule", file, where, self.rule,
                             "/".join(RULE_LABELS["zh"]), "/".join(RULE_LABELS["en"]))
        if self.direction not in DIRECTIONS:
            raise InputError("未知的指标方向", "unknown direction", file, where, self.direction,
                             "/".join(DIRECTION_LABELS["zh"]), "/".join(DIRECTION_LABELS["en"]))
        sign = 1 if self.direction == "higher" else -1
        if self.rule in ("linear", "step"):
            points = [self.threshold, self.target, self.stretch]
            if any(p is None for p in points) or not (
                    sign * points[0] < sign * points[1] < sign * points[2]):
                order = "门槛 < 目标 < 挑战" if sign > 0 else "门槛 > 目标 > 挑战"
                raise InputError("门槛、目标、挑战值的次序不对", "threshold, target and stretch are "
                                 "out of order", file, where, points, order,
                                 "threshold < target < stretch" if sign > 0
                                 else "threshold > target > stretch")
        if self.rule in ("ratio", "veto") or (self.rule == "deduction" and sign > 0):
            if self.target is None or (self.rule == "ratio" and not self.target > 0):
                raise InputError("目标值须为正数", "the target must be positive", file, where,
                                 self.target, "> 0", "> 0")
        if self.rule == "ratio" and not self.cap > 0:
            raise InputError("封顶比例须为正数", "the cap must be positive", file, where, self.cap,
                             "> 0,如 120%", "> 0, e.g. 120%")
        if self.rule == "deduction" and not self.deduction >= 0:
            raise InputError("每项扣分须 ≥ 0", "the deduction per unit must be ≥ 0", file, where,
                             self.deduction, "≥ 0", "≥ 0")
        return self


def score(params: list[RuleParams], values: np.ndarray, s: Scores = Scores()) -> np.ndarray:
    """Score of each KPI value under its own rule; NaN (no data) stays NaN."""
    v = np.asarray(values, float)
    n = len(v)

    def col(name: str) -> np.ndarray:
        return np.array([np.nan if getattr(p, name) is None else getattr(p, name)
                         for p in params], float)

    sign = np.array([1.0 if p.direction == "higher" else -1.0 for p in params])
    t, g, st, cap, ded = col("threshold"), col("target"), col("stretch"), col("cap"), \
        col("deduction")
    rule = np.array([RULES.index(p.rule) for p in params])
    x, xt, xg, xs = sign * v, sign * t, sign * g, sign * st
    with np.errstate(divide="ignore", invalid="ignore"):
        higher = np.where(g == 0, 0.0, v / g)
        lower = np.where(v == 0, cap, g / v)
        ratio = 100 * np.minimum(cap, np.where(sign > 0, higher, lower))
        linear = np.select(
            [x < xt, x < xg, x < xs],
            [np.zeros(n), s.threshold + (s.target - s.threshold) * (v - t) / (g - t),
             s.target + (s.stretch - s.target) * (v - g) / (st - g)], s.stretch)
    step = np.select([x < xt, x < xg, x < xs], [0.0, s.step, s.target], s.stretch)
    veto = np.where(x < xg, 0.0, s.target)
    units = np.where(sign > 0, np.maximum(0.0, g - v), np.maximum(0.0, v - np.nan_to_num(g)))
    deduction = np.maximum(0.0, s.target - ded * units)
    chosen = np.choose(rule, [ratio, linear, step, veto, deduction])
    return np.where(np.isnan(v), np.nan, excel_round(chosen, SCORE_DECIMALS))


def score_formula(value: str, rule: str, direction: str, threshold: str, target: str,
                  stretch: str, cap: str, deduction: str, otherwise: str = '""') -> str:
    """The cell formula of :func:`score`; arguments are cell references of one KPI's row (or
    expressions); a value that is not a number gives ``otherwise`` (blank, or "no data").

    Needs the names RuleLabels (the rule labels in :data:`RULES` order), LowerLabel,
    ThresholdScore, TargetScore, StretchScore and StepScore.
    """
    v, t, g, st = value, threshold, target, stretch
    sgn = f"(1-2*({direction}=LowerLabel))"
    x, xt, xg, xs = (f"{sgn}*{a}" for a in (v, t, g, st))
    ratio = (f"100*MIN({cap},IF({direction}=LowerLabel,IF({v}=0,{cap},{g}/{v}),"
             f"IF({g}=0,0,{v}/{g})))")
    linear = (f"IF({x}<{xt},0,IF({x}<{xg},ThresholdScore+(TargetScore-ThresholdScore)*({v}-{t})"
              f"/({g}-{t}),IF({x}<{xs},TargetScore+(StretchScore-TargetScore)*({v}-{g})/({st}-{g}),"
              f"StretchScore)))")
    step = f"IF({x}<{xt},0,IF({x}<{xg},StepScore,IF({x}<{xs},TargetScore,StretchScore)))"
    veto = f"IF({x}<{xg},0,TargetScore)"
    deduction = (f"MAX(0,TargetScore-{deduction}*IF({direction}=LowerLabel,MAX(0,{v}-{g}),"
                 f"MAX(0,{g}-{v})))")
    return (f"IF(ISNUMBER({v}),ROUND(CHOOSE(MATCH({rule},RuleLabels,0),"
            f"{ratio},{linear},{step},{veto},{deduction}),{SCORE_DECIMALS}),{otherwise})")
