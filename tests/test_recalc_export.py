"""recalc rewrites cached values and distrusts typed-over formulas; export reports cached values."""
from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from xlperf.cli import app as cli
from xlperf.export import csv_safe
from xlperf.layout import FIRST_ROW
from xlperf.package import read_book
from xlperf.scheme import default_scheme
from xlperf.model import Appraisal, sheet_names
from xlperf.workbook import build

from .departments import department

runner = CliRunner()


@pytest.fixture()
def book(tmp_path: Path) -> tuple[Appraisal, Path]:
    app = department(default_scheme("zh"), 8, size=20, capacity=30)
    path = tmp_path / "dept.xlsx"
    build(app, path)
    return app, path


def _sheet_xml(path: Path, sheet: str) -> tuple[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        part = read_book(zf).sheets[sheet]
        return part, zf.read(part)


def _replace_part(path: Path, part: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as zf:
        items = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, content in items:
            zf.writestr(info, data if info.filename == part else content)


def test_recalc_reproduces_the_build_and_keeps_other_parts(book, tmp_path: Path) -> None:
    _, path = book
    out = tmp_path / "out.xlsx"
    result = runner.invoke(cli, ["recalc", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(out) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name


def test_recalc_follows_an_edited_input(book, tmp_path: Path) -> None:
    app, path = book
    sheet = sheet_names("zh")["appraisal"]
    wb = openpyxl.load_workbook(path)  # as another program saves it: no cached values at all
    wb[sheet][app.layout.cell("supervisor.knowledge", FIRST_ROW)] = 100
    wb.save(path)
    assert runner.invoke(cli, ["recalc", str(path)]).exit_code == 0
    assert path.with_name("dept.bak.xlsx").exists()
    app.inputs["supervisor.knowledge"][0] = 100.0
    fresh = tmp_path / "fresh.xlsx"
    comp = build(app, fresh)
    wb = openpyxl.load_workbook(path, data_only=True)[sheet]
    for key in ("score.supervisor", "total", "pay"):
        got = wb[app.layout.cell(key, FIRST_ROW)].value
        assert got == pytest.approx(comp.columns[key][0]), key


def test_typed_over_formula_is_reported_then_restored(book, tmp_path: Path) -> None:
    app, path = book
    sheet = sheet_names("zh")["appraisal"]
    part, xml = _sheet_xml(path, sheet)
    cell = app.layout.cell("pay", FIRST_ROW + 2)
    xml = re.sub(rf'<c r="{cell}"([^>]*?)( t="\w+")?><f[^>]*?(?:/>|>[^<]*</f>)<v>[^<]*</v></c>'
                 .encode(), rf'<c r="{cell}"\1><v>99999</v></c>'.encode(), xml)
    _replace_part(path, part, xml)
    out = tmp_path / "out.xlsx"
    refused = runner.invoke(cli, ["recalc", str(path), "-o", str(out)])
    assert refused.exit_code == 2
    assert f"{sheet}!{cell}" in refused.output and "99999" in refused.output
    assert "--restore-formulas" in refused.output
    assert not out.exists()
    restored = runner.invoke(cli, ["recalc", str(path), "-o", str(out), "--restore-formulas"])
    assert restored.exit_code == 0, restored.output
    ws = openpyxl.load_workbook(out)[sheet]
    assert ws[cell].value.startswith("=IF(")
    values = openpyxl.load_workbook(out, data_only=True)[sheet]
    pay = [values[app.layout.cell("pay", r)].value for r in app.layout.rows]
    assert round(sum(p for p in pay if isinstance(p, float)) * 100) == app.scheme.budget_cents


def test_recalc_accepts_formulas_resaved_by_openpyxl(book, tmp_path: Path) -> None:
    """A load-and-save elsewhere expands shared formulas into one per cell; still xlperf's."""
    _, path = book
    wb = openpyxl.load_workbook(path)
    wb.save(path)
    result = runner.invoke(cli, ["recalc", str(path), "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 0, result.output


def test_export_reports_cached_values_as_they_are(book, tmp_path: Path) -> None:
    app, path = book
    sheet = sheet_names("zh")["appraisal"]
    part, xml = _sheet_xml(path, sheet)
    cell = app.layout.cell("pay", FIRST_ROW)
    # another application's number in the cache (e.g. after its own recalculation)
    xml = re.sub(rf'(<c r="{cell}"[^>]*>(?:<f[^>]*?(?:/>|>[^<]*</f>)))<v>[^<]*</v>'.encode(),
                 rb"\1<v>1234.5</v>", xml)
    _replace_part(path, part, xml)
    out = tmp_path / "results.csv"
    result = runner.invoke(cli, ["export", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert list(rows[0]) == ["employee_id", "name", "department", "score", "grade", "points",
                             "pay"]
    assert rows[0]["pay"] == "1234.50"
    present = [v for v in app.inputs["employee_id"] if v]
    assert [r["employee_id"] for r in rows] == present
    incomplete = next(r for r in rows if r["employee_id"] == app.inputs["employee_id"][4])
    assert incomplete["grade"] == "" and incomplete["pay"] == ""


@pytest.mark.parametrize("text,expected", [("=1+1", "'=1+1"), ("+86 10", "'+86 10"),
                                           ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
                                           ("王伟", "王伟"), (-1.5, "-1.5"), (2.5, "2.5")])
def test_csv_cells_cannot_run_as_formulas(text: object, expected: str) -> None:
    assert csv_safe(text) == expected


def test_demo_command(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "=" in result.output
    for name in ("appraisal.xlsx", "appraisal_en.xlsx", "roster.csv", "results.csv"):
        assert (tmp_path / "demo" / name).is_file()
    rows = list(csv.DictReader((tmp_path / "demo" / "results.csv").open(encoding="utf-8-sig")))
    assert len(rows) == 40
    assert sum(round(float(r["pay"]) * 100) for r in rows if r["pay"]) == \
        round(float(re.search(r"= .*?([\d,]+\.\d\d)", result.output).group(1).replace(",", ""))
              * 100)
    assert sum(1 for r in rows if not r["grade"]) == 1  # the incomplete employee


def test_new_from_demo_roster_round_trips(tmp_path: Path) -> None:
    runner.invoke(cli, ["demo", "--out", str(tmp_path / "demo")])
    out = tmp_path / "new.xlsx"
    result = runner.invoke(cli, ["new", "appraisal", "--from", str(tmp_path / "demo/roster.csv"),
                                 "--budget", "186543.21", "-o", str(out)])
    assert result.exit_code == 0, result.output
    again = tmp_path / "again.csv"
    runner.invoke(cli, ["export", str(out), "-o", str(again)])
    assert len(again.read_text(encoding="utf-8-sig").splitlines()) == 41


def test_restoring_a_shared_formula_keeps_its_whole_column(book, tmp_path: Path) -> None:
    """A changed first cell of a shared formula (as an older xlperf wrote) is reported once and
    restored with every cell of its column, none left pointing at a master that is gone."""
    app, path = book
    sheet = sheet_names("zh")["appraisal"]
    part, xml = _sheet_xml(path, sheet)
    first = app.layout.cell("gap", FIRST_ROW)
    xml, n = re.subn(rf'(<c r="{first}"[^>]*><f t="shared"[^>]*>)[^<]*(</f>)'.encode(),
                     rb"\1R7-V7\2", xml)
    assert n == 1
    _replace_part(path, part, xml)
    out = tmp_path / "out.xlsx"
    refused = runner.invoke(cli, ["recalc", str(path), "-o", str(out)])
    assert refused.exit_code == 2 and f"{sheet}!{first}" in refused.stderr
    restored = runner.invoke(cli, ["recalc", str(path), "-o", str(out), "--restore-formulas"])
    assert restored.exit_code == 0, restored.output
    ws = openpyxl.load_workbook(out)[sheet]
    for row in app.layout.rows:
        assert ws[app.layout.cell("gap", row)].value == \
            f'=IF(OR(V{row}="",R{row}=""),"",ROUND(R{row}-V{row},2))'


@pytest.mark.parametrize("capacity", ["0", "100000"])
def test_capacity_out_of_range_is_refused(tmp_path: Path, capacity: str) -> None:
    out = tmp_path / "x.xlsx"
    result = runner.invoke(cli, ["new", "appraisal", "-o", str(out), "--capacity", capacity])
    assert result.exit_code == 2 and "--capacity" in result.stderr and capacity in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".xlsx", ".txt"])
def test_export_never_writes_over_a_workbook(book, suffix: str) -> None:
    _, path = book
    before = path.read_bytes()
    target = path if suffix == ".xlsx" else path.with_suffix(suffix)
    result = runner.invoke(cli, ["export", str(path), "-o", str(target)])
    assert result.exit_code == 2 and ".csv" in result.stderr
    assert path.read_bytes() == before


def test_new_refuses_xlsm_output(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["new", "appraisal", "-o", str(tmp_path / "x.xlsm")])
    assert result.exit_code == 2 and not (tmp_path / "x.xlsm").exists()


def test_a_roster_always_leaves_rows_for_the_next_employee(tmp_path: Path) -> None:
    app = department(default_scheme("zh"), 4, size=30, capacity=30)
    assert app.layout.capacity >= 30 + 50


def test_entries_below_the_table_are_refused_not_ignored(book, tmp_path: Path) -> None:
    app, path = book
    sheet = sheet_names("zh")["appraisal"]
    wb = openpyxl.load_workbook(path)
    below = f"A{app.layout.last_row + 2}"
    wb[sheet][below] = "LATE-1"
    wb.save(path)
    result = runner.invoke(cli, ["recalc", str(path), "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 2 and f"{sheet}!{below}" in result.stderr
    assert "LATE-1" in result.stderr


def test_export_refuses_a_workbook_that_was_never_recalculated(book, tmp_path: Path) -> None:
    """Saved by a tool that does not calculate (openpyxl here): no results to report, exit 2."""
    app, path = book
    wb = openpyxl.load_workbook(path)
    wb.save(path)
    out = tmp_path / "r.csv"
    result = runner.invoke(cli, ["export", str(path), "-o", str(out)])
    assert result.exit_code == 2 and "recalc" in result.stderr and not out.exists()
