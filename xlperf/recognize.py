"""Finding the tables in a workbook HR made by hand: where each header is, what each column holds,
where the records start and stop — the first step of ``xlperf liven``.

A header row is a row whose cells name roles (vocabulary.py): identity columns, ratings by rater
and factor, results, KPI columns. A two-row header has rater groups above factor names (主管评
spanning 业务知识…); cells merged down over both rows keep their role. Records follow until a totals
row, a signature line, a new header or the end; single blank rows between records are separators.
A sheet per employee (factors as rows, raters as columns) is a "personal" table, and the labelled
cells above it (姓名 … 工号 …) say whose it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .a1 import column_index, column_letter
from .package import open_package, read_book
from .vocabulary import (FACTOR_COLUMN_INDEX, IDENTITY_INDEX, KPI_INDEX, LEVEL_INDEX,
                         RESULT_INDEX, STANDARD_COLUMN_INDEX, TOTALS_INDEX, is_signature,
                         normalize, rater_factor)

ANCHORS = ("name", "employee_id", "kpi_name", "factor")
MIN_ROLES = 2


@dataclass
class Sheet:
    """A sheet's values (rows of cells, 0-based lists) with its hidden columns and merged cells."""

    name: str
    rows: list[list[object]]
    hidden: set[int] = field(default_factory=set)  # 1-based column numbers
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # c1, r1, c2, r2

    def get(self, row: int, col: int) -> object:
        try:
            value = self.rows[row - 1][col - 1]
        except IndexError:
            return None
        return None if value == "" or (isinstance(value, str) and not value.strip()) else value

    def __post_init__(self) -> None:
        self.width = max((len(r) for r in self.rows), default=0)

    def blank(self, row: int) -> bool:
        return all(self.get(row, c) is None for c in range(1, self.width + 1))


@dataclass
class Found:
    """A table: its sheet, kind, header rows, record rows, the role of each placed column."""

    sheet: str
    kind: str
    header: tuple[int, int]
    rows: tuple[int, int]
    roles: dict[str, str]  # column letter -> role
    totals_row: int | None = None
    person: dict[str, str] = field(default_factory=dict)  # role -> cell (personal sheets)
    unplaced: dict[str, str] = field(default_factory=dict)  # column letter -> header text


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')
_COL = re.compile(rb"<col\b([^>]*)/?>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


def read_sheets(path: Path) -> list[Sheet]:
    """Every worksheet's values, hidden columns and merged cells (values via calamine; the rest
    from the sheet XML, read once, after the package passed its safety checks)."""
    from python_calamine import CalamineWorkbook
    zf = open_package(Path(path))
    try:
        book = read_book(zf)
        wb = CalamineWorkbook.from_path(str(path))
        out = []
        for name, part in book.sheets.items():
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            xml = zf.read(part)
            merged = [(column_index(m[1].decode()), int(m[2]), column_index(m[3].decode()),
                       int(m[4])) for m in _MERGE.finditer(xml)]
            hidden: set[int] = set()
            for m in _COL.finditer(xml):
                attrs = dict(_ATTR.findall(m.group(1)))
                if attrs.get(b"hidden") in (b"1", b"true"):
                    hidden.update(range(int(attrs[b"min"]), int(attrs[b"max"]) + 1))
            out.append(Sheet(name, rows, hidden, merged))
        return out
    finally:
        zf.close()


def cell_role(text: object, group: object = None,
              mapping: dict[str, str] | None = None) -> str | None:
    """The role a header cell names, under its group label (the merged cell above, if any);
    ``mapping`` (normalized header -> role) is what the user settled, and wins."""
    if text is None and group is None:
        return None
    key = normalize(text) if text is not None else ""
    if mapping and key in mapping:
        return mapping[key]
    if key in IDENTITY_INDEX:
        return IDENTITY_INDEX[key]
    if key in KPI_INDEX:
        return KPI_INDEX[key]
    if key in FACTOR_COLUMN_INDEX:
        return "factor"
    if key in STANDARD_COLUMN_INDEX:
        return "standard"
    if key in LEVEL_INDEX:
        return f"standard:{LEVEL_INDEX[key]}"
    rater, factor = rater_factor(text) if text is not None else (None, None)
    group_rater = rater_factor(group)[0] if group is not None else None
    if group_rater and rater is None and (factor or key in RESULT_INDEX or text is None):
        rater = group_rater
    if rater:
        return f"rating:{rater}:{factor or 'overall'}"
    if key in RESULT_INDEX:
        return RESULT_INDEX[key]
    return None


def _spans(sheet: Sheet, row: int, width: int) -> dict[int, object]:
    """Each column's group label in ``row``: a merged cell's value over its span, else the last
    label to the left (people often leave the cells of a group blank instead of merging)."""
    out: dict[int, object] = {}
    for c1, r1, c2, r2 in sheet.merged:
        if r1 <= row <= r2:
            for c in range(c1, c2 + 1):
                out[c] = sheet.get(r1, c1)
    label = None
    for c in range(1, width + 1):
        value = sheet.get(row, c)
        if value is not None:
            label = value
        out.setdefault(c, label if rater_factor(label)[0] else value)
    return out


def _header(sheet: Sheet, row: int, mapping: dict[str, str] | None = None
            ) -> tuple[tuple[int, int], dict[int, str], dict[int, str]] | None:
    """The header starting at ``row`` — two rows when rater groups stand over factor names — as
    (header rows, column -> role, column -> unplaced header text); None if ``row`` is no header."""
    width = sheet.width
    top = {c: sheet.get(row, c) for c in range(1, width + 1)}
    below = {c: sheet.get(row + 1, c) for c in range(1, width + 1)}
    groups = _spans(sheet, row, width)
    two = {c: cell_role(below[c], groups[c], mapping) for c in below if below[c] is not None}
    if any(rater_factor(below[c])[0] is None and rater_factor(below[c])[1]
           and rater_factor(groups[c])[0] for c in two):  # factor names under rater groups
        roles = {c: r for c, r in two.items() if r}
        for c, value in top.items():  # cells merged down over both rows: 序号, 工号, 姓名 …
            if c not in roles and below[c] is None and value is not None:
                if (role := cell_role(value, None, mapping)) is not None:
                    roles[c] = role
        unplaced = {c: f"{top[c] or ''}/{below[c]}" for c in below
                    if below[c] is not None and c not in roles}
        return (row, row + 1), roles, unplaced
    roles = {c: r for c in top if (r := cell_role(top[c], None, mapping)) is not None}
    if len(roles) < MIN_ROLES or not any(r in ANCHORS or r.startswith("rating:")
                                         for r in roles.values()):
        return None
    unplaced = {c: str(v) for c, v in top.items() if v is not None and c not in roles}
    if "factor" in roles.values():  # factors as rows: each rater column rates the row's factor
        roles = {c: r.replace(":overall", ":row") if r.startswith("rating:") else r
                 for c, r in roles.items()}
    return (row, row), roles, unplaced


def _kind(roles: dict[int, str]) -> str:
    values = set(roles.values())
    if "factor" in values and any(r.startswith("standard:") for r in values):
        return "standards"
    if "factor" in values:
        return "personal"
    if "kpi_name" in values or {"numerator", "denominator"} <= values:
        return "kpi"
    return "appraisal"


def _records(sheet: Sheet, first: int, roles: dict[int, str], mapping: dict[str, str] | None
             ) -> tuple[tuple[int, int], int | None, int]:
    """(first and last record rows, the totals row, the row where the table ended)."""
    cols = sorted(roles)
    rows: list[int] = []
    totals = None
    r = first
    while r <= len(sheet.rows):
        if sheet.blank(r):  # separator rows: the table goes on after them
            r += 1
            continue
        texts = [sheet.get(r, c) for c in range(1, sheet.width + 1)]
        lead = next((t for t in texts if t is not None), None)
        if isinstance(lead, str) and normalize(lead) in TOTALS_INDEX:
            totals = r
            break
        if any(isinstance(t, str) and is_signature(t) for t in texts):
            break
        if all(not isinstance(t, (int, float)) for t in texts) and _header(sheet, r, mapping):
            break  # a header is all text: the next table starts
        if sum(sheet.get(r, c) is not None for c in cols) * 2 < len(cols):
            break
        rows.append(r)
        r += 1
    if not rows:
        return (first, first - 1), totals, r
    return (rows[0], rows[-1]), totals, r


def _person(sheet: Sheet, above: int) -> dict[str, str]:
    """Labelled cells above a personal table: 姓名 张三 工号 KF001 … (label, then its value)."""
    out: dict[str, str] = {}
    for r in range(1, above):
        for c in range(1, sheet.width + 1):
            label = sheet.get(r, c)
            if not isinstance(label, str):
                continue
            role = IDENTITY_INDEX.get(normalize(label))
            if role and role != "seq" and role not in out:
                for c2 in range(c + 1, min(c + 4, sheet.width + 1)):
                    if sheet.get(r, c2) is not None:
                        out[role] = f"{column_letter(c2)}{r}"
                        break
    return out


def find_tables(sheet: Sheet, mapping: dict[str, str] | None = None) -> list[Found]:
    """The tables of one sheet, top to bottom; ``mapping``: header -> role the user settled."""
    mapping = {normalize(k): v for k, v in (mapping or {}).items()}
    out = []
    r = 1
    while r <= len(sheet.rows):
        header = _header(sheet, r, mapping)
        if header is None:
            r += 1
            continue
        (h1, h2), roles, unplaced = header
        rows, totals, end = _records(sheet, h2 + 1, roles, mapping)
        kind = _kind(roles)
        found = Found(sheet.name, kind, (h1, h2), rows,
                      {column_letter(c): role for c, role in sorted(roles.items())}, totals,
                      _person(sheet, h1) if kind == "personal" else {},
                      {column_letter(c): text for c, text in sorted(unplaced.items())})
        if rows[1] >= rows[0]:
            out.append(found)
        r = max(end, h2 + 1) if totals is None else totals + 1
    return out


def recognize(path: Path, mapping: dict[str, str] | None = None) -> list[Found]:
    """Every table of every sheet of the workbook at ``path``."""
    return [found for sheet in read_sheets(path) for found in find_tables(sheet, mapping)]
