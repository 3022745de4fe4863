"""Adding the 方案 sheet to workbooks Excel made (../shared/corpus/excel-made, when present): the
new sheet and its names are there for openpyxl, calamine and LibreOffice, and every other part of
the package is byte for byte what it was — the three directory parts only gained elements."""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlperf import engines, package
from xlperf.addsheet import RELS, TYPES, WORKBOOK, Cell, add_sheet
from xlperf.errors import InputError
from xlperf.grid import read_grids

from .conftest import need_libreoffice
from .test_corpus import FILES
from .test_workbook import ROOT

SHEET = "方案 & <xlperf>"
CELLS = {"A1": Cell("预算"), "B1": Cell(1000.0), "A2": Cell("两倍"),
         "B2": Cell(2000.0, "XlperfBudget*2"), "C2": Cell("ok", 'IF(B2>0,"ok","no")')}
NAMES = {"XlperfBudget": f"'{SHEET}'!$B$1"}


def _added(src: Path, dest: Path) -> dict[str, bytes]:
    with package.open_package(src) as zf:
        parts = add_sheet(zf, SHEET, CELLS, NAMES)
        package.rewrite(zf, dest, parts)
    return parts


def _only_inserted(before: bytes, after: bytes) -> bool:
    """``after`` is ``before`` with elements inserted: removing them gives ``before`` back."""
    i = 0
    for byte in after:
        if i < len(before) and byte == before[i]:
            i += 1
    return i == len(before)


WORKBOOKS = [ROOT / "workbooks" / "kpi_zh.xlsx", *FILES]


@pytest.mark.parametrize("src", WORKBOOKS, ids=lambda p: p.name)
def test_the_sheet_is_added_and_nothing_else_changes(tmp_path: Path, src: Path) -> None:
    out = tmp_path / src.name
    parts = _added(src, out)
    with zipfile.ZipFile(src) as before, zipfile.ZipFile(out) as after:
        assert after.namelist()[:len(before.namelist())] == before.namelist()
        for name in before.namelist():
            if name in (WORKBOOK, RELS, TYPES):
                assert _only_inserted(before.read(name), after.read(name)), name
            else:
                assert before.read(name) == after.read(name), name
        assert set(after.namelist()) - set(before.namelist()) == set(parts) - {
            WORKBOOK, RELS, TYPES}
    wb = openpyxl.load_workbook(out)
    assert wb[SHEET]["B1"].value == 1000 and wb[SHEET]["B2"].value == "=XlperfBudget*2"
    assert wb.defined_names["XlperfBudget"].attr_text == NAMES["XlperfBudget"]
    grid = read_grids(out, [SHEET])[SHEET]
    assert (grid.get("A1"), grid.get("B2"), grid.get("C2")) == ("预算", 2000.0, "ok")


def test_libreoffice_computes_with_the_added_names(tmp_path: Path) -> None:
    need_libreoffice()
    sources = WORKBOOKS[:4]
    outs = []
    for src in sources:
        outs.append(tmp_path / src.name)
        _added(src, outs[-1])
    done = engines.recalc_libreoffice_many(outs, tmp_path / "lo")
    for path in done:
        rows = engines.read_values(path, SHEET)
        assert rows[1][1] == 2000 and rows[1][2] == "ok", path.name


def test_a_name_already_taken_is_refused() -> None:
    with package.open_package(ROOT / "workbooks" / "kpi_zh.xlsx") as zf:
        with pytest.raises(InputError):
            add_sheet(zf, "方案", CELLS, {})
        with pytest.raises(InputError):
            add_sheet(zf, "新表", CELLS, {"KpiWeight": "'新表'!$A$1"})


def test_an_empty_names_element_is_opened_not_repeated(tmp_path: Path) -> None:
    """openpyxl writes <definedNames/> when a workbook has no names: the names go inside it (a
    second element would be invalid, and readers take only one)."""
    import openpyxl
    src = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(src)
    with zipfile.ZipFile(src) as zf:
        assert b"<definedNames />" in zf.read("xl/workbook.xml")
        parts = add_sheet(zf, "方案", {"A1": Cell(1.0)}, {"Budget": "'方案'!$A$1"})
    assert parts["xl/workbook.xml"].count(b"definedNames") == 2  # one open, one close tag
    out = tmp_path / "out.xlsx"
    with zipfile.ZipFile(src) as zf:
        package.rewrite(zf, out, parts)
    assert "Budget" in openpyxl.load_workbook(out).defined_names
