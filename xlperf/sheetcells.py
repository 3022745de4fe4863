"""Putting cells into a worksheet someone else made — the formula cells ``xlperf liven`` adds next to
a table, or puts in place of hand-typed results — by editing its sheetData only.

Each new cell goes into its row in column order (the row is created in row order if it is not
there); a cell already at that place is replaced but keeps its style. The dimension and the rows'
spans are widened to cover the new cells; every other byte of the sheet stays as it was.
"""
from __future__ import annotations

import re

from .a1 import column_index, column_letter, split_cell
from .errors import InputError

_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)
_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)
_STYLE = re.compile(rb'\ss="(\d+)"')
_SPANS = re.compile(rb'\sspans="(\d+):(\d+)"')
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_SHEET_DATA = re.compile(rb"<sheetData\s*/>|</sheetData>")

#: A new cell: its attributes after r (type, style) and its content (<f>, <v>, <is>).
NewCell = tuple[bytes, bytes]


def _cell_xml(ref: str, attrs: bytes, body: bytes, style: bytes | None) -> bytes:
    if style is not None and not _STYLE.search(attrs):
        attrs = b' s="' + style + b'"' + attrs
    return b'<c r="' + ref.encode() + b'"' + attrs + (b">" + body + b"</c>" if body else b"/>")


def put_cells(xml: bytes, cells: dict[str, NewCell], file: str | None = None) -> bytes:
    """The sheet ``xml`` with ``cells`` (A1 ref -> (attributes, content)) put in place."""
    by_row: dict[int, dict[int, tuple[str, NewCell]]] = {}
    for ref, cell in cells.items():
        letters, row = split_cell(ref)
        by_row.setdefault(row, {})[column_index(letters)] = (ref, cell)
    if b"<c>" in xml or re.search(rb"<c\s(?![^>]*\br=)", xml):
        raise InputError("工作表的单元格没有地址(r 属性),无法安全地添加公式", "the sheet's cells "
                         "carry no addresses (r attributes); formulas cannot be added safely",
                         file, None, None, "由 Excel/WPS 重新保存后再试", "save it again in "
                         "Excel or WPS, then retry")
    done: set[int] = set()

    def edit_row(m: re.Match[bytes]) -> bytes:
        r = int(m.group(1))
        new = by_row.get(r)
        if not new:
            return m.group(0)
        done.add(r)
        text = m.group(0)
        if text.endswith(b"/>"):
            text = text[:-2] + b"></row>"
        head_end = text.index(b">") + 1
        head, body = text[:head_end], text[head_end:-len(b"</row>")]
        cells_in = [(column_index(c.group(1).decode()), c.group(0)) for c in _CELL.finditer(body)]
        rest = _CELL.sub(b"", body)  # anything else a row holds (extensions) stays after
        merged: dict[int, bytes] = dict(cells_in)
        for col, (ref, (attrs, content)) in new.items():
            old = merged.get(col)
            style = _STYLE.search(old).group(1) if old and _STYLE.search(old) else None
            merged[col] = _cell_xml(ref, attrs, content, style)
        return _widen(head, min(merged), max(merged)) + b"".join(
            merged[c] for c in sorted(merged)) + rest + b"</row>"

    out = _ROW.sub(edit_row, xml)
    missing = sorted(set(by_row) - done)
    if missing:
        out = _add_rows(out, {r: by_row[r] for r in missing})
    return _widen_dimension(out, cells)


def _widen(head: bytes, first: int, last: int) -> bytes:
    m = _SPANS.search(head)
    if not m:
        return head
    lo, hi = min(first, int(m.group(1))), max(last, int(m.group(2)))
    return head[:m.start()] + b' spans="%d:%d"' % (lo, hi) + head[m.end():]


def _add_rows(xml: bytes, rows: dict[int, dict[int, tuple[str, NewCell]]]) -> bytes:
    """New <row> elements, each before the first existing row below it (or at the end)."""
    existing = [(int(m.group(1)), m.start()) for m in _ROW.finditer(xml)]
    end = _SHEET_DATA.search(xml)
    if end is None:
        raise InputError("工作表没有 sheetData", "the sheet has no sheetData", None)
    if end.group(0).endswith(b"/>"):  # <sheetData/>: open it
        xml = xml[:end.start()] + b"<sheetData></sheetData>" + xml[end.end():]
        end = _SHEET_DATA.search(xml)
    inserts: list[tuple[int, bytes]] = []
    for r, cells in sorted(rows.items()):
        at = next((pos for row, pos in existing if row > r), end.start())  # type: ignore[union-attr]
        body = b"".join(_cell_xml(ref, attrs, content, None)
                        for _c, (ref, (attrs, content)) in sorted(cells.items()))
        inserts.append((at, b'<row r="%d">' % r + body + b"</row>"))
    for at, text in sorted(inserts, key=lambda x: x[0], reverse=True):
        xml = xml[:at] + text + xml[at:]
    return xml


def _widen_dimension(xml: bytes, cells: dict[str, NewCell]) -> bytes:
    m = _DIMENSION.search(xml)
    if not m:
        return xml
    c1, r1 = column_index(m.group(1).decode()), int(m.group(2))
    c2 = column_index((m.group(3) or m.group(1)).decode())
    r2 = int(m.group(4) or m.group(2))
    for ref in cells:
        letters, row = split_cell(ref)
        c = column_index(letters)
        c1, c2, r1, r2 = min(c1, c), max(c2, c), min(r1, row), max(r2, row)
    ref = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}".encode()
    return xml[:m.start()] + b'<dimension ref="' + ref + b'"' + xml[m.end():]


def styles_of(xml: bytes, refs: set[str]) -> dict[str, bytes]:
    """The style attribute (`` s="N"``) of each of ``refs`` that has one."""
    out = {}
    for m in _CELL.finditer(xml):
        ref = (m.group(1) + m.group(2)).decode()
        if ref in refs and (s := _STYLE.search(m.group(0)[:m.group(0).index(b">")])):
            out[ref] = s.group(0)
    return out
