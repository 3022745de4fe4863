"""Formula cells with their reference values, for every kind of workbook, as edits to a package.

A kind computes a :class:`Computed`: single formula cells and filled-down columns, each with the value
the Python reference gives. The same object plans the build (formulas and cached values written
into the package openpyxl saved) and the recalc (cached values patched, formulas verified).
"""
from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from . import package
from .a1 import split_cell

if TYPE_CHECKING:
    from openpyxl import Workbook

Cells = dict[str, tuple[str, object]]  # cell -> (formula, value)
_BLANK = (b' t="str"', b"<v></v>")


@dataclass
class Column:
    """A filled-down formula column: one shared formula (``{r}`` = the row), a value per row."""

    letter: str
    first: int
    template: str
    values: np.ndarray  # float (NaN = blank) or object

    @property
    def last(self) -> int:
        return self.first + len(self.values) - 1

    def formula(self, row: int) -> str:
        return self.template.replace("{r}", str(row))

    def xml_values(self) -> list[tuple[bytes, bytes]]:
        if self.values.dtype == object:
            return [_BLANK if v is None or (isinstance(v, float) and v != v)
                    else package.xml_value(v) for v in self.values.tolist()]
        return [_BLANK if v != v else (b"", b"<v>" + repr(v).encode() + b"</v>")
                for v in self.values.tolist()]


@dataclass
class Computed:
    """Every formula cell a workbook's sheets hold, by sheet key, with its reference value."""

    cells: dict[str, Cells] = field(default_factory=dict)
    columns: dict[str, list[Column]] = field(default_factory=dict)

    def add_cells(self, sheet: str, cells: Cells) -> None:
        self.cells.setdefault(sheet, {}).update(cells)

    def add_column(self, sheet: str, column: Column) -> None:
        self.columns.setdefault(sheet, []).append(column)

    def values(self) -> dict[str, dict[str, object]]:
        """Sheet key -> cell -> reference value ('' for blank), for comparing with engines."""
        out: dict[str, dict[str, object]] = {}
        for sheet in {*self.cells, *self.columns}:
            got = out.setdefault(sheet, {})
            got.update({ref: "" if v is None else v
                        for ref, (_f, v) in self.cells.get(sheet, {}).items()})
            for col in self.columns.get(sheet, []):
                for i, v in enumerate(col.values.tolist()):
                    got[f"{col.letter}{col.first + i}"] = "" if v is None or v != v else v
        return out

    def expected(self, sheet: str, cell: str) -> str:
        """The formula text xlperf writes into ``cell`` of sheet ``sheet``."""
        if cell in self.cells.get(sheet, {}):
            return self.cells[sheet][cell][0]
        letters, row = split_cell(cell)
        for col in self.columns.get(sheet, []):
            if col.letter == letters and col.first <= row <= col.last:
                return col.formula(row)
        raise KeyError(f"{sheet}!{cell}")

    def plan(self) -> dict[str, dict[bytes, package.Planned]]:
        """Sheet key -> cell -> (expected <f>, t attribute, <v>) of every formula cell."""
        out: dict[str, dict[bytes, package.Planned]] = {}
        for sheet, cells in self.cells.items():
            out[sheet] = {ref.encode(): package.plan_cell(f, "" if v is None else v)
                          for ref, (f, v) in cells.items()}
        si = 0
        for sheet, columns in self.columns.items():
            data = out.setdefault(sheet, {})
            for col in columns:  # in the order computed: the shared-formula ids stay stable
                # One shared formula per column, as Excel writes a filled-down column: the first
                # cell holds the formula, the others point at it.
                letter = col.letter.encode()
                master = (b'<f t="shared" ref="%s%d:%s%d" si="%d">'
                          % (letter, col.first, letter, col.last, si)
                          + package.xml_escape(col.formula(col.first)).encode() + b"</f>")
                follower = b'<f t="shared" si="%d"/>' % si
                values = col.xml_values()
                refs = [letter + r for r in rows(col.first, col.last)]
                data.update(zip(refs, [(follower, t, v) for t, v in values]))
                data[letter + str(col.first).encode()] = (master, *values[0])
                si += 1
        return out


FORMAT_VERSION = "1"


def new_workbook() -> "Workbook":
    """An empty openpyxl workbook with the fixed document dates of a build."""
    from openpyxl import Workbook
    wb = Workbook()
    wb.properties.created = wb.properties.modified = EPOCH
    wb.properties.creator = "xlperf"
    return wb


def save(wb: "Workbook", dest: Path, kind: str, lang: str, sheets: dict[str, str],
         defined: dict[str, tuple[str, str]], planned: dict[str, dict[bytes, package.Planned]]
         ) -> None:
    """Save a build: its defined names (name -> (sheet name, range)), the hidden names that say
    what it is, then the planned formulas and cached values written into the package."""
    from openpyxl.workbook.defined_name import DefinedName
    for name, (sheet, ref) in sorted(defined.items()):
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{ref}")
    for name, value in (("XLPERF_KIND", kind), ("XLPERF_LANG", lang),
                        ("XLPERF_VERSION", FORMAT_VERSION)):
        wb.defined_names[name] = DefinedName(name, attr_text=f'"{value}"', hidden=True)
    with tempfile.TemporaryDirectory(prefix="xlperf-") as tmp:
        structure = Path(tmp) / "structure.xlsx"
        wb.save(structure)
        with zipfile.ZipFile(structure) as zf:
            write_values(zf, dest, sheets, planned)


@lru_cache(maxsize=8)
def rows(first: int, last: int) -> tuple[bytes, ...]:
    """The row numbers of a column as the sheet XML spells them (shared by its columns)."""
    return tuple(b"%d" % r for r in range(first, last + 1))


def write_values(src: zipfile.ZipFile, dest: Path, sheets: dict[str, str],
                 planned: dict[str, dict[bytes, package.Planned]]) -> None:
    """Copy the package ``src`` (as openpyxl saved it) to ``dest`` with the formulas and cached
    values planned."""
    book = package.read_book(src)
    parts = {}
    for key, cells in planned.items():
        part = book.sheets[sheets[key]]
        parts[part], done, differ = package.patch_values(src.read(part), cells, True)
        if len(done) != len(cells) or differ:
            raise RuntimeError(f"{part}: formula cells missing or not as planned: "
                               f"{sorted(set(cells) - done)[:5]} {differ[:5]}")
    parts[CORE] = _modified_when_created(src.read(CORE))
    package.rewrite(src, dest, parts, EPOCH.timetuple()[:6])  # type: ignore[arg-type]


CORE = "docProps/core.xml"
#: The date a build gives its document and its parts: rebuilding a template changes no byte.
EPOCH = datetime(2026, 1, 1)
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>")
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _modified_when_created(xml: bytes) -> bytes:
    """openpyxl stamps the save time as "modified"; a build states its fixed creation date
    instead, so building twice gives the very same bytes (and a template never drifts)."""
    created = _CREATED.search(xml)
    return _MODIFIED.sub(lambda m: m.group(1) + created.group(1) + m.group(2), xml) if created \
        else xml
