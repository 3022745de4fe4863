"""Nine-box grid: hand-checked bands and boxes (a score at a cut point goes up), the grid's counts,
shares and totals, every row the check column flags; every formula cell equals the reference in
LibreOffice and formulas; the scheme's refusals name the cell; the CSV round trip."""
from __future__ import annotations

from pathlib import Path

from xlperf.grid import Grid
from xlperf.kinds import ninebox as kind

from .kinds_engines import built_and_read_back, csv_form, csv_refusal, refusal


def edge_cases(lang: str) -> kind.Form:
    rows = [  # id, name, department, performance, potential — from sheet row 5
        ("N1", "甲", "D1", 69.99, 69.99),  # 5: just below both cuts: box 1
        ("N2", None, "D1", 70, 70),  # 6: at the lower cuts: medium, medium: box 5
        ("N3", None, "D2", 85, 84.99),  # 7: high, medium: box 6
        ("N4", None, "D2", 84.99, 85),  # 8: medium, high: box 8
        (None, None, None, None, None),  # 9: a blank row between people
        ("N5", None, None, 100, 100),  # 10: box 9
        ("N6", None, None, 0, 0),  # 11: box 1
        (None, "无工号", None, 80, 80),  # 12
        ("D1", None, None, 80, 80),  # 13-14: the same ID (case)
        ("d1", None, None, 80, 80),
        ("N7", None, None, "八十", 80),  # 15: text score
        ("N8", None, None, 101, 50),  # 16: above 100
        ("N9", None, None, 50, None),  # 17: no potential score
        ("N10", None, None, -1, 50),  # 18: below 0
        ("N11", None, None, 90, 60),  # 19: high performance, low potential: box 3
        (1001, None, None, 60, 90),  # 20: a number ID: box 7 …
        ("1001", None, None, 75, 60),  # 21: … is not the text "1001": box 2
    ]
    return kind.with_records(kind.blank(lang, 25), [dict(zip(kind.INPUTS, r)) for r in rows])


def cols(values: dict, row: int, letters: str = "FGHIJ") -> list[object]:
    return [values[f"{c}{row}"] for c in letters]


def test_reference_by_hand() -> None:
    values = kind.compute(edge_cases("zh")).values()
    v, g = values["records"], values["grid"]
    # F check, G performance band, H potential band, I box, J box name
    assert cols(v, 5) == ["正常", "低", "低", 1, "待观察"]
    assert cols(v, 6) == ["正常", "中", "中", 5, "中坚力量"]
    assert cols(v, 7) == ["正常", "高", "中", 6, "绩效之星"]
    assert cols(v, 8) == ["正常", "中", "高", 8, "成长之星"]
    assert cols(v, 9) == [""] * 5
    assert cols(v, 10) == ["正常", "高", "高", 9, "明星"]
    assert cols(v, 11)[3:] == [1, "待观察"]
    assert [v[f"F{r}"] for r in range(12, 19)] == [
        "缺工号", "工号重复", "工号重复", *["得分须为0–100的数字"] * 4]
    assert all(v[f"{c}{r}"] == "" for r in range(12, 19) for c in "GHIJ")
    assert cols(v, 19)[3:] == [3, "专业骨干"]
    assert cols(v, 20)[3:] == [7, "潜力股"] and cols(v, 21)[3:] == [2, "稳定贡献者"]
    # the grid: potential high / medium / low in rows 5-7, 8-10, 11-13: name, count, share
    assert [g[f"{c}5"] for c in "BCD"] == ["潜力股", "成长之星", "明星"]
    assert [g[f"{c}11"] for c in "BCD"] == ["待观察", "稳定贡献者", "专业骨干"]
    assert [[g[f"{c}{r}"] for c in "BCDE"] for r in (6, 9, 12, 14)] == [
        [1, 1, 1, 3], [0, 1, 1, 2], [2, 1, 1, 4], [3, 3, 3, 9]]
    assert g["B13"] == 2 / 9 and g["E13"] == 4 / 9 and g["B10"] == 0
    assert g["B16"] == 7  # flagged, not placed


def test_cut_points_and_names_come_from_the_scheme() -> None:
    form = edge_cases("en")
    names = list(form.scheme["BoxName"])  # type: ignore[arg-type]
    names[8] = "Top talent"
    form.scheme.update(PerfCutLow=60.0, PerfCutHigh=90.0, BoxName=names)
    values = kind.compute(form).values()
    v, g = values["records"], values["grid"]
    assert cols(v, 7) == ["OK", "Medium", "Medium", 5, "Core player"]
    assert cols(v, 10)[3:] == [9, "Top talent"] and g["D5"] == "Top talent"
    assert cols(v, 20)[1:4] == ["Medium", "High", 8]  # 60 is now medium


def test_an_empty_grid_has_no_division_by_zero() -> None:
    g = kind.compute(kind.blank("zh", 5)).values()["grid"]
    assert g["E14"] == 0 and g["B7"] == 0 and g["E7"] == 0 and g["B16"] == 0




def _refused(tmp_path: Path, **change: object) -> tuple[kind.Form, str]:
    form = edge_cases("zh")
    form.scheme.update(change)
    return form, refusal(kind, form, tmp_path / "bad.xlsx")


def _at(form: kind.Form, name: str, i: int = 0) -> str:
    return "方案!" + Grid.cells(form.names[name])[i]


def test_the_scheme_is_checked_cell_by_cell(tmp_path: Path) -> None:
    form, message = _refused(tmp_path, PerfCutHigh=70.0)
    assert _at(form, "PerfCutHigh") in message and "> 70" in message
    form, message = _refused(tmp_path, PotCutLow=150.0)
    assert _at(form, "PotCutLow") in message and "0–100" in message
    pot = list(form.scheme["BoxPot"])  # type: ignore[arg-type]
    pot[4] = "高"
    form, message = _refused(tmp_path, BoxPot=pot)
    assert _at(form, "BoxPot", 4) in message and "固定" in message
    names = list(form.scheme["BoxName"])  # type: ignore[arg-type]
    names[0] = None
    form, message = _refused(tmp_path, BoxName=names)
    assert _at(form, "BoxName", 0) in message


def test_csv_round_trip(tmp_path: Path) -> None:
    csv = ("工号,姓名,部门,绩效得分,潜力得分\n"
           "007,王五,客服部,88,91\n"
           "008,赵六,客服部,70,69.5\n"
           "009,钱七,销售部,55,85\n")
    form = csv_form(kind, tmp_path, csv, "zh")
    assert form.inputs["ColId"][0] == "007"  # an ID stays text
    values = kind.compute(form).values()
    assert [values["records"][f"I{r}"] for r in range(5, 8)] == [9, 2, 7]
    assert values["grid"]["E14"] == 3
    built_and_read_back(kind, form, tmp_path)


def test_a_bad_csv_is_refused_with_its_row(tmp_path: Path) -> None:
    csv = ("id,name,department,performance,potential\nT1,A,X,80,80\nT2,B,X,80,高\n")
    message = csv_refusal(kind, tmp_path, csv, "en")
    assert "row 3, potential" in message
    message = csv_refusal(kind, tmp_path, "id,performance,potential\nT1,80,80\nt1,70,70\n", "en")
    assert "row 3, id" in message
