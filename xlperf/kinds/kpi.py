"""KPI dictionary (KPI辞典): table 12 and the quality-of-work measures on the 方案 sheet — each KPI's
definition, data source, direction, scoring rule, points and weight — and a sheet of records, one
per department, period and KPI, that computes the value, the score, the re-spread weight and the
department's weighted total.

Reference and formula side by side, column by column, in sheet order.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import kpi as library
from .. import styles
from . import shared
from ..cells import as_float, has_wildcard, is_blank, is_number, wildcard_test
from ..csvfile import read_records
from ..errors import InputError
from ..fields import Field
from ..grid import Grid
from ..groups import fold, group_ids, group_sum, group_sum_formula, keys
from ..live import Computed
from ..params import Spec, Table as ParamTable, Values
from ..rounding import excel_round
from ..scoring import DIRECTION_LABELS, DIRECTIONS, RULE_LABELS, RULES, RuleParams, Scores, score, \
    score_formula

KIND = "kpi"
SHEETS = {"records": ("KPI考核", "KPI Records"), "scheme": ("方案", "Scheme")}
DEFAULT_ROWS = 300
#: Each row sums its group (SUMPRODUCT), so the cost grows with rows²: 18 s in LibreOffice at 5,000.
MAX_ROWS = 5_000
TOTAL_DECIMALS = 2

STATUS = {  # key -> (zh, en): what the check column says
    "ok": ("正常", "OK"),
    "missing": ("缺部门或期间", "No department or period"),
    "unknown": ("未知指标", "Unknown KPI"),
    "duplicate": ("重复", "Duplicate"),
    "not_number": ("非数字", "Not a number"),
    "bad_target": ("目标不适用", "Target unusable"),
}
NO_DATA = ("无数据", "No data")

# KPI key -> (rule, threshold, target, stretch, deduction per unit, weight): the defaults on 方案.
DEFAULTS = {
    "written_procedures": ("linear", 0.6, 0.9, 1.0, 0, 0.06),
    "plan_completion": ("ratio", None, 1.0, None, 0, 0.12),
    "report_error_rate": ("step", 0.05, 0.02, 0.005, 0, 0.08),
    "archiving_rate": ("linear", 0.8, 0.95, 1.0, 0, 0.06),
    "market_research_quality": ("linear", 60, 80, 95, 0, 0.08),
    "feasibility_quality": ("linear", 60, 80, 95, 0, 0.08),
    "financial_report_error_rate": ("veto", None, 0.01, None, 0, 0.08),
    "financial_analysis_error_rate": ("step", 0.05, 0.02, 0.01, 0, 0.06),
    "budget_accuracy": ("linear", 0.8, 0.95, 1.0, 0, 0.10),
    "kpi_dictionary_timeliness": ("step", 60, 80, 95, 0, 0.04),
    "proposal_success_rate": ("ratio", None, 0.5, None, 0, 0.06),
    "report_timeliness": ("linear", 0.8, 0.95, 1.0, 0, 0.06),
    "defect_rate": ("linear", 0.03, 0.01, 0.005, 0, 0.06),
    "work_errors": ("deduction", None, None, None, 5, 0.06),
}
VALUE_FMT = shared.RULE_VALUE_FMT

SPEC = Spec(
    title=("KPI辞典与计分方案", "KPI dictionary and scoring scheme"),
    scalars=shared.SCORE_FIELDS,
    tables=(ParamTable("KPI辞典(表12 内部营运类指标及工作质量指标)",
                       "KPI dictionary (table 12, internal operations, and quality of work)", (
        Field("KpiName", "关键绩效指标", "KPI", text=True, width=30),
        Field("KpiDefinition", "指标定义/计算公式", "Definition / formula", text=True, width=40),
        Field("KpiSource", "数据来源", "Data source", text=True, width=20),
        Field("KpiKind", "类型", "Kind", choices="KindLabels", width=12),
        *shared.rule_fields("Kpi"),
        Field("KpiWeight", "权重", "Weight", styles.PERCENT, 0, 1, width=8),
    ), total="KpiWeight"),),
    lists={"KindLabels": (library.KIND_LABELS["zh"], library.KIND_LABELS["en"]),
           **shared.RULE_LISTS},
    notes=(("比率类指标以小数填写(95% 即 0.95);门槛、目标、挑战按指标方向排列;权重合计须为 100%。",
            "Ratios as decimals (95% is 0.95); threshold, target and stretch in the KPI's "
            "direction; weights must make 100%."),
           ("某部门某期间无数据的指标不计分,其权重按比例分给有数据的指标(见“有效权重”列)。",
            "A KPI without data for a department and period is not scored; its weight is shared "
            "by the KPIs with data in proportion (see the effective-weight column)."),
           ("完成比率 = 实际 ÷ 目标 × 100,封顶;线性插值:门槛 → 门槛得分,目标 → 目标得分,挑战 → "
            "挑战得分;分段计分:未达门槛 0,门槛至目标 80,达目标 100,达挑战 120;否决:未达目标 0;"
            "扣分制:目标得分 − 每项扣分 × 次数(或差额),最低 0。",
            "Ratio = actual ÷ target × 100, capped; linear: threshold → threshold score, target → "
            "target score, stretch → stretch score; steps: below threshold 0, threshold to target "
            "80, target 100, stretch 120; veto: below target 0; deduction: target score − "
            "deduction × count (or shortfall), not below 0."),
           ),
)

RECORDS = (
    Field("ColDept", "部门", "Department", "@", text=True, optional=True, width=12),
    Field("ColPeriod", "期间", "Period", "@", text=True, optional=True, width=10),
    Field("ColKpi", "关键绩效指标", "KPI", choices="KpiName", optional=True, width=30),
    Field("ColFirst", "分子/实际值", "Numerator / actual", "#,##0.######", optional=True),
    Field("ColSecond", "分母/预算", "Denominator / budget", "#,##0.######", optional=True),
    Field("ColTargetIn", "目标(空 = 方案)", "Target (blank = scheme)", VALUE_FMT, optional=True),
    Field("ColStatus", "校验", "Check", formula=True, width=13),
    Field("ColValue", "指标值", "Value", VALUE_FMT, formula=True),
    Field("ColTarget", "采用目标", "Target used", VALUE_FMT, formula=True),
    Field("ColScore", "得分", "Score", styles.SCORE, formula=True, width=9),
    Field("ColWeight", "权重", "Weight", "0.00%", formula=True, width=8),
    Field("ColEffective", "有效权重", "Effective weight", "0.00%", formula=True, width=9),
    Field("ColTotal", "部门期间得分", "Dept. period score", styles.SCORE, formula=True),
    Field("ColIndex", "指标序号", "KPI row", styles.INTEGER, formula=True, helper=True, width=7),
    Field("ColCounted", "计入权重", "Weight counted", "0.00%", formula=True, helper=True),
    Field("ColWeighted", "权重×得分", "Weight × score", "0.0000", formula=True, helper=True),
)
INPUTS = ("ColDept", "ColPeriod", "ColKpi", "ColFirst", "ColSecond", "ColTargetIn")
#: export: CSV column -> field
EXPORT = {"department": "ColDept", "period": "ColPeriod", "kpi": "ColKpi", "value": "ColValue",
          "target": "ColTarget", "score": "ColScore", "weight": "ColWeight",
          "effective_weight": "ColEffective", "total": "ColTotal", "status": "ColStatus"}
CSV_KEYS = {"ColDept": "department", "ColPeriod": "period", "ColKpi": "kpi",
            "ColFirst": "numerator", "ColSecond": "denominator", "ColTargetIn": "target"}
CSV_ALIASES = {"actual": "ColFirst", "budget": "ColSecond"}


Form = shared.Form



def default_scheme(lang: str) -> Values:
    kpis = library.DICTIONARY
    kind_labels = library.KIND_LABELS[lang]
    rule_labels = RULE_LABELS[lang]
    direction_labels = DIRECTION_LABELS[lang]
    d = [DEFAULTS[k.key] for k in kpis]
    return {
        **shared.score_defaults(),
        "KpiName": [k.name if lang == "zh" else k.name_en for k in kpis],
        "KpiDefinition": [k.definition for k in kpis],
        "KpiSource": [k.source for k in kpis],
        "KpiKind": [kind_labels[library.KINDS.index(k.kind)] for k in kpis],
        "KpiDirection": [direction_labels[DIRECTIONS.index(k.direction)] for k in kpis],
        "KpiRule": [rule_labels[RULES.index(x[0])] for x in d],
        "KpiThreshold": [x[1] for x in d], "KpiTarget": [x[2] for x in d],
        "KpiStretch": [x[3] for x in d], "KpiCap": [1.2] * len(d),
        "KpiDeduction": [x[4] for x in d], "KpiWeight": [x[5] for x in d],
    }


def blank(lang: str, rows: int = DEFAULT_ROWS) -> Form:
    scheme = default_scheme(lang)
    return Form(lang, scheme, shared.empty_inputs(RECORDS, rows), rows,
                SPEC.place({"KpiName": len(scheme["KpiName"])}), RECORDS)  # type: ignore[arg-type]


with_records = shared.with_records


def demo(lang: str) -> Form:
    """Two departments, two months: every KPI recorded, some without data, one left out."""
    rng = np.random.default_rng(12)
    names = default_scheme(lang)["KpiName"]
    depts = ("财务部", "综合管理部") if lang == "zh" else ("Finance", "Administration")
    rows = []
    for dept in depts:
        for period in ("2026-01", "2026-02"):
            for k, name in zip(library.DICTIONARY, names):  # type: ignore[arg-type]
                if k.key == "kpi_dictionary_timeliness" and dept == depts[1]:
                    continue  # not measured there: its weight is re-spread
                first, second = _sample(k, rng)
                if k.key == "proposal_success_rate" and period.endswith("02"):
                    first, second = 0, 0  # nothing proposed: no data
                rows.append({"ColDept": dept, "ColPeriod": period, "ColKpi": name,
                                "ColFirst": first, "ColSecond": second})
    return with_records(blank(lang), rows)


def _sample(k: library.Kpi, rng: np.random.Generator) -> tuple[float, float | None]:
    if k.kind == "ratio":
        total = int(rng.integers(20, 200))
        share = rng.uniform(0.85, 1.0) if k.direction == "higher" else rng.uniform(0, 0.06)
        return float(round(total * share)), float(total)
    if k.kind == "budget_accuracy":
        budget = float(rng.integers(100, 900)) * 1000
        return float(round(budget * rng.uniform(0.85, 1.15), -2)), budget
    if k.kind == "rating":
        return float(rng.integers(55, 100)), None
    return float(rng.integers(0, 8)), None


def from_csv(path: Path, lang: str) -> Form:
    """Records from a CSV: department, period, kpi, numerator, denominator, target (or the
    sheet's headers in either language)."""
    aliases = {**shared.csv_aliases(RECORDS, CSV_KEYS), **CSV_ALIASES}
    form = blank(lang)
    found, lines, _ = read_records(
        path, aliases, ["ColDept", "ColPeriod", "ColKpi"], {"ColDept", "ColPeriod", "ColKpi"},
        MAX_ROWS, ("department, period, kpi, numerator, denominator, target(或表头:部门、期间、"
                   "关键绩效指标、分子/实际值、分母/预算、目标)",
                   "department, period, kpi, numerator, denominator, target"))
    known = {fold(str(n)) for n in form.scheme["KpiName"]}  # type: ignore[union-attr]
    for line, rec in zip(lines, found):
        name = rec.get("ColKpi")
        if name is not None and fold(str(name)) not in known:
            raise InputError("未知指标(须为方案中的 KPI 名称)", "unknown KPI (use a KPI name from "
                             "the scheme)", str(path), f"行/row {line}", name,
                             "、".join(map(str, form.scheme["KpiName"])),  # type: ignore[arg-type]
                             ", ".join(map(str, form.scheme["KpiName"])))  # type: ignore[arg-type]
        for key in ("ColFirst", "ColSecond", "ColTargetIn"):
            if rec.get(key) is not None and not isinstance(rec[key], float):
                raise InputError("须为数字", "must be a number", str(path),
                                 f"行/row {line}, {CSV_KEYS[key]}", rec[key], "数字", "a number")
    return with_records(form, found)


# --- the scheme read back ------------------------------------------------------------------------

@dataclass(frozen=True)
class Rules:
    """The 方案 table as arrays, one entry per KPI, for the vectorized reference."""

    names: list[str]
    kinds: list[str]
    params: list[RuleParams]
    weights: np.ndarray
    scores: Scores


def rules(form: Form) -> Rules:
    s, lang = form.scheme, form.lang
    kinds = [library.KINDS[library.KIND_LABELS[lang].index(x)] for x in s["KpiKind"]]  # type: ignore[union-attr]
    return Rules([str(n) for n in s["KpiName"]], kinds,  # type: ignore[union-attr]
                 shared.rule_params(s, "Kpi", lang), np.array(s["KpiWeight"], float),
                 shared.scores_of(s))


# --- reference and formulas, column by column ---------------------------------------------------

def compute(form: Form) -> Computed:
    t, lang, inp = form.table, form.lang, form.inputs
    c = t.cell
    ok, nd = shared.word(STATUS, lang, "ok"), NO_DATA[0 if lang == "zh" else 1]
    word = shared.quoted(STATUS, lang)
    q = lambda s: f'"{s}"'  # noqa: E731 - a text constant in a formula
    r = rules(form)
    out = Computed()
    out.add_cells("scheme", SPEC.totals(form.names, form.scheme, lang))

    column = shared.columns_of(out, "records", t)

    dept, period, kpi = inp["ColDept"], inp["ColPeriod"], inp["ColKpi"]
    first, second, target_in = inp["ColFirst"], inp["ColSecond"], inp["ColTargetIn"]

    # KPI row on 方案: MATCH is case-insensitive and reads wildcards, so those are refused
    name_keys = {k: i for i, k in reversed(list(enumerate(keys(np.array(r.names, object)))))}
    wild = has_wildcard(kpi)
    index = np.array([np.nan if w or b else name_keys.get(k, np.nan) for k, w, b in
                      zip(keys(kpi), wild, is_blank(kpi))], float)
    known = ~np.isnan(index)
    at = np.where(known, index, 0).astype(int)
    K, I = c("ColKpi"), c("ColIndex")  # noqa: N806 - cells, as in the sheet
    column("ColIndex", f'IF(OR({K}="",{wildcard_test(K)}),"",IF(ISNA(MATCH({K},KpiName,0)),"",'
                       f"MATCH({K},KpiName,0)))", np.where(known, index + 1, np.nan))

    # the target used: the row's own, else the scheme's (a blank scheme target reads as 0)
    scheme_target = np.array([np.nan if p.target is None else p.target for p in r.params])
    own = is_number(target_in)
    target = np.where(own, as_float(target_in), np.nan_to_num(scheme_target[at]))
    target = np.where(known, target, np.nan)
    G, T = c("ColTarget"), c("ColTargetIn")  # noqa: N806
    column("ColTarget", f'IF({I}="","",IF(ISNUMBER({T}),{T},INDEX(KpiTarget,{I})+0))', target)

    # check
    inputs = [dept, period, kpi, first, second, target_in]
    all_blank = np.logical_and.reduce([is_blank(x) for x in inputs])
    group = group_ids(dept, period)
    same_kpi = group_ids(dept, period, kpi)
    counts = np.bincount(same_kpi)[same_kpi]
    not_number = np.logical_or.reduce([~is_blank(x) & ~is_number(x)
                                       for x in (first, second, target_in)])
    rule = np.array([RULES.index(p.rule) for p in r.params])[at]
    sign = np.array([1.0 if p.direction == "higher" else -1.0 for p in r.params])[at]
    thr = np.array([np.nan if p.threshold is None else p.threshold for p in r.params])[at]
    stretch = np.array([np.nan if p.stretch is None else p.stretch for p in r.params])[at]
    ordered = (sign * thr < sign * target) & (sign * target < sign * stretch)
    bad_target = np.select([rule == 0, (rule == 1) | (rule == 2)], [~(target > 0), ~ordered],
                           False)
    status_key = np.select(
        [all_blank, is_blank(dept) | is_blank(period), ~known, counts > 1, not_number,
         bad_target], ["", "missing", "unknown", "duplicate", "not_number", "bad_target"], "ok")
    status = shared.words_of(STATUS, lang, status_key)
    D, P, F, S = c("ColDept"), c("ColPeriod"), c("ColFirst"), c("ColSecond")  # noqa: N806
    sgn = f"(1-2*(INDEX(KpiDirection,{I})=LowerLabel))"
    th, st = f"INDEX(KpiThreshold,{I})", f"INDEX(KpiStretch,{I})"
    in_order = f"NOT(AND({sgn}*{th}<{sgn}*{G},{sgn}*{G}<{sgn}*{st}))"
    target_bad = (f"CHOOSE(MATCH(INDEX(KpiRule,{I}),RuleLabels,0),NOT({G}>0),{in_order},"
                  f"{in_order},FALSE,FALSE)")
    dup = group_sum_formula([("ColDept", D), ("ColPeriod", P), ("ColKpi", K)], "1")
    number = ",".join(f'NOT(OR({x}="",ISNUMBER({x})))' for x in (F, S, T))
    blank_row = ",".join(f'{x}=""' for x in (D, P, K, F, S, T))
    column("ColStatus", (
        f'IF(AND({blank_row}),"",IF(OR({D}="",{P}=""),{word["missing"]},'
        f'IF({I}="",{word["unknown"]},IF({dup}>1,{word["duplicate"]},'
        f'IF(OR({number}),{word["not_number"]},'
        f'IF({target_bad},{word["bad_target"]},{word["ok"]}))))))'), status)
    good = status_key == "ok"

    # value: ratio, budget accuracy, rating or count; no data says so
    kind = np.array([r.kinds[i] for i in at.tolist()], object)
    value = library.value(kind, np.where(good, as_float(first), np.nan),
                          np.where(good, as_float(second), np.nan))
    value = np.where(good, value, np.nan)
    V, Stat = c("ColValue"), c("ColStatus")  # noqa: N806
    value_out = np.where(good & np.isnan(value), nd, np.where(good, value, None)).astype(object)
    value_out[good & ~np.isnan(value)] = value[good & ~np.isnan(value)]
    column("ColValue", f'IF({Stat}<>{q(ok)},"",' + library.value_formula(
        f"MATCH(INDEX(KpiKind,{I}),KindLabels,0)", F, S, q(nd)) + ")", value_out)

    # score under the KPI's rule, with the row's target
    row_params = [RuleParams(p.rule, p.direction, p.threshold, tg, p.stretch, p.cap,
                             p.deduction)
                  for p, tg in zip((r.params[i] for i in at.tolist()), target.tolist())]
    scores = np.where(good, score(row_params, value, r.scores), np.nan)
    score_out = np.where(good & np.isnan(scores), nd, None).astype(object)
    score_out[~np.isnan(scores)] = scores[~np.isnan(scores)]
    column("ColScore", score_formula(
        V, f"INDEX(KpiRule,{I})", f"INDEX(KpiDirection,{I})", th, G, st, f"INDEX(KpiCap,{I})",
        f"INDEX(KpiDeduction,{I})", otherwise=f'IF({V}="","",{V})'), score_out)

    # weights: the scheme's, then re-spread over the KPIs with data in the department and period
    weight = np.where(good, r.weights[at], np.nan)
    Sc, W = c("ColScore"), c("ColWeight")  # noqa: N806
    column("ColWeight", f'IF({Stat}<>{q(ok)},"",INDEX(KpiWeight,{I}))', weight)
    has = ~np.isnan(scores)
    counted = np.where(has, weight, 0.0)
    weighted = np.where(has, weight * np.nan_to_num(scores), 0.0)
    den = group_sum(group, counted)
    num = group_sum(group, weighted)
    pairs = [("ColDept", D), ("ColPeriod", P)]
    Cn = c("ColCounted")  # noqa: N806
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = np.where(good, np.where(counted == 0, 0.0, counted / den), np.nan)
        total = excel_round(excel_round(num, 8) / excel_round(den, 8), TOTAL_DECIMALS)
    column("ColEffective", f'IF({Stat}<>{q(ok)},"",IF({Cn}=0,0,{Cn}/'
                           f"{group_sum_formula(pairs, 'ColCounted')}))", effective)
    total_out = np.where(good & (den == 0), nd, None).astype(object)
    total_out[good & (den > 0)] = total[good & (den > 0)]
    d_sum = group_sum_formula(pairs, "ColCounted")
    column("ColTotal", f'IF({Stat}<>{q(ok)},"",IF({d_sum}=0,{q(nd)},ROUND(ROUND('
                       f"{group_sum_formula(pairs, 'ColWeighted')},8)/ROUND({d_sum},8),"
                       f"{TOTAL_DECIMALS})))", total_out)
    column("ColCounted", f"IF(ISNUMBER({Sc}),{W},0)", counted)
    column("ColWeighted", f"IF(ISNUMBER({Sc}),{W}*{Sc},0)", weighted)
    return out



# --- writing and reading the workbook ------------------------------------------------------------

def write(sheets: dict, form: Form, computed: Computed) -> dict[str, tuple[str, str]]:
    lang = form.lang
    labels = SPEC.labels(lang)
    labels["KpiName"] = tuple(map(str, form.scheme["KpiName"]))  # type: ignore[arg-type]
    SPEC.write(sheets["scheme"], form.scheme, form.names, lang, computed.cells["scheme"])
    note = ("每行一个部门、一个期间、一个指标:白色单元格填写,灰色为公式。比率填分子与分母;预算准确率填实际"
            "与预算;评分、计数只填第一列。目标可空(用方案中的目标)。" if lang == "zh" else
            "One row per department, period and KPI: white cells are inputs, grey cells formulas. "
            "Ratios: numerator and denominator; budget accuracy: actual and budget; ratings and "
            "counts: the first column only. Target may be blank (the scheme's target applies).")
    form.table.write(sheets["records"], "KPI 考核记录" if lang == "zh" else "KPI records", note,
                     {k: v.tolist() for k, v in form.inputs.items()}, computed, "records", lang,
                     labels)
    names = {n: ("scheme", ref) for n, ref in form.names.items()}
    names.update({n: ("records", ref) for n, ref in form.table.names().items()})
    return names


def read(grids: dict, names: dict[str, tuple[str, str]], lang: str, file: str) -> Form:
    scheme, scheme_names, grid = shared.read_scheme(SPEC, grids, names, lang, file)

    def where(name: str) -> list[str]:
        return [f"{grid.sheet}!{ref}" for ref in Grid.cells(scheme_names[name])]

    shared.refuse_repeats(scheme["KpiName"], where("KpiName"), file)  # type: ignore[arg-type]
    form = Form(lang, scheme, {}, 0, scheme_names, RECORDS)
    for p, place in zip(rules(form).params, where("KpiRule")):
        p.validated(place, file)
    return shared.read_inputs(form, grids, names, "records", file)
