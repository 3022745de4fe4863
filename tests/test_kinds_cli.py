"""Every kind through the command line: new (blank and from its example CSV), recalc, export;
bad input exits 2 with no file left; the committed templates are what the build writes."""
from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from xlperf.cli import app as cli
from xlperf.kinds import KINDS, build, kind_module, open_workbook

from .test_workbook import ROOT, _snapshot

runner = CliRunner()


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_new_from_the_example_csv_then_recalc_and_export(tmp_path: Path, kind: str,
                                                         lang: str) -> None:
    """examples/<kind>.csv for a Chinese workbook, <kind>_en.csv (where labels differ) for an
    English one."""
    book, results = tmp_path / f"{kind}.xlsx", tmp_path / f"{kind}.csv"
    example = ROOT / "examples" / f"{kind}_{lang}.csv"
    if not example.exists():
        example = ROOT / "examples" / f"{kind}.csv"
    done = runner.invoke(cli, ["new", kind, "--from", str(example), "-o", str(book),
                               "--lang", lang])
    assert done.exit_code == 0, done.output
    before = open_workbook(book)
    before.close()
    done = runner.invoke(cli, ["recalc", str(book), "-o", str(tmp_path / "again.xlsx")])
    assert done.exit_code == 0, done.output
    after = open_workbook(tmp_path / "again.xlsx")
    after.close()
    assert after.computed.values() == before.computed.values()
    done = runner.invoke(cli, ["export", str(book), "-o", str(results)])
    assert done.exit_code == 0, done.output
    with open(results, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(kind_module(kind).EXPORT) and len(rows) > 1


@pytest.mark.parametrize("kind", list(KINDS))
def test_recalc_follows_an_edited_input(tmp_path: Path, kind: str) -> None:
    """An input changed after the build (openpyxl drops every cached value on save): recalc
    writes the values the reference computes for the edited workbook."""
    module = kind_module(kind)
    path = tmp_path / "demo.xlsx"
    build(module, module.demo("zh"), path)
    wb = openpyxl.load_workbook(path)
    wb.save(path)
    done = runner.invoke(cli, ["recalc", str(path)])
    assert done.exit_code == 0, done.output
    opened = open_workbook(path)
    opened.close()
    assert opened.computed.values() == module.compute(module.demo("zh")).values()


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_bad_csv_exits_2_and_writes_nothing(tmp_path: Path, kind: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("no_such_column\n1\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    done = runner.invoke(cli, ["new", kind, "--from", str(bad), "-o", str(out)])
    assert done.exit_code == 2 and not out.exists()
    assert "no_such_column" in done.output


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_committed_template_is_what_the_build_writes(tmp_path: Path, kind: str,
                                                     lang: str) -> None:
    module = kind_module(kind)
    fresh = tmp_path / f"{kind}_{lang}.xlsx"
    build(module, module.blank(lang), fresh)
    committed = _snapshot(ROOT / "workbooks" / f"{kind}_{lang}.xlsx")
    rebuilt = _snapshot(fresh)
    for key in rebuilt:
        assert committed[key] == rebuilt[key], f"{key} differs: run `make templates`"


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_typed_over_formula_is_refused_then_restored(tmp_path: Path, kind: str) -> None:
    module = kind_module(kind)
    path = tmp_path / "demo.xlsx"
    computed = build(module, module.demo("en"), path)
    sheet_key, cells = next((k, c) for k, c in computed.values().items() if c)
    cell = sorted(cells)[0]
    wb = openpyxl.load_workbook(path)
    sheet = wb[dict(zip(module.SHEETS, (en for _zh, en in module.SHEETS.values())))[sheet_key]]
    sheet[cell].value = 12345
    wb.save(path)
    done = runner.invoke(cli, ["recalc", str(path)])
    assert done.exit_code == 2 and f"!{cell}" in done.output and "12345" in done.output
    done = runner.invoke(cli, ["recalc", str(path), "--restore-formulas"])
    assert done.exit_code == 0, done.output
    assert runner.invoke(cli, ["recalc", str(path)]).exit_code == 0  # the formula is back
    opened = open_workbook(path)
    opened.close()
    assert opened.computed.values() == computed.values()


@pytest.mark.parametrize("kind", ["appraisal", "kpi"])
def test_a_workbook_given_as_the_csv_is_named_for_what_it_is(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out.xlsx"
    done = runner.invoke(cli, ["new", kind, "--from", str(ROOT / "workbooks" / "kpi_zh.xlsx"),
                               "-o", str(out)])
    assert done.exit_code == 2 and "not a CSV" in done.output and not out.exists()


def test_a_rebuilt_template_is_the_same_file_byte_for_byte(tmp_path: Path) -> None:
    """Fixed dates in the document and in the package: `make templates` changes nothing."""
    done = [runner.invoke(cli, ["templates", "--out", str(tmp_path / d)]) for d in "ab"]
    assert all(r.exit_code == 0 for r in done)
    for path in (tmp_path / "a").glob("*.xlsx"):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


@pytest.mark.parametrize("kind", ["appraisal", *KINDS])
def test_recalc_finds_every_formula_as_it_plans_it(tmp_path: Path, kind: str) -> None:
    """Byte for byte, so recalc never falls back to comparing formula texts cell by cell (which
    a change in the order of the shared formulas would cause on every older workbook)."""
    from xlperf import package
    path = ROOT / "workbooks" / f"{kind}_zh.xlsx"
    opened = open_workbook(path)
    try:
        for key, cells in opened.computed.plan().items():
            xml = opened.zf.read(opened.book.sheets[opened.sheets[key]])
            _, done, differ = package.patch_values(xml, cells)
            assert differ == [] and len(done) == len(cells), (key, differ[:3])
    finally:
        opened.close()
