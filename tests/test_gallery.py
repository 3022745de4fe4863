"""The gallery of hand-made forms is itself well-formed: every form writes a workbook openpyxl
loads, and every expectation points at cells that hold what it says — headers over every role
column, a value in every role column of every record row that is not a blank separator, totals
rows that are totals rows, personal header blocks that are filled, hidden columns hidden, and the
deliberate mistakes typed where TYPED_ERRORS says."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from .gallery import FORMS, HIDDEN, LEVEL_POINTS, TYPED_ERRORS, Expected

RATERS = "self|supervisor|peer|customer"
FACTORS = "knowledge|communication|problem_solving|interpersonal|learning"
ROLE = re.compile(
    r"(employee_id|name|department|position|hire_date|tenure_years|seq"
    r"|total|grade|rank|weight|score|remark|score:(self|supervisor|peer|customer)"
    r"|kpi_name|kpi_definition|kpi_source|numerator|denominator|target|actual|kpi_value"
    r"|factor|standard"
    rf"|rating:({RATERS}):({FACTORS}|overall|row)"
    r"|standard:(excellent|good|fair|needs_improvement))$")
KINDS = {"appraisal", "kpi", "personal", "standards"}
OPTIONAL = {"remark"}  # a 备注 column is mostly empty, as on real forms
TOTALS_WORDS = ("合计", "平均", "小计", "total", "average")


def value(ws: Worksheet, row: int, col: int) -> object:
    """What a cell shows: a cell covered by a merged range shows the range's top-left value."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return ws.cell(rng.min_row, rng.min_col).value
    return ws.cell(row, col).value


def filled(v: object) -> bool:
    return v is not None and str(v).strip() != ""


def row_blank(ws: Worksheet, row: int, cols: list[int]) -> bool:
    return not any(filled(ws.cell(row, c).value) for c in cols)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[Expected]]]:
    root = tmp_path_factory.mktemp("gallery")
    return {name: (root / f"{name}.xlsx", build(root / f"{name}.xlsx"))
            for name, build in FORMS.items()}


def test_the_gallery_covers_the_layouts() -> None:
    assert len(FORMS) >= 14
    assert any(n.startswith("zh_") for n in FORMS) and any(n.startswith("en_") for n in FORMS)
    assert set(TYPED_ERRORS) <= set(FORMS) and set(HIDDEN) <= set(FORMS)


def test_every_kind_and_a_sheet_without_a_table(
        built: dict[str, tuple[Path, list[Expected]]]) -> None:
    kinds = {e.kind for _, found in built.values() for e in found}
    assert kinds == KINDS
    assert any(len(load_workbook(path).sheetnames) > len({e.sheet for e in found})
               for path, found in built.values())  # a memo sheet with nothing to find
    assert any(len({e.sheet for e in found}) < len(found) for _, found in built.values())


@pytest.mark.parametrize("form", sorted(FORMS))
def test_expectations_point_at_what_they_say(
        built: dict[str, tuple[Path, list[Expected]]], form: str) -> None:
    path, found = built[form]
    wb = load_workbook(path)
    assert found, "every form has at least one table"
    assert [wb.sheetnames.index(e.sheet) for e in found] == sorted(
        wb.sheetnames.index(e.sheet) for e in found), "expectations in sheet order"
    for e in found:
        ws = wb[e.sheet]
        assert e.kind in KINDS
        assert all(ROLE.match(role) for role in e.roles.values()), e.roles
        (h0, h1), (r0, r1) = e.header, e.rows
        assert 1 <= h0 <= h1 < r0 <= r1 <= ws.max_row
        width = max(c for h in range(h0, h1 + 1) for c in range(1, ws.max_column + 1)
                    if filled(value(ws, h, c)))
        table_cols = list(range(1, width + 1))
        assert max(column_index_from_string(letter) for letter in e.roles) <= width
        for letter, role in e.roles.items():
            c = column_index_from_string(letter)
            assert any(filled(value(ws, h, c)) for h in range(h0, h1 + 1)), (letter, role)
        for h in range(h0, h1 + 1):
            assert not row_blank(ws, h, table_cols), f"header row {h} is empty"
        assert not row_blank(ws, r0, table_cols) and not row_blank(ws, r1, table_cols)
        for r in range(r0, r1 + 1):
            if row_blank(ws, r, table_cols):
                continue
            for letter, role in e.roles.items():
                v = value(ws, r, column_index_from_string(letter))
                if role not in OPTIONAL:
                    assert filled(v), f"{e.sheet}!{letter}{r} ({role}) is empty"
                if role == "hire_date":
                    assert isinstance(v, datetime), f"{e.sheet}!{letter}{r} is not a date"
                if role.startswith("rating:") and filled(v):
                    assert v in LEVEL_POINTS or (isinstance(v, (int, float)) and 0 <= v <= 100)
        if e.totals_row is not None:
            t = e.totals_row
            assert t == r1 + 1
            label = str(value(ws, t, 1)).lower()
            assert any(word in label for word in TOTALS_WORDS), label
            assert not row_blank(ws, t, table_cols[1:])
        end = e.totals_row or r1
        assert row_blank(ws, end + 1, table_cols), f"{e.sheet}: the table goes on after {end}"
        if e.kind == "personal":
            assert e.person and "factor" in e.roles.values()
            assert all(filled(ws[cell].value) for cell in e.person.values())
            assert any(r.startswith("rating:") and r.endswith(":row") for r in e.roles.values())
        else:
            assert not e.person
        if e.kind == "standards":
            assert set(e.roles.values()) <= {"factor"} | {
                f"standard:{k}" for k in ("excellent", "good", "fair", "needs_improvement")}
        if e.kind == "kpi":
            assert "kpi_name" in e.roles.values()
        if e.kind == "appraisal":
            assert {"name", "employee_id"} & set(e.roles.values())
    by_sheet: dict[str, list[Expected]] = {}
    for e in found:
        by_sheet.setdefault(e.sheet, []).append(e)
    for tables in by_sheet.values():
        for a, b in zip(tables, tables[1:]):
            assert (a.totals_row or a.rows[1]) < b.header[0], "tables overlap or are out of order"


@pytest.mark.parametrize("form", sorted(HIDDEN))
def test_hidden_columns_are_hidden(built: dict[str, tuple[Path, list[Expected]]],
                                   form: str) -> None:
    wb = load_workbook(built[form][0])
    for sheet, letter in HIDDEN[form]:
        assert wb[sheet].column_dimensions[letter].hidden, f"{sheet}!{letter}"


@pytest.mark.parametrize("form", sorted(TYPED_ERRORS))
def test_typed_errors_are_typed_where_listed(built: dict[str, tuple[Path, list[Expected]]],
                                             form: str) -> None:
    path, found = built[form]
    wb = load_workbook(path)
    for sheet, cell, typed in TYPED_ERRORS[form]:
        assert wb[sheet][cell].value == typed, f"{sheet}!{cell}"
        (table,) = [e for e in found if e.sheet == sheet]
        row = wb[sheet][cell].row
        assert table.rows[0] <= row <= (table.totals_row or table.rows[1])
        assert table.roles[re.sub(r"\d", "", cell)] in {"total", "grade"}
