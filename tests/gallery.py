"""A gallery of HR forms as people make them by hand in Excel, for ``xlperf liven`` to recognize.

Each ``build_<name>(path)`` writes one .xlsx — typed values, a few hand-typed SUM/AVERAGE formulas
in totals rows, styles, merged cells, borders, column widths — and returns what a recognizer should
find there: one :class:`Expected` per table, in sheet order and top to bottom on a sheet. A sheet
that is not a table (a memo) has no expectation.

Typed results agree with the default scheme (``xlperf.scheme.default_scheme``) over the raters a
form has, rater weights renormalized over those present (a form with supervisor and customer only
weighs them 75% / 25%), rounded to 2 decimals as Excel's ROUND does; self ratings weigh nothing, as
the seed says. The exceptions are deliberate and listed in :data:`TYPED_ERRORS`. Typed KPI ratios
are rounded to 4 decimals (what 0.00% shows). Columns hidden on purpose are listed in
:data:`HIDDEN`. Ratings are numbers 0–100 or level words (优秀/良好/一般/待改进, Excellent/…).
"""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xlperf.rounding import excel_round
from xlperf.scheme import default_scheme


@dataclass(frozen=True)
class Expected:
    """One table a recognizer should find.

    kind: "appraisal" (one row per employee), "kpi" (one row per KPI), "personal" (one sheet per
    employee: factors as rows, raters as columns), "standards" (factors × level descriptions).
    header: first and last header row, 1-based (two-row headers: (4, 5)).
    rows: first and last record row (blank separator rows inside are allowed).
    roles: column letter -> role (only the columns that have a role; others are unplaced).
    person: personal sheets: role -> cell of the header block, e.g. {"name": "B3", ...}.
    """
    sheet: str
    kind: str
    header: tuple[int, int]
    rows: tuple[int, int]
    roles: dict[str, str]
    totals_row: int | None = None
    person: dict[str, str] = field(default_factory=dict)


#: form -> (sheet, cell, typed value) of every hand-typed result that is wrong on purpose.
TYPED_ERRORS: dict[str, list[tuple[str, str, object]]] = {
    "zh_typed_errors": [
        ("考核结果", "K7", 68.91),   # 86.91 with two digits swapped
        ("考核结果", "K9", 415),     # the plain sum of the five supervisor scores (84.64)
        ("考核结果", "L10", "优秀"),  # 综合得分 88.4 is 良好
        ("考核结果", "K12", 76.69),  # an arithmetic slip (74.69)
        ("考核结果", "K14", 84.27),  # the average of seven rows, 朱婷 left out (81.51)
    ],
}

#: form -> (sheet, column letter) of the columns hidden on purpose.
HIDDEN: dict[str, list[tuple[str, str]]] = {
    "zh_hidden_columns": [("考核明细", "D"), ("考核明细", "E"), ("考核明细", "L")],
}

# ---------------------------------------------------------------- the scheme typed results follow

SCHEME, SCHEME_EN = default_scheme("zh"), default_scheme("en")
FACTORS = tuple(f.key for f in SCHEME.factors)
FACTOR_WEIGHT = {f.key: f.weight for f in SCHEME.factors}
RATER_WEIGHT = {r.key: r.weight for r in SCHEME.raters}
FACTOR_NAME = {f.key: f.name for f in SCHEME.factors}
FACTOR_NAME_EN = {"knowledge": "Knowledge", "communication": "Communication",
                  "problem_solving": "Problem solving", "interpersonal": "Teamwork",
                  "learning": "Learning"}
LEVEL_POINTS = {lv.label: lv.points for s in (SCHEME, SCHEME_EN) for lv in s.levels}
LEVEL_KEYS = ("excellent", "good", "fair", "needs_improvement")
PERIOD_END = date(2024, 6, 30)

Ratings = dict[str, dict[str | None, object]]  # rater -> {factor, or None for one overall score}


def r2(x: float) -> float:
    return float(excel_round(x, 2))


def total_of(ratings: Ratings) -> float:
    """The 综合得分 a form's raters give: factor-weighted per rater, then rater-weighted."""
    parts: dict[str, float] = {}
    for rater, scores in ratings.items():
        if not RATER_WEIGHT[rater]:
            continue
        pts = {f: v if isinstance(v, (int, float)) else LEVEL_POINTS[str(v)]
               for f, v in scores.items()}
        parts[rater] = pts[None] if None in pts else (
            sum(FACTOR_WEIGHT[f] * v for f, v in pts.items())
            / sum(FACTOR_WEIGHT[f] for f in pts))
    weight = sum(RATER_WEIGHT[r] for r in parts)
    return r2(sum(RATER_WEIGHT[r] * v for r, v in parts.items()) / weight)


def grade_of(total: float, lang: str = "zh") -> str:
    grades = (SCHEME if lang == "zh" else SCHEME_EN).grades
    return [g.label for g in grades if total >= g.min_score][-1]


# ---------------------------------------------------------------- people and their ratings

ZH_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴敏",
            "徐强", "孙悦", "马超", "朱婷", "胡斌", "郭琳", "何勇", "高洁", "林涛", "罗欣",
            "梁晨", "宋佳", "郑凯", "谢雨")
EN_NAMES = ("James Smith", "Maria Garcia", "Wei Chen", "Emily Johnson", "David Brown",
            "Sarah Wilson", "Michael Lee", "Laura Martin", "Daniel Taylor", "Olivia Clark")
ZH_POSITIONS = ("客服专员", "客服专员", "高级客服专员", "客服组长")
EN_POSITIONS = ("CS Agent", "CS Agent", "Senior Agent", "Team Lead")


@dataclass(frozen=True)
class Person:
    emp_id: str
    name: str
    department: str
    position: str
    hired: date

    @property
    def tenure(self) -> int:
        """Whole years of service at the end of the period, as HR types 工龄."""
        return (PERIOD_END - self.hired).days // 365


def staff(rng: random.Random, count: int, departments: Sequence[str], prefix: str = "KF",
          names: Sequence[str] = ZH_NAMES, positions: Sequence[str] = ZH_POSITIONS
          ) -> list[Person]:
    """``count`` people, the departments in runs (everyone of the first, then the second…)."""
    chosen = rng.sample(list(names), count)
    start = rng.randint(100, 800)
    return [Person(f"{prefix}{start + 7 * i:04d}", name, departments[i * len(departments) // count],
                   rng.choice(positions),
                   date(rng.randint(2012, 2023), rng.randint(1, 12), rng.randint(1, 28)))
            for i, name in enumerate(chosen)]


def rate(rng: random.Random, plan: dict[str, Sequence[str] | None],
         words: Sequence[str] = (), lang: str = "zh") -> Ratings:
    """One person's ratings: ``plan`` gives each rater its factors (None: one overall score);
    raters in ``words`` answer with level words instead of points (the default scheme's level
    labels are its grade labels, so a score's grade is its word)."""
    base = rng.choice([rng.randint(52, 66), *[rng.randint(70, 93)] * 4])
    out: Ratings = {}
    for rater, factors in plan.items():
        keys: Sequence[str | None] = [None] if factors is None else factors
        scores = {k: max(40, min(100, base + rng.randint(-8, 8))) for k in keys}
        out[rater] = {k: grade_of(v, lang) if rater in words else v for k, v in scores.items()}
    return out


def roles_of(ratings: Ratings) -> dict[str, object]:
    return {f"rating:{r}:{f or 'overall'}": v for r, scores in ratings.items()
            for f, v in scores.items()}


def identity(p: Person, seq: int | None = None) -> dict[str, object]:
    return {"seq": seq, "employee_id": p.emp_id, "name": p.name, "department": p.department,
            "position": p.position, "hire_date": p.hired, "tenure_years": p.tenure}


def appraisal_record(p: Person, seq: int, ratings: Ratings, lang: str = "zh") -> dict[str, object]:
    total = total_of(ratings)
    return {**identity(p, seq), **roles_of(ratings), "total": total, "grade": grade_of(total, lang)}


# ---------------------------------------------------------------- writing a sheet by hand

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)
DATE = "yyyy-mm-dd"
SCORE = "0.00"
PERCENT = "0.00%"


@dataclass(frozen=True)
class Col:
    """One column of a table: its header, its role (None: unplaced), width and number format."""
    label: str
    role: str | None = None
    width: float = 10.0
    fmt: str | None = None


@dataclass(frozen=True)
class Group:
    """Header cell merged over the columns below it (自评, 主管评…): a two-row header."""
    label: str
    cols: tuple[Col, ...]


@dataclass(frozen=True)
class Totals:
    """A totals row: ``label`` in the first column, ``func`` over the columns named (by role or
    label) in ``over``, and ``typed`` values typed by hand (role or label -> value)."""
    label: str
    func: str = "SUM"
    over: tuple[str, ...] = ()
    typed: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Placed:
    header: tuple[int, int]
    rows: tuple[int, int]
    roles: dict[str, str]
    totals_row: int | None
    below: int  # first row under the table

    def col(self, role: str) -> str:
        return next(letter for letter, r in self.roles.items() if r == role)

    def expect(self, ws: Worksheet, kind: str, person: dict[str, str] | None = None) -> Expected:
        return Expected(ws.title, kind, self.header, self.rows, self.roles, self.totals_row,
                        person or {})


def book(*titles: str) -> tuple[Workbook, list[Worksheet]]:
    wb = Workbook()
    sheets = [wb.active] + [wb.create_sheet() for _ in titles[1:]]
    for ws, name in zip(sheets, titles):
        ws.title = name
    return wb, sheets


def title(ws: Worksheet, row: int, text: str, span: int, size: int = 14) -> None:
    ws.cell(row, 1, text).font = Font(name="宋体", size=size, bold=True)
    ws.cell(row, 1).alignment = CENTER
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    ws.row_dimensions[row].height = 28


def notes(ws: Worksheet, row: int, *texts: tuple[int, str]) -> None:
    """Lines of text above or under a table: (column, text), e.g. 考核期间, 考核人签字:____."""
    for col, text in texts:
        ws.cell(row, col, text).font = Font(size=10)


def _flat(spec: Sequence[Col | Group]) -> list[Col]:
    return [c for item in spec for c in (item.cols if isinstance(item, Group) else (item,))]


def put_table(ws: Worksheet, top: int, spec: Sequence[Col | Group],
              records: Sequence[dict[str, object] | None], *, totals: Totals | None = None,
              merge_runs: Sequence[str] = ()) -> Placed:
    """Write a bordered table with its header at row ``top``; a record is a dict keyed by role
    (or, for unplaced columns, by label), None for a blank separator row. Equal consecutive
    values of the roles in ``merge_runs`` are merged down, as people do for a department."""
    cols = _flat(spec)
    two_rows = any(isinstance(item, Group) for item in spec)
    last_head = top + two_rows
    c = 1
    for item in spec:
        head = ws.cell(top, c, item.label)
        if isinstance(item, Group):
            for i, sub in enumerate(item.cols):
                ws.cell(last_head, c + i, sub.label)
            if len(item.cols) > 1:
                ws.merge_cells(start_row=top, start_column=c, end_row=top,
                               end_column=c + len(item.cols) - 1)
            c += len(item.cols)
        else:
            if two_rows:
                ws.merge_cells(start_row=top, start_column=c, end_row=last_head, end_column=c)
            c += 1
        head.font = Font(bold=True)
    for r in range(top, last_head + 1):
        for c in range(1, len(cols) + 1):
            cell = ws.cell(r, c)
            cell.border, cell.fill, cell.alignment = BOX, HEAD_FILL, CENTER
    for c, col in enumerate(cols, 1):
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0,
                                                 col.width)
    first = r = last_head + 1
    for rec in records:
        for c, col in enumerate(cols, 1):
            cell = ws.cell(r, c, None if rec is None else rec.get(col.role or col.label))
            cell.border = BOX
            cell.alignment = WRAP if col.width >= 20 else CENTER
            if col.fmt:
                cell.number_format = col.fmt
        r += 1
    last = r - 1
    for c, col in enumerate(cols, 1):
        if col.role in merge_runs:
            _merge_runs(ws, c, first, last)
    totals_row = None
    if totals:
        totals_row = r
        ws.cell(r, 1, totals.label).font = Font(bold=True)
        span = 0
        for c, col in enumerate(cols, 1):
            cell = ws.cell(r, c)
            cell.border, cell.fill = BOX, TOTAL_FILL
            keys = {col.role, col.label}
            if keys & set(totals.over):
                letter = get_column_letter(c)
                cell.value = f"={totals.func}({letter}{first}:{letter}{last})"
            elif keys & set(totals.typed):
                cell.value = totals.typed[(keys & set(totals.typed)).pop()]
            else:
                continue
            span = span or c - 1
            cell.number_format = col.fmt or SCORE
        if span > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=span)
        ws.cell(r, 1).alignment = CENTER
        r += 1
    roles = {get_column_letter(c): col.role for c, col in enumerate(cols, 1) if col.role}
    return Placed((top, last_head), (first, last), roles, totals_row, r)


def _merge_runs(ws: Worksheet, col: int, first: int, last: int) -> None:
    start = first
    for r in range(first + 1, last + 2):
        value = ws.cell(r, col).value if r <= last else None
        if value is None or value != ws.cell(start, col).value:
            if r - 1 > start:
                ws.merge_cells(start_row=start, start_column=col, end_row=r - 1, end_column=col)
            start = r


def factor_cols(rater: str, lang: str = "zh", width: float | None = None,
                label: Callable[[str], str] | None = None) -> tuple[Col, ...]:
    """The five factor columns of one rater, headed by factor name (or ``label(key)``)."""
    names = FACTOR_NAME if lang == "zh" else FACTOR_NAME_EN
    return tuple(Col(label(k) if label else names[k], f"rating:{rater}:{k}",
                     width or (8 if lang == "zh" else 11)) for k in FACTORS)


def grade_list(ws: Worksheet, cells: str, lang: str = "zh") -> None:
    """The dropdown people add to a 等级 column."""
    labels = ",".join(lv.label for lv in (SCHEME if lang == "zh" else SCHEME_EN).levels)
    dv = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(cells)


def landscape(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True


SIGN_ZH = "考核人签字:__________"
DATE_ZH = "日期:______年____月____日"

# ---------------------------------------------------------------- the forms


def build_zh_two_row_header(path: Path) -> list[Expected]:
    """Company title and period/department notes, a two-row header (自评 and 主管评 merged over
    their factor columns; self in level words), real dates, remarks, signature lines."""
    rng = random.Random(1)
    wb, (ws,) = book("绩效考核表")
    title(ws, 1, "华信科技有限公司 客服岗位员工绩效考核表", 20)
    notes(ws, 2, (1, "考核期间:2024年1月1日—2024年6月30日"), (12, "部门:客服部"))
    spec = [Col("序号", "seq", 5), Col("工号", "employee_id"), Col("姓名", "name", 8),
            Col("岗位", "position", 13), Col("入职日期", "hire_date", 12, DATE),
            Group("自评", factor_cols("self")), Group("主管评", factor_cols("supervisor")),
            Group("同事评", (Col("人际关系协调", "rating:peer:interpersonal", 8),)),
            Col("客户满意度", "rating:customer:overall"), Col("综合得分", "total", 9, SCORE),
            Col("等级", "grade", 7), Col("备注", "remark", 16)]
    plan = {"self": FACTORS, "supervisor": FACTORS, "peer": ("interpersonal",), "customer": None}
    people = staff(rng, 10, ["客服部"])
    records = [appraisal_record(p, i, rate(rng, plan, words=("self",)))
               for i, p in enumerate(people, 1)]
    records[3]["remark"] = "6月转正"
    records[7]["remark"] = "休产假2个月"
    t = put_table(ws, 4, spec, records)
    notes(ws, t.below + 1, (1, SIGN_ZH), (12, "被考核人签字:__________"))
    notes(ws, t.below + 2, (12, DATE_ZH))
    ws.freeze_panes = "F6"
    g = t.col("grade")
    grade_list(ws, f"{g}{t.rows[0]}:{g}{t.rows[1]}")
    landscape(ws)
    wb.save(path)
    return [t.expect(ws, "appraisal")]


def build_zh_average_row(path: Path) -> list[Expected]:
    """One score per rater (自评得分/主管评分/同事评分/客户满意度), 员工编号/员工姓名/工龄, a
    blank row between the two groups, a 平均 row of hand-typed AVERAGE formulas, a dropdown,
    conditional formatting, a comment and frozen panes."""
    rng = random.Random(2)
    wb, (ws,) = book("季度考核汇总")
    title(ws, 1, "售后部2024年第二季度员工考核汇总表", 11)
    notes(ws, 2, (1, "部门:售后部"), (4, "考核期间:2024年4月—6月"), (9, "制表:人力资源部"))
    spec = [Col("序号", "seq", 5), Col("员工编号", "employee_id"), Col("员工姓名", "name"),
            Col("岗位", "position", 13), Col("工龄", "tenure_years", 6),
            Col("自评得分", "rating:self:overall"), Col("主管评分", "rating:supervisor:overall"),
            Col("同事评分", "rating:peer:overall"), Col("客户满意度", "rating:customer:overall"),
            Col("综合得分", "total", 10, SCORE), Col("考核等级", "grade")]
    plan = {r: None for r in ("self", "supervisor", "peer", "customer")}
    people = staff(rng, 10, ["售后部"], prefix="SH")
    records: list[dict[str, object] | None] = [
        appraisal_record(p, i, rate(rng, plan)) for i, p in enumerate(people, 1)]
    records.insert(5, None)
    t = put_table(ws, 4, spec, records, totals=Totals(
        "平均", "AVERAGE", ("rating:self:overall", "rating:supervisor:overall",
                            "rating:peer:overall", "rating:customer:overall", "total")))
    ws["I4"].comment = Comment("来源:6月客户满意度回访问卷", "人力资源部")
    total, g = t.col("total"), t.col("grade")
    ws.conditional_formatting.add(f"{total}{t.rows[0]}:{total}{t.rows[1]}", CellIsRule(
        operator="lessThan", formula=["60"], fill=PatternFill("solid", fgColor="FFC7CE")))
    grade_list(ws, f"{g}{t.rows[0]}:{g}{t.rows[1]}")
    ws.freeze_panes = "D5"
    wb.save(path)
    return [t.expect(ws, "appraisal")]


def build_zh_two_tables(path: Path) -> list[Expected]:
    """客服一部 and 客服二部 one below the other on one sheet, each with its section title, its
    own header ("主管评-业务知识" style) and its 平均分 row; signature lines under both."""
    rng = random.Random(3)
    wb, (ws,) = book("客服部考核")
    short = {"knowledge": "业务知识", "communication": "沟通能力", "problem_solving": "问题解决",
             "interpersonal": "人际关系", "learning": "学习能力"}
    spec = [Col("工号", "employee_id"), Col("姓名", "name", 8),
            *factor_cols("supervisor", width=11, label=lambda k: f"主管评-{short[k]}"),
            Col("客户满意度", "rating:customer:overall"), Col("总分", "total", 9, SCORE),
            Col("等级", "grade", 7)]
    plan = {"supervisor": FACTORS, "customer": None}
    average = Totals("平均分", "AVERAGE", ("rating:customer:overall", "total"))
    found, top = [], 1
    for dept, count in (("客服一部", 6), ("客服二部", 7)):
        title(ws, top, dept, 4, size=12)
        ws.cell(top, 1).alignment = Alignment(horizontal="left")
        people = staff(rng, count, [dept])
        records = [appraisal_record(p, i, rate(rng, plan)) for i, p in enumerate(people, 1)]
        t = put_table(ws, top + 1, spec, records, totals=average)
        found.append(t.expect(ws, "appraisal"))
        top = t.below + 2
    notes(ws, top, (1, "部门经理签字:__________"), (7, DATE_ZH))
    wb.save(path)
    return found


def _personal_sheet(ws: Worksheet, p: Person, rng: random.Random, lang: str) -> Expected:
    """个人考核表: a header block, factors as rows, raters as columns, weights, a total line."""
    zh = lang == "zh"
    title(ws, 1, "客服岗位员工个人绩效考核表" if zh else "Individual Performance Review", 7)
    notes(ws, 2, (1, "考核期间:2024年上半年" if zh else "Review period: H1 2024"))
    block = ([("姓名", "name", p.name), ("工号", "employee_id", p.emp_id),
              ("部门", "department", p.department)],
             [("岗位", "position", p.position), ("入职日期", "hire_date", p.hired)]) if zh else (
             [("Employee:", "name", p.name), ("Emp. No.:", "employee_id", p.emp_id),
              ("Department:", "department", p.department)],
             [("Position:", "position", p.position), ("Start date:", "hire_date", p.hired)])
    person = {}
    for row, pairs in enumerate(block, 3):
        for i, (label, role, value) in enumerate(pairs):
            ws.cell(row, 2 * i + 1, label).font = Font(bold=True)
            cell = ws.cell(row, 2 * i + 2, value)
            cell.border = Border(bottom=THIN)
            if isinstance(value, date):
                cell.number_format = DATE
            person[role] = cell.coordinate
    scheme = SCHEME if zh else SCHEME_EN
    sup = rate(rng, {"supervisor": FACTORS})["supervisor"]
    records = []
    for i, f in enumerate(scheme.factors, 1):
        standard = (";" if zh else "; ").join(
            f"{lv.label}:{s}" if zh else f"{lv.label}: {s}" for lv, s in zip(scheme.levels,
                                                                              f.standards))
        weight = f.weight if zh else round(f.weight * 100)
        score = r2(f.weight * sup[f.key])
        records.append({"seq": i, "factor": f.name, "standard": standard, "weight": weight,
                        "rating:self:row": max(40, min(100, sup[f.key] + rng.choice([-3, 0, 5]))),
                        "rating:supervisor:row": sup[f.key], "score": score})
    spec = ([Col("序号", "seq", 5)] if zh else []) + [
        Col("考核项目" if zh else "Item", "factor", 14),
        Col("评分标准" if zh else "Standard", "standard", 48),
        Col("权重" if zh else "Weight", "weight", 7, "0%" if zh else "0"),
        Col("自评" if zh else "Self", "rating:self:row", 8),
        Col("主管评" if zh else "Manager", "rating:supervisor:row", 9),
        Col("加权得分" if zh else "Score", "score", 10, SCORE)]
    total = total_of({"supervisor": sup})
    totals = (Totals("合计", "SUM", ("weight",), {"score": total}) if zh
              else Totals("Total", "SUM", ("weight", "score")))
    t = put_table(ws, 6, spec, records, totals=totals)
    if zh:
        notes(ws, t.below + 1, (1, "被考核人签字:__________"), (5, SIGN_ZH))
        notes(ws, t.below + 2, (5, DATE_ZH))
    else:
        notes(ws, t.below + 1, (1, "Employee signature: __________"),
              (4, "Manager signature: __________"))
        notes(ws, t.below + 2, (4, "Date: ____________"))
    for r in range(t.rows[0], t.rows[1] + 1):
        ws.row_dimensions[r].height = 45
    return t.expect(ws, "personal", person)


def build_zh_personal_sheets(path: Path) -> list[Expected]:
    """个人考核表, one sheet per employee (4), named by the employee: 姓名/工号/部门 block above,
    factors as rows with 评分标准 and 权重 (%), 自评/主管评 as columns, 加权得分, a 合计 line
    with =SUM of the weights and the total typed."""
    rng = random.Random(4)
    people = staff(rng, 4, ["客服一部", "客服二部"])
    wb, sheets = book(*(p.name for p in people))
    found = [_personal_sheet(ws, p, rng, "zh") for ws, p in zip(sheets, people)]
    wb.save(path)
    return found


def build_en_personal_sheets(path: Path) -> list[Expected]:
    """English individual reviews, one sheet per employee (3), weights in points (25/20/…),
    Self and Manager columns, a Total line of SUM formulas."""
    rng = random.Random(5)
    people = staff(rng, 3, ["Customer Service"], prefix="E", names=EN_NAMES,
                   positions=EN_POSITIONS)
    wb, sheets = book(*(p.name.split()[1] for p in people))
    found = [_personal_sheet(ws, p, rng, "en") for ws, p in zip(sheets, people)]
    wb.save(path)
    return found


def build_zh_standards(path: Path) -> list[Expected]:
    """The seed's 考核标准 table typed as plain values: 能力要素 × 优秀/良好/一般/待改进."""
    wb, (ws,) = book("考核标准")
    title(ws, 1, "考核标准", 5)
    spec = [Col("能力要素", "factor", 16)] + [
        Col(lv.label, f"standard:{key}", 24) for lv, key in zip(SCHEME.levels, LEVEL_KEYS)]
    records = [{"factor": f.name, **{f"standard:{k}": s for k, s in zip(LEVEL_KEYS, f.standards)}}
               for f in SCHEME.factors]
    t = put_table(ws, 2, spec, records)
    notes(ws, t.below + 1, (1, "注:自评结果不参与绩效考核,仅作为参考。"))
    wb.save(path)
    return [t.expect(ws, "standards")]


TABLE_12 = [
    ("书面的流程和制度所占的百分率(ISO标准)",
     "(书面化的流程和制度数目/所有需要制订的流程和制度总数)*100%", "需书面化的流程与制度规定"),
    ("工作目标按计划完成率", "(实际完成工作量/计划完成量)*100%", "工作记录"),
    ("报表数据出错率", "(查出有误报表数量/提交报表总数)*100%", "报表检查记录"),
    ("文书档案归档率", "(归档文档数/文档总数)*100%", "文档记录"),
    ("国内外市场调研报告的质量", "国内外市场调研报告的质量", "上级评定"),
    ("项目可行性分析报告质量", "项目可行性分析报告质量", "认证/上级评定"),
    ("财务报表出错率", "(查出有误的财务报表数量/提交的财务报表总数)*100%", "财务报表检查记录"),
    ("财务分析出错率", "(有误的财务分析数量/提交的财务分析总数)*100%", "财务分析记录"),
    ("各部门预算准确率", "(1-超出或未达成预算/部门预算)*100%", "各部门费用预算达成率"),
    ("KPI辞典更新的及时性", "将新生成的KPI第一时间放入KPI辞典", "KPI辞典"),
    ("策划方案成功率", "(成功方案数/提交方案数)*100%", "策划方案提交与成功记录"),
    ("提交项目管理报告及时性", "(按时提交管理报告/报告总数)*100%", "项目管理报告记录"),
]


def build_zh_kpi_table12(path: Path) -> list[Expected]:
    """The seed's table 12 (内部营运类指标) typed as plain values under its caption."""
    wb, (ws,) = book("表12")
    title(ws, 1, "表12 内部营运类指标", 3, size=12)
    spec = [Col("关键绩效指标", "kpi_name", 30), Col("指标定义/计算公式", "kpi_definition", 50),
            Col("数据来源", "kpi_source", 24)]
    records = [dict(zip(("kpi_name", "kpi_definition", "kpi_source"), row)) for row in TABLE_12]
    t = put_table(ws, 2, spec, records)
    wb.save(path)
    return [t.expect(ws, "kpi")]


ZH_KPIS = {  # name: (numerator text, denominator text, target)
    "首次解决率": ("首解工单数", "工单总数", 0.80),
    "客户满意率": ("满意评价数", "评价总数", 0.90),
    "投诉处理及时率": ("按时处理投诉数", "投诉总数", 0.95),
    "退换货处理及时率": ("按时处理退换货数", "退换货总数", 0.92),
    "回访完成率": ("已回访数", "应回访数", 0.85),
}


def kpi_record(rng: random.Random, dept: str, name: str, target: float) -> dict[str, object]:
    denominator = rng.randint(120, 2400)
    numerator = min(denominator, round(denominator * (target + rng.uniform(-0.12, 0.08))))
    actual = round(numerator / denominator, 4)
    return {"department": dept, "kpi_name": name, "numerator": numerator,
            "denominator": denominator, "actual": actual, "target": target,
            "kpi_value": round(actual / target, 4)}


def build_zh_kpi_tracking(path: Path) -> list[Expected]:
    """A monthly KPI tracking sheet: 分子/分母/实际值/目标值/完成率 per department, the
    department cell merged down its KPIs, typed ratios in percent formats, a 数据来源 column."""
    rng = random.Random(6)
    wb, (ws,) = book("KPI跟踪")
    title(ws, 1, "客服中心2024年6月KPI跟踪表", 10)
    notes(ws, 2, (1, "填报部门:运营管理部"), (6, "统计周期:2024-06-01 至 2024-06-30"))
    spec = [Col("序号", "seq", 5), Col("部门", "department"), Col("指标名称", "kpi_name", 16),
            Col("分子", "numerator", 8), Col("分母", "denominator", 8),
            Col("实际值", "actual", 9, PERCENT), Col("目标值", "target", 9, "0%"),
            Col("完成率", "kpi_value", 9, PERCENT), Col("数据来源", "kpi_source", 14),
            Col("备注", "remark", 16)]
    plan = [("客服一部", ["首次解决率", "客户满意率", "投诉处理及时率"]),
            ("客服二部", ["首次解决率", "客户满意率", "投诉处理及时率"]),
            ("售后部", ["退换货处理及时率", "回访完成率"])]
    records = []
    for dept, names in plan:
        for name in names:
            rec = kpi_record(rng, dept, name, ZH_KPIS[name][2])
            rec.update(seq=len(records) + 1, kpi_source="呼叫中心系统" if dept != "售后部"
                       else "售后工单系统")
            records.append(rec)
    records[4]["remark"] = "系统故障3天,数据已人工补录"
    t = put_table(ws, 4, spec, records, merge_runs=("department",))
    notes(ws, t.below + 1, (1, "说明:完成率=实际值/目标值;分子、分母口径见《KPI辞典》。"))
    notes(ws, t.below + 3, (1, "填表人:__________"), (6, "审核人:__________"))
    wb.save(path)
    return [t.expect(ws, "kpi")]


def build_en_kpi_tracking(path: Path) -> list[Expected]:
    """English KPI tracker: Department/KPI/Numerator/Denominator/Actual/Target/Achievement/Data
    source, departments repeated on every row, an Average row of AVERAGE formulas."""
    rng = random.Random(7)
    wb, (ws,) = book("KPI Tracker")
    title(ws, 1, "Customer Service KPI Tracker — Q2 2024", 8)
    kpis = [("First contact resolution", 0.80, "Ticketing system"),
            ("Customer satisfaction", 0.90, "Post-call survey"),
            ("Complaints closed on time", 0.95, "Complaints log")]
    spec = [Col("Department", "department", 16), Col("KPI", "kpi_name", 26),
            Col("Numerator", "numerator", 11), Col("Denominator", "denominator", 12),
            Col("Actual", "actual", 9, PERCENT), Col("Target", "target", 9, "0%"),
            Col("Achievement", "kpi_value", 12, PERCENT), Col("Data source", "kpi_source", 18)]
    records = [{**kpi_record(rng, dept, name, target), "kpi_source": source}
               for dept in ("Support Team A", "Support Team B") for name, target, source in kpis]
    t = put_table(ws, 3, spec, records,
                  totals=Totals("Average", "AVERAGE", ("actual", "kpi_value")))
    wb.save(path)
    return [t.expect(ws, "kpi")]


def build_zh_hidden_columns(path: Path) -> list[Expected]:
    """Hidden columns: 身份证号 (unplaced) and 入职日期 (a role) hidden next to 工号/姓名, and a
    hidden 排名 helper after the 主管评 group of a two-row header."""
    rng = random.Random(8)
    wb, (ws,) = book("考核明细")
    title(ws, 1, "客服二部2024年第一季度绩效考核明细", 14)
    notes(ws, 2, (1, "部门:客服二部"), (7, "考核期间:2024年1月—3月"))
    spec = [Col("序号", "seq", 5), Col("工号", "employee_id"), Col("姓名", "name", 8),
            Col("身份证号", None, 20), Col("入职日期", "hire_date", 12, DATE),
            Col("工龄", "tenure_years", 6), Group("主管评", factor_cols("supervisor")),
            Col("排名", "rank"), Col("综合得分", "total", 9, SCORE), Col("等级", "grade", 7)]
    people = staff(rng, 8, ["客服二部"])
    records = [appraisal_record(p, i, rate(rng, {"supervisor": FACTORS}))
               for i, p in enumerate(people, 1)]
    order = sorted(records, key=lambda rec: -float(rec["total"]))  # type: ignore[arg-type]
    for rec in records:
        rec["身份证号"] = f"4403{rng.randint(1000, 9999)}********{rng.randint(1000, 9999)}"
        rec["rank"] = order.index(rec) + 1
    t = put_table(ws, 4, spec, records)
    notes(ws, t.below + 1, (1, SIGN_ZH), (9, DATE_ZH))
    for _, letter in HIDDEN["zh_hidden_columns"]:
        ws.column_dimensions[letter].hidden = True
    wb.save(path)
    return [t.expect(ws, "appraisal")]


#: 售后部, typed by hand: (工号, 姓名, five supervisor scores, 客户满意度).
AFTER_SALES = [
    ("SH0211", "周杰", (88, 85, 90, 86, 84), 92),
    ("SH0218", "吴敏", (86, 84, 88, 86, 89), 88),
    ("SH0225", "徐强", (72, 70, 68, 75, 71), 80),
    ("SH0232", "孙悦", (80, 82, 85, 84, 84), 90),
    ("SH0239", "马超", (90, 88, 92, 85, 89), 86),
    ("SH0246", "朱婷", (58, 62, 55, 66, 60), 70),
    ("SH0253", "胡斌", (75, 72, 78, 70, 74), 76),
    ("SH0260", "郭琳", (94, 92, 95, 90, 93), 96),
]


def build_zh_typed_errors(path: Path) -> list[Expected]:
    """Hand-typed 综合得分/等级 and a typed 平均 with mistakes (see TYPED_ERRORS): swapped
    digits, a plain sum, a grade one band too high, an arithmetic slip, a row left out of the
    average; the weights are stated in a note above the table."""
    wb, (ws,) = book("考核结果")
    title(ws, 1, "2024年上半年售后部绩效考核结果", 12)
    notes(ws, 2, (1, "考核期间:2024年1月—6月"), (5, "部门:售后部"),
          (10, "综合得分=主管评×75%+客户满意度×25%"))
    spec = [Col("序号", "seq", 5), Col("工号", "employee_id"), Col("姓名", "name", 8),
            Col("部门", "department", 8), Group("主管评", factor_cols("supervisor")),
            Col("客户满意度", "rating:customer:overall"), Col("综合得分", "total", 9, SCORE),
            Col("等级", "grade", 7)]
    hired = date(2020, 3, 1)
    records = [appraisal_record(Person(emp, name, "售后部", "客服专员", hired), i, {
        "supervisor": dict(zip(FACTORS, sup)), "customer": {None: cust}})
        for i, (emp, name, sup, cust) in enumerate(AFTER_SALES, 1)]
    average = r2(sum(float(rec["total"]) for rec in records) / len(records))  # type: ignore[arg-type]
    t = put_table(ws, 4, spec, records, totals=Totals(
        "平均", "AVERAGE", ("rating:customer:overall",), {"total": average}))
    for sheet, cell, typed in TYPED_ERRORS["zh_typed_errors"]:
        assert wb[sheet][cell].value != typed, f"{cell} would not be a mistake"
        wb[sheet][cell] = typed
    notes(ws, t.below + 1, (1, SIGN_ZH), (9, DATE_ZH))
    wb.save(path)
    return [t.expect(ws, "appraisal")]


MEMO = [
    "关于开展2024年上半年客服岗位绩效考核的通知",
    "",
    "各部门:",
    "    根据公司《客服岗位绩效考核办法》,现将上半年考核工作安排如下:",
    "    一、考核对象:客服一部、客服二部、售后部全体在岗员工(试用期员工除外)。",
    "    二、考核时间:2024年7月1日—7月10日。",
    "    三、考核方式:自评、主管评、同事评、客户评;综合得分=主管评×60%+同事评×20%+客户评×20%,"
    "自评仅作参考。",
    "    四、请各部门于7月10日前将《员工考核》表填写完整,报人力资源部。",
    "",
]


def build_zh_memo_and_table(path: Path) -> list[Expected]:
    """A 填表说明 memo sheet (a notice, label/value lines, a date: no table) before the real
    table, which starts at A1 with no title and bare rater headers (自评/主管评/同事评/客户评)."""
    rng = random.Random(9)
    wb, (memo, ws) = book("填表说明", "员工考核")
    for r, text in enumerate(MEMO, 1):
        if text:
            memo.cell(r, 1, text).alignment = WRAP
            memo.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
    memo["A1"].font = Font(size=14, bold=True)
    memo.row_dimensions[7].height = 32
    r = len(MEMO) + 1
    for label, value in (("联系人:", "李娜(人力资源部)"), ("电话:", "8021")):
        memo.cell(r, 1, label)
        memo.cell(r, 2, value)
        r += 1
    memo.cell(r + 1, 7, "人力资源部")
    memo.cell(r + 2, 7, date(2024, 6, 25)).number_format = "yyyy\"年\"m\"月\"d\"日\""
    memo.column_dimensions["A"].width = 12
    spec = [Col("工号", "employee_id"), Col("姓名", "name", 8), Col("部门", "department"),
            Col("自评", "rating:self:overall", 7), Col("主管评", "rating:supervisor:overall", 8),
            Col("同事评", "rating:peer:overall", 8), Col("客户评", "rating:customer:overall", 8),
            Col("总分", "total", 8, SCORE), Col("等级", "grade", 7)]
    plan = {r: None for r in ("self", "supervisor", "peer", "customer")}
    people = staff(rng, 12, ["客服一部", "客服二部", "售后部"])
    records = [appraisal_record(p, i, rate(rng, plan)) for i, p in enumerate(people, 1)]
    t = put_table(ws, 1, spec, records)
    wb.save(path)
    return [t.expect(ws, "appraisal")]


def build_zh_level_words(path: Path) -> list[Expected]:
    """主管评价 given in level words (优秀/良好/一般/待改进) under a merged group, a numeric
    客户评分, header variants 员工姓名/所属部门/入职时间, no seq column, 部门负责人签字."""
    rng = random.Random(10)
    wb, (ws,) = book("主管评价")
    title(ws, 1, "客服部员工能力评价表(主管填写)", 10)
    notes(ws, 2, (1, "考核期间:2024年上半年"), (5, "评价人:部门主管"))
    spec = [Col("员工姓名", "name"), Col("所属部门", "department"),
            Col("入职时间", "hire_date", 12, "yyyy/m/d"),
            Group("主管评价", factor_cols("supervisor")),
            Col("客户评分", "rating:customer:overall"), Col("综合评分", "total", 9, SCORE),
            Col("评定等级", "grade")]
    plan = {"supervisor": FACTORS, "customer": None}
    people = staff(rng, 9, ["客服一部", "客服二部"])
    records = [appraisal_record(p, i, rate(rng, plan, words=("supervisor",)))
               for i, p in enumerate(people, 1)]
    t = put_table(ws, 4, spec, records)
    notes(ws, t.below + 1, (1, "部门负责人签字:__________"), (7, DATE_ZH))
    wb.save(path)
    return [t.expect(ws, "appraisal")]


def build_zh_bonus_sum(path: Path) -> list[Expected]:
    """Company-wide 考核及奖金 sheet: 员工编号, 入职日期 as dates and 司龄, 主管评分 and 客户满意度,
    an unplaced 绩效奖金(元) column, a 合计 row with a hand-typed SUM over the bonus only."""
    rng = random.Random(11)
    wb, (ws,) = book("绩效奖金")
    title(ws, 1, "2024年上半年绩效考核及奖金发放表", 12)
    notes(ws, 2, (1, "单位:元"), (10, "制表日期:2024-07-08"))
    spec = [Col("序号", "seq", 5), Col("员工编号", "employee_id"), Col("姓名", "name", 8),
            Col("部门", "department"), Col("入职日期", "hire_date", 12, DATE),
            Col("司龄", "tenure_years", 6), Col("主管评分", "rating:supervisor:overall"),
            Col("客户满意度", "rating:customer:overall"), Col("综合得分", "total", 9, SCORE),
            Col("考核等级", "grade"), Col("绩效奖金(元)", None, 13, "#,##0.00"),
            Col("备注", "remark", 14)]
    coef = {g.label: g.coef for g in SCHEME.grades}
    people = staff(rng, 12, ["客服一部", "客服二部", "售后部"])
    records = []
    for i, p in enumerate(people, 1):
        rec = appraisal_record(p, i, rate(rng, {"supervisor": None, "customer": None}))
        rec["绩效奖金(元)"] = 6000 * coef[str(rec["grade"])]
        records.append(rec)
    records[10]["remark"] = "已离职"
    t = put_table(ws, 3, spec, records, totals=Totals("合计", "SUM", ("绩效奖金(元)",)))
    notes(ws, t.below + 1, (1, "制表人:__________"), (5, "审核:__________"),
          (9, "总经理签字:__________"))
    landscape(ws)
    wb.save(path)
    return [t.expect(ws, "appraisal")]


def build_en_appraisal(path: Path) -> list[Expected]:
    """English appraisal: company and period lines, a two-row header (Supervisor over five
    factors, Peers over Teamwork), No./Emp. No./Hire Date/Tenure (years), English grades,
    Comments, signature lines."""
    rng = random.Random(12)
    wb, (ws,) = book("H1 2024")
    title(ws, 1, "Northwind Support Ltd.", 16)
    notes(ws, 2, (1, "Performance Appraisal — Customer Service"))
    notes(ws, 3, (1, "Department: Customer Service"), (8, "Period: January–June 2024"))
    spec = [Col("No.", "seq", 5), Col("Emp. No.", "employee_id"), Col("Name", "name", 16),
            Col("Position", "position", 13), Col("Hire Date", "hire_date", 12, "dd/mm/yyyy"),
            Col("Tenure (years)", "tenure_years", 9),
            Group("Supervisor", factor_cols("supervisor", "en")),
            Group("Peers", (Col("Teamwork", "rating:peer:interpersonal", 11),)),
            Col("Customer Satisfaction", "rating:customer:overall", 13),
            Col("Total", "total", 9, SCORE), Col("Grade", "grade", 16),
            Col("Comments", "remark", 20)]
    plan = {"supervisor": FACTORS, "peer": ("interpersonal",), "customer": None}
    people = staff(rng, 8, ["Customer Service"], prefix="E", names=EN_NAMES,
                   positions=EN_POSITIONS)
    records = [appraisal_record(p, i, rate(rng, plan), "en") for i, p in enumerate(people, 1)]
    records[2]["remark"] = "Promoted to Team Lead in May"
    t = put_table(ws, 5, spec, records)
    notes(ws, t.below + 1, (1, "Appraiser signature: ______________"),
          (12, "Date: ____________"))
    ws.freeze_panes = "D7"
    g = t.col("grade")
    grade_list(ws, f"{g}{t.rows[0]}:{g}{t.rows[1]}", "en")
    wb.save(path)
    return [t.expect(ws, "appraisal")]


def build_en_summary_average(path: Path) -> list[Expected]:
    """English summary: ID/Employee Name/Dept./Start Date, one score per rater (Self, Manager,
    Peer, Customer), blank rows between the two teams, an Average row of AVERAGE formulas."""
    rng = random.Random(13)
    wb, (ws,) = book("Summary")
    title(ws, 1, "Performance Review Summary — Support", 10, size=12)
    spec = [Col("ID", "employee_id"), Col("Employee Name", "name", 16), Col("Dept.", "department"),
            Col("Start Date", "hire_date", 12, "mmm d, yyyy"),
            Col("Self", "rating:self:overall", 8), Col("Manager", "rating:supervisor:overall", 9),
            Col("Peer", "rating:peer:overall", 8), Col("Customer", "rating:customer:overall", 9),
            Col("Total Score", "total", 11, SCORE), Col("Grade", "grade", 16)]
    plan = {r: None for r in ("self", "supervisor", "peer", "customer")}
    people = staff(rng, 9, ["Support A", "Support B"], prefix="S", names=EN_NAMES,
                   positions=EN_POSITIONS)
    records: list[dict[str, object] | None] = [
        appraisal_record(p, i, rate(rng, plan), "en") for i, p in enumerate(people, 1)]
    cut = next(i for i, rec in enumerate(records) if rec and rec["department"] == "Support B")
    records[cut:cut] = [None, None]
    t = put_table(ws, 3, spec, records, totals=Totals(
        "Average", "AVERAGE", ("rating:self:overall", "rating:supervisor:overall",
                               "rating:peer:overall", "rating:customer:overall", "total")))
    wb.save(path)
    return [t.expect(ws, "appraisal")]


FORMS: dict[str, Callable[[Path], list[Expected]]] = {
    name.removeprefix("build_"): fn for name, fn in sorted(globals().items())
    if name.startswith("build_") and callable(fn)}
