"""The look of xlperf workbooks: white unlocked inputs, grey locked formulas, clear headers.

One place for fills, fonts and number formats so every sheet reads the same way.
"""
from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

FONT = "等线"
TITLE = Font(name=FONT, size=14, bold=True)
SECTION = Font(name=FONT, size=11, bold=True, color="1F4E78")
HEADER = Font(name=FONT, size=10, bold=True)
BODY = Font(name=FONT, size=10)
NOTE = Font(name=FONT, size=9, italic=True, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GROUP_FILL = PatternFill("solid", fgColor="BDD7EE")
FORMULA_FILL = PatternFill("solid", fgColor="F2F2F2")
HELPER_FILL = PatternFill("solid", fgColor="E7E6E6")
_THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
UNLOCKED = Protection(locked=False)

PERCENT = "0%"
SCORE = "0.00"
POINTS = "0.0000"
MONEY = "#,##0.00"
INTEGER = "0"
YEARS = "0.0#"

#: Grade fills, best grade first.
GRADE_FILLS = ("C6EFCE", "E2EFDA", "FFEB9C", "FFC7CE")


def text_width(text: str) -> int:
    """About how many Latin letters wide ``text`` is: a CJK character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def header(cell: Cell, value: object, fill: PatternFill = HEADER_FILL) -> None:
    cell.value, cell.font, cell.fill, cell.border, cell.alignment = value, HEADER, fill, BOX, CENTER


def input_cell(cell: Cell, value: object = None, fmt: str | None = None) -> None:
    """A cell people type into: white, bordered, unlocked."""
    cell.value, cell.font, cell.border, cell.protection = value, BODY, BOX, UNLOCKED
    if fmt:
        cell.number_format = fmt


def formula_cell(cell: Cell, formula: str | None, fmt: str | None = None,
                 fill: PatternFill = FORMULA_FILL) -> None:
    """A computed cell: grey, locked (sheet protection keeps it from being typed over)."""
    cell.value = f"={formula}" if formula is not None else None
    cell.font, cell.border, cell.fill = BODY, BOX, fill
    if fmt:
        cell.number_format = fmt


def label_cell(cell: Cell, value: object, font: Font = BODY) -> None:
    cell.value, cell.font, cell.border = value, font, BOX


def protect(ws: "Worksheet") -> None:
    """Formulas locked, inputs (unlocked cells) open; no password, so nobody is locked out."""
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
