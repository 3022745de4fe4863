"""Goals (目标管理, MBO): the seed's management by objectives — each person's goals carry weights
that make 100%, and points are awarded on completion: a fully weighted goal is worth the 方案's
points, partial completion earns proportional points above a threshold (or nothing), over-
achievement counts up to a cap; the person's total points get a grade from the appraisal's bands.

Sheets: 目标管理 (one row per goal: inputs, check, the person's weight total and its gap to 100%,
the completion counted, points, the person's total and grade) and 方案. Reference and formula side
by side, column by column, in sheet order.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import shared
from ..cells import as_float, band_labels, is_blank, is_number
from ..csvfile import read_records
from ..fields import Field
from ..groups import group_ids, group_sum, group_sum_formula
from ..live import Computed
from ..params import Spec, Values
from ..params import Table as ParamTable
from ..rounding import excel_round
from ..scheme import default_scheme as appraisal_scheme

KIND = "goals"
SHEETS = {"records": ("目标管理", "Goals"), "scheme": ("方案", "Scheme")}
DEFAULT_ROWS = 300
MAX_ROWS = 5_000
POINTS_DECIMALS = 2
WEIGHT_DECIMALS = 6  # a person's weight total is compared with 100% at this precision

STATUS = {  # key -> (zh, en): what the check column says, in the order it is tested
    "ok": ("正常", "OK"),
    "no_id": ("缺工号", "No ID"),
    "no_goal": ("缺目标", "No goal"),
    "duplicate": ("目标重复", "Duplicate goal"),
    "not_number": ("权重或完成度无效", "Bad weight or completion"),
    "weights": ("权重合计≠100%", "Weights ≠ 100%"),
    "not_assessed": ("未评估", "Not assessed"),
}
#: Defaults: points of a goal weighted 100% and fully completed; partial completion earns
#: proportional points from the threshold on; completion counts up to the cap.
DEFAULT_POINTS, DEFAULT_THRESHOLD, DEFAULT_CAP = 100.0, 0.6, 1.2
WEIGHT_FMT, COMPLETION_FMT = "0.0%", "0.0%"

SPEC = Spec(
    title=("目标管理(MBO)积分方案", "Management by objectives: points scheme"),
    scalars=(
        Field("GoalPoints", "满权重目标积分(权重 100%、完成 100%)",
              "Points of a goal weighted 100%, fully completed", "0.00", 0, 1_000_000),
        Field("GoalProportional", "部分完成按比例计分", "Partial completion earns proportional points",
              choices="YesNo"),
        Field("GoalThreshold", "按比例计分门槛(完成度)", "Threshold for proportional points",
              COMPLETION_FMT, 0, 1),
        Field("GoalCap", "完成度封顶", "Completion cap", COMPLETION_FMT, 1, 10),
    ),
    tables=(ParamTable("等级(按个人总积分,同考核等级)", "Grades (of the person's total points, as "
                       "in the appraisal)", (
        Field("GradeLabel", "等级", "Grade", text=True, width=14),
        Field("GradeMin", "最低积分", "Minimum points", "0.00", 0, width=12),
    )),),
    lists={"YesNo": (("是", "否"), ("Yes", "No")), "YesLabel": (("是",), ("Yes",))},
    notes=(("每人的目标权重合计须为 100%;不足或超出的人,其全部目标行在校验列标出(差额见“权重差额”列),不计积分。",
            "Each person's goal weights must make 100%; every goal row of a person whose weights do "
            "not is flagged in the check column (the gap is in the weight-gap column) and earns "
            "no points."),
           ("计入完成度:完成度 ≥ 100% 时按完成度计,最高到封顶;按比例计分时,门槛 ≤ 完成度 < 100% 按完成度计,"
            "低于门槛为 0;不按比例时未达 100% 为 0。积分 = 满权重目标积分 × 权重 × 计入完成度,保留 2 位小数。",
            "Completion counted: from 100% on, the completion up to the cap; with proportional "
            "points, from the threshold to 100% the completion itself, below it 0; without, "
            "anything below 100% counts 0. Points = points of a full goal × weight × completion "
            "counted, to 2 decimals."),
           ("完成度空白 = 未评估:该目标不计积分;某人的目标全部正常且已评估后才给出个人总积分和等级。"
            "工号相同(不分大小写)即为同一人。",
            "A blank completion means not yet assessed: no points for that goal; the person's "
            "total and grade appear once all their goals are OK and assessed. Rows with the same "
            "ID (case ignored) are one person."),
           ),
)

RECORDS = (
    *shared.person(),
    Field("ColGoal", "目标", "Goal", "@", text=True, optional=True, width=34),
    Field("ColWeight", "权重", "Weight", WEIGHT_FMT, 0, 1, optional=True, width=8),
    Field("ColCompletion", "完成度(空 = 未评估)", "Completion (blank = not assessed)",
          COMPLETION_FMT, 0, optional=True, width=11),
    Field("ColStatus", "校验", "Check", formula=True, width=14),
    Field("ColWeightSum", "个人权重合计", "Person's weight total", WEIGHT_FMT, formula=True, width=10),
    Field("ColGap", "权重差额(100% − 合计)", "Weight gap (100% − total)", WEIGHT_FMT, formula=True,
          width=10),
    Field("ColCounted", "计入完成度", "Completion counted", COMPLETION_FMT, formula=True, width=10),
    Field("ColPoints", "积分", "Points", "0.00", formula=True, width=9),
    Field("ColTotal", "个人总积分", "Person's total points", "0.00", formula=True, width=10),
    Field("ColGrade", "等级", "Grade", formula=True, width=9),
)
INPUTS = ("ColId", "ColName", "ColGoal", "ColWeight", "ColCompletion")
#: export: CSV column -> field
EXPORT = {"id": "ColId", "name": "ColName", "goal": "ColGoal", "weight": "ColWeight",
          "completion": "ColCompletion", "weight_total": "ColWeightSum", "weight_gap": "ColGap",
          "completion_counted": "ColCounted", "points": "ColPoints", "total_points": "ColTotal",
          "grade": "ColGrade", "status": "ColStatus"}
CSV_KEYS = {"ColId": "id", "ColName": "name", "ColGoal": "goal", "ColWeight": "weight",
            "ColCompletion": "completion"}
CSV_TEXT = {"ColId", "ColName", "ColGoal"}


Form = shared.Form



def default_scheme(lang: str) -> Values:
    grades = appraisal_scheme(lang).grades
    return {"GoalPoints": DEFAULT_POINTS, "GoalProportional": SPEC.labels(lang)["YesLabel"][0],
            "GoalThreshold": DEFAULT_THRESHOLD, "GoalCap": DEFAULT_CAP,
            "GradeLabel": [g.label for g in grades], "GradeMin": [g.min_score for g in grades]}


def blank(lang: str, rows: int = DEFAULT_ROWS) -> Form:
    scheme = default_scheme(lang)
    return Form(lang, scheme, shared.empty_inputs(RECORDS, rows), rows,
                SPEC.place({"GradeLabel": len(scheme["GradeLabel"])}),  # type: ignore[arg-type]
                RECORDS)


with_records = shared.with_records


def demo(lang: str) -> Form:
    """Six people: over- and under-achievers, one whose weights make 90%, one not yet assessed."""
    zh = lang == "zh"
    goals = (("客户满意度达到 90%", "Customer satisfaction at 90%"),
             ("投诉一次解决率 85%", "Complaints solved first time: 85%"),
             ("完成业务知识培训", "Complete product training"),
             ("知识库新增 20 篇", "20 new knowledge-base articles"),
             ("平均响应时间 ≤ 30 秒", "Average response ≤ 30 s"))
    people = [  # (weights, completions); None = not yet assessed
        ((0.4, 0.3, 0.3), (1.1, 0.95, 1.0)),
        ((0.5, 0.3, 0.2), (1.35, 1.0, 0.7)),
        ((0.25, 0.25, 0.25, 0.25), (0.8, 0.55, 1.0, 0.6)),
        ((0.4, 0.3, 0.2), (1.0, 1.0, 1.0)),  # weights make 90%: flagged, no points
        ((0.6, 0.4), (0.9, None)),  # one goal not yet assessed
        ((0.2, 0.2, 0.2, 0.2, 0.2), (1.0, 0.9, 1.05, 0.75, 0.3)),
    ]
    rows = []
    for p, (weights, done) in enumerate(people):
        for g, (w, c) in enumerate(zip(weights, done)):
            rows.append({"ColId": f"E{101 + p}", "ColName": (f"员工{p + 1}" if zh
                                                                else f"Employee {p + 1}"),
                            "ColGoal": goals[g][0 if zh else 1], "ColWeight": w,
                            "ColCompletion": c})
    return with_records(blank(lang), rows)


def _percent(value: object) -> object:
    """A CSV field such as '30%' as the number 0.3 (a typed cell would hold that too)."""
    if isinstance(value, str) and value.endswith("%"):
        try:
            number = float(value[:-1])
        except ValueError:
            return value
        return number / 100 if np.isfinite(number) else value
    return value


def from_csv(path: Path, lang: str) -> Form:
    """Goals from a CSV: id, name, goal, weight, completion (or the sheet's headers in either
    language); weights and completions as decimals (0.3) or percents (30%)."""
    aliases = shared.csv_aliases(RECORDS, CSV_KEYS)
    aliases["完成度"] = aliases["completion"] = "ColCompletion"
    file = str(path)
    found, lines, _ = read_records(
        path, aliases, ["ColId", "ColGoal", "ColWeight"], CSV_TEXT, MAX_ROWS,
        ("id, name, goal, weight, completion(或表头:工号、姓名、目标、权重、完成度)",
         "id, name, goal, weight, completion"))
    for line, rec in zip(lines, found):
        refuse = shared.refuser(file, line, rec, CSV_KEYS)

        for key in ("ColId", "ColGoal"):
            if rec.get(key) is None:
                refuse(key, "不能为空", "cannot be blank", "文字", "text")
        for key, high in (("ColWeight", 1.0), ("ColCompletion", None)):
            value = rec[key] = _percent(rec.get(key))
            if value is None and key == "ColCompletion":
                continue
            if not (isinstance(value, float) and value >= 0 and (high is None or value <= high)):
                refuse(key, "须为 ≥ 0 的数字" + ("(权重 ≤ 100%)" if high else ""),
                       "must be a number ≥ 0" + (" (a weight ≤ 100%)" if high else ""),
                       "如 0.3 或 30%", "e.g. 0.3 or 30%")
    return with_records(blank(lang), found)


# --- reference and formulas, column by column ---------------------------------------------------

def compute(form: Form) -> Computed:
    t, lang, inp, s = form.table, form.lang, form.inputs, form.scheme
    c = t.cell
    out, column, ok, word = shared.begin(form, STATUS)

    ident, goal, weight, done = (inp[k] for k in ("ColId", "ColGoal", "ColWeight",
                                                  "ColCompletion"))
    A, C, D, E = c("ColId"), c("ColGoal"), c("ColWeight"), c("ColCompletion")
    F, G = c("ColStatus"), c("ColWeightSum")
    person = group_ids(ident)
    by_person = [("ColId", A)]

    # the person's weight total: SUMPRODUCT's second array reads text and blanks as 0
    w = as_float(weight)
    weight_sum = np.where(is_blank(ident), np.nan,
                          excel_round(group_sum(person, np.nan_to_num(w)), WEIGHT_DECIMALS))
    column("ColWeightSum", f'IF({A}="","",ROUND({group_sum_formula(by_person, "1,ColWeight")},'
                           f"{WEIGHT_DECIMALS}))", weight_sum)

    # check
    present = ~np.logical_and.reduce([is_blank(inp[k]) for k in INPUTS])
    same_goal = group_ids(ident, goal)
    duplicate = np.bincount(same_goal)[same_goal] > 1
    x = as_float(done)
    bad_number = (~is_number(weight) | ~(w >= 0) | ~(w <= 1)
                  | (~is_blank(done) & ~(is_number(done) & (x >= 0))))
    status_key = np.select(
        [~present, is_blank(ident), is_blank(goal), duplicate, bad_number, weight_sum != 1,
         is_blank(done)],
        ["", "no_id", "no_goal", "duplicate", "not_number", "weights", "not_assessed"], "ok")
    status = shared.words_of(STATUS, lang, status_key)
    blank_row = ",".join(f'{c(k)}=""' for k in INPUTS)
    column("ColStatus", (
        f'IF(AND({blank_row}),"",IF({A}="",{word["no_id"]},IF({C}="",{word["no_goal"]},'
        f'IF({group_sum_formula([("ColId", A), ("ColGoal", C)], "1")}>1,{word["duplicate"]},'
        f"IF(IF(ISNUMBER({D}),OR({D}<0,{D}>1),TRUE),{word['not_number']},"
        f'IF(IF({E}="",FALSE,IF(ISNUMBER({E}),{E}<0,TRUE)),{word["not_number"]},'
        f'IF({G}<>1,{word["weights"]},IF({E}="",{word["not_assessed"]},"{ok}"))))))))'), status)
    good = status_key == "ok"

    # the gap to 100%, on every row of a person (0 when the weights make 100%)
    column("ColGap", f'IF({G}="","",ROUND(1-{G},{WEIGHT_DECIMALS}))',
           excel_round(1 - weight_sum, WEIGHT_DECIMALS))

    # completion counted: up to the cap from 100% on; proportional from the threshold, else 0
    cap, threshold = float(s["GoalCap"]), float(s["GoalThreshold"])  # type: ignore[arg-type]
    proportional = s["GoalProportional"] == SPEC.labels(lang)["YesLabel"][0]
    counted = np.where(x >= 1, np.minimum(x, cap),
                       np.where(proportional & (x >= threshold), x, 0.0))
    counted = np.where(good, counted, np.nan)
    H = c("ColCounted")
    column("ColCounted", f'IF({F}<>"{ok}","",IF({E}>=1,MIN({E},GoalCap),'
                         f"IF(AND(GoalProportional=YesLabel,{E}>=GoalThreshold),{E},0)))", counted)

    # points = points of a full goal × weight × completion counted
    points = excel_round(float(s["GoalPoints"]) * w * counted, POINTS_DECIMALS)  # type: ignore[arg-type]
    column("ColPoints", f'IF({F}<>"{ok}","",ROUND(GoalPoints*{D}*{H},{POINTS_DECIMALS}))', points)

    # the person's total, once every goal of theirs is OK and assessed; then the grade
    pending = group_sum(person, (status_key != "ok").astype(float))
    total = np.where(good & (pending == 0),
                     excel_round(group_sum(person, np.nan_to_num(points)), POINTS_DECIMALS), np.nan)
    flagged = group_sum_formula(by_person, f'(ColStatus<>"{ok}")')
    column("ColTotal", f'IF({F}<>"{ok}","",IF({flagged}>0,"",'
                       f'ROUND({group_sum_formula(by_person, "1,ColPoints")},{POINTS_DECIMALS})))',
           total)
    column("ColGrade", shared.grade_formula(c("ColTotal")),
           band_labels(total, list(map(str, s["GradeLabel"])), s["GradeMin"]))  # type: ignore
    return out


# --- writing and reading the workbook ------------------------------------------------------------

def write(sheets: dict, form: Form, computed: Computed) -> dict[str, tuple[str, str]]:
    lang, zh = form.lang, form.lang == "zh"
    SPEC.write(sheets["scheme"], form.scheme, form.names, lang, computed.cells.get("scheme", {}))
    note = ("每行一个目标:白色单元格填写,灰色为公式。同一工号的目标权重合计须为 100%;完成度以百分数填写"
            "(可超过 100%,按方案封顶),空白 = 未评估。积分与等级规则见方案。" if zh else
            "One row per goal: white cells are inputs, grey cells formulas. The goal weights of "
            "one ID must make 100%; completion as a percent (above 100% counts up to the "
            "scheme's cap), blank = not assessed. Points and grades: see the scheme.")
    form.table.write(sheets["records"], "目标管理(MBO)积分表" if zh else "Goals (MBO) and points",
                     note, {k: v.tolist() for k, v in form.inputs.items()}, computed, "records",
                     lang, SPEC.labels(lang))
    names = {n: ("scheme", ref) for n, ref in form.names.items()}
    names.update({n: ("records", ref) for n, ref in form.table.names().items()})
    return names


def read(grids: dict, names: dict[str, tuple[str, str]], lang: str, file: str) -> Form:
    scheme, scheme_names, grid = shared.read_scheme(SPEC, grids, names, lang, file)
    shared.check_grades(scheme["GradeMin"],  # type: ignore[arg-type]
                         f"{grid.sheet}!{scheme_names['GradeMin'].replace('$', '')}", file)
    form = Form(lang, scheme, {}, 0, scheme_names, RECORDS)
    return shared.read_inputs(form, grids, names, "records", file)
