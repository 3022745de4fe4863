"""Hospital performance pay: hand-checked allowances, splits and ledgers; every formula cell equals
the reference in LibreOffice and formulas; each department's rewards equal its pool to the cent;
the scheme's refusals name the cell; the CSV round trip."""
from __future__ import annotations

from pathlib import Path

import pytest

from xlperf.errors import InputError
from xlperf.grid import Grid
from xlperf.kinds import build
from xlperf.kinds import hospital as kind

from .kinds_engines import assert_reads_back, csv_form, csv_refusal, refusal

DEPTS = {"zh": ("内科", "外科", "儿科", "Ward-A", "ICU", "骨科"),
         "en": ("Medicine", "Surgery", "Paediatrics", "Ward-A", "ICU", "Orthopaedics")}
POOLS = ((100.00, 0.05), (0.05, 77.77), (77.77, 0.0), (10.00, 10.00), (1000.00, 999.99),
         (300_000.00, 299_999.99))  # 骨科: a realistic pool over points in the thousands


def edge_cases(lang: str) -> kind.Form:
    med, sur, ped, ward, icu, big = DEPTS[lang]
    a, b, c = kind.TIERS[lang]
    yes = "是" if lang == "zh" else "Yes"
    rows = [  # id, name, department, basic, carrot, nightingale, master, points 1, points 2
        ("P1", "甲一", med, 1000, a, None, yes, 1, 1),  # row 5
        ("P2", "乙二", med, 2000.5, None, b, None, 1, 2),
        ("P3", None, med, 0, None, None, None, 1, None),  # no part in month 2
        (None, None, None, None, None, None, None, None, None),  # a blank row between people
        ("P4", None, sur, 500, b, a, yes, 2.5, 1),  # row 9: ties go to the earlier row
        ("P5", None, sur, 500, None, None, None, 2.5, 1),
        ("P6", None, ped, 300, None, None, None, None, None),  # nobody in 儿科 has points
        ("P7", None, ward.lower(), 100, None, None, None, 0, 3),  # case: same department
        (None, "无工号", med, 100, None, None, None, 1, 1),  # row 13: flagged rows, with points
        ("D1", None, med, 100, None, None, None, 5, 5),
        ("d1", None, med, 100, None, None, None, 5, 5),  # the same ID (case)
        ("X1", None, "眼科", 100, None, None, None, 1, 1),  # not in the departments table
        ("X2", None, med[0] + "*", 100, None, None, None, 1, 1),  # wildcard: never matched
        ("X3", None, med, -1, None, None, None, 1, 1),  # row 18
        ("X4", None, med, 100.005, None, None, None, 1, 1),  # not whole cents
        ("X5", None, med, "一千", None, None, None, 1, 1),
        ("X6", None, med, 100, "丁", None, None, 1, 1),  # row 21
        ("X7", None, med, 100, None, None, "否", 1, 1),
        ("X8", None, med, 100, c, None, None, 1, 1),  # tier C, amount blank: in the splits
        ("X9", None, med, 100, None, None, None, -1, 1),  # row 24
        ("X10", None, med, 100, None, None, None, 1, "两"),
        ("X11", None, 7, 100, None, None, None, 1, 1),  # a number is no department name
        ("X12", None, med, None, None, None, None, 1, 1),  # row 27: no basic pay
        ("I1", None, icu, 1234.56, None, None, None, 0.29, 1.15),  # row 28: 0.29·100 ≠ 29 in
        ("I2", None, icu, 1234.56, None, b, yes, 1.15, 0.29),  # binary, yet whole hundredths
        ("I3", None, icu, 1234.56, None, None, None, 2, 2),
        ("I4", None, icu, 100, None, None, None, 0.335, 1),  # row 31: 3 decimals
        ("I5", None, icu, 100, None, None, None, 1, 1.00005),
        ("X13", None, med, 100, c, None, None, 1.234, 1),  # bad points come before the amount
        ("B1", None, big, 1000, None, None, None, 1200, 900),  # row 34: 300,000.00 by 1200 : 900
        ("B2", None, big, 1000, None, None, None, 900, 1200),
    ]
    depts = [(name, p1, p2) for name, (p1, p2) in zip(DEPTS[lang], POOLS)]
    form = kind.with_departments(kind.blank(lang, 31), depts)
    return kind.with_records(form, [dict(zip(kind.INPUTS, r)) for r in rows])


def people(values: dict, first: int, last: int, letters: str) -> list[list[object]]:
    return [[values[f"{c}{r}"] for c in letters] for r in range(first, last + 1)]


def test_reference_by_hand() -> None:
    values = kind.compute(edge_cases("zh")).values()
    p, s = values["people"], values["summary"]
    # J check, K-N allowances, O-P rewards, Q-S ledger
    assert people(p, 5, 12, "JKLMNOPQRS") == [  # 内科 with X8 (row 23): 100.00 / 4, 0.05 by 1:2:1
        ["正常", 8000, 0, 1000, 9000, 25, 0.01, 10000, 10025.01, 20025.01],
        ["正常", 0, 600, 0, 600, 25, 0.03, 2600.5, 2625.53, 5226.03],
        ["正常", 0, 0, 0, 0, 25, "", 0, 25, 25],
        [""] * 10,
        ["正常", 4000, 800, 1000, 5800, 0.03, 38.89, 6300, 6338.92, 12638.92],
        ["正常", 0, 0, 0, 0, 0.02, 38.88, 500, 538.9, 1038.9],
        ["正常", 0, 0, 0, 0, "", "", 300, 300, 600],
        ["正常", 0, 0, 0, 0, 0, 10, 100, 110, 210],
    ]
    bad_basic, bad_points = "基础性绩效须为≥0的金额(到分)", "点数须为≥0的数字,至多两位小数"
    assert [p[f"J{r}"] for r in range(13, 28)] == [
        "缺工号", "工号重复", "工号重复", "未知科室", "未知科室", *[bad_basic] * 3,
        "等级或硕士填写无效", "等级或硕士填写无效", "津贴额未填(方案)", bad_points, bad_points,
        "未知科室", bad_basic]
    assert all(p[f"{c}{r}"] == "" for r in [*range(13, 23), *range(24, 28), 31, 32, 33]
               for c in "KLMNOPQRS")
    assert [p[f"J{r}"] for r in (31, 32, 33)] == [bad_points] * 3  # 0.335, 1.00005, 1.234
    # ICU: points in hundredths (29 : 115 : 200), 骨科: 300,000.00 by 1200 : 900, to the cent
    assert people(p, 28, 30, "OP") == [[84.3, 334.3], [334.3, 84.3], [581.4, 581.39]]
    assert people(p, 34, 35, "OPS") == [[171428.57, 128571.42, 301999.99],
                                        [128571.43, 171428.57, 302000]]
    # 科室汇总: people, flagged, pool, paid, check (month 1, month 2), Σ basic, allowances, total
    assert people(s, 5, 10, "ABCDEFGHIJKLMN") == [
        [1, "内科", 3, 13, 100, 100, "✓", 0.05, 0.05, "✓", 3100.5, 9600, 25276.04, "待补津贴额"],
        [2, "外科", 2, 0, 0.05, 0.05, "✓", 77.77, 77.77, "✓", 1000, 5800, 13677.82, "✓"],
        [3, "儿科", 1, 0, 77.77, 0, "未分配(无点数)", 0, 0, "✓", 300, 0, 600, "✓"],
        [4, "Ward-A", 1, 0, 10, 0, "未分配(无点数)", 10, 10, "✓", 100, 0, 210, "✓"],
        [5, "ICU", 3, 2, 1000, 1000, "✓", 999.99, 999.99, "✓", 3703.68, 1600, 12607.35, "✓"],
        [6, "骨科", 2, 0, 300000, 300000, "✓", 299999.99, 299999.99, "✓", 2000, 0, 603999.99,
         "✓"],
    ]
    assert all(s[f"{c}11"] == "" for c in "ABCDEFGHIJKLMN")  # unused department rows: blank
    # the totals row under the 20 rows of the departments table, then the payment period
    assert [s[f"{c}25"] for c in "CDEFGHIJ"] == [
        12, 18, 301187.82, 301100.05, "✗ 有科室未分配或不符", 301087.8, 301087.8, "✓"]
    assert s["N25"] == "待补津贴额" and (s["B27"], s["C27"]) == ("第1月", "第2月")


def test_a_blank_tier_amount_leaves_only_the_allowances_blank() -> None:
    """X8 (row 23, tier 丙 while its amount is blank) keeps basic pay and both rewards and takes
    part in the splits; the carrot allowance, the allowance total and the ledger amounts wait."""
    form = edge_cases("zh")
    values = kind.compute(form).values()
    p, s = values["people"], values["summary"]
    assert people(p, 23, 23, "JKLMNOPQRS") == [
        ["津贴额未填(方案)", "", 0, 0, "", 25, 0.01, "", "", ""]]
    assert (s["E5"], s["F5"], s["H5"], s["I5"]) == (100, 100, 0.05, 0.05)  # Σ paid = pool
    assert s["K5"] == 3100.5 and s["N5"] == "待补津贴额"  # X8's basic pay counts; the ledger waits


def test_tier_c_is_paid_once_its_amount_is_filled() -> None:
    form = edge_cases("zh")
    form.scheme["CarrotAmount"][2] = 2000.0  # type: ignore[index]
    values = kind.compute(form).values()
    p, s = values["people"], values["summary"]
    assert [p["J23"], p["K23"], p["N23"], p["O23"], p["Q23"]] == ["正常", 2000, 2000, 25, 2100]
    assert s["N5"] == s["N25"] == "✓"


def test_every_pool_is_split_to_the_cent_in_the_demo() -> None:
    form = kind.demo("zh")
    s = kind.compute(form).values()["summary"]
    for i, (name, p1, p2) in enumerate(zip(*(form.scheme[k] for k in (
            "DeptName", "DeptPool1", "DeptPool2")))):
        if name is not None:
            assert (s[f"F{5 + i}"], s[f"I{5 + i}"]) == (p1, p2)
            assert s[f"G{5 + i}"] == s[f"J{5 + i}"] == "✓"
            assert s[f"N{5 + i}"] == ("待补津贴额" if name == "外科" else "✓")  # its 丙 person




def _refused(tmp_path: Path, change: dict[str, tuple[int, object]]) -> str:
    form = edge_cases("zh")
    for name, (i, value) in change.items():
        form.scheme[name][i] = value  # type: ignore[index]
    return refusal(kind, form, tmp_path / "bad.xlsx")


def _cell(form: kind.Form, name: str, i: int) -> str:
    return "方案!" + Grid.cells(form.names[name])[i]


@pytest.mark.parametrize("name, i, value, words", [
    ("DeptPool2", 1, None, "奖励池不能为空"),  # a department without its pool
    ("DeptPool1", 7, 5.0, "没有科室名称"),  # a pool without a department
    ("DeptName", 4, "内科", "名称重复"),  # the same department twice
    ("DeptName", 4, "I*", "通配符"),
    ("CarrotAmount", 0, 8000.005, "精确到分"),
    ("NurseTier", 1, "甲", "名称重复"),
])
def test_bad_schemes_are_refused_with_the_cell(tmp_path: Path, name: str, i: int, value: object,
                                               words: str) -> None:
    message = _refused(tmp_path, {name: (i, value)})
    assert words in message and _cell(edge_cases("zh"), name, i) in message


def test_pools_too_large_for_an_exact_split_are_refused_naming_the_department() -> None:
    form = edge_cases("zh")
    form.scheme["DeptPool2"][4] = 99_999_999.99  # type: ignore[index]
    form.inputs["ColPoints2"][25] = 50_000.0  # I3
    with pytest.raises(InputError, match="too large") as err:
        kind.compute(form)
    message = err.value.message("zh")
    assert _cell(form, "DeptPool2", 4) in message and "ICU" in message and "第2月" in message
    assert "奖金池(元)× 个人点数过大" in message and "缩小" in message


def test_csv_round_trip(tmp_path: Path) -> None:
    csv = ("工号,姓名,科室,基础性绩效(元/月),胡萝卜等级,南丁格尔等级,硕士学位,"
           "点数 第1月,点数 第2月\n"
           "001,张三,内科,1500.50,甲,,是,1.2,1\n"
           "002,李四,外科,1200,,乙,,1,\n"
           "003,王五,内科,1300,,,,0.8,1.5\n")
    form = csv_form(kind, tmp_path, csv, "zh")
    assert form.scheme["DeptName"][:3] == ["内科", "外科", None]
    assert form.scheme["DeptPool1"][:3] == [0.0, 0.0, None]
    assert form.inputs["ColId"][:3].tolist() == ["001", "002", "003"]  # IDs stay text
    assert form.inputs["ColPoints2"][1] is None and form.inputs["ColBasic"][0] == 1500.5
    path = tmp_path / "h.xlsx"
    computed = build(kind, form, path)
    assert computed.values()["people"]["Q5"] == 10500.5  # 1500.50 + 8000 + 1000
    assert_reads_back(path, computed)
    assert csv_form(kind, tmp_path, "id,name,department,basic,points_m1\nA1,X,ICU,10,1\n", "en").inputs["ColDept"][0] == "ICU"


@pytest.mark.parametrize("line, words", [
    ("004,赵六,内科,abc,,,,1,1", "row 3, basic"),
    ("004,赵六,内科,100,丁,,,1,1", "row 3, carrot"),
    ("001,赵六,内科,100,,,,1,1", "row 3, id"),
    ("004,赵六,内*,100,,,,1,1", "row 3, department"),
    ("004,赵六,内科,100.001,,,,1,1", "row 3, basic"),
    ("004,赵六,内科,100,,,,1,1.005", "row 3, points_m2"),
])
def test_a_bad_csv_is_refused_with_the_row(tmp_path: Path, line: str, words: str) -> None:
    csv = ("id,name,department,basic,carrot,nightingale,master,points_m1,points_m2\n"
           f"001,张三,内科,1500,,,,1,1\n{line}\n")
    message = csv_refusal(kind, tmp_path, csv, "zh")
    assert words in message


def test_blank_template_computes_blank() -> None:
    values = kind.compute(kind.blank("en")).values()
    assert all(values["people"][f"{c}{r}"] == "" for c in "JKLMNOPQRS" for r in (5, 204))
    assert all(values["summary"][f"{c}{r}"] == "" for c in "ABCDEFGHIJKLMN" for r in (5, 24))
    assert values["summary"]["F25"] == 0 and values["summary"]["G25"] == "✓"
