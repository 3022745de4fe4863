"""``xlperf liven`` writing the live workbook: every appraisal form of the gallery made live, then
recalculated by LibreOffice (and the ``formulas`` package) with results equal to the reference;
nothing else of the workbook changed, part by part; the typed mistakes listed before they are
replaced; recalc and export on the livened workbook; the refusals; many files at once."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xlperf import engines, liven, package
from xlperf.cli import app as cli
from xlperf.grid import Grid
from xlperf.kinds import open_workbook
from xlperf.sheetcells import put_cells

from .departments import same
from .gallery import FORMS, TYPED_ERRORS
from .liven_fidelity import changes

runner = CliRunner()
LIVE = sorted(f for f in FORMS if not any(k in f for k in ("table12", "personal", "standards")))


@pytest.fixture(scope="module")
def livened(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, liven.Report]]:
    """Every appraisal form of the gallery, made live."""
    root = tmp_path_factory.mktemp("liven")
    out = {}
    for form in LIVE:
        src, dest = root / f"{form}.xlsx", root / "live" / f"{form}.xlsx"
        FORMS[form](src)
        out[form] = (src, dest, liven.write(src, dest))
    return out


def allowed_cells(dest: Path, report: liven.Report
                  ) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The cells liven may have put in — its formula cells and the headers of added columns —
    and of those the ones that may have held something: the typed results it replaces."""
    opened = open_workbook(dest)
    opened.close()
    allowed = {name: set(cells) for name, cells in opened.computed.values().items()}
    replaced: dict[str, set[str]] = {}
    for found, t in report.placed:
        allowed[t.sheet] |= {f"{c}{found.header[1]}" for c in t.letters.values()
                             if c not in found.roles}
        replaced.setdefault(t.sheet, set()).update(
            f"{t.letters[k]}{r}" for k in t.result_keys if t.letters[k] in found.roles
            for r in t.rows)
        if t.summary:
            replaced[t.sheet].add(f"{t.summary[1]}{t.summary[2]}")
    allowed.pop(opened.form.sheet)  # the 方案 sheet is new as a whole
    return allowed, replaced


def libreoffice_wrong(paths: list[Path], out_dir: Path) -> dict[str, list[tuple]]:
    """Per file, every formula cell whose LibreOffice value differs from the reference."""
    wrong = {}
    for path, lo in zip(paths, engines.recalc_libreoffice_many(paths, out_dir)):
        opened = open_workbook(path)
        opened.close()
        found = []
        for sheet, cells in opened.computed.values().items():
            grid = Grid(engines.read_values(lo, sheet), str(lo), sheet)
            found += [(sheet, ref, value, grid.get(ref)) for ref, value in cells.items()
                      if not same(value, "" if grid.get(ref) is None else grid.get(ref))]
        wrong[path.stem] = found
    return wrong


@pytest.mark.skipif(not engines.libreoffice_available(), reason="LibreOffice not installed")
def test_every_livened_form_computes_the_reference_in_libreoffice(livened, tmp_path: Path) -> None:
    paths = [dest for _src, dest, _r in livened.values()]
    assert libreoffice_wrong(paths, tmp_path / "lo") == {p.stem: [] for p in paths}
    assert all(r.cells >= 12 for _s, _d, r in livened.values())  # en_kpi_tracking: 12 ratios


@pytest.mark.parametrize("form", ["zh_typed_errors", "en_summary_average"])
def test_the_formulas_package_computes_the_reference(livened, form: str) -> None:
    _src, dest, _report = livened[form]
    opened = open_workbook(dest)
    opened.close()
    solved = engines.recalc_formulas(dest)
    wrong = [(s, ref, v, solved.get((s, ref))) for s, cells in opened.computed.values().items()
             for ref, v in cells.items()
             if not same(v, "" if solved.get((s, ref)) is None else solved.get((s, ref)))]
    assert wrong == []


@pytest.mark.parametrize("form", LIVE)
def test_nothing_but_the_livened_cells_changes(livened, form: str) -> None:
    """IN and OUT part by part: every part byte for byte but the sheets liven wrote to, and in
    those every cell, row and element but the formula cells and added headers (which keep the
    style of the cell they replace)."""
    src, dest, report = livened[form]
    assert changes(src, dest, *allowed_cells(dest, report)) == []


def test_typed_mistakes_are_listed_then_replaced_by_formulas(livened) -> None:
    _src, dest, report = livened["zh_typed_errors"]
    assert sorted((d.sheet, d.cell, d.typed) for d in report.differences) == sorted(
        TYPED_ERRORS["zh_typed_errors"])
    opened = open_workbook(dest)
    opened.close()
    grid = opened.grids["考核结果"]
    assert grid.get("K7") == 86.91 and grid.get("L10") == "良好" and grid.get("K14") == 81.51
    assert opened.computed.expected("考核结果", "K7").startswith('IF(')
    assert opened.computed.expected("考核结果", "K14") == \
        'IF(COUNT($K$6:$K$13)=0,"",ROUND(AVERAGE($K$6:$K$13),2))'


def test_typed_ratios_that_differ_are_listed(tmp_path: Path) -> None:
    """A KPI tracker whose 完成率 was typed from last month's target: listed with the ratio the
    formula gives; the others agree at the 0.01% they show."""
    import openpyxl
    path = tmp_path / "kpi.xlsx"
    FORMS["zh_kpi_tracking"](path)
    wb = openpyxl.load_workbook(path)
    wb["KPI跟踪"]["H6"] = 0.9
    wb.save(path)
    report = liven.write(path, tmp_path / "live.xlsx")
    assert [(d.cell, d.typed) for d in report.differences] == [("H6", 0.9)]
    opened = open_workbook(tmp_path / "live.xlsx")
    opened.close()
    assert report.differences[0].computed == opened.computed.values()["KPI跟踪"]["H6"] != 0.9
    assert opened.computed.expected("KPI跟踪", "H6") == \
        'IF(AND(ISNUMBER(F6),ISNUMBER(G6)),IF(G6<>0,ROUND(F6/G6,6),""),"")'


def test_a_livened_workbook_recalculates_and_exports_like_a_built_one(livened, tmp_path: Path
                                                                     ) -> None:
    """A rating edited in the livened form (as HR would, in any application): recalc gives the
    reference, LibreOffice agrees; export writes one row per employee."""
    _src, dest, _report = livened["zh_two_row_header"]
    edited = tmp_path / "edited.xlsx"
    with zipfile.ZipFile(dest) as zf:
        book = package.read_book(zf)
        part = book.sheets["绩效考核表"]
        xml = put_cells(zf.read(part), {"K6": (b"", b"<v>41</v>")})  # 主管评-业务知识 of row 6
        package.rewrite(zf, edited, {part: xml})
    before = open_workbook(edited)
    before.close()
    done = runner.invoke(cli, ["recalc", str(edited)])
    assert done.exit_code == 0, done.output
    after = open_workbook(edited)
    after.close()
    assert after.computed.values() == before.computed.values()
    grid = after.grids["绩效考核表"]
    for ref, value in after.computed.values()["绩效考核表"].items():
        assert same(value, "" if grid.get(ref) is None else grid.get(ref)), ref
    if engines.libreoffice_available():
        assert libreoffice_wrong([edited], tmp_path / "lo") == {"edited": []}
    csv = tmp_path / "out.csv"
    done = runner.invoke(cli, ["export", str(edited), "-o", str(csv)])
    assert done.exit_code == 0, done.output
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "sheet,row,employee_id,name,score,grade,rank,status"
    assert len(lines) - 1 == sum(1 for v in after.computed.values()["绩效考核表"].values()
                                 if v in ("正常", "缺主管评", "评分无效", "工号重复", "缺工号"))


def test_liven_from_the_command_line_in_place_keeps_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    FORMS["zh_typed_errors"](path)
    original = path.read_bytes()
    done = runner.invoke(cli, ["liven", str(path), "--in-place"])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "form.bak.xlsx").read_bytes() == original
    assert "K7" in done.output and "86.91" in done.output  # listed before replaced
    opened = open_workbook(path)
    opened.close()
    assert opened.kind == "livened"
    again = runner.invoke(cli, ["liven", str(path), "-o", str(tmp_path / "again.xlsx")])
    assert again.exit_code == 2 and "recalc" in again.output


def test_many_files_at_once_a_bad_one_skipped(tmp_path: Path) -> None:
    forms = ["zh_two_tables", "en_appraisal"]
    for form in forms:
        FORMS[form](tmp_path / f"{form}.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    report = tmp_path / "out" / "differences.csv"
    files = [str(tmp_path / f"{f}.xlsx") for f in (*forms, "broken")]
    done = runner.invoke(cli, ["liven", *files, "--out-dir", str(tmp_path / "out"),
                               "--report", str(report)])
    assert done.exit_code == 2
    assert "2 of 3 files made live" in done.output and "broken.xlsx" in done.output
    for form in forms:
        assert open_workbook(tmp_path / "out" / f"{form}.xlsx").kind == "livened"
    assert not (tmp_path / "out" / "broken.xlsx").exists()
    assert report.read_text(encoding="utf-8-sig").startswith("file,sheet,cell,typed,computed")


@pytest.mark.parametrize("name,content", [
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
    ("binary.xlsb", b"PK\x03\x04"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),  # encrypted: OLE inside
    ("corrupt.xlsx", b"PK\x03\x04 cut short"),
    ("bomb.xlsx", None),
])
def test_refusals_exit_2_and_write_nothing(tmp_path: Path, name: str, content: bytes | None
                                           ) -> None:
    path = tmp_path / name
    if content is None:  # 2 GiB of zeros would be needed; 1 GiB+1 declared in a tiny file
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("xl/workbook.xml", b"<workbook/>")
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
                chunk = b"\0" * (1 << 24)
                for _ in range(65):
                    fh.write(chunk)
        content = buf.getvalue()
    path.write_bytes(content)
    out = tmp_path / "out.xlsx"
    done = runner.invoke(cli, ["liven", str(path), "-o", str(out)])
    assert done.exit_code == 2
    assert not out.exists() and not list(tmp_path.glob(".out*"))


def test_personal_sheets_become_a_live_register(tmp_path: Path) -> None:
    src, out = tmp_path / "people.xlsx", tmp_path / "register.xlsx"
    FORMS["zh_personal_sheets"](src)
    before = src.read_bytes()
    done = runner.invoke(cli, ["liven", str(src), "-o", str(out), "--as-of", "2024-06-30"])
    assert done.exit_code == 0, done.output
    assert src.read_bytes() == before
    opened = open_workbook(out)
    opened.close()
    totals = [v for ref, v in opened.computed.values()["appraisal"].items()
              if ref.startswith(opened.form.layout.col("total")) and v != ""]
    assert len(totals) == 4  # every person has a total: tenure came from the hire date


def test_an_ambiguous_column_is_never_guessed(tmp_path: Path) -> None:
    """Two columns that both read as the total: refused, naming both; --map settles it."""
    import openpyxl
    path = tmp_path / "two.xlsx"
    FORMS["zh_memo_and_table"](path)
    wb = openpyxl.load_workbook(path)
    ws = wb["员工考核"]
    ws["J1"] = "总分"
    wb.save(path)
    done = runner.invoke(cli, ["liven", str(path), "-o", str(tmp_path / "out.xlsx")])
    assert done.exit_code == 2 and "H1" in done.output and "J1" in done.output
    done = runner.invoke(cli, ["liven", str(path), "-o", str(tmp_path / "out.xlsx"),
                               "--map", "总分=remark"])
    assert done.exit_code == 0, done.output


def test_macros_of_an_xlsm_are_kept(tmp_path: Path) -> None:
    """A form saved as .xlsm: its VBA project and content type come through byte for byte."""
    plain, src = tmp_path / "form.xlsx", tmp_path / "form.xlsm"
    FORMS["zh_level_words"](plain)
    vba = bytes(range(256)) * 40
    with zipfile.ZipFile(plain) as zf, zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml",
                                    b"sheet.macroEnabled.main+xml").replace(
                    b"</Types>", b'<Default Extension="bin" ContentType="application/'
                    b'vnd.ms-office.vbaProject"/></Types>')
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="'
                                    b'http://schemas.microsoft.com/office/2006/relationships/'
                                    b'vbaProject" Target="vbaProject.bin"/></Relationships>')
            out.writestr(info, data)
        out.writestr("xl/vbaProject.bin", vba)
    dest = tmp_path / "live.xlsm"
    done = runner.invoke(cli, ["liven", str(src), "-o", str(dest)])
    assert done.exit_code == 0, done.output
    with zipfile.ZipFile(dest) as zf:
        assert zf.read("xl/vbaProject.bin") == vba
        assert b"macroEnabled" in zf.read("[Content_Types].xml")
    report = liven.dry_run(src)
    assert changes(src, dest, *allowed_cells(dest, report)) == []


def test_a_decorated_form_keeps_its_image_link_names_and_print_setup(tmp_path: Path) -> None:
    """A logo, a hyperlink, a workbook name and print titles added in openpyxl (as a form would
    carry them): liven leaves every one of their parts and elements as it was."""
    import openpyxl
    from openpyxl.drawing.image import Image
    from openpyxl.workbook.defined_name import DefinedName
    from PIL import Image as Picture
    src = tmp_path / "form.xlsx"
    FORMS["zh_average_row"](src)
    wb = openpyxl.load_workbook(src)
    ws = wb.active
    logo = tmp_path / "logo.png"
    Picture.new("RGB", (40, 20), (200, 30, 30)).save(logo)
    ws.add_image(Image(str(logo)), "M1")
    ws["A2"].hyperlink = "https://example.com/policy"
    wb.defined_names["部门"] = DefinedName("部门", attr_text=f"'{ws.title}'!$D$5:$D$15")
    ws.print_title_rows = "1:4"
    ws.page_setup.orientation = "landscape"
    wb.save(src)
    dest = tmp_path / "live.xlsx"
    report = liven.write(src, dest)
    assert changes(src, dest, *allowed_cells(dest, report)) == []
    with zipfile.ZipFile(dest) as zf:
        assert any(n.startswith("xl/media/") for n in zf.namelist())


CORPUS_TABLE = [["工号", "姓名", "主管评", "客户评", "综合得分"],
                ["E01", "张三", 88, 90, 88.5], ["E02", "李四", "良好", 75, 82.5],
                ["E03", "王五", 61, None, 61]]


def _with_table(src: Path, dest: Path) -> str:
    """The Excel-made workbook ``src`` with a small hand-typed appraisal table put below the
    used range of its first worksheet; the sheet's name."""
    from xlperf.a1 import column_letter
    from xlperf.recognize import read_sheets
    with zipfile.ZipFile(src) as zf:
        book = package.read_book(zf)
        sheets = {s.name: s for s in read_sheets(src)}
        name = next(n for n in book.sheets if n in sheets)
        top = len(sheets[name].rows) + 3
        cells = {}
        for i, row in enumerate(CORPUS_TABLE):
            for j, value in enumerate(row):
                if value is None:
                    continue
                ref = f"{column_letter(j + 1)}{top + i}"
                cells[ref] = ((b"", b"<v>%r</v>" % float(value)) if isinstance(value, (int, float))
                              else (b' t="inlineStr"', b"<is><t>" + package.xml_escape(
                                  value).encode() + b"</t></is>"))
        part = book.sheets[name]
        package.rewrite(zf, dest, {part: put_cells(zf.read(part), cells)})
    return name


def test_excel_made_workbooks_keep_everything(tmp_path: Path) -> None:
    """Each workbook Excel saved (../shared/corpus, when present), with a hand-typed table put in:
    liven leaves every other part and cell as Excel wrote it."""
    from .test_corpus import FILES
    if not FILES:
        pytest.skip("no corpus of Excel-made workbooks here")
    livened, failures = 0, []
    for i, path in enumerate(FILES):
        src, dest = tmp_path / f"in{i}{path.suffix}", tmp_path / f"out{i}{path.suffix}"
        try:
            _with_table(path, src)
        except Exception:  # noqa: BLE001 - a chart-only or unreadable workbook: nothing to test
            continue
        try:
            report = liven.write(src, dest)
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            failures.append((path.name, f"{type(exc).__name__}: {exc}"))
            continue
        problems = changes(src, dest, *allowed_cells(dest, report))
        if problems:
            failures.append((path.name, problems[:3]))
        livened += 1
        src.unlink()
        dest.unlink()
    assert failures == []
    assert livened >= len(FILES) * 0.9


def test_the_corpus_table_computes_in_libreoffice(tmp_path: Path) -> None:
    from .test_corpus import FILES
    if not FILES or not engines.libreoffice_available():
        pytest.skip("no corpus or no LibreOffice here")
    paths = []
    for i, path in enumerate(FILES[:: max(1, len(FILES) // 12)]):
        src, dest = tmp_path / f"in{i}{path.suffix}", tmp_path / f"live{i}.xlsx"
        if path.suffix != ".xlsx":
            continue
        _with_table(path, src)
        liven.write(src, dest)
        paths.append(dest)
    assert libreoffice_wrong(paths, tmp_path / "lo") == {p.stem: [] for p in paths}
    shutil.rmtree(tmp_path / "lo")
