"""Customer-service supervisor's monthly scorecard (客服主管月度绩效考核表): the seed's five
indicators as seven measures on the 方案 sheet — each with its scoring standard, direction, scoring
rule and weight — and one sheet per supervisor and year: twelve monthly columns of actual values,
their scores, the effective (re-spread) weights, each month's weighted total and grade, and the
year's result (the mean of the months with a total) and its grade.

The main sheet is a fixed grid, not a record table: four blocks one under the other (actuals,
scores, effective weights, results), months in columns D–O, the year in column P, and a hidden key
column R that ``read`` checks together with the defined names, so a moved layout is refused.

Reference and formula side by side, block by block, in sheet order.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .. import scorecard as weighting
from .. import styles
from ..a1 import column_letter, split_cell
from . import shared
from ..cells import as_float, band_labels, is_blank, is_number
from ..csvfile import read_records
from ..errors import InputError
from ..fields import Field
from ..grid import Grid
from ..live import Cells, Computed
from ..params import Spec, Table as ParamTable, Values
from ..rounding import excel_round
from ..scheme import default_scheme as appraisal_scheme
from ..scoring import DIRECTION_LABELS, DIRECTIONS, RULE_LABELS, RULES, RuleParams, Scores, score, \
    score_formula
from ..validation import add_validation

KIND = "scorecard"
SHEETS = {"card": ("月度考核表", "Monthly Scorecard"), "scheme": ("方案", "Scheme")}
MONTHS = 12
YEAR_DECIMALS = 2
VALUE_FMT = shared.RULE_VALUE_FMT

STATUS = {  # key -> (zh, en): what a month's check cell says
    "ok": ("正常", "OK"),
    "not_number": ("非数字", "Not a number"),
    "negative": ("负数", "Negative"),
    "no_weight": ("有数据的指标权重均为 0", "Measures with data weigh 0"),
}
NO_DATA = ("无数据", "No data")


@dataclass(frozen=True)
class Measure:
    """One measure of the seed's five indicators, with the defaults the 方案 sheet starts from."""

    key: str  # suffix of its defined names on the main sheet (ActualSurvey, ScoreSurvey)
    csv: str  # its CSV column
    category: tuple[str, str]
    name: tuple[str, str]
    standard: tuple[str, str]
    direction: str
    rule: str
    threshold: float | None
    target: float | None
    stretch: float | None
    cap: float
    deduction: float
    weight: float


_SATISFACTION = ("客户满意度", "Customer satisfaction")
_SALES = ("销售业绩与合作率", "Sales and cooperation")
MEASURES = (
    Measure("Survey", "survey", _SATISFACTION, ("满意度调查评分", "Satisfaction survey score"),
            ("客户满意度调查平均分(0–100):60 分得 60 分,90 分得 100 分,100 分得 120 分,其间线性"
             "插值;低于 60 分不得分。",
             "Mean survey score (0–100): 60 scores 60, 90 scores 100, 100 scores 120, linear in "
             "between; below 60 scores 0."),
            "higher", "linear", 60, 90, 100, 1.2, 0, 0.15),
    Measure("Complaints", "complaint_rate", _SATISFACTION, ("客户投诉率", "Complaint rate"),
            ("有效投诉数 ÷ 接待客户数(小数):高于 5% 得 0 分,≤5% 得 80 分,≤2% 得 100 分,≤1% 得 "
             "120 分。",
             "Valid complaints ÷ customers served (decimal): above 5% scores 0, ≤5% 80, ≤2% 100, "
             "≤1% 120."),
            "lower", "step", 0.05, 0.02, 0.01, 1.2, 0, 0.10),
    Measure("Team", "team", ("团队管理能力", "Team management"),
            ("团队管理能力评分", "Team management rating"),
            ("上级按团队建设、人员配置、团队协作评分(0–100),得分即评分,封顶 100 分。",
             "The manager rates team building, staffing and teamwork (0–100); the score is the "
             "rating, capped at 100."),
            "higher", "ratio", None, 100, None, 1.0, 0, 0.20),
    Measure("Business", "business_errors", ("业务处理能力", "Business handling"),
            ("业务处理差错次数", "Business handling errors"),
            ("业务知识差错或复杂业务处理不当,每次扣 5 分,扣完为止。",
             "Each error of business knowledge or mishandled complex case deducts 5 points, down "
             "to 0."),
            "lower", "deduction", None, None, None, 1.2, 5, 0.20),
    Measure("Quality", "quality_pass_rate", ("客户服务质量", "Service quality"),
            ("服务质检合格率", "Quality-check pass rate"),
            ("抽检聊天记录合格数 ÷ 抽检数(小数):达到 95% 得 100 分,否则 0 分(否决)。",
             "Chats passing the quality check ÷ chats checked (decimal): 95% or more scores 100, "
             "otherwise 0 (veto)."),
            "higher", "veto", None, 0.95, None, 1.2, 0, 0.15),
    Measure("Sales", "sales_completion", _SALES, ("销售任务完成率", "Sales target completion"),
            ("实际销售额 ÷ 销售任务(小数):得分 = 完成率 × 100,封顶 120 分。",
             "Sales ÷ sales target (decimal): score = completion × 100, capped at 120."),
            "higher", "ratio", None, 1.0, None, 1.2, 0, 0.10),
    Measure("Cooperation", "cooperation_rate", _SALES, ("合作率", "Cooperation rate"),
            ("达成合作客户数 ÷ 洽谈客户数(小数):20% 得 60 分,30% 得 100 分,40% 得 120 分,其间"
             "线性插值;低于 20% 不得分。",
             "Customers signed ÷ customers approached (decimal): 20% scores 60, 30% 100, 40% 120, "
             "linear in between; below 20% scores 0."),
            "higher", "linear", 0.2, 0.3, 0.4, 1.2, 0, 0.10),
)
N = len(MEASURES)
ACTUALS = tuple(f"Actual{m.key}" for m in MEASURES)  # the input rows' defined names
SCORES = tuple(f"Score{m.key}" for m in MEASURES)

SPEC = Spec(
    title=("客服主管月度绩效考核方案", "Customer-service supervisor's monthly scorecard: scheme"),
    scalars=shared.SCORE_FIELDS,
    tables=(
        ParamTable("考核指标、评分标准与权重", "Measures, scoring standards and weights", (
            Field("MeasureCategory", "考核指标", "Indicator", text=True, width=16),
            Field("MeasureName", "考核项目", "Measure", text=True, width=20),
            Field("MeasureStandard", "评分标准", "Scoring standard", text=True, width=44),
            *shared.rule_fields("Measure"),
            Field("MeasureWeight", "权重", "Weight", styles.PERCENT, 0, 1, width=8),
        ), total="MeasureWeight"),
        ParamTable("考核等级", "Grade bands", (
            Field("GradeLabel", "等级", "Grade", text=True),
            Field("GradeMin", "最低分", "Minimum score", "0.00", 0, 200),
        )),
    ),
    lists=shared.RULE_LISTS,
    notes=(("比率类指标以小数填写(95% 即 0.95);门槛、目标、挑战按指标方向排列;权重合计须为 100%;"
            "等级按最低分升序排列,第一档为 0。",
            "Ratios as decimals (95% is 0.95); threshold, target and stretch in the measure's "
            "direction; weights must make 100%; grade bands ascending, the first at 0."),
           ("某月无数据的指标显示“无数据”,不计分,其权重按比例分给当月有数据的指标(见“有效权重”)。",
            "A measure without data in a month shows “No data” and is not scored; its weight is "
            "shared by that month's measures with data in proportion (see “Effective weights”)."),
           ("完成比率 = 实际 ÷ 目标 × 100,封顶;线性插值:门槛 → 门槛得分,目标 → 目标得分,挑战 → "
            "挑战得分;分段计分:未达门槛 0,门槛至目标 80,达目标 100,达挑战 120;否决:未达目标 0;"
            "扣分制:目标得分 − 每项扣分 × 次数(或差额),最低 0。",
            "Ratio = actual ÷ target × 100, capped; linear: threshold → threshold score, target → "
            "target score, stretch → stretch score; steps: below threshold 0, threshold to target "
            "80, target 100, stretch 120; veto: below target 0; deduction: target score − "
            "deduction × count (or shortfall), not below 0."),
           ("年度得分 = 有月度得分的各月得分的平均(保留两位小数),按同一等级表定级。",
            "The year's score is the mean of the months with a total (2 decimals), graded by the "
            "same bands."),
           ),
)

SUPERVISOR = Field("SupervisorName", "被考核人", "Supervisor", text=True, optional=True, width=14)
YEAR = Field("AppraisalYear", "年度", "Year", "0", 2000, 2100, optional=True)
ACTUAL = Field("Actual", "实际值", "Actual value", VALUE_FMT, 0, None, optional=True)

# --- the main sheet's grid -----------------------------------------------------------------------
# Four blocks, each a section row, a header row and its rows, then a blank row.
BLOCK = N + 3
SECTION = (4, 4 + BLOCK, 4 + 2 * BLOCK, 4 + 3 * BLOCK)
ACTUAL_ROW, SCORE_ROW, WEIGHT_ROW = (s + 2 for s in SECTION[:3])  # first measure's row
MONTH_ROW = SECTION[3] + 1
STATUS_ROW, TOTAL_ROW, GRADE_ROW, FILLED_ROW = range(MONTH_ROW + 1, MONTH_ROW + 5)
FIRST_MONTH_COL = 4
YEAR_COL, KEY_COL = "P", "R"
MONTH_COLS = tuple(column_letter(FIRST_MONTH_COL + m) for m in range(MONTHS))
FIRST, LAST = MONTH_COLS[0], MONTH_COLS[-1]
WEIGHTS_REF = f"$C${SCORE_ROW}:$C${SCORE_ROW + N - 1}"  # the score block's weight column

INPUTS = ACTUALS
#: export: one row per month with any input; CSV column -> defined name
EXPORT = {"month": "MonthNo", **{f"{m.csv}_score": s for m, s in zip(MEASURES, SCORES)},
          "total": "MonthTotal", "grade": "MonthGrade", "status": "MonthStatus"}


def layout_names() -> dict[str, str]:
    """Where the main sheet's defined names are: ``read`` refuses a workbook where they moved."""
    def row(r: int) -> str:
        return f"${FIRST}${r}:${LAST}${r}"
    names = {SUPERVISOR.name: "$B$3", YEAR.name: "$E$3", "MonthNo": row(MONTH_ROW),
             "MonthStatus": row(STATUS_ROW), "MonthTotal": row(TOTAL_ROW),
             "MonthGrade": row(GRADE_ROW), "MonthFilled": row(FILLED_ROW),
             "YearTotal": f"${YEAR_COL}${TOTAL_ROW}", "YearGrade": f"${YEAR_COL}${GRADE_ROW}",
             "MonthsCounted": f"${YEAR_COL}${FILLED_ROW}"}
    for i in range(N):
        names[ACTUALS[i]] = row(ACTUAL_ROW + i)
        names[SCORES[i]] = row(SCORE_ROW + i)
    return names


def row_keys() -> dict[int, str]:
    """The hidden key column: what each row of the grid holds."""
    keys = {3: "identity", MONTH_ROW: "months", STATUS_ROW: "status", TOTAL_ROW: "total",
            GRADE_ROW: "grade", FILLED_ROW: "filled"}
    for i, m in enumerate(MEASURES):
        keys.update({ACTUAL_ROW + i: f"actual:{m.key}", SCORE_ROW + i: f"score:{m.key}",
                     WEIGHT_ROW + i: f"weight:{m.key}"})
    return dict(sorted(keys.items()))  # top to bottom: the first misplaced row is reported


@dataclass
class Form:
    """One supervisor's year: the scheme's values and twelve months of actual values."""

    lang: str
    scheme: Values
    inputs: dict[str, np.ndarray]  # ActualSurvey… -> 12 raw cell values, January first
    supervisor: str | None = None
    year: float | None = None
    names: dict[str, str] = field(default_factory=dict)  # 方案 name -> range
    rows: int = MONTHS


def _sizes() -> dict[str, int]:
    return {"MeasureCategory": N, "GradeLabel": len(appraisal_scheme().grades)}


def default_scheme(lang: str) -> Values:
    at = 0 if lang == "zh" else 1
    grades = appraisal_scheme(lang).grades
    return {
        **shared.score_defaults(),
        "MeasureCategory": [m.category[at] for m in MEASURES],
        "MeasureName": [m.name[at] for m in MEASURES],
        "MeasureStandard": [m.standard[at] for m in MEASURES],
        "MeasureDirection": [DIRECTION_LABELS[lang][DIRECTIONS.index(m.direction)]
                             for m in MEASURES],
        "MeasureRule": [RULE_LABELS[lang][RULES.index(m.rule)] for m in MEASURES],
        "MeasureThreshold": [m.threshold for m in MEASURES],
        "MeasureTarget": [m.target for m in MEASURES],
        "MeasureStretch": [m.stretch for m in MEASURES],
        "MeasureCap": [m.cap for m in MEASURES],
        "MeasureDeduction": [m.deduction for m in MEASURES],
        "MeasureWeight": [m.weight for m in MEASURES],
        "GradeLabel": [g.label for g in grades], "GradeMin": [g.min_score for g in grades],
    }


def blank(lang: str) -> Form:
    return Form(lang, default_scheme(lang), {k: np.full(MONTHS, None, object) for k in INPUTS},
                names=SPEC.place(_sizes()))


def with_records(form: Form, records: list[dict[str, object]]) -> Form:
    """The form with ``records``: each a month ("Month", 1–12) and its actual values by name."""
    out = replace(form, inputs={k: np.full(MONTHS, None, object) for k in INPUTS})
    for rec in records:
        m = int(rec["Month"]) - 1  # type: ignore[call-overload]
        for key in INPUTS:
            out.inputs[key][m] = rec.get(key)
    return out


def demo(lang: str) -> Form:
    """Nine months of a year in progress: one month without a survey, one without sales."""
    rng = np.random.default_rng(7)
    records = []
    for month in range(1, 10):
        rec: dict[str, object] = {
            "Month": month,
            "ActualSurvey": None if month == 4 else float(rng.integers(70, 100)),
            "ActualComplaints": round(float(rng.uniform(0.005, 0.06)), 4),
            "ActualTeam": float(rng.integers(65, 100)),
            "ActualBusiness": float(rng.integers(0, 5)),
            "ActualQuality": round(float(rng.uniform(0.9, 1.0)), 3),
            "ActualSales": None if month == 7 else round(float(rng.uniform(0.7, 1.3)), 3),
            "ActualCooperation": round(float(rng.uniform(0.15, 0.45)), 3),
        }
        records.append(rec)
    form = with_records(blank(lang), records)
    form.supervisor, form.year = ("王丽" if lang == "zh" else "Li Wang"), 2026.0
    return form


def from_csv(path: Path, lang: str) -> Form:
    """One row per month: month (1–12) and one column per measure (the English keys or the
    measure names in either language); optional supervisor and year columns, the same on every
    row."""
    aliases = {"month": "Month", "月份": "Month", "supervisor": SUPERVISOR.name,
               SUPERVISOR.zh: SUPERVISOR.name, "year": YEAR.name, YEAR.zh: YEAR.name}
    for m, name in zip(MEASURES, ACTUALS):
        for alias in (m.csv, *m.name):
            aliases[alias.lower()] = name
    keys = ", ".join(m.csv for m in MEASURES)
    records, lines, _ = read_records(
        path, aliases, ["Month"], {SUPERVISOR.name}, MONTHS,
        (f"month, {keys}, supervisor, year(或表头:月份、各考核项目名称、被考核人、年度)",
         f"month, {keys}, supervisor, year"))
    file, seen = str(path), set()
    form = blank(lang)
    for line, rec in zip(lines, records):
        where = f"行/row {line}"
        month = rec.get("Month")
        if not (isinstance(month, float) and month.is_integer() and 1 <= month <= MONTHS):
            raise InputError("月份须为 1–12 的整数", "the month must be a whole number 1–12",
                             file, where, month, "1–12", "1–12")
        if month in seen:
            raise InputError("月份重复", "the month is repeated", file, where, month,
                             "每月一行", "one row per month")
        seen.add(month)
        for key, m in zip(ACTUALS, MEASURES):
            value = rec.get(key)
            if value is not None and not (isinstance(value, float) and value >= 0):
                raise InputError("须为 ≥ 0 的数字", "must be a number ≥ 0", file,
                                 f"{where}, {m.csv}", value, "≥ 0 的数字", "a number ≥ 0")
        for f, attr in ((SUPERVISOR, "supervisor"), (YEAR, "year")):
            value = rec.get(f.name)
            if value is None:
                continue
            value = f.check(value, f"{where}, {f.en.lower()}", file)
            if getattr(form, attr) not in (None, value):
                raise InputError(f"「{f.zh}」各行须相同", f"“{f.en}” must be the same on every "
                                 "row", file, where, value, getattr(form, attr),
                                 getattr(form, attr))
            setattr(form, attr, value)
    return replace(with_records(form, records), supervisor=form.supervisor, year=form.year)


# --- the scheme read back ------------------------------------------------------------------------

@dataclass(frozen=True)
class Rules:
    """The 方案 sheet as the reference needs it: each measure's rule, the weights, the bands."""

    params: list[RuleParams]
    weights: np.ndarray
    scores: Scores
    grade_labels: list[str]
    grade_mins: list[float]


def _column(scheme: Values, name: str) -> list:
    """A 方案 table column (the Values type does not know which names are lists)."""
    return scheme[name]  # type: ignore[return-value]


def rules(form: Form) -> Rules:
    s, lang = form.scheme, form.lang
    return Rules(shared.rule_params(s, "Measure", lang),
                 np.array(_column(s, "MeasureWeight"), float), shared.scores_of(s),
                 [str(x) for x in _column(s, "GradeLabel")],
                 [float(x) for x in _column(s, "GradeMin")])


# --- reference and formulas, block by block ------------------------------------------------------

def compute(form: Form) -> Computed:
    lang, s = form.lang, form.scheme
    ok, nd = shared.word(STATUS, lang, "ok"), NO_DATA[0 if lang == "zh" else 1]
    q = lambda t: f'"{t}"'  # noqa: E731 - a text constant in a formula
    r = rules(form)
    out = Computed()
    out.add_cells("scheme", SPEC.totals(form.names, s, lang))
    cells: Cells = {}

    # the measures' labels in every block, by formula: a measure renamed on 方案 follows on recalc
    text = {n: _column(s, n) for n in ("MeasureCategory", "MeasureName", "MeasureDirection",
                                        "MeasureStandard")}
    for i in range(N):
        n = i + 1
        for first in (ACTUAL_ROW, SCORE_ROW, WEIGHT_ROW):
            cells[f"A{first + i}"] = (f"INDEX(MeasureCategory,{n})", text["MeasureCategory"][i])
            cells[f"B{first + i}"] = (f"INDEX(MeasureName,{n})", text["MeasureName"][i])
        cells[f"C{ACTUAL_ROW + i}"] = (f"INDEX(MeasureDirection,{n})",
                                       text["MeasureDirection"][i])
        cells[f"{YEAR_COL}{ACTUAL_ROW + i}"] = (f"INDEX(MeasureStandard,{n})",
                                                text["MeasureStandard"][i])
        for first in (SCORE_ROW, WEIGHT_ROW):
            cells[f"C{first + i}"] = (f"INDEX(MeasureWeight,{n})", float(r.weights[i]))

    raw = np.array([form.inputs[k] for k in INPUTS], object)  # measures × months
    flat = raw.ravel()
    blank_in = is_blank(flat).reshape(N, MONTHS)
    number = is_number(flat).reshape(N, MONTHS)
    value = as_float(flat).reshape(N, MONTHS)
    negative = number & (np.nan_to_num(value) < 0)

    # filled inputs per month: a month with none is not started and computes blank
    filled = (~blank_in).sum(axis=0)
    for m, col in enumerate(MONTH_COLS):
        cells[f"{col}{FILLED_ROW}"] = (
            f'SUMPRODUCT(({col}{ACTUAL_ROW}:{col}{ACTUAL_ROW + N - 1}<>"")*1)', float(filled[m]))

    # scores: the measure's rule on each valid actual; a blank actual in a started month: no data
    valid = number & ~negative
    params = [p for p in r.params for _ in range(MONTHS)]
    scores = score(params, np.where(valid, value, np.nan).ravel(), r.scores).reshape(N, MONTHS)
    started = np.broadcast_to(filled > 0, (N, MONTHS))
    for i in range(N):
        n = i + 1
        for m, col in enumerate(MONTH_COLS):
            x = f"{col}{ACTUAL_ROW + i}"
            rule = score_formula(x, f"INDEX(MeasureRule,{n})", f"INDEX(MeasureDirection,{n})",
                                 f"INDEX(MeasureThreshold,{n})", f"INDEX(MeasureTarget,{n})",
                                 f"INDEX(MeasureStretch,{n})", f"INDEX(MeasureCap,{n})",
                                 f"INDEX(MeasureDeduction,{n})")
            shown = ("" if not started[i, m] else nd if blank_in[i, m]
                     else float(scores[i, m]) if valid[i, m] else "")
            cells[f"{col}{SCORE_ROW + i}"] = (
                f'IF({col}${FILLED_ROW}=0,"",IF({x}="",{q(nd)},IF(ISNUMBER({x}),'
                f'IF({x}<0,"",{rule}),"")))', shown)

    # each measure's mean score over the months it has one
    counts = (~np.isnan(scores)).sum(axis=1)
    sums = np.nansum(scores, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = excel_round(excel_round(sums, 8) / counts, YEAR_DECIMALS)
    any_started = bool(filled.sum() > 0)
    for i in range(N):
        span = f"{FIRST}{SCORE_ROW + i}:{LAST}{SCORE_ROW + i}"
        cnt = f"SUMPRODUCT(ISNUMBER({span})*1)"
        shown = float(means[i]) if counts[i] else nd if any_started else ""
        cells[f"{YEAR_COL}{SCORE_ROW + i}"] = (
            f'IF({cnt}=0,IF(SUM(${FIRST}${FILLED_ROW}:${LAST}${FILLED_ROW})=0,"",{q(nd)}),'
            f"ROUND(ROUND(SUM({span}),8)/{cnt},{YEAR_DECIMALS}))", shown)

    # the month's check: text or a negative actual, or only weightless measures with data
    has = ~np.isnan(scores)
    den = (has * r.weights[:, None]).sum(axis=0)
    status_key = np.select(
        [filled == 0, filled > number.sum(axis=0), negative.sum(axis=0) > 0, den == 0],
        ["", "not_number", "negative", "no_weight"], "ok")
    good = status_key == "ok"
    for m, col in enumerate(MONTH_COLS):
        actuals = f"{col}{ACTUAL_ROW}:{col}{ACTUAL_ROW + N - 1}"
        month_scores = f"{col}{SCORE_ROW}:{col}{SCORE_ROW + N - 1}"
        f = f"{col}{FILLED_ROW}"
        cells[f"{col}{STATUS_ROW}"] = (
            f'IF({f}=0,"",IF({f}>SUMPRODUCT(ISNUMBER({actuals})*1),'
            f'{q(shared.word(STATUS, lang, "not_number"))},IF(COUNTIF({actuals},"<0")>0,'
            f'{q(shared.word(STATUS, lang, "negative"))},IF(SUMPRODUCT(ISNUMBER({month_scores})*'
            f'{WEIGHTS_REF})=0,{q(shared.word(STATUS, lang, "no_weight"))},{q(ok)}))))',
            shared.word(STATUS, lang, status_key[m]) if status_key[m] else "")

    # effective weights: the no-data measures' weight re-spread over the month's others
    effective = weighting.effective_weights(scores.T, r.weights).T
    totals = np.where(good, weighting.total(scores.T, r.weights), np.nan)
    for m, col in enumerate(MONTH_COLS):
        month_scores = f"{col}${SCORE_ROW}:{col}${SCORE_ROW + N - 1}"
        check = f"{col}${STATUS_ROW}<>{q(ok)}"
        for i in range(N):
            cells[f"{col}{WEIGHT_ROW + i}"] = (
                f'IF({check},"",' + weighting.effective_weight_formula(
                    f"{col}{SCORE_ROW + i}", f"$C{SCORE_ROW + i}", month_scores, WEIGHTS_REF)
                + ")", float(effective[i, m]) if good[m] else "")
        # the month's weighted total and its grade
        cells[f"{col}{TOTAL_ROW}"] = (
            f'IF({check},"",{weighting.total_formula(month_scores, WEIGHTS_REF)})',
            float(totals[m]) if good[m] else "")
    grades = _grades(totals, r)
    for m, col in enumerate(MONTH_COLS):
        cells[f"{col}{GRADE_ROW}"] = (shared.grade_formula(f"{col}{TOTAL_ROW}"), grades[m])

    # the year: the mean of the months with a total, and its grade
    totals_span = f"{FIRST}{TOTAL_ROW}:{LAST}{TOTAL_ROW}"
    counted = int((~np.isnan(totals)).sum())
    year = (excel_round(excel_round(float(np.nansum(totals)), 8) / counted, YEAR_DECIMALS)
            if counted else np.nan)
    year_cell, counted_cell = f"{YEAR_COL}{TOTAL_ROW}", f"{YEAR_COL}{FILLED_ROW}"
    cells[counted_cell] = (f"SUMPRODUCT(ISNUMBER({totals_span})*1)", float(counted))
    cells[year_cell] = (f'IF({counted_cell}=0,"",ROUND(ROUND(SUM({totals_span}),8)/'
                        f"{counted_cell},{YEAR_DECIMALS}))", "" if np.isnan(year) else year)
    cells[f"{YEAR_COL}{GRADE_ROW}"] = (shared.grade_formula(year_cell),
                                       _grades(np.array([year]), r)[0])
    out.add_cells("card", cells)
    return out


def _grades(totals: np.ndarray, r: Rules) -> list[str]:
    return band_labels(totals, list(r.grade_labels), r.grade_mins).tolist()




# --- writing and reading the workbook ------------------------------------------------------------

def write(sheets: dict, form: Form, computed: Computed) -> dict[str, tuple[str, str]]:
    lang, zh = form.lang, form.lang == "zh"
    labels = SPEC.labels(lang)
    SPEC.write(sheets["scheme"], form.scheme, form.names, lang, computed.cells["scheme"])
    ws = sheets["card"]
    formulas = computed.cells["card"]
    ws["A1"].value = "客服主管月度绩效考核表" if zh else "Customer-service supervisor's monthly scorecard"
    ws["A1"].font = styles.TITLE
    ws["A2"].value = (
        "白色单元格填写每月实际值(比率以小数填写),灰色为公式;指标、评分标准与权重在“方案”表修改。"
        "某月未填写的指标显示“无数据”,其权重分给当月有数据的指标。" if zh else
        "White cells: each month's actual values (ratios as decimals); grey cells are formulas. "
        "Measures, scoring standards and weights are edited on the Scheme sheet. A measure left "
        "blank in a month shows “No data” and its weight goes to that month's other measures.")
    ws["A2"].font, ws["A2"].alignment = styles.NOTE, styles.WRAP
    ws.merge_cells(f"A2:{YEAR_COL}2")
    ws.row_dimensions[2].height = 30
    for label, ref, f, value in (("A3", "B3", SUPERVISOR, form.supervisor),
                                 ("D3", "E3", YEAR, form.year)):
        styles.label_cell(ws[label], f.label(lang), styles.HEADER)
        styles.input_cell(ws[ref], value, f.fmt)
        add_validation(ws, f, ref, lang, labels)

    month_fmt = '0"月"' if zh else '"Month "0'
    sections = (("一、实际值(填写)", "1. Actual values (inputs)"),
                ("二、得分", "2. Scores"),
                ("三、有效权重(无数据指标的权重按比例分给有数据的指标)",
                 "3. Effective weights (a no-data measure's weight goes to the others in "
                 "proportion)"),
                ("四、月度结果与年度结果", "4. Monthly and yearly results"))
    third = (("方向", "Direction"), ("权重", "Weight"), ("权重", "Weight"), ("", ""))
    last = (("评分标准", "Scoring standard"), ("全年平均", "Year mean"), ("", ""),
            ("全年(各月得分平均)", "Year (mean of the months)"))
    at = 0 if zh else 1
    for b, row in enumerate(SECTION):
        ws.cell(row, 1, sections[b][at]).font = styles.SECTION
        heads = ([("考核指标", "Indicator")[at], ("考核项目", "Measure")[at], third[b][at]]
                 if b < 3 else [("结果", "Result")[at], "", ""])
        for c, head in enumerate(heads, 1):
            styles.header(ws.cell(row + 1, c), head)
        for m, col in enumerate(MONTH_COLS):
            styles.header(ws[f"{col}{row + 1}"], m + 1)
            ws[f"{col}{row + 1}"].number_format = month_fmt
        if last[b][at]:
            styles.header(ws[f"{YEAR_COL}{row + 1}"], last[b][at])
    results = (("校验", "Check"), ("月度得分", "Monthly score"), ("等级", "Grade"),
               ("已填项数(全年:计分月数)", "Inputs filled (year: months scored)"))
    for row, label in zip(range(STATUS_ROW, FILLED_ROW + 1), results):
        styles.label_cell(ws.cell(row, 1), label[at], styles.HEADER)
    for i, key in enumerate(INPUTS):
        for col, value in zip(MONTH_COLS, form.inputs[key].tolist()):
            cell = ws[f"{col}{ACTUAL_ROW + i}"]
            styles.input_cell(cell, value, ACTUAL.fmt)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed text such as "=x" stays text
    add_validation(ws, ACTUAL, f"{FIRST}{ACTUAL_ROW}:{LAST}{ACTUAL_ROW + N - 1}", lang, labels)
    for ref, (formula, _v) in formulas.items():
        col, row = split_cell(ref)
        styles.formula_cell(ws[ref], formula, _format(col, row),
                            styles.HELPER_FILL if row == FILLED_ROW else styles.FORMULA_FILL)
        if col in "AB" or row < SCORE_ROW:
            ws[ref].alignment = styles.WRAP
    for row, key in row_keys().items():
        ws[f"{KEY_COL}{row}"] = key
    ws.column_dimensions[KEY_COL].hidden = True
    for col, width in (("A", 16), ("B", 20), ("C", 12), (YEAR_COL, 40)):
        ws.column_dimensions[col].width = width
    for col in MONTH_COLS:
        ws.column_dimensions[col].width = 9 if zh else 10
    ws.freeze_panes = "D4"
    ws.print_area = f"A1:{YEAR_COL}{FILLED_ROW}"
    styles.protect(ws)
    names = {n: ("scheme", ref) for n, ref in form.names.items()}
    names.update({n: ("card", ref) for n, ref in layout_names().items()})
    return names


def _format(col: str, row: int) -> str | None:
    """The number format of a formula cell of the main sheet (None: text)."""
    if row == FILLED_ROW:
        return styles.INTEGER
    if col in "AB" or row < SCORE_ROW or row in (STATUS_ROW, GRADE_ROW):
        return None
    if col == "C":
        return styles.PERCENT
    return "0.00%" if WEIGHT_ROW <= row < WEIGHT_ROW + N else styles.SCORE


def _moved(file: str, where: str, found: object, expected: str, sheet: str) -> InputError:
    return InputError(f"{sheet}的布局与 xlperf 写入的不一致(行或列被插入、删除或移动?)",
                      f"the {sheet} sheet's layout is not what xlperf wrote (rows or columns "
                      "inserted, deleted or moved?)", file, where, found, expected, expected)


def read(grids: dict, names: dict[str, tuple[str, str]], lang: str, file: str) -> Form:
    scheme_names = {n: ref for n, (key, ref) in names.items() if key == "scheme"}
    grid = grids["scheme"]
    for name, placed in SPEC.place(_sizes()).items():
        ref = placed.replace("$", "")
        if scheme_names.get(name, ref) != ref:
            raise _moved(file, f"{grid.sheet}!{scheme_names[name]}", name, ref, grid.sheet)
    scheme = SPEC.read(grid, scheme_names, lang, file)

    def where(name: str, i: int) -> str:
        return f"{grid.sheet}!{Grid.cells(scheme_names[name])[i]}"

    form = Form(lang, scheme, {}, names=scheme_names)
    r = rules(form)
    for i, p in enumerate(r.params):
        p.validated(where("MeasureRule", i), file)
    shared.check_grades(r.grade_mins, f"{grid.sheet}!{scheme_names['GradeMin']}", file)

    card = grids["card"]
    expected = layout_names()
    for name, placed in expected.items():
        ref, found = placed.replace("$", ""), names.get(name, ("card", None))[1]
        if found != ref:
            raise _moved(file, f"{card.sheet}!{found or ref}", name, ref, card.sheet)
    for row, key in row_keys().items():
        if card.get(f"{KEY_COL}{row}") != key:
            raise _moved(file, f"{card.sheet}!{KEY_COL}{row}", card.get(f"{KEY_COL}{row}"), key,
                         card.sheet)
    form.supervisor = SUPERVISOR.check(card.get("B3"), f"{card.sheet}!B3", file)  # type: ignore
    form.year = YEAR.check(card.get("E3"), f"{card.sheet}!E3", file)  # type: ignore
    form.inputs = {k: np.array([card.get(c) for c in Grid.cells(expected[k])], object)
                   for k in INPUTS}
    return form
