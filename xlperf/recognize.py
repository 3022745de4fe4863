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

from .a1 import column_index, column_letter, split_cell
from .cells import FormulaBlank
from .package import open_package, read_book
from .vocabulary import (FACTOR_COLUMN_INDEX, IDENTITY_INDEX, KPI_INDEX, LEVEL_INDEX,
                         RESULT_INDEX, STANDARD_COLUMN_INDEX, TOTALS_INDEX, is_signature,
                         is_totals, normalize, rater_factor)

ANCHORS = ("name", "employee_id", "kpi_name", "factor")
MIN_ROLES = 2
MAX_ANCHOR = 30  # an ID, a name or a KPI is short; a note is a sentence


@dataclass
class Sheet:
    """A sheet's values (rows of cells, 0-based lists) with its hidden columns and merged cells."""

    name: str
    rows: list[list[object]]
    hidden: set[int] = field(default_factory=set)  # 1-based column numbers
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # c1, r1, c2, r2
    extent: int = 0  # the rightmost column holding anything, formulas without a value included
    formula_blank: set[str] = field(default_factory=set)  # formulas showing "" (COUNTA counts)
    uncached: set[str] = field(default_factory=set)  # formulas never calculated: value unknown

    def get(self, row: int, col: int) -> object:
        try:
            value = self.rows[row - 1][col - 1]
        except IndexError:
            return None
        return None if value == "" or (isinstance(value, str) and not value.strip()) else value

    def __post_init__(self) -> None:
        self.width = max(max((len(r) for r in self.rows), default=0), self.extent)

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
    part: tuple[int, int] = (1, 1)  # block i of n under one header


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
            blank, uncached = formula_cells(xml)
            mark_formula_blanks(rows, blank)
            extent = max((column_index(m.decode()) for m in _CONTENT.findall(xml)), default=0)
            out.append(Sheet(name, rows, hidden, merged, extent, blank, uncached))
        return out
    finally:
        zf.close()


_CONTENT = re.compile(rb'<c r="([A-Z]+)[0-9]+"[^>]*>\s*<(?:f|v|is)\b')
_FORMULA = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)>\s*<f\b[^>]*?(?:/>|>[^<]*</f>)\s*'
                      rb"(<v\s*/>|<v></v>|<v>[^<]*</v>)?\s*</c>")


def formula_cells(xml: bytes) -> tuple[set[str], set[str]]:
    """(formula cells whose cached value is "", formula cells with no cached value) of a sheet:
    readers see both as blank, but COUNTA counts the first, and the second is unknown."""
    blank, uncached = set(), set()
    for m in _FORMULA.finditer(xml):
        if m.group(3) is None:
            uncached.add(m.group(1).decode())
        elif m.group(3) in (b"<v></v>", b"<v/>", b"<v />") and b't="str"' in m.group(2):
            blank.add(m.group(1).decode())
    return blank, uncached


def mark_formula_blanks(rows: list[list[object]], refs: set[str]) -> None:
    """Put :class:`FormulaBlank` into ``rows`` (as calamine reads a sheet) at ``refs``."""
    for ref in refs:
        letters, r = split_cell(ref)
        c = column_index(letters)
        if r <= len(rows):
            row = rows[r - 1]
            row.extend([""] * (c - len(row)))
            row[c - 1] = FormulaBlank("")


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
    if group_rater and rater is None and (factor or RESULT_INDEX.get(key) == "score"
                                          or text is None):
        rater = group_rater  # a factor, or the group's own 得分, under 主管评
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
        roles = _subtotals({**roles, **_by_column(sheet, mapping)})
        unplaced = {c: f"{top[c] or ''}/{below[c]}" for c in below
                    if below[c] is not None and c not in roles}
        return (row, row + 1), roles, unplaced
    roles = {c: r for c in top if (r := cell_role(top[c], None, mapping)) is not None}
    roles.update({c: r for c, r in _by_column(sheet, mapping).items() if top.get(c) is not None})
    if len(roles) < MIN_ROLES or not any(r in ANCHORS or r.startswith("rating:")
                                         for r in roles.values()):
        return None
    unplaced = {c: str(v) for c, v in top.items() if v is not None and c not in roles}
    if "factor" in roles.values():  # factors as rows: each rater column rates the row's factor
        roles = {c: r.replace(":overall", ":row") if r.startswith("rating:") else r
                 for c, r in roles.items()}
    else:
        roles = _subtotals(roles)
    return (row, row), roles, unplaced


def _subtotals(roles: dict[int, str]) -> dict[int, str]:
    """A rater with factor columns and one more column of its own (主管评 … 得分, 主管评得分):
    that column is the rater's typed score, not a rating of its own."""
    rated = {r.split(":")[1] for r in roles.values()
             if r.startswith("rating:") and not r.endswith((":overall", ":row"))}
    return {c: f"score:{r.split(':')[1]}" if r.startswith("rating:") and r.endswith(":overall")
            and r.split(":")[1] in rated else r for c, r in roles.items()}


def _by_column(sheet: Sheet, mapping: dict[str, str] | None) -> dict[int, str]:
    """Roles the user settled by column (``--map "考核表!K=total"``), for headers that repeat."""
    if not mapping:
        return {}
    return {c: mapping[k] for c in range(1, sheet.width + 1)
            if (k := normalize(f"{sheet.name}!{column_letter(c)}")) in mapping}


def _kind(roles: dict[int, str]) -> str:
    values = set(roles.values())
    if "factor" in values and any(r.startswith("standard:") for r in values):
        return "standards"
    if "factor" in values:
        return "personal"
    if "kpi_name" in values or {"numerator", "denominator"} <= values:
        return "kpi"
    return "appraisal"


def _anchored(sheet: Sheet, row: int, roles: dict[int, str],
              mapping: dict[str, str] | None) -> bool:
    """Whether ``row`` is someone's record however little of it is filled: a short value in an
    anchor column (an ID, a name, a KPI, a factor) that is no header word, and another of the
    table's columns filled — a note under the table fills one cell with a sentence."""
    named = False
    for c, role in roles.items():
        value = sheet.get(row, c)
        if role in ANCHORS and value is not None and len(str(value)) <= MAX_ANCHOR \
                and cell_role(value, None, mapping) is None and not is_signature(value):
            named = True
    return named and sum(sheet.get(row, c) is not None for c in roles) >= 2


def _records(sheet: Sheet, first: int, roles: dict[int, str], mapping: dict[str, str] | None,
             span: tuple[int, int] | None = None) -> tuple[tuple[int, int], int | None, int]:
    """(first and last record rows, the totals row, the row where the table ended).

    A row that names someone in an anchor column (工号, 姓名 …) is a record, however little of
    it is filled in and whatever its remarks say; a totals, signature or header line, or a row
    mostly empty, ends the table. A weights row under the header (权重 25% …) is no record.
    """
    cols = sorted(roles)
    lo, hi = span or (1, sheet.width)  # a table beside another reads only its own columns
    rows: list[int] = []
    totals = None
    r = first
    while r <= len(sheet.rows):
        texts = [sheet.get(r, c) for c in range(lo, hi + 1)]
        if all(t is None for t in texts):  # separator rows: the table goes on after them
            r += 1
            continue
        lead = next((t for t in texts if t is not None), None)
        key = normalize(lead) if isinstance(lead, str) else ""
        if key in TOTALS_INDEX or (isinstance(lead, str) and is_totals(lead)):
            totals = r  # 合计, 平均值, 一部小计 … (no one's name ends in 小计)
            break
        if RESULT_INDEX.get(key) == "weight" and not rows:
            r += 1
            continue
        if not _anchored(sheet, r, roles, mapping):
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
    """The tables of one sheet, top to bottom; ``mapping``: header -> role the user settled.

    Blocks under one header — a department's rows, its 小计, the next department's rows — are
    tables of their own with that header, numbered in ``Found.part``.
    """
    mapping = {normalize(k): v for k, v in (mapping or {}).items()}
    out = []
    r = 1
    while r <= len(sheet.rows):
        header = _header(sheet, r, mapping)
        if header is None:
            r += 1
            continue
        (h1, h2), roles, unplaced = header
        end = h2 + 1
        for part, span in _side_by_side(sheet, (h1, h2), roles, unplaced):
            found, stop = _blocks(sheet, (h1, h2), part, unplaced, mapping, span)
            out += found
            end = max(end, stop)
        r = max(end, h2 + 1)
    return out


def _side_by_side(sheet: Sheet, header: tuple[int, int], roles: dict[int, str],
                  unplaced: dict[int, str]) -> list[tuple[dict[int, str], tuple[int, int] | None]]:
    """The tables a header row holds: one, or several side by side — runs of header columns
    apart from each other by an empty column, each with an ID, a name or a KPI of its own —
    each with its roles and its column span (None: the whole row, as for a single table)."""
    filled = sorted({*roles, *unplaced})
    runs: list[list[int]] = []
    for c in filled:
        if runs and c == runs[-1][-1] + 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    anchored = [run for run in runs if any(roles.get(c) in ANCHORS for c in run)]
    if len(anchored) < 2:
        return [(roles, None)]
    starts = [run[0] for run in anchored] + [sheet.width + 2]
    parts = []
    for lo, nxt in zip(starts, starts[1:]):
        hi = max(c for c in filled if c < nxt)
        parts.append(({c: r for c, r in roles.items() if lo <= c <= hi}, (lo, hi)))
    return parts


def _blocks(sheet: Sheet, header: tuple[int, int], roles: dict[int, str],
            unplaced: dict[int, str], mapping: dict[str, str] | None,
            span: tuple[int, int] | None) -> tuple[list[Found], int]:
    """The table under a header — department blocks closed by 小计 each a table of its own —
    and the row where it ended."""
    h1, h2 = header
    kind = _kind(roles)
    lo, hi = span or (1, sheet.width)
    blocks = []
    start = h2 + 1
    while True:
        rows, totals, end = _records(sheet, start, roles, mapping, span)
        blocks.append((rows, totals))
        if totals is None:
            break
        end = totals + 1
        after = next((x for x in range(end, len(sheet.rows) + 1)
                      if any(sheet.get(x, c) is not None for c in range(lo, hi + 1))), None)
        if after is None or not _anchored(sheet, after, roles, mapping):
            break
        start = after
    out = []
    for i, (rows, totals) in enumerate(blocks, 1):
        if rows[1] >= rows[0]:
            out.append(Found(sheet.name, kind, (h1, h2), rows,
                             {column_letter(c): role for c, role in sorted(roles.items())},
                             totals, _person(sheet, h1) if kind == "personal" else {},
                             {column_letter(c): text for c, text in sorted(unplaced.items())
                              if lo <= c <= hi},
                             (i, len(blocks))))
    return out, end


def recognize(path: Path, mapping: dict[str, str] | None = None) -> list[Found]:
    """Every table of every sheet of the workbook at ``path``."""
    return [found for sheet in read_sheets(path) for found in find_tables(sheet, mapping)]
