"""Comparing a workbook before and after ``xlperf liven``, part by part: what may differ is the
cells liven put in (and the directory entries of the sheet it added); anything else is a failure.
"""
from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree as ET
from pathlib import Path

from xlperf.addsheet import RELS, TYPES, WORKBOOK
from xlperf.package import read_book

_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>.*</sheetData>", re.S)
_DIMENSION = re.compile(rb"<dimension ref=\"[^\"]*\"\s*/>")
_ROW = re.compile(rb"<row\b([^>]*?)(/>|>(.*?)</row>)", re.S)
_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)
_SPANS = re.compile(rb'\sspans="[^"]*"')
_STYLE = re.compile(rb'\ss="(\d+)"')
_CONTENT = re.compile(rb"<(?:f|v|is)\b")


def cells_of(xml: bytes) -> tuple[dict[str, bytes], dict[bytes, bytes]]:
    """(cell ref -> its XML, row attributes less spans -> the same) of a sheet."""
    cells: dict[str, bytes] = {}
    rows: dict[bytes, bytes] = {}
    data = _SHEET_DATA.search(xml)
    for row in _ROW.finditer(data.group(0) if data else b""):
        attrs = _SPANS.sub(b"", row.group(1))
        rows[re.search(rb'r="(\d+)"', attrs).group(1)] = attrs  # type: ignore[union-attr]
        for c in _CELL.finditer(row.group(3) or b""):
            cells[c.group(1).decode()] = c.group(0)
    return cells, rows


def changes(before: Path, after: Path, allowed: dict[str, set[str]],
            replaced: dict[str, set[str]] | None = None) -> list[str]:
    """Every difference between the packages outside the cells ``allowed`` (sheet name -> refs)
    and the sheet and names liven added; a cell replaced must keep its style, and only the
    cells in ``replaced`` (typed results) may have held anything before."""
    problems: list[str] = []
    with zipfile.ZipFile(before) as a, zipfile.ZipFile(after) as b:
        book_a, book_b = read_book(a), read_book(b)
        added = set(book_b.sheets) - set(book_a.sheets)
        if len(added) != 1:
            problems.append(f"sheets added: {sorted(added)}")
        new_parts = {book_b.sheets[s] for s in added}
        if set(b.namelist()) != set(a.namelist()) | new_parts:
            problems.append(f"parts: {sorted(set(a.namelist()) ^ set(b.namelist()))}")
        if [n for n in b.namelist() if n in set(a.namelist())] != a.namelist():
            problems.append("parts reordered")
        parts = {book_a.sheets[s]: s for s in allowed}
        for name in b.namelist():
            if name.endswith((".xml", ".rels")):
                try:
                    ET.fromstring(b.read(name))
                except ET.ParseError as exc:
                    problems.append(f"{name} is not well-formed: {exc}")
        for name in a.namelist():
            old, new = a.read(name), b.read(name)
            if name in parts:
                problems += _sheet_changes(name, old, new, allowed[parts[name]],
                                           (replaced or {}).get(parts[name], set()))
            elif name in (WORKBOOK, RELS, TYPES):
                problems += _directory_changes(name, old, new)
            elif old != new:
                problems.append(f"{name} changed")
        for name, ref in book_a.names.items():
            if book_b.names.get(name) != ref:
                problems.append(f"defined name {name} changed")
    return problems


def _sheet_changes(part: str, old: bytes, new: bytes, allowed: set[str],
                   replaced: set[str]) -> list[str]:
    out = []
    outside_a, outside_b = _SHEET_DATA.sub(b"", old), _SHEET_DATA.sub(b"", new)
    if _DIMENSION.sub(b"", outside_a) != _DIMENSION.sub(b"", outside_b):
        out.append(f"{part}: outside sheetData changed")
    cells_a, rows_a = cells_of(old)
    cells_b, rows_b = cells_of(new)
    for r, attrs in rows_a.items():
        if rows_b.get(r) != attrs:
            out.append(f"{part}: row {r.decode()} attributes changed")
    for ref, xml in cells_a.items():
        if ref not in cells_b:
            out.append(f"{part}: {ref} lost")
        elif ref in allowed:
            if ref not in replaced and _CONTENT.search(xml):
                out.append(f"{part}: {ref} held something and was written over")
            style = _STYLE.search(xml.split(b">", 1)[0])
            if style and _STYLE.search(cells_b[ref].split(b">", 1)[0]) is None:
                out.append(f"{part}: {ref} lost its style")
        elif cells_b[ref] != xml:
            out.append(f"{part}: {ref} changed")
    out += [f"{part}: {ref} added" for ref in set(cells_b) - set(cells_a) - allowed]
    return out


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\s[^>]*/>")
_REL = re.compile(rb"<Relationship\b[^>]*/>")
_OVERRIDE = re.compile(rb"<Override\b[^>]*/>")


def _directory_changes(part: str, old: bytes, new: bytes) -> list[str]:
    """The directory parts may only have gained entries: removing them all gives the original."""
    pattern = {WORKBOOK: _SHEET_ENTRY, RELS: _REL, TYPES: _OVERRIDE}[part]
    gained = [m.group(0) for m in pattern.finditer(new) if m.group(0) not in old]
    stripped = new
    for entry in gained:
        stripped = stripped.replace(entry, b"", 1)
    if part == WORKBOOK:
        old_names = [m.group(0) for m in re.finditer(rb"<(?:\w+:)?definedName\b.*?</(?:\w+:)?"
                                                     rb"definedName>", old, re.S)]
        for m in list(re.finditer(rb"<(?:\w+:)?definedName\b.*?</(?:\w+:)?definedName>",
                                  stripped, re.S)):
            if m.group(0) not in old_names:
                stripped = stripped.replace(m.group(0), b"", 1)
        # liven asks for a full recalculation on load (formulas of the form that read a
        # replaced cell must not show the old value): that attribute may be new
        recalc = rb'\sfullCalcOnLoad="(1|true)"'
        stripped, old = re.sub(recalc, b"", stripped), re.sub(recalc, b"", old)
        if not re.search(rb"<(\w+:)?calcPr\b", old):
            stripped = re.sub(rb"<(\w+:)?calcPr\s*/>", b"", stripped)
        empty = rb"<(\w+:)?definedNames\s*/>|<(\w+:)?definedNames></(\w+:)?definedNames>"
        stripped, old = re.sub(empty, b"", stripped), re.sub(empty, b"", old)
        if len(re.findall(rb"<(?:\w+:)?definedNames\b", new)) > 1:
            return [f"{part}: more than one definedNames element"]
    return [] if stripped == old else [f"{part} changed beyond the added entries"]
