"""Per-employee appraisal quantities: rater-group scores, check, total, grade, rank, gap, points.

Each quantity has its vectorized reference (numpy, over every row of the sheet at once) and, right
next to it, the Excel formula that computes it in the cell, written as a template with ``{r}`` for
the row. Both follow the same steps in the same order, so they agree to the last digit; the tests
prove it in LibreOffice and in the ``formulas`` package.

Inputs are the raw cell values of the sheet's data rows, column by column (None for a blank cell);
blank rows compute blank (NaN or "") and are ignored by totals, ranks and the allocation.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .labels import text
from .layout import IDENTITY, Layout, score_key
from . import scorecard
from .cells import (WILDCARDS, as_float, band_index, band_labels, has_wildcard, is_blank,
                    is_counted, is_number, types_of, wildcard_test)
from .rounding import excel_round
from .scheme import Level

Inputs = dict[str, np.ndarray]



@dataclass(frozen=True)
class Ratings:
    """A rating column split the way the formulas see it (ISNUMBER, COUNTIF/SUMIF on the levels)."""

    number: np.ndarray  # the number, 0 where not a number (SUMPRODUCT reads text as 0)
    is_number: np.ndarray
    label_points: np.ndarray  # SUMIF(LevelLabel, cell, LevelPoints)
    label_count: np.ndarray  # COUNTIF(LevelLabel, cell): 1 for a label, more for "*"
    is_label: np.ndarray  # exactly one of the labels (what Python accepts)
    filled: np.ndarray  # COUNTA: not blank

    @classmethod
    def of(cls, raw: np.ndarray, layout: Layout) -> "Ratings":
        return cls.leveled(raw, layout.scheme.levels)

    @classmethod
    def leveled(cls, raw: np.ndarray, levels: Sequence[Level]) -> "Ratings":
        """The column ``raw`` read against the level labels ``levels``."""
        num = is_number(raw)
        number = np.where(num, as_float(raw), 0.0)
        exact = {lv.label.lower(): lv.points for lv in levels}
        points, count = np.zeros(len(raw)), np.zeros(len(raw))
        is_label = np.zeros(len(raw), bool)
        for i in np.flatnonzero(types_of(raw) == str):  # text cells only: labels, typos, wildcards
            key = raw[i].lower()
            if key in exact:
                points[i], count[i], is_label[i] = exact[key], 1, True
            elif any(w in key for w in WILDCARDS):
                matched = [lv.points for lv in levels if criteria_matches(key, lv.label)]
                points[i], count[i] = sum(matched), len(matched)
        return cls(number, num, points, count, is_label, is_counted(raw))

    @property
    def invalid(self) -> np.ndarray:
        """Filled, and neither a number from 0 to 100 nor exactly one level label."""
        in_range = self.is_number & (self.number >= 0) & (self.number <= 100)
        return self.filled & ~in_range & ~self.is_label


def criteria_matches(criteria: str, text: str) -> bool:
    """Whether COUNTIF/SUMIF's text criteria matches: case-insensitive, * ? wildcards, ~ escape."""
    pattern, escaped = "", False
    for ch in criteria:
        if escaped or ch not in WILDCARDS:
            pattern += re.escape(ch)
            escaped = False
        elif ch == "~":
            escaped = True
        else:
            pattern += ".*" if ch == "*" else "."
    return re.fullmatch(pattern, text, re.IGNORECASE | re.DOTALL) is not None


# --- rater-group score: weighted mean over the factors it rated --------------------------------

#: Group scores are kept to 6 decimals. Engines sum in different orders (LibreOffice uses Kahan
#: summation), so an unrounded mean can differ in its last bit, and self − total would then round
#: differently; rounded, every engine holds the very same number.
SCORE_DECIMALS = 6

def weighted_mean(ratings: Sequence[Ratings], weights: Sequence[float]) -> np.ndarray:
    """Σ value × weight / Σ weight over the rated, filled cells of each row, to 6 decimals; blank
    (NaN) when nothing is rated — a rater group's score, and the XLPERF.SCORE function."""
    num = label = den = np.zeros(len(ratings[0].number)) if ratings else np.zeros(0)
    for r, w in zip(ratings, weights):
        num = num + r.number * w
        label = label + r.label_points * w
        den = den + (r.is_number.astype(float) + r.label_count) * w
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den == 0, np.nan, excel_round((num + label) / den, SCORE_DECIMALS))


def group_score(layout: Layout, ratings: dict[str, Ratings], rater: str) -> np.ndarray:
    keys = layout.rater_keys(rater)
    return weighted_mean([ratings[k] for k in keys], [column_weight(layout, k) for k in keys])


def group_score_formula(layout: Layout, rater: str) -> str:
    runs = layout.weighted_runs(layout.rater_keys(rater))  # (cells, weights) of adjacent spans
    den = "+".join(f"SUMPRODUCT(ISNUMBER({c})+COUNTIF(LevelLabel,{c}),{w})" for c, w in runs)
    num = "+".join(f"SUMPRODUCT({c},{w})+SUMPRODUCT(SUMIF(LevelLabel,{c},LevelPoints),{w})"
                   for c, w in runs)
    if len(runs) > 1:
        den = f"({den})"
    return f'IF({den}=0,"",ROUND(({num})/{den},{SCORE_DECIMALS}))'


def column_weight(layout: Layout, key: str) -> float:
    """The weights-row value above an input column: its factor's weight, 1 for an overall score."""
    factor = key.partition(".")[2]
    return layout.scheme.factor(factor).weight if factor else 1.0


def column_weight_formula(layout: Layout, key: str) -> str | float:
    factor = key.partition(".")[2]
    if not factor:
        return 1.0
    index = [f.key for f in layout.scheme.factors].index(factor) + 1
    return f"INDEX(FactorWeight,{index})"


def rater_weight_formula(layout: Layout, rater: str) -> str:
    index = [r.key for r in layout.scheme.raters].index(rater) + 1
    return f"INDEX(RaterWeight,{index})"


# --- check: why a row that has data gets no result ---------------------------------------------

STATUS_ORDER = ("no_id", "bad_id", "duplicate", "bad_rating", "bad_tenure", "bad_months",
                "no_supervisor")


def normalized_ids(raw: np.ndarray) -> np.ndarray:
    """Employee IDs as COUNTIF compares them: 1001 equals '1001', case does not matter."""
    def norm(v: object) -> str:
        if type(v) is float and v.is_integer():
            return str(int(v))
        return str(v).lower()
    return np.fromiter((norm(v) for v in raw), object, len(raw))


def present_rows(layout: Layout, inputs: Inputs) -> np.ndarray:
    """Rows with any input (COUNTA over the input columns > 0): an employee, complete or not."""
    present = np.zeros(layout.capacity, bool)
    for key in (*IDENTITY, *layout.rating_keys):
        present |= is_counted(inputs[key])
    return present


def status(layout: Layout, inputs: Inputs, ratings: dict[str, Ratings],
           supervisor: np.ndarray) -> np.ndarray:
    lang, full = layout.scheme.lang, layout.scheme.full_months
    present = present_rows(layout, inputs)
    ids = inputs["employee_id"]
    no_id = is_blank(ids)
    duplicate = np.zeros(layout.capacity, bool)
    _, inverse, counts = np.unique(normalized_ids(ids[~no_id]).astype(str), return_inverse=True,
                                   return_counts=True)
    duplicate[~no_id] = counts[inverse] > 1
    invalid = np.zeros(layout.capacity, int)
    for key in layout.rating_keys:  # as the formula counts: COUNTA − COUNTIFS − COUNTIF(labels)
        r = ratings[key]
        in_range = r.is_number & (r.number >= 0) & (r.number <= 100)
        invalid += r.filled.astype(int) - in_range - r.label_count.astype(int)
    tenure = as_float(inputs["tenure_years"])
    bad_tenure = ~(tenure >= 0)
    months_raw = inputs["months_worked"]
    months = as_float(months_raw)
    bad_months = ~is_blank(months_raw) & ~((months >= 0) & (months <= full))
    bad_id = has_wildcard(ids)
    conditions = [no_id, bad_id, duplicate, invalid != 0, bad_tenure, bad_months,
                  np.isnan(supervisor)]
    out = np.full(layout.capacity, text("status.ok", lang), dtype=object)
    for name, cond in reversed(list(zip(STATUS_ORDER, conditions))):
        out[cond] = text(f"status.{name}", lang)
    out[~present] = ""
    return out


def status_formula(layout: Layout) -> str:
    lang, c = layout.scheme.lang, layout.cell
    ratings = layout.runs(layout.rating_keys)  # spans of adjacent columns
    inputs = layout.runs([*IDENTITY, *layout.rating_keys])
    word = {k: f'"{text(f"status.{k}", lang)}"' for k in (*STATUS_ORDER, "ok")}
    invalid = (f"COUNTA({','.join(ratings)})"
               + "".join(f'-COUNTIFS({r},">=0",{r},"<=100")' for r in ratings)
               + "".join(f"-SUMPRODUCT(COUNTIF(LevelLabel,{r}))" for r in ratings))
    errors = "+".join(f"SUMPRODUCT(--ISERROR({r}))" for r in inputs)
    tenure, months = c("tenure_years"), c("months_worked")
    return (f'IF(COUNTA({",".join(inputs)})=0,"",'
            f'IF({errors}>0,"{text("status.error", lang)}",'
            f'IF({c("employee_id")}="",{word["no_id"]},'
            f'IF({wildcard_test(c("employee_id"))},{word["bad_id"]},'
            f'IF(COUNTIF({layout.column_name("employee_id")},{c("employee_id")})>1,'
            f'{word["duplicate"]},'
            f'IF({invalid}<>0,{word["bad_rating"]},'
            f'IF(OR(NOT(ISNUMBER({tenure})),{tenure}<0),{word["bad_tenure"]},'
            f'IF(AND({months}<>"",OR(NOT(ISNUMBER({months})),{months}<0,{months}>FullMonths)),'
            f'{word["bad_months"]},'
            f'IF({c(score_key("supervisor"))}="",{word["no_supervisor"]},{word["ok"]})))))))))')


# --- total: weighted mean of the rater groups that have a score, rounded to 2 decimals ---------

def total(layout: Layout, scores: dict[str, np.ndarray], check: np.ndarray) -> np.ndarray:
    """The weighted mean of the rater groups with a score — a scorecard total over raters."""
    raters = layout.scheme.raters
    table = np.column_stack([scores[r.key] for r in raters])
    totals = scorecard.total(table, np.array([r.weight for r in raters]))
    return np.where(check == text("status.ok", layout.scheme.lang), totals, np.nan)


def total_formula(layout: Layout) -> str:
    keys = [score_key(r.key) for r in layout.scheme.raters]
    mean = scorecard.runs_total_formula(layout.weighted_runs(keys))
    ok = text("status.ok", layout.scheme.lang)
    return f'IF({layout.cell("status")}<>"{ok}","",{mean})'


# --- grade: the band whose minimum the total reaches ------------------------------------------

def grade(layout: Layout, totals: np.ndarray) -> np.ndarray:
    grades = layout.scheme.grades
    return band_labels(totals, [g.label for g in grades], [g.min_score for g in grades])


def grade_formula(layout: Layout) -> str:
    t = layout.cell("total")
    return f'IF({t}="","",INDEX(GradeLabel,MATCH({t},GradeMin,1)))'


# --- rank: 1 for the highest total, equal totals share a rank ---------------------------------

def rank(totals: np.ndarray) -> np.ndarray:
    valid = np.sort(totals[~np.isnan(totals)])
    higher = len(valid) - np.searchsorted(valid, totals, side="right")
    return np.where(np.isnan(totals), np.nan, higher + 1.0)


def rank_formula(layout: Layout) -> str:
    t = layout.cell("total")
    return f'IF({t}="","",RANK({t},{layout.column_name("total")}))'


# --- gap: self rating minus total (how the employee sees themselves) -------------------------

def gap(self_scores: np.ndarray, totals: np.ndarray) -> np.ndarray:
    return excel_round(self_scores - totals, 2)


def gap_formula(layout: Layout) -> str:
    t, s = layout.cell("total"), layout.cell(score_key("self"))
    return f'IF(OR({t}="",{s}=""),"",ROUND({s}-{t},2))'


# --- points: grade coef × tenure coef × months / full months, 4 decimals ---------------------

def points(layout: Layout, inputs: Inputs, totals: np.ndarray) -> np.ndarray:
    sch = layout.scheme
    grade_coef = np.array([g.coef for g in sch.grades] + [np.nan])
    tenure_coef = np.array([t.coef for t in sch.tenure] + [np.nan])
    g = grade_coef[band_index(totals, [x.min_score for x in sch.grades])]
    tenure = as_float(inputs["tenure_years"])
    t = tenure_coef[band_index(tenure, [x.min_years for x in sch.tenure])]
    months = np.where(is_blank(inputs["months_worked"]), float(sch.full_months),
                      as_float(inputs["months_worked"]))
    return np.where(np.isnan(totals), np.nan, excel_round(g * t * months / sch.full_months, 4))


def points_formula(layout: Layout) -> str:
    t, m = layout.cell("total"), layout.cell("months_worked")
    return (f'IF({t}="","",ROUND(INDEX(GradeCoef,MATCH({t},GradeMin,1))'
            f'*INDEX(TenureCoef,MATCH({layout.cell("tenure_years")},TenureMin,1))'
            f'*IF({m}="",FullMonths,{m})/FullMonths,4))')


# --- all of it ---------------------------------------------------------------------------------

def results(layout: Layout, inputs: Inputs) -> dict[str, np.ndarray]:
    """The rater-group scores, check, total, grade and rank of every row."""
    ratings = {k: Ratings.of(inputs[k], layout) for k in layout.rating_keys}
    scores = {r.key: group_score(layout, ratings, r.key) for r in layout.scheme.raters}
    check = status(layout, inputs, ratings, scores["supervisor"])
    totals = total(layout, scores, check)
    out = {score_key(k): v for k, v in scores.items()}
    out.update(status=check, total=totals, grade=grade(layout, totals), rank=rank(totals))
    return out


def result_formulas(layout: Layout) -> dict[str, str]:
    """Row templates of the same columns, with ``{r}`` for the row."""
    out = {score_key(r.key): group_score_formula(layout, r.key) for r in layout.scheme.raters}
    out.update(status=status_formula(layout), total=total_formula(layout),
               grade=grade_formula(layout), rank=rank_formula(layout))
    return out


def compute(layout: Layout, inputs: Inputs) -> dict[str, np.ndarray]:
    """Every per-row appraisal column (before the pay split), keyed like the layout."""
    out = results(layout, inputs)
    out.update(gap=gap(out[score_key("self")], out["total"]),
               points=points(layout, inputs, out["total"]))
    return out


def formulas(layout: Layout) -> dict[str, str]:
    return {**result_formulas(layout), "gap": gap_formula(layout),
            "points": points_formula(layout)}
