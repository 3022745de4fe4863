"""Adding a worksheet and defined names to a workbook someone else made — the 方案 sheet that
``xlperf liven`` brings — by inserting a few elements into the three parts that list sheets and
names, and changing no other byte of the package.

Nothing is re-serialized: workbook.xml, its relationships and [Content_Types].xml get one element
each (and the defined names), written with the namespaces and relationship types the file itself
uses, so a strict-OOXML or prefixed workbook stays what it was.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from .a1 import column_index, split_cell
from .errors import InputError
from .package import read_book, xml_escape

WORKBOOK, RELS, TYPES = "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_ROOT = re.compile(rb"<(\w+:)?workbook\b([^>]*)>")
_SHEETS_END = re.compile(rb"</(\w+:)?sheets>")
_SHEET_ID = re.compile(rb'<(?:\w+:)?sheet\b[^>]*\ssheetId="(\d+)"')
_RID_ATTR = re.compile(rb'<(?:\w+:)?sheet\b[^>]*\s(\w+:id)="')
_AFTER_SHEETS = re.compile(rb"</(?:\w+:)?(?:functionGroups|externalReferences)>")
_NAMES_END = re.compile(rb"</(\w+:)?definedNames>")
_NAMES_EMPTY = re.compile(rb"<(\w+:)?definedNames\s*/>")
_REL_ID = re.compile(rb'\sId="rId(\d+)"')
_WORKSHEET_REL = re.compile(rb'<Relationship\b[^>]*\sType="([^"]*/worksheet)"')
_SHEET_PART = re.compile(r"xl/worksheets/sheet(\d+)\.xml")


@dataclass(frozen=True)
class Cell:
    """A cell of the new sheet: a value, or a formula with its cached value."""

    value: object = None
    formula: str | None = None


def sheet_xml(cells: dict[str, Cell], namespace: str,
              widths: dict[str, float] | None = None) -> bytes:
    """A worksheet holding ``cells`` (default style; text inline, so sharedStrings is untouched),
    its columns ``widths`` wide (letter -> width in characters)."""
    rows: dict[int, list[tuple[str, Cell]]] = {}
    for ref, cell in cells.items():
        rows.setdefault(split_cell(ref)[1], []).append((ref, cell))
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="'
           f'{namespace}">']
    if widths:
        out.append("<cols>" + "".join(
            f'<col min="{column_index(c)}" max="{column_index(c)}" width="{w:g}" customWidth="1"/>'
            for c, w in sorted(widths.items(), key=lambda cw: column_index(cw[0]))) + "</cols>")
    out.append("<sheetData>")
    for r in sorted(rows):
        out.append(f'<row r="{r}">')
        for ref, cell in sorted(rows[r], key=lambda rc: (len(split_cell(rc[0])[0]), rc[0])):
            f = f"<f>{xml_escape(cell.formula)}</f>" if cell.formula else ""
            v = cell.value
            if isinstance(v, str):
                body = (f'<c r="{ref}" t="str">{f}<v>{xml_escape(v)}</v></c>' if f else
                        f'<c r="{ref}" t="inlineStr"><is><t>{xml_escape(v)}</t></is></c>')
            elif isinstance(v, bool):
                body = f'<c r="{ref}" t="b">{f}<v>{int(v)}</v></c>'
            elif v is None:
                body = f'<c r="{ref}">{f}</c>'
            else:
                body = f'<c r="{ref}">{f}<v>{float(v)!r}</v></c>'
            out.append(body)
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out).encode()


def add_sheet(zf: zipfile.ZipFile, name: str, cells: dict[str, Cell],
              names: dict[str, str], hidden: frozenset[str] = frozenset(),
              widths: dict[str, float] | None = None) -> dict[str, bytes]:
    """The parts to write so the package of ``zf`` gains sheet ``name`` holding ``cells`` and the
    workbook-level ``names`` (name -> reference such as ``'方案'!$B$2``; those in ``hidden``
    hidden); refuses a name taken."""
    book = read_book(zf)
    file = zf.filename
    taken = {s.lower() for s in book.sheets}
    if name.lower() in taken:
        raise InputError("工作簿已有同名工作表", "the workbook already has a sheet of that name",
                         file, name, name, "另一个名称", "another name")
    clash = [n for n in names if n.lower() in {x.lower() for x in book.names}]
    if clash:
        raise InputError("工作簿已有同名的定义名称", "the workbook already defines these names",
                         file, None, clash, "未使用的名称", "names not in use")
    workbook, rels, types = zf.read(WORKBOOK), zf.read(RELS), zf.read(TYPES)
    numbers = [int(m.group(1)) for n in zf.namelist() if (m := _SHEET_PART.fullmatch(n))]
    part = f"xl/worksheets/sheet{max(numbers, default=0) + 1}.xml"
    while part in zf.namelist():  # pragma: no cover - numbering gaps filled by others
        part = part.replace(".xml", "_.xml")
    rid = f"rId{max((int(x) for x in _REL_ID.findall(rels)), default=0) + 1}"
    sheet_id = max((int(x) for x in _SHEET_ID.findall(workbook)), default=0) + 1
    root = _ROOT.search(workbook)
    ns = root and re.search(rb'\sxmlns%s="([^"]+)"' % (b":" + root.group(1)[:-1] if root.group(1)
                                                        else b""), root.group(2))
    end = _SHEETS_END.search(workbook)
    rid_attr = _RID_ATTR.search(workbook)
    rel_type = _WORKSHEET_REL.search(rels)
    if not (ns and end and rid_attr and rel_type):
        raise InputError("工作簿目录结构无法识别", "the workbook's directory is not one xlperf can "
                         "extend", file, WORKBOOK, None, "Excel 保存的 .xlsx", "an .xlsx saved by "
                         "Excel")
    prefix = (end.group(1) or b"").decode()
    entry = (f'<{prefix}sheet name="{xml_escape(name)}" sheetId="{sheet_id}" '
             f'{rid_attr.group(1).decode()}="{rid}"/>').encode()
    workbook = workbook[:end.start()] + entry + workbook[end.start():]
    if names:
        defined = "".join(f'<{prefix}definedName name="{xml_escape(n)}"'
                          + (' hidden="1"' if n in hidden else "")
                          + f">{xml_escape(ref)}</{prefix}definedName>"
                          for n, ref in names.items()).encode()
        names_end = _NAMES_END.search(workbook)
        empty = _NAMES_EMPTY.search(workbook)
        if empty:  # <definedNames/>: one element only, so it is opened rather than repeated
            workbook = (workbook[:empty.start()] + f"<{prefix}definedNames>".encode() + defined
                        + f"</{prefix}definedNames>".encode() + workbook[empty.end():])
        elif names_end:
            workbook = workbook[:names_end.start()] + defined + workbook[names_end.start():]
        else:
            after = [m.end() for m in _AFTER_SHEETS.finditer(workbook)]
            at = max([_SHEETS_END.search(workbook).end(), *after])  # type: ignore[union-attr]
            workbook = (workbook[:at] + f"<{prefix}definedNames>".encode() + defined
                        + f"</{prefix}definedNames>".encode() + workbook[at:])
    target = part.removeprefix("xl/")
    rels = rels.replace(b"</Relationships>", (
        f'<Relationship Id="{rid}" Type="{rel_type.group(1).decode()}" Target="{target}"/>'
        "</Relationships>").encode())
    types = types.replace(b"</Types>", (
        f'<Override PartName="/{part}" ContentType="{_SHEET_TYPE}"/></Types>').encode())
    return {WORKBOOK: workbook, RELS: rels, TYPES: types,
            part: sheet_xml(cells, ns.group(1).decode(), widths)}
