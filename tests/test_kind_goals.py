"""Goals (MBO): hand-checked points, caps, thresholds, totals and grades; every row the check
column flags (weights not 100% with the gap); every formula cell equals the reference in
LibreOffice and formulas; the scheme's refusals name the cell; the CSV round trip."""
from __future__ import annotations

from pathlib import Path

from xlperf.grid import Grid
from xlperf.kinds import goals as kind

from .kinds_engines import built_and_read_back, csv_form, csv_refusal, refusal


def edge_cases(lang: str) -> kind.Form:
    rows = [  # id, name, goal, weight, completion — from sheet row 5
        ("A1", "张三", "目标甲", 0.5, 1.0),  # 5: full: 50 points
        ("a1", None, "目标乙", 0.3, 0.6),  # 6: the same person (case); at the threshold: 18
        ("A1", None, "目标丙", 0.2, 1.5),  # 7: capped at 120%: 24; total 92 优秀
        (None, None, None, None, None),  # 8: a blank row between goals
        ("B2", None, "g1", 0.6, 0.59999),  # 9: just below the threshold: 0
        ("B2", None, "g2", 0.4, 1.2),  # 10: at the cap: 48; total 48 待改进
        ("C3", None, "x", 0.5, 1),  # 11: weights make 90%: both flagged, gap 10%
        ("C3", None, "y", 0.4, 1),
        (None, "无工号", "z", 1, 1),  # 13
        ("D4", None, None, 1, 1),  # 14: no goal
        ("E5", None, "dup", 0.5, 1),  # 15: the same goal twice (case)
        ("e5", None, "DUP", 0.5, 0.8),
        ("F6", None, "w", "三十", 1),  # 17: text weight (counts 0 in the total: gap 100%)
        ("G7", None, "neg", 1, -0.1),  # 18: negative completion
        ("H8", None, "over", 1.2, 1),  # 19: weight above 100%
        ("I9", None, "t1", 0.7, None),  # 20: not assessed: no total for I9 yet
        ("I9", None, "t2", 0.3, 0.9),  # 21: 27 points
        (1001, None, "number id", 1, 1),  # 22: a number ID …
        ("1001", None, "text id", 1, 0.65),  # 23: … is not the text "1001" (Excel's "=")
        ("J10", None, "w*?~", 1, 0.9999),  # 24: wildcards are plain text: 99.99
        ("K11", None, "k1", 0.3, 0), ("K11", None, "k2", 0.7, 0.7),  # 25-26: 0 + 49 → 49
    ]
    return kind.with_records(kind.blank(lang, 30), [dict(zip(kind.INPUTS, r)) for r in rows])


def cols(values: dict, row: int, letters: str = "FGHIJKL") -> list[object]:
    return [values[f"{c}{row}"] for c in letters]


def test_reference_by_hand() -> None:
    v = kind.compute(edge_cases("zh")).values()["records"]
    # F check, G weight total, H gap, I completion counted, J points, K total, L grade
    assert cols(v, 5) == ["正常", 1, 0, 1, 50, 92, "优秀"]
    assert cols(v, 6) == ["正常", 1, 0, 0.6, 18, 92, "优秀"]
    assert cols(v, 7) == ["正常", 1, 0, 1.2, 24, 92, "优秀"]
    assert cols(v, 8) == [""] * 7
    assert cols(v, 9) == ["正常", 1, 0, 0, 0, 48, "待改进"]
    assert cols(v, 10) == ["正常", 1, 0, 1.2, 48, 48, "待改进"]
    assert cols(v, 11) == cols(v, 12) == ["权重合计≠100%", 0.9, 0.1, "", "", "", ""]
    assert [v[f"F{r}"] for r in range(13, 20)] == [
        "缺工号", "缺目标", "目标重复", "目标重复", "权重或完成度无效", "权重或完成度无效",
        "权重或完成度无效"]
    assert all(v[f"{c}{r}"] == "" for r in range(13, 20) for c in "IJKL")
    assert (v["G13"], v["G17"], v["H17"], v["G19"], v["H19"]) == ("", 0, 1, 1.2, -0.2)
    assert cols(v, 20) == ["未评估", 1, 0, "", "", "", ""]
    assert cols(v, 21) == ["正常", 1, 0, 0.9, 27, "", ""]  # waits for I9's other goal
    assert cols(v, 22, "FJKL") == ["正常", 100, 100, "优秀"]
    assert cols(v, 23, "FJKL") == ["正常", 65, 65, "一般"]
    assert cols(v, 24, "FJKL") == ["正常", 99.99, 99.99, "优秀"]
    assert cols(v, 25, "IJKL") == [0, 0, 49, "待改进"] and v["J26"] == 49
    assert v["F27"] == "" and v["K27"] == ""


def test_all_or_nothing_and_another_scale() -> None:
    form = edge_cases("en")
    form.scheme.update(GoalProportional="No", GoalPoints=10.0, GoalCap=1.0)
    v = kind.compute(form).values()["records"]
    assert cols(v, 5) == ["OK", 1, 0, 1, 5, 7, "Needs improvement"]  # 5 + 0 + 2 (capped at 100%)
    assert cols(v, 6, "IJ") == [0, 0] and cols(v, 21, "IJ") == [0, 0]
    assert cols(v, 11, "FGH") == ["Weights ≠ 100%", 0.9, 0.1]




def _refused(tmp_path: Path, **change: object) -> tuple[kind.Form, str]:
    form = edge_cases("zh")
    form.scheme.update(change)
    return form, refusal(kind, form, tmp_path / "bad.xlsx")


def test_the_scheme_is_checked_cell_by_cell(tmp_path: Path) -> None:
    form, message = _refused(tmp_path, GradeMin=[0.0, 80.0, 60.0, 90.0])
    assert "递增" in message and "方案!" + Grid.cells(form.names["GradeMin"])[0] in message
    form, message = _refused(tmp_path, GradeMin=[10.0, 60.0, 80.0, 90.0])
    assert "方案!" + Grid.cells(form.names["GradeMin"])[0] in message
    form, message = _refused(tmp_path, GoalThreshold=1.5)
    assert "方案!" + form.names["GoalThreshold"].replace("$", "") in message
    form, message = _refused(tmp_path, GoalProportional="也许")
    assert "方案!" + form.names["GoalProportional"].replace("$", "") in message and "是/否" in message


def test_csv_round_trip(tmp_path: Path) -> None:
    csv = ("工号,姓名,目标,权重,完成度\n"
           "E1,王五,客户满意度,60%,110%\n"
           "E1,王五,培训,0.4,0.5\n"
           "E2,赵六,知识库,100%,\n")
    form = csv_form(kind, tmp_path, csv, "zh")
    assert form.inputs["ColWeight"][:3].tolist() == [0.6, 0.4, 1.0]
    v = kind.compute(form).values()["records"]
    assert cols(v, 5) == ["正常", 1, 0, 1.1, 66, 66, "一般"]  # 66 + 0 (below 60%)
    assert cols(v, 7, "FJK") == ["未评估", "", ""]
    built_and_read_back(kind, form, tmp_path)


def test_a_bad_csv_is_refused_with_its_row(tmp_path: Path) -> None:
    csv = ("id,name,goal,weight,completion\nE1,A,g1,0.5,1\nE1,A,g2,五成,1\n")
    message = csv_refusal(kind, tmp_path, csv, "en")
    assert "row 3, weight" in message and "五成" in message
    message = csv_refusal(kind, tmp_path, "id,goal,weight\nE1,g1,30\n", "en")  # 30 meant as 30%
    assert "row 2, weight" in message
