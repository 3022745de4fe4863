"""Forms as HR really fills them in, each a way a hand-made table can mislead a reader — found by
a review that tried to break ``xlperf liven``: a new hire with only an ID and a name, a remark that
mentions a date, department blocks with subtotals, an English title that reads like a header, a
weights row, an average row labelled 平均值, a formula column beside the table, a rater's own
subtotal under its group, ratings pulled in by formulas, IDs typed as numbers and as text, Chinese
names on an English form, a typed rank. Each is livened, every employee must be in it, LibreOffice
must compute the reference, and nothing but liven's cells may change."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from xlperf import engines, liven
from xlperf.cli import app as cli
from xlperf.errors import InputError
from xlperf.kinds import open_workbook

from .liven_fidelity import changes
from .test_liven import allowed_cells, libreoffice_wrong

HEAD = ["工号", "姓名", "部门", "主管评", "同事评", "综合得分", "等级", "备注"]
OK = ["E9", "孙九", "客服", 80, 80, 80, "良好", None]


def form(path: Path, rows: list[list[object]], head: list[str] | None = HEAD,
         title: str = "考核") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    if head:
        ws.append(head)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def statuses(path: Path) -> dict[str, object]:
    """The check column's value per record row of every livened appraisal table."""
    opened = open_workbook(path)
    opened.close()
    out = {}
    for t in opened.form.tables:
        if hasattr(t, "scheme"):
            values = opened.computed.values()[t.sheet]
            out.update({f"{t.sheet}!{t.cell('status', r)}": values[t.cell("status", r)]
                        for r in t.rows if values[t.cell("status", r)] != ""})
    return out


CASES = {
    # a new hire with only ID and name, a leaver whose ratings say 离职: both stay in the table
    "partial_rows": [["E1", "张三", "客服", 90, 80, 87.5, "良好", None],
                     ["E2", "李四", None, None, None, None, None, None],
                     ["E3", "王五", "客服", "离职", None, None, None, "已离职"], OK],
    # a remark mentioning a date or a signature is no signature line
    "remarks": [["E1", "张三", "客服", 90, 80, 87.5, "良好", "转正日期待定"],
                ["E2", "李四", "客服", 70, 60, 67.5, "一般", "本人未签字"], OK],
    # department blocks under one header, each closed by its 小计
    "subtotal_blocks": [["E1", "张三", "一部", 90, 80, 87.5, "良好", None],
                        ["一部小计", None, None, 90, 80, 87.5, None, None],
                        ["E2", "李四", "二部", 70, 60, 67.5, "一般", None], OK,
                        ["二部小计", None, None, 75, 70, 73.75, None, None]],
    # the form's weights under the header: no employee
    "weights_row": [["权重", None, None, 0.6, 0.2, None, None, None],
                    ["E1", "张三", "客服", 90, 80, 87.5, "良好", None], OK],
    # an average row labelled 平均值: a totals row, its typed average checked and made live
    "average_row": [["E1", "张三", "客服", 90, 80, 87.5, "良好", None], OK,
                    ["平均值", None, None, 85, 80, 83.75, None, None]],
    # a typed rank, made live in place
    "typed_rank": [["E1", "张三", "客服", 90, 80, 87.5, "良好", 2],
                   ["E2", "李四", "客服", 95, 90, 93.75, "优秀", 1]],
}
HEADS = {"typed_rank": [*HEAD[:-1], "排名"]}
RECORDS = {"partial_rows": 4, "remarks": 3, "subtotal_blocks": 3, "weights_row": 2,
           "average_row": 2, "typed_rank": 2}


@pytest.fixture(scope="module")
def livened(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, liven.Report]]:
    root = tmp_path_factory.mktemp("forms")
    out = {}
    for name, rows in CASES.items():
        src = form(root / f"{name}.xlsx", rows, HEADS.get(name, HEAD))
        out[name] = (src, root / "live" / f"{name}.xlsx")
    out.update(_special_forms(root))
    return {name: (src, dest, liven.write(src, dest)) for name, (src, dest) in out.items()}


def _special_forms(root: Path) -> dict[str, tuple[Path, Path]]:
    forms = {}
    # department blocks where every cell carries a style (as Excel and LibreOffice save them)
    from openpyxl.styles import Border, Side
    wb = Workbook()
    ws = wb.active
    ws.title = "考核"
    for row in [HEAD, *CASES["subtotal_blocks"]]:
        ws.append(row)
    thin = Side(style="thin")
    for row in ws.iter_rows():
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb.save(root / "styled_blocks.xlsx")
    forms["styled_blocks"] = root / "styled_blocks.xlsx"
    # two departments side by side, the same headers, a title above each
    wb = Workbook()
    ws = wb.active
    ws.title = "考核"
    ws["A1"], ws["G1"] = "客服部", "销售部"
    ws.append(["工号", "姓名", "主管评", "同事评", "综合得分", None,
               "工号", "姓名", "主管评", "同事评", "综合得分"])
    ws.append(["E1", "张三", 90, 80, 87.5, None, "S1", "王五", 85, 95, 87.5])
    ws.append(["E2", "李四", 70, 60, 67.5, None, "S2", "赵六", 60, 60, 70])  # 60 is right
    wb.save(root / "side_by_side.xlsx")
    forms["side_by_side"] = root / "side_by_side.xlsx"
    # an English form: a title "Manager" and level words in a data row; Chinese names
    forms["english"] = form(root / "english.xlsx", [
        ["S1", "王芳", "Agent", "Good", "Good", None],
        ["S2", "李强", "Manager", "Good", "Excellent", None],
        ["S3", "Cy", "Agent", "Fair", "Good", None]],
        ["Staff ID", "Name", "Title", "Manager Rating", "Peer", "Total"])
    # a helper formula column right of the table, never calculated (no cached value)
    wb = Workbook()
    ws = wb.active
    ws.title = "考核"
    ws.append(["工号", "姓名", "主管评", "客户评", "综合得分", None, "差"])
    for i, (e, n, a, b) in enumerate([("E1", "张三", 90, 80), ("E2", "李四", 70, 75)], 2):
        ws.append([e, n, a, b, None, None, f"=C{i}-D{i}"])
    wb.save(root / "formula_right.xlsx")
    forms["formula_right"] = root / "formula_right.xlsx"
    # 主管评 over five factors and its own 得分; 综合得分 beside them, the groups not merged
    wb = Workbook()
    ws = wb.active
    ws.title = "考核"
    ws.append(["工号", "姓名", "主管评", None, None, None, None, None, "同事评", "综合得分"])
    ws.append([None, None, "业务知识能力", "沟通能力", "问题解决能力", "人际关系协调",
               "反馈与学习能力", "得分", "人际关系协调", None])
    for e, n, f, p, typed in [("E1", "张三", [90, 80, 85, 70, 75], 80, 81.5),
                              ("E2", "李四", [60, 70, 65, 80, 90], 70, 80.0)]:  # 70.75: E2 wrong
        ws.append([e, n, *f, typed, p, None])
    wb.save(root / "group_subtotal.xlsx")
    forms["group_subtotal"] = root / "group_subtotal.xlsx"
    return {name: (src, root / "live" / f"{name}.xlsx") for name, src in forms.items()}


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_every_employee_is_in_the_live_table(livened, name: str) -> None:
    _src, dest, _report = livened[name]
    assert len(statuses(dest)) == RECORDS[name]


def test_subtotal_blocks_are_each_live_and_their_subtotals_kept(livened) -> None:
    src, dest, report = livened["subtotal_blocks"]
    assert [(f.rows, f.part) for f, _t in report.placed] == [((2, 2), (1, 2)), ((4, 5), (2, 2))]
    assert all(t.summary is None for _f, t in report.placed)  # 小计 rows stay as typed


def test_a_typed_average_labelled_平均值_is_made_live(livened) -> None:
    _src, dest, report = livened["average_row"]
    (_found, t), = report.placed
    assert t.summary == ("average", "F", 4)
    opened = open_workbook(dest)
    opened.close()
    assert opened.computed.values()["考核"]["F4"] == 83.75


def test_a_typed_rank_is_made_live(livened) -> None:
    _src, dest, report = livened["typed_rank"]
    (found, t), = report.placed
    assert t.letters["rank"] == "H" and "H" in found.roles  # in place, no column added for it


def test_two_tables_side_by_side_are_each_made_live(livened) -> None:
    """Each table reads its own columns; the columns added for the second go after the first's,
    and the typed mistake of the second (赵六's 70) is listed."""
    _src, dest, report = livened["side_by_side"]
    (f1, t1), (f2, t2) = report.placed
    assert (f1.rows, f2.rows) == ((3, 4), (3, 4))
    assert set(f1.roles) <= set("ABCDE") and set(f2.roles) <= set("GHIJK")
    added1 = {c for c in t1.letters.values() if c not in f1.roles}
    added2 = {c for c in t2.letters.values() if c not in f2.roles}
    assert not added1 & added2 and min(added2) > max(added1)
    assert [(d.cell, d.typed) for d in report.differences] == [("K4", 70)]
    assert len(statuses(dest)) == 4


def test_the_language_comes_from_the_headers(livened) -> None:
    _src, dest, report = livened["english"]
    assert report.lang == "en"
    assert set(statuses(dest).values()) == {"OK"}


def test_a_formula_beside_the_table_is_not_written_over(livened) -> None:
    src, dest, report = livened["formula_right"]
    (_found, t), = report.placed
    assert min(t.letters[k] for k in t.result_keys if k != "total") > "G"


def test_a_raters_own_subtotal_is_its_score_made_live(livened) -> None:
    """主管评 … 得分 is the supervisor's typed score: checked (E2's is 10 too high) and made a
    formula; 综合得分 beside the groups is the total, not a peer rating."""
    _src, _dest, report = livened["group_subtotal"]
    (found, t), = report.placed
    assert found.roles["H"] == "score:supervisor" and found.roles["J"] == "total"
    assert t.letters["score.supervisor"] == "H"
    assert [(d.cell, d.typed) for d in report.differences] == [("H4", 80.0)]


@pytest.mark.skipif(not engines.libreoffice_available(), reason="LibreOffice not installed")
def test_every_form_computes_the_reference_in_libreoffice(livened, tmp_path: Path) -> None:
    paths = [dest for _src, dest, _r in livened.values()]
    assert libreoffice_wrong(paths, tmp_path / "lo") == {p.stem: [] for p in paths}


@pytest.mark.parametrize("name", sorted([*RECORDS, "english", "formula_right", "group_subtotal",
                                         "styled_blocks", "side_by_side"]))
def test_nothing_else_changes(livened, name: str) -> None:
    src, dest, report = livened[name]
    assert changes(src, dest, *allowed_cells(dest, report)) == []


@pytest.mark.skipif(not engines.libreoffice_available(), reason="LibreOffice not installed")
def test_ratings_pulled_in_by_formulas_read_as_the_spreadsheet_reads_them(tmp_path: Path) -> None:
    """=IF(客户!B3="","",客户!B3) shows "" for a missing score: COUNTA counts it, so the check says
    评分无效 in the spreadsheet — and in xlperf's reference, recalc and export alike."""
    wb = Workbook()
    ws = wb.active
    ws.title = "考核"
    raw = wb.create_sheet("客户")
    for row in (["工号", "客户评"], ["E1", 80], ["E2", None]):
        raw.append(row)
    ws.append(["工号", "姓名", "主管评", "客户评", "综合得分"])
    for i, (e, n, s) in enumerate([("E1", "张三", 90), ("E2", "李四", 70)], 2):
        ws.append([e, n, s, f'=IF(客户!B{i}="","",客户!B{i})', None])
    wb.save(tmp_path / "raw.xlsx")
    src = engines.recalc_libreoffice(tmp_path / "raw.xlsx", tmp_path / "saved")  # cached values
    dest = tmp_path / "live.xlsx"
    liven.write(src, dest)
    assert list(statuses(dest).values()) == ["正常", "评分无效"]
    assert libreoffice_wrong([dest], tmp_path / "lo") == {"live": []}


def test_an_id_typed_as_number_and_as_text_is_refused(tmp_path: Path) -> None:
    src = form(tmp_path / "ids.xlsx", [[1001, "张三", "客服", 90, 80, None, None, None],
                                       ["1001", "李四", "客服", 70, 60, None, None, None]])
    with pytest.raises(InputError) as err:
        liven.write(src, tmp_path / "out.xlsx")
    assert "A2、A3" in err.value.message("zh")
    done = CliRunner().invoke(cli, ["liven", str(src), "-o", str(tmp_path / "out.xlsx")])
    assert done.exit_code == 2 and not (tmp_path / "out.xlsx").exists()


def test_a_column_is_settled_by_its_letter(tmp_path: Path) -> None:
    """A header the vocabulary does not know (考评结论分) is settled by sheet and column when the
    same words could mean something else elsewhere: --map "考核!F=total"."""
    src = form(tmp_path / "odd.xlsx", [["E1", "张三", "客服", 90, 80, 87.5, "良好", None]],
               ["工号", "姓名", "部门", "主管评", "同事评", "考评结论分", "等级", "备注"])
    assert "F" not in liven.dry_run(src).placed[0][0].roles
    report = liven.dry_run(src, liven.parse_mapping(["考核!F=total"]))
    (found, t), = report.placed
    assert found.roles["F"] == "total" and t.letters["total"] == "F"
    done = CliRunner().invoke(cli, ["liven", str(src), "-o", str(tmp_path / "out.xlsx"),
                                    "--map", "考核!F=total"])
    assert done.exit_code == 0, done.output
