"""The workbook HR opens: templates reproducible, inputs validated, formulas locked, values cached."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from xlperf.layout import DEFAULT_CAPACITY, FIRST_ROW, KEY_ROW
from xlperf.scheme import default_scheme
from xlperf.model import Appraisal, sheet_names
from xlperf.workbook import build

from .departments import department

ROOT = Path(__file__).resolve().parents[1]


def _style(cell: openpyxl.cell.Cell) -> tuple:
    return (cell.number_format, repr(cell.font), repr(cell.fill), repr(cell.border),
            repr(cell.alignment), cell.protection.locked)


def _snapshot(path: Path) -> dict[str, object]:
    """Everything a person sees or a formula uses: cells, formulas, styles, names, sheet setup."""
    wb = openpyxl.load_workbook(path)
    shot: dict[str, object] = {"names": {n: d.attr_text for n, d in wb.defined_names.items()},
                               "sheets": wb.sheetnames}
    for ws in wb.worksheets:
        shot[ws.title] = {
            "cells": {c.coordinate: (c.value, _style(c)) for row in ws.iter_rows() for c in row},
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "validation": sorted((str(dv.sqref), dv.type, dv.formula1, dv.formula2)
                                 for dv in ws.data_validations.dataValidation),
            "conditional": sorted((str(cf.sqref), [r.formula for r in cf.rules])
                                  for cf in ws.conditional_formatting),
            "freeze": ws.freeze_panes, "protected": ws.protection.sheet,
            "print": (ws.print_title_rows, ws.page_setup.orientation, ws.page_setup.paperSize),
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "hidden_rows": sorted(k for k, d in ws.row_dimensions.items() if d.hidden),
        }
    return shot


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_committed_template_is_what_the_build_writes(tmp_path: Path, lang: str) -> None:
    fresh = tmp_path / f"appraisal_{lang}.xlsx"
    build(Appraisal.blank(default_scheme(lang), DEFAULT_CAPACITY), fresh)
    committed = _snapshot(ROOT / "workbooks" / f"appraisal_{lang}.xlsx")
    rebuilt = _snapshot(fresh)
    for key in rebuilt:
        assert committed[key] == rebuilt[key], f"{key} differs: run `make templates`"


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Appraisal, Path]:
    app = department(default_scheme("zh"), 3, size=30, capacity=DEFAULT_CAPACITY)
    path = tmp_path_factory.mktemp("wb") / "dept.xlsx"
    build(app, path)
    return app, path


def test_every_formula_cell_carries_its_cached_value(demo_book: tuple[Appraisal, Path]) -> None:
    _, path = demo_book
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = zf.read(name).decode()
                cells = re.findall(r"<c [^>]*>(<f[^>]*?(?:/>|>[^<]*</f>))(<v>[^<]*</v>)?", xml)
                assert cells, name
                assert all(v for _f, v in cells), f"formula cell without <v> in {name}"


def test_pandas_and_openpyxl_read_numbers(demo_book: tuple[Appraisal, Path]) -> None:
    app, path = demo_book
    sheet = sheet_names("zh")["appraisal"]
    wb = openpyxl.load_workbook(path, data_only=True)
    pay = [wb[sheet][app.layout.cell("pay", r)].value for r in app.layout.rows]
    numbers = [p for p in pay if isinstance(p, float)]
    assert len(numbers) >= 25
    assert round(sum(numbers) * 100) == app.scheme.budget_cents
    frame = pd.read_excel(path, sheet_name=sheet, header=None, skiprows=FIRST_ROW - 1,
                          engine="openpyxl")
    assert frame.shape[0] >= 30


def test_inputs_unlocked_formulas_locked_sheet_protected(demo_book: tuple[Appraisal, Path]) -> None:
    app, path = demo_book
    ws = openpyxl.load_workbook(path)[sheet_names("zh")["appraisal"]]
    assert ws.protection.sheet
    row = app.layout.rows[-1]
    for key in app.layout.keys:
        cell = ws[app.layout.cell(key, row)]
        is_formula = isinstance(cell.value, str) and cell.value.startswith("=")
        assert cell.protection.locked == is_formula, key
    assert ws.freeze_panes == f"C{FIRST_ROW}"
    assert ws.row_dimensions[KEY_ROW].hidden
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows


def test_validation_covers_every_input(demo_book: tuple[Appraisal, Path]) -> None:
    app, path = demo_book
    ws = openpyxl.load_workbook(path)[sheet_names("zh")["appraisal"]]
    covered = " ".join(str(dv.sqref) for dv in ws.data_validations.dataValidation)
    for key in ("employee_id", "tenure_years", "months_worked", *app.layout.rating_keys[:1]):
        assert app.layout.cell(key, FIRST_ROW) in covered, key
    rating = next(dv for dv in ws.data_validations.dataValidation if dv.type == "custom"
                  and "LevelLabel" in dv.formula1)
    assert "0" in rating.formula1 and "100" in rating.formula1
    grades = [cf for cf in ws.conditional_formatting
              if str(cf.sqref).startswith(app.layout.col("grade"))]
    assert len(grades[0].rules) == len(app.scheme.grades)


def test_blank_rows_compute_blank_without_errors(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    build(Appraisal.blank(default_scheme("en"), 20), path)
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb["Appraisal"]
    values = [c.value for row in ws.iter_rows(min_row=FIRST_ROW) for c in row]
    assert all(v in (None, "") for v in values)
    assert wb["Summary"]["B3"].value == 0


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    app = department(default_scheme("zh"), 5, size=10, capacity=12)
    app.inputs["name"][0] = '=HYPERLINK("http://example.invalid","x")'
    path = tmp_path / "inject.xlsx"
    build(app, path)
    cell = openpyxl.load_workbook(path)[sheet_names("zh")["appraisal"]]["B7"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_english_labels(tmp_path: Path) -> None:
    path = tmp_path / "en.xlsx"
    build(department(default_scheme("en"), 1, size=10, capacity=12), path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Appraisal", "Scheme", "Summary"]
    assert wb["Appraisal"]["V4"].value == "Total score"
