"""E-commerce store manager pay: hand-checked day split, coefficient bands, team share, 奖惩 and
returning-customer growth; the calendar formulas against Python's calendar in both engines; every
formula cell equals the reference in LibreOffice and formulas; the target and the team share sum
to their pools to the cent; the scheme's refusals name the cell; the CSV round trip."""
from __future__ import annotations

import calendar
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from xlperf import engines
from xlperf.errors import InputError
from xlperf.grid import Grid
from xlperf.kinds import build, open_workbook
from xlperf.kinds import ecommerce as kind

from .kinds_engines import assert_reads_back, csv_form, csv_refusal
from .conftest import need_formulas, need_libreoffice
from .departments import same

TEAM = [  # name, role key (or a role name), base, performance base, days worked
    ("Wang", "manager", None, None, None),  # row 5
    ("Li", "service", None, None, None),
    ("Zhou", "service", 1500.5, None, 14),
    (None, None, None, None, None),  # a blank row between people
    (None, "service", None, None, None),  # row 9: no name
    ("Dup", "service", None, None, None),
    ("dup", "service", None, None, None),  # the same name (case)
    ("Xu", "厨师", None, None, None),  # row 12: not a role of the scheme
    ("Wu", "店*", None, None, None),  # wildcard: never matched
    ("Ma", "service", -1, None, None),
    ("Hu", "service", None, 100.001, None),  # row 15: not whole cents
    ("Lin", "service", None, None, 29),  # more days than February 2026 has
    ("Gao", "service", None, None, "全月"),
    (7, "service", None, None, 0),  # row 18: a number as a name; no days, no share
]
ITEMS = [  # name, date, reason, amount
    ("Wang", "2月14日", "活动超额", 300),  # row 5
    ("wang", "2月3日", "差评", -50.5),  # "=" ignores case
    (None, None, None, None),
    (None, None, "无姓名", 10),  # row 8
    ("Li", None, None, "abc"),
    ("Li", None, None, 10.001),
    ("Nobody", None, None, 5),  # row 11
    ("Dup", None, None, 5),  # the team sheet has the name twice
    ("Xu", None, None, 5),  # the member's own row is flagged
    ("7", None, None, 5),  # row 14: text "7" is not the number 7
    (7, None, None, 0),  # 0 counts as a reward
    ("L*", None, None, 5),  # literal, never a wildcard
    ("Li", None, "未填金额", None),  # row 17
]
CUSTOMERS = [(120, 100, None), (90, 0, None), (50, None, None), (None, 80, None), ("x", 10, None),
             (-1, 10, None), (None, None, "群发优惠券"), (1, 3, None)]
DAYS = {1: (None, 30), 2: (0, 0), 3: ("x", None), 4: (None, -5), 5: (None, 100.005),
        6: (None, "abc"), 10: (2.5, 8000.5), 12: (None, "12,467.82")}
# day -> (event weight, actual sales); day 12's sales pasted as text with a thousands separator
BAD_SALES_DAYS = (4, 5, 6, 12)


def role(form: kind.Form, key: str) -> str:
    names = list(kind.ROLES)
    return form.scheme["RoleName"][names.index(key)] if key in names else key  # type: ignore[index]


def february(lang: str, target: float = 100.0) -> kind.Form:
    """February 2026: 28 days from a Sunday, the hand-checked month."""
    form = kind.blank(lang, 20, 20)
    form.scheme.update(PlanYear=2026.0, PlanMonth=2.0, SalesTarget=target)
    return form


def edge_cases(lang: str) -> kind.Form:
    form = february(lang)
    team = [dict(zip(kind.INPUTS, (n, role(form, r) if r else None, *rest)))
            for n, r, *rest in TEAM]
    items = [dict(zip(kind.OTHER_INPUTS["items"], item)) for item in ITEMS]
    form = kind.with_records(form, team, items)
    for day, (weight, actual) in DAYS.items():
        form.inputs["DayWeightIn"][day - 1], form.inputs["DayActual"][day - 1] = weight, actual
    form.inputs["DayActual"][29] = 100  # day 30: February has no such day
    for w, (this, last, action) in enumerate(CUSTOMERS):
        form.inputs["CustThis"][w], form.inputs["CustLast"][w] = this, last
        form.inputs["CustAction"][w] = action
    return form


def column(values: dict, letter: str, first: int, last: int) -> list[object]:
    return [values[f"{letter}{r}"] for r in range(first, last + 1)]


def test_the_target_is_split_by_weekday_weights_to_the_cent() -> None:
    # 20 weekdays × 1 + 8 weekend days × 1.5 = 32 units; 10 000 cents: a weekday 312.5, a weekend
    # day 468.75; floors 9 984 cents, 16 left: the 8 weekend days (remainder .75), then the 8
    # earliest weekdays (.5, ties to the earlier day)
    d = kind.compute(february("zh")).values()["days"]
    targets = column(d, "H", 5, 32)
    weekend = [1, 7, 8, 14, 15, 21, 22, 28]
    assert [targets[i - 1] for i in weekend] == [4.69] * 8
    assert [t for i, t in enumerate(targets, 1) if i not in weekend] == [3.13] * 8 + [3.12] * 12
    assert column(d, "B", 5, 6) == ["星期日", "星期一"] and d["C5"] == 1 and d["C6"] == 2
    assert column(d, "A", 33, 35) == ["", "", ""] and column(d, "H", 33, 35) == ["", "", ""]
    m = kind.compute(february("zh")).values()["month"]
    assert [m[kind.month_cell(n)] for n in ("DaysInMonth", "FirstWeekday", "MonthTarget")] == \
        [28, 7, 100]
    # week 1 is Sunday the 1st alone; week 5 is the 23rd to the 28th; there is no week 6
    assert [m[f"{c}5"] for c in "BCD"] == [1, 1, 4.69]
    assert [m[f"{c}9"] for c in "BCD"] == [23, 28, 20.29]  # 5 × 3.12 + 4.69
    assert [m[f"{c}10"] for c in "BCDEF"] == [""] * 5


@pytest.mark.parametrize("actual, completion, coefficient", [
    (59.99, 0.5999, 0), (60, 0.6, 0.6), (79.99, 0.7999, 0.6), (80, 0.8, 0.8), (100, 1, 1),
    (119.99, 1.1999, 1), (120, 1.2, 1.2), (300, 3, 1.2), (0, 0, 0)])
def test_completion_bands(actual: float, completion: float, coefficient: float) -> None:
    form = february("zh")
    form.inputs["DayActual"][0] = actual
    m = kind.compute(form).values()["month"]
    assert m[kind.month_cell("Completion")] == completion
    assert m[kind.month_cell("Coefficient")] == coefficient


def test_reference_by_hand() -> None:
    form = edge_cases("zh")
    values = kind.compute(form).values()
    d, m, t = values["days"], values["month"], values["team"]
    i, c = values["items"], values["customers"]
    # days: the check column and what flagged days compute
    assert column(d, "F", 5, 11) == ["正常", "正常", "权重须为≥0的数字", *["销售额须为≥0的金额(到分)"] * 3,
                                     "正常"]
    assert d["G6"] == 0 and d["H6"] == 0 and d["I6"] == ""  # closed day: no target, no rate
    assert all(d[f"{x}7"] == "" for x in "GHI")  # a bad weight: no weight, no target
    # bad sales: flagged, no completion, but the day keeps its weight and target
    assert [d[f"F{day + 4}"] for day in BAD_SALES_DAYS] == ["销售额须为≥0的金额(到分)"] * 4
    assert all(d[f"I{day + 4}"] == "" for day in BAD_SALES_DAYS)
    assert all(d[f"G{day + 4}"] == 1 and d[f"H{day + 4}"] > 0 for day in BAD_SALES_DAYS)
    assert d["G14"] == 2.5 and d["F34"] == "本月无此日" and d["A34"] == "" and d["F35"] == ""
    assert d["I5"] == round(30 / d["H5"], 4)
    # month: Σ day targets = the target to the cent, 30 + 0 + 8000.50 sold of 100: coefficient 1.2
    assert [m[kind.month_cell(n)] for n in ("MonthTarget", "MonthActual", "Completion",
                                            "Coefficient", "SharePool", "FlaggedDays",
                                            "MonthCheck")] == [100, 8030.5, 80.305, 1.2, 80.31, 6,
                                                               "✗ 有日期待核"]
    # team: F check, G base, H performance base, I performance, J points, K share, L 奖惩, M pay
    # points 42 + 28 + 14 + 0 = 84 over 8 031 cents: 4 015.5 → 4 015, 2 677, 1 338.5 → 1 338, 0;
    # one cent left, to the largest remainder (Wang's and Zhou's .5: the earlier row)
    assert [column(t, x, 5, 7) for x in "FGHIJKLM"] == [
        ["正常"] * 3, [1800, 1800, 1500.5], [2000, 1000, 1000], [2400, 1200, 1200], [42, 28, 14],
        [40.16, 26.77, 13.38], [249.5, 0, 0], [4489.66, 3026.77, 2713.88]]
    assert column(t, "F", 8, 18) == ["", "缺姓名", "姓名重复", "姓名重复", "未知岗位", "未知岗位",
                                     "底薪须为≥0的金额(到分)", "绩效基数须为≥0的金额(到分)",
                                     *["出勤天数须在0至本月天数之间"] * 2, "正常"]
    assert [t[f"{x}18"] for x in "JKLM"] == [0, 0, 0, 3000]
    assert all(t[f"{x}{r}"] == "" for x in "GHIJKLM" for r in range(8, 18))
    # totals under the table: Σ share = the pool to the cent, ✓
    last = kind.FIRST_ROW + form.rows
    assert [t[f"{x}{last}"] for x in "GIKLM"] == [6900.5, 6000, 80.31, 249.5, 13230.31]
    assert (t[f"I{last + 1}"], t[f"K{last + 1}"], t[f"L{last + 1}"]) == (1.2, 80.31, "✓")
    # 奖惩: the check and the kind
    assert column(i, "E", 5, 17) == ["正常", "正常", "", "缺姓名", *["金额须为数字(到分,罚款为负)"] * 2,
                                     "未知姓名(团队表无此人)", "团队表姓名重复", "该员工行待核",
                                     "未知姓名(团队表无此人)", "正常", "未知姓名(团队表无此人)",
                                     "金额须为数字(到分,罚款为负)"]
    assert column(i, "F", 5, 6) == ["奖励", "处罚"] and i["F15"] == "奖励" and i["F8"] == ""
    # 老顾客: change and year-on-year growth
    assert column(c, "F", 5, 13) == [20, 90, "", "", "", "", "", -2, ""]
    assert column(c, "G", 5, 13) == [0.2, "无数据", "无数据", "", "", "", "", -0.6667, ""]
    assert column(c, "E", 9, 13) == ["须为≥0的数字", "须为≥0的数字", "正常", "正常", ""]
    assert column(c, "A", 5, 6) == [1, 2] and c["A57"] == 53


def test_a_bad_sales_cell_moves_no_target() -> None:
    # the edge cases' bad sales cells, and the same workbook with them blank: the same weights,
    # day targets and week targets; only the check and the flagged count differ
    form, clean = edge_cases("zh"), edge_cases("zh")
    for day in BAD_SALES_DAYS:
        clean.inputs["DayActual"][day - 1] = None
    got, want = kind.compute(form).values(), kind.compute(clean).values()
    for x in "GH":
        assert column(got["days"], x, 5, 35) == column(want["days"], x, 5, 35)
    assert column(got["month"], "D", 5, 10) == column(want["month"], "D", 5, 10)
    flagged = kind.month_cell("FlaggedDays")
    assert (got["month"][flagged], want["month"][flagged]) == (6, 2)
    for name in ("MonthTarget", "MonthActual"):
        assert got["month"][kind.month_cell(name)] == want["month"][kind.month_cell(name)]


def test_a_typo_in_one_days_sales_keeps_every_target() -> None:
    # the review's case: the demo's day 2 sales pasted as the text "12,467.82"
    form = kind.demo("zh")
    before, lost = kind.compute(form).values(), form.inputs["DayActual"][1]
    form.inputs["DayActual"][1] = "12,467.82"
    after = kind.compute(form).values()
    d, m = after["days"], after["month"]
    assert d["H5"] == before["days"]["H5"] == 12537.31
    assert column(d, "H", 5, 35) == column(before["days"], "H", 5, 35)
    assert column(m, "D", 5, 10) == column(before["month"], "D", 5, 10)  # the weekly targets
    assert (d["F6"], d["I6"]) == ("销售额须为≥0的金额(到分)", "")
    assert m[kind.month_cell("FlaggedDays")] == 1
    assert m[kind.month_cell("MonthCheck")] == "✗ 有日期待核"
    assert m[kind.month_cell("MonthActual")] == round(
        before["month"][kind.month_cell("MonthActual")] - lost, 2)


def test_a_fixed_pool_nobody_shares_stays_undistributed() -> None:
    form = edge_cases("zh")
    form.scheme["SharePoolFixed"] = 500.0
    for r in range(3):
        form.inputs["TeamDays"][r] = 0.0
    t = kind.compute(form).values()["team"]
    last = kind.FIRST_ROW + form.rows
    assert (t[f"K{last}"], t[f"K{last + 1}"], t[f"L{last + 1}"]) == (0, 500, "未分配(无点数)")


def test_the_demo_splits_every_pool_to_the_cent() -> None:
    form = kind.demo("en")
    v = kind.compute(form).values()
    m, t = v["month"], v["team"]
    assert m[kind.month_cell("MonthTarget")] == 280_000 and m[kind.month_cell("MonthCheck")] == "✓"
    assert sum(x for x in column(v["days"], "H", 5, 35) if x != "") == pytest.approx(280_000)
    last = kind.FIRST_ROW + form.rows
    assert t[f"K{last}"] == m[kind.month_cell("SharePool")] and t[f"L{last + 1}"] == "✓"


def _calendar_book(path: Path) -> list[tuple[int, int]]:
    pairs = [(y, m) for y in (1900, 1999, 2000, 2023, 2024, 2026, 2100, 2400) for m in range(1, 13)]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for r, (y, m) in enumerate(pairs, 1):
        ws[f"A{r}"], ws[f"B{r}"] = y, m
        ws[f"C{r}"] = "=" + kind.days_in_month_formula(f"A{r}", f"B{r}")
        ws[f"D{r}"] = "=" + kind.first_weekday_formula(f"A{r}", f"B{r}")
    wb.defined_names["Unused"] = DefinedName("Unused", attr_text="S!$A$1")
    wb.save(path)
    return pairs


@pytest.mark.engines
def test_the_calendar_formulas_match_python_in_both_engines(tmp_path: Path) -> None:
    need_libreoffice()
    need_formulas()
    path = tmp_path / "calendar.xlsx"
    pairs = _calendar_book(path)
    lo = engines.read_values(engines.recalc_libreoffice(path, tmp_path / "lo"), "S")
    fo = engines.recalc_formulas(path)
    for r, (y, m) in enumerate(pairs, 1):
        want = (calendar.monthrange(y, m)[1], calendar.weekday(y, m, 1) + 1)
        assert (lo[r - 1][2], lo[r - 1][3]) == want, (y, m)
        assert (fo[("S", f"C{r}")], fo[("S", f"D{r}")]) == want, (y, m)




def _refused(tmp_path: Path, change: dict[str, object]) -> str:
    form = edge_cases("zh")
    for name, value in change.items():
        if isinstance(value, tuple):
            form.scheme[name][value[0]] = value[1]  # type: ignore[index]
        else:
            form.scheme[name] = value
    path = tmp_path / "bad.xlsx"
    build(kind, form, path)
    with pytest.raises(InputError) as err:
        open_workbook(path)
    return err.value.message("zh")


@pytest.mark.parametrize("name, change, i, words", [
    ("BandFrom", (2, 0.6), 2, "严格递增"),  # 0, 0.6, 0.6: not strictly ascending
    ("BandFrom", (4, 0.5), 4, "严格递增"),
    ("PlanMonth", 2.5, 0, "整数"),
    ("SalesTarget", 100.001, 0, "精确到分"),
    ("RoleName", (5, "店长"), 5, "名称重复"),
    ("RoleCoef", (1, None), 1, "不能为空"),
    ("RoleBase", (6, 100.0), 6, "没有岗位名称"),
    ("WeekdayWeight", [0.0] * 7, 0, "大于 0"),
])
def test_bad_schemes_are_refused_with_the_cell(tmp_path: Path, name: str, change: object, i: int,
                                               words: str) -> None:
    message = _refused(tmp_path, {name: change})
    form = edge_cases("zh")
    assert words in message and "方案!" + Grid.cells(form.names[name])[i] in message, message


def test_csv_round_trip(tmp_path: Path) -> None:
    csv = ("姓名,岗位,底薪(空 = 岗位默认),绩效工资基数(空 = 岗位默认),出勤天数(空 = 全月)\n"
           "王店长,店长,,,\n"
           "李客服,客服,2000,1200.50,20\n"
           "007,美工,,,\n")
    form = csv_form(kind, tmp_path, csv, "zh")
    assert form.inputs["TeamName"][:3].tolist() == ["王店长", "李客服", "007"]  # names stay text
    assert form.inputs["TeamPerfIn"][1] == 1200.5 and form.inputs["TeamDays"][0] is None
    path = tmp_path / "e.xlsx"
    computed = build(kind, form, path)
    t = computed.values()["team"]
    assert [t[f"{x}6"] for x in "GHJ"] == [2000, 1200.5, 20]
    assert t["J5"] == 46.5  # 1.5 × the 31 days of January
    assert_reads_back(path, computed)
    assert csv_form(kind, tmp_path, "name,role,base,performance_base,days\nAnn,Designer,,,\n", "en").inputs["TeamRole"][0] == "Designer"


@pytest.mark.parametrize("line, words", [
    ("赵六,厨师,,,", "row 3, role"),
    ("赵六,客*,,,", "row 3, role"),
    ("王店长,客服,,,", "row 3, name"),
    ("赵六,客服,abc,,", "row 3, base"),
    ("赵六,客服,,100.001,", "row 3, performance_base"),
    ("赵六,客服,,,32", "row 3, days"),
    (",客服,,,", "row 3, name"),
])
def test_a_bad_csv_is_refused_with_the_row(tmp_path: Path, line: str, words: str) -> None:
    csv = f"name,role,base,performance_base,days\n王店长,店长,,,\n{line}\n"
    message = csv_refusal(kind, tmp_path, csv, "zh")
    assert words in message


def test_blank_template_computes_blank() -> None:
    values = kind.compute(kind.blank("en")).values()
    t, m = values["team"], values["month"]
    assert all(t[f"{x}{r}"] == "" for x in "FGHIJKLM" for r in (5, 34))
    assert all(values["items"][f"{x}{r}"] == "" for x in "EF" for r in (5, 104))
    assert values["days"]["A35"] == 31 and values["days"]["F35"] == "OK"  # January
    assert m[kind.month_cell("MonthCheck")] == "✓" and m[kind.month_cell("SharePool")] == 0
    assert t["L36"] == "✓" and same(t["K35"], 0) and same(t["K36"], 0)  # a pool of 0
