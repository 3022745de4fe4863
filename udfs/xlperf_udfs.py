"""xlperf's computations as Excel functions (xlwings UDFs), for those who have Python: the module
xlwings imports as its UDF module on the desktop, and the custom functions of the Office.js add-in
(``xlperf serve``). The workbooks xlperf writes never need them; they compute with native formulas.

Every function takes whole ranges and returns a whole column or block (a spilled array), so a
10,000-row sheet costs one call per column; a single cell works too. Names follow Excel's
conventions: one prefix, upper case — ``XLPERF_SCORE`` on the desktop (VBA names have no dots),
``XLPERF.SCORE`` in Excel on the web (the add-in's namespace). Blank cells give blank results; a
value that cannot be computed gives ``#VALUE!`` in its own cell (a bad argument: a short message in
the first cell), never a traceback. Dates count as the serial numbers Excel stores.

Each function is a thin adapter: the computation is xlperf's, the very code behind the workbooks'
reference values (appraisal.weighted_mean, scorecard.total, cells.band_labels, kpi, scoring,
allocation.split, ninebox).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

import numpy as np
import xlwings as xw

from xlperf import allocation, kpi, scorecard, scoring
from xlperf.appraisal import Ratings, weighted_mean
from xlperf.cells import as_float, band_labels, is_blank, is_number
from xlperf.errors import InputError
from xlperf.kinds import ninebox
from xlperf.scheme import Level, budget_cents_of, default_scheme

Block = list[list[Any]]
ERROR = "#VALUE!"
EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year quirk built in)
_ZH, _EN = default_scheme("zh"), default_scheme("en")
#: Level labels understood without a levels argument: 优秀 95 … and Excellent 95 …
LEVELS = (*_ZH.levels, *_EN.levels)


def _cell(value: Any) -> Any:
    """A value as a spreadsheet holds it: dates as serial numbers, "" as blank, numpy scalars
    as plain numbers (a caller from Python may pass them)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, dt.datetime):
        return (value - EPOCH).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - EPOCH.date()).days)
    return None if isinstance(value, str) and value == "" else value


def block(arg: Any) -> np.ndarray:
    """Any argument — one cell, a row, a column, a block — as a 2-D object array."""
    rows = arg if isinstance(arg, list) and arg and isinstance(arg[0], list) else (
        [arg] if isinstance(arg, list) else [[arg]])
    out = np.empty((len(rows), max(len(r) for r in rows)), dtype=object)
    for i, row in enumerate(rows):
        out[i, :] = [_cell(v) for v in row] + [None] * (out.shape[1] - len(row))
    return out


def vector(arg: Any, name: str) -> np.ndarray:
    """A one-row or one-column argument as a 1-D object array."""
    b = block(arg)
    if min(b.shape) != 1:
        raise InputError(f"{name} 须为一行或一列", f"{name} must be one row or one column", None,
                         name, f"{b.shape[0]}×{b.shape[1]}")
    return b.ravel()


def numbers(arg: Any, name: str) -> np.ndarray:
    """A vector of numbers, every cell filled."""
    v = vector(arg, name)
    if not is_number(v).all():
        raise InputError(f"{name} 须全为数字", f"{name} must all be numbers", None, name,
                         [x for x in v if not isinstance(x, (int, float))][:3])
    return as_float(v)


def out(values: np.ndarray, bad: np.ndarray | None = None) -> Block:
    """Results as the cells show them: NaN blank, numpy scalars plain, bad cells #VALUE!."""
    values = np.asarray(values, dtype=object)
    cells = [[None if v is None or (isinstance(v, float) and v != v) else
              (v.item() if isinstance(v, np.generic) else v) for v in row]
             for row in values.reshape(values.shape[0], -1)]
    if bad is not None:
        for i, j in zip(*np.nonzero(np.asarray(bad).reshape(values.shape[0], -1))):
            cells[i][j] = ERROR
    return cells


def like(values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return np.asarray(values, dtype=object).reshape(shape)


def answers(f: Callable[..., Block]) -> Callable[..., Block]:
    """A bad argument answers with one short message in the cell, never a traceback."""
    @wraps(f)
    def call(*args: Any, **kwargs: Any) -> Block:
        try:
            return f(*args, **kwargs)
        except InputError as err:
            return [[f"{ERROR} {err.message('en')}"]]
        except (ValueError, TypeError, IndexError) as err:
            return [[f"{ERROR} {err}"]]
    return call


def same_shape(first: Any, second: Any, names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Two arguments that go cell by cell together, as blocks of one shape."""
    a, b = block(first), block(second)
    if a.shape != b.shape:
        raise InputError(f"{names[0]} 与 {names[1]} 的形状不同",
                         f"{names[0]} and {names[1]} differ in shape", None, names[1],
                         f"{a.shape} ≠ {b.shape}")
    return a, b


def pairwise(first: Any, second: Any, names: tuple[str, str],
             compute: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Block:
    """A KPI computed cell by cell from two ranges of one shape, numbers as the formula reads
    them (anything else gives a blank)."""
    a, b = same_shape(first, second, names)
    return out(like(compute(as_float(a.ravel()), as_float(b.ravel())), a.shape))


def levels_of(labels: Any, points: Any) -> tuple[Level, ...]:
    if labels is None and points is None:
        return LEVELS
    names, values = vector(labels, "levels"), numbers(points, "points")
    if len(names) != len(values):
        raise InputError("等级与分值个数不同", "levels and points differ in number", None,
                         "points", f"{len(names)} ≠ {len(values)}")
    return tuple(Level(str(n), float(p)) for n, p in zip(names, values))


# --- appraisal ---------------------------------------------------------------------------------

@xw.func(name="SCORE")
@xw.arg("ratings", ndim=2, doc="the ratings, one row per person: 0–100 or a level label")
@xw.arg("weights", ndim=2, doc="one weight per column of ratings")
@xw.arg("levels", ndim=2, doc="optional: the level labels (default 优秀/良好/一般/待改进 and "
        "Excellent/Good/Fair/Needs improvement)")
@xw.arg("points", ndim=2, doc="optional: the points of each level (default 95/85/70/50)")
@answers
def XLPERF_SCORE(ratings: Any, weights: Any, levels: Any = None, points: Any = None) -> Block:
    """Weighted score of each row of ratings, 6 decimals; blank ratings re-spread the weights."""
    r = block(ratings)
    w = numbers(weights, "weights")
    if len(w) != r.shape[1]:
        raise InputError("权重个数须等于评分列数", "one weight per column of ratings", None,
                         "weights", f"{len(w)} ≠ {r.shape[1]}")
    columns = [Ratings.leveled(r[:, j], levels_of(levels, points)) for j in range(r.shape[1])]
    invalid = np.logical_or.reduce([c.invalid for c in columns])
    return out(like(weighted_mean(columns, list(w)), (-1, 1)), invalid.reshape(-1, 1))


@xw.func(name="TOTAL")
@xw.arg("scores", ndim=2, doc="the rater groups' scores, one row per person (blank = no score)")
@xw.arg("weights", ndim=2, doc="one weight per rater group")
@answers
def XLPERF_TOTAL(scores: Any, weights: Any) -> Block:
    """Weighted total of the rater groups with a score, 2 decimals (the others' weight re-spread)."""
    s = block(scores)
    w = numbers(weights, "weights")
    if len(w) != s.shape[1]:
        raise InputError("权重个数须等于得分列数", "one weight per column of scores", None,
                         "weights", f"{len(w)} ≠ {s.shape[1]}")
    bad = ~is_blank(s.ravel()) & ~is_number(s.ravel())
    totals = scorecard.total(as_float(s.ravel()).reshape(s.shape), w)
    return out(like(totals, (-1, 1)), bad.reshape(s.shape).any(axis=1).reshape(-1, 1))


@xw.func(name="GRADE")
@xw.arg("scores", ndim=2, doc="scores")
@xw.arg("labels", ndim=2, doc="optional: the grades, lowest first (default 待改进/一般/良好/优秀)")
@xw.arg("minimums", ndim=2, doc="optional: each grade's lowest score, ascending (default "
        "0/60/80/90)")
@answers
def XLPERF_GRADE(scores: Any, labels: Any = None, minimums: Any = None) -> Block:
    """The grade whose minimum each score reaches; blank for a blank score."""
    s = block(scores)
    if labels is None and minimums is None:
        names, lows = [g.label for g in _ZH.grades], [g.min_score for g in _ZH.grades]
    else:
        names, lows = [str(x) for x in vector(labels, "labels")], list(numbers(minimums,
                                                                                "minimums"))
        if len(names) != len(lows) or lows != sorted(lows):
            raise InputError("等级与最低分须一一对应且递增", "one ascending minimum per grade",
                             None, "minimums", lows)
    flat = s.ravel()
    grades = band_labels(as_float(flat), names, lows)
    return out(like(grades, s.shape), (~is_blank(flat) & ~is_number(flat)).reshape(s.shape))


# --- KPIs ----------------------------------------------------------------------------------------

@xw.func(name="RATIO")
@xw.arg("numerators", ndim=2, doc="numerators (or actual values)")
@xw.arg("denominators", ndim=2, doc="denominators (or targets), the same shape")
@answers
def XLPERF_RATIO(numerators: Any, denominators: Any) -> Block:
    """numerator ÷ denominator to 6 decimals; blank when either is not a number or it is 0/0."""
    return pairwise(numerators, denominators, ("numerators", "denominators"), kpi.ratio)


@xw.func(name="BUDGET_ACCURACY")
@xw.arg("actuals", ndim=2, doc="actual spending")
@xw.arg("budgets", ndim=2, doc="budgets, the same shape")
@answers
def XLPERF_BUDGET_ACCURACY(actuals: Any, budgets: Any) -> Block:
    """1 − |actual − budget| ÷ budget, 6 decimals (table 12's 预算准确率); blank without data."""
    return pairwise(actuals, budgets, ("actuals", "budgets"), lambda a, b: kpi.value(
        np.full(a.size, "budget_accuracy"), a, b))


RULE_WORDS = {w.lower(): rule for words in scoring.RULE_LABELS.values()
              for w, rule in zip(words, scoring.RULES)} | {r: r for r in scoring.RULES}
DIRECTION_WORDS = {w.lower(): d for words in scoring.DIRECTION_LABELS.values()
                   for w, d in zip(words, scoring.DIRECTIONS)} | {d: d for d in scoring.DIRECTIONS}


@xw.func(name="KPI_SCORE")
@xw.arg("values", ndim=2, doc="the KPI values")
@xw.arg("rule", doc="完成比率/线性插值/分段计分/否决/扣分制 (ratio/linear/step/veto/deduction)")
@xw.arg("direction", doc="optional: 越高越好 (higher, default) or 越低越好 (lower)")
@xw.arg("threshold", doc="optional: the threshold (线性插值, 分段计分)")
@xw.arg("target", doc="optional: the target")
@xw.arg("stretch", doc="optional: the stretch value (线性插值, 分段计分)")
@xw.arg("cap", doc="optional: the cap of 完成比率, default 1.2 (120%)")
@xw.arg("deduction", doc="optional: points deducted per unit (扣分制)")
@answers
def XLPERF_KPI_SCORE(values: Any, rule: Any, direction: Any = "higher",
                     threshold: Any = None, target: Any = None, stretch: Any = None,
                     cap: Any = 1.2, deduction: Any = 0.0) -> Block:
    """The score of each value under a rule of the KPI library (0–120, 2 decimals)."""
    v = block(values)
    name = str(rule).strip().lower()
    if name not in RULE_WORDS:
        raise InputError("未知的计分规则", "unknown scoring rule", None, "rule", rule,
                         "/".join(scoring.RULE_LABELS["zh"]), "/".join(scoring.RULES))
    way = DIRECTION_WORDS.get(str(direction or "higher").strip().lower(), str(direction))
    params = scoring.RuleParams(RULE_WORDS[name], way, threshold, target, stretch, cap,
                                deduction).validated("rule")
    flat = v.ravel()
    scores = scoring.score([params] * len(flat), as_float(flat))
    return out(like(scores, v.shape), (~is_blank(flat) & ~is_number(flat)).reshape(v.shape))


# --- pay -----------------------------------------------------------------------------------------

@xw.func(name="SPLIT")
@xw.arg("budget", doc="the amount to split, at most 2 decimals")
@xw.arg("points", ndim=2, doc="each person's points (4 decimals count; blank = no share)")
@answers
def XLPERF_SPLIT(budget: Any, points: Any) -> Block:
    """The budget split over the points exactly to the cent (largest remainder, earlier rows
    first on ties): Σ = budget."""
    p = block(points)
    flat = p.ravel()
    if (is_number(flat) & (as_float(flat) < 0)).any():
        raise InputError("点数须 ≥ 0", "points must be ≥ 0", None, "points")
    cents = budget_cents_of(float(budget), None, "budget")
    s = allocation.split(cents, as_float(flat))
    return out(like(s.pay, p.shape), (~is_blank(flat) & ~is_number(flat)).reshape(p.shape))


# --- 9-box ---------------------------------------------------------------------------------------

@xw.func(name="NINEBOX")
@xw.arg("performance", ndim=2, doc="performance scores 0–100")
@xw.arg("potential", ndim=2, doc="potential scores 0–100, the same shape")
@xw.arg("low", doc="optional: where the middle band starts, default 70")
@xw.arg("high", doc="optional: where the high band starts, default 85")
@xw.arg("names", ndim=2, doc="optional: the nine boxes' names, box 1 (low/low) first; "
        "without it the box number 1–9")
@answers
def XLPERF_NINEBOX(performance: Any, potential: Any, low: Any = ninebox.DEFAULT_CUTS[0],
                   high: Any = ninebox.DEFAULT_CUTS[1], names: Any = None) -> Block:
    """The 9-box cell of each performance and potential: 1 low/low … 9 high/high (a score at a
    cut point goes up), or its name."""
    f, g = same_shape(performance, potential, ("performance", "potential"))
    pf, pg = as_float(f.ravel()), as_float(g.ravel())
    box = ninebox.box_of(ninebox.band(pf, low, high), ninebox.band(pg, low, high)).astype(float)
    bad = ~(is_number(f.ravel()) & is_number(g.ravel())) & ~(is_blank(f.ravel()) &
                                                              is_blank(g.ravel()))
    bad |= (pf < 0) | (pf > 100) | (pg < 0) | (pg > 100)
    box[np.isnan(pf) | np.isnan(pg)] = np.nan
    result: np.ndarray = box
    if names is not None:
        labels = np.array([*map(str, vector(names, "names")), None], dtype=object)
        if len(labels) != 10:
            raise InputError("须给出九个格名称", "nine names are needed", None, "names",
                             len(labels) - 1)
        result = labels[np.where(np.isnan(box), 9, np.nan_to_num(box) - 1).astype(int)]
    return out(like(result, f.shape), bad.reshape(f.shape))
