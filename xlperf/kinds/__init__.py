"""The kinds of live workbook xlperf writes, and the steps they share: build, open, recalc, export.

Each kind is a module here with the same parts — ``KIND``, ``SHEETS`` (sheet key -> (zh, en)), a
``Form`` (its scheme and inputs), ``blank(lang)``, ``demo(lang)``, ``from_csv(path, lang)``,
``compute(form)`` (every formula cell with its reference value), ``write(wb, form, computed)`` (the
openpyxl structure; returns the defined names), ``read(grids, names, lang, file)`` (the form back
from a workbook) and ``EXPORT`` (which columns of which sheet ``export`` writes). The appraisal kind
predates this and keeps its own modules; it is opened through the same :func:`open_workbook`.
"""
from __future__ import annotations

import importlib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from .. import live
from ..errors import InputError
from ..fields import Field
from ..grid import Grid, read_grids
from ..package import Book, open_package, read_book

#: Kind (its module's name) -> what it is, for the command line's help; the order is the CLI's.
KINDS = {
    "kpi": "KPI dictionary: table 12, scoring rules, records by department and period. KPI辞典。",
    "scorecard": "Customer-service supervisor's monthly scorecard. 客服主管月度绩效考核表。",
    "ecommerce": "E-commerce store manager pay and targets. 电商店长绩效工资。",
    "hospital": "Hospital performance pay: basic, reward pools, allowances. 医院绩效工资。",
    "goals": "Goals (MBO): weighted goals, points on completion. 目标管理。",
    "ninebox": "The 9-box grid: performance × potential. 九宫格。",
}
XLPERF_KIND_APPRAISAL = "appraisal"  # the first kind, with modules of its own
XLPERF_KIND_LIVENED = "livened"  # a hand-made workbook made live by ``xlperf liven``


def kind_module(kind: str) -> ModuleType:
    if kind not in KINDS:
        raise KeyError(kind)
    return importlib.import_module(f"{__name__}.{kind}")


def fields_of(module: ModuleType) -> dict[str, Field]:
    """Every field a kind's tables declare, by defined name."""
    return {f.name: f for value in vars(module).values() if isinstance(value, tuple)
            for f in value if isinstance(f, Field)}


def sheet_names(module: ModuleType, lang: str) -> dict[str, str]:
    return {key: names[0 if lang == "zh" else 1] for key, names in module.SHEETS.items()}


def build(module: ModuleType, form: Any, dest: Path) -> live.Computed:
    """Write the live workbook of ``form`` to ``dest`` (atomically); return what it computes."""
    computed = module.compute(form)
    names = sheet_names(module, form.lang)
    wb = live.new_workbook()
    wb.remove(wb.active)
    sheets = {key: wb.create_sheet(name) for key, name in names.items()}
    defined = {name: (names[key], ref) for name, (key, ref) in module.write(sheets, form,
                                                                          computed).items()}
    live.save(wb, dest, module.KIND, form.lang, names, defined, computed.plan())
    return computed


@dataclass
class Opened:
    """A live workbook as read: the package, sheet names and values, and what it computes."""

    path: Path
    kind: str
    zf: zipfile.ZipFile
    book: Book
    sheets: dict[str, str]  # sheet key -> sheet name
    grids: dict[str, Grid]
    computed: live.Computed
    form: Any

    def close(self) -> None:
        self.zf.close()


def constant(book: Book, name: str) -> str | None:
    ref = book.names.get(name)
    return ref[1].strip('"') if ref else None


def kind_of(path: Path) -> str | None:
    """The XLPERF_KIND a workbook declares (None if it declares none)."""
    with open_package(Path(path)) as zf:
        return constant(read_book(zf), "XLPERF_KIND")


def open_workbook(path: Path) -> Opened:
    """Read an xlperf workbook of any kind and compute its reference values (InputError if bad)."""
    path = Path(path)
    zf = open_package(path)
    try:
        book = read_book(zf)
        kind = constant(book, "XLPERF_KIND")
        if kind == XLPERF_KIND_APPRAISAL:
            return _open_appraisal(path, zf)
        if kind == XLPERF_KIND_LIVENED:
            return _open_livened(path, zf, book)
        if kind not in KINDS:
            raise InputError("不是 xlperf 工作簿(缺少 XLPERF_KIND 名称)",
                             "not an xlperf workbook (no XLPERF_KIND name)", str(path), None,
                             kind, "由 xlperf new/demo 生成的工作簿",
                             "a workbook made by xlperf new or demo")
        module = kind_module(kind)
        lang = constant(book, "XLPERF_LANG") or "zh"
        sheets = sheet_names(module, lang)
        missing = [n for n in sheets.values() if n not in book.sheets]
        if missing:
            raise InputError("工作簿缺少工作表(表名被改动?)", "the workbook lacks sheets (renamed?)",
                             str(path), None, missing, "xlperf 写入的工作表名",
                             "the sheet names xlperf wrote")
        read = read_grids(path, list(sheets.values()))
        grids = {key: read[name] for key, name in sheets.items()}
        names = {n: (key, ref) for n, (sheet, ref) in book.names.items()
                 for key, name in sheets.items() if sheet == name}
        form = module.read(grids, names, lang, str(path))
        computed = module.compute(form)
    except Exception:
        zf.close()
        raise
    return Opened(path, kind, zf, book, sheets, grids, computed, form)


def _open_appraisal(path: Path, zf: zipfile.ZipFile) -> Opened:
    from ..model import as_live, compute
    from ..readback import open_appraisal
    opened = open_appraisal(path, zf)
    computed = as_live(opened.app, compute(opened.app, opened.scheme_names))
    return Opened(path, "appraisal", opened.zf, opened.book, opened.sheets, opened.grids,
                  computed, opened.app)


def _open_livened(path: Path, zf: zipfile.ZipFile, book: Book) -> Opened:
    from ..livened import MAP_NAME, compute, read
    lang = constant(book, "XLPERF_LANG") or "zh"
    scheme_sheet = book.sheet_of(MAP_NAME) if MAP_NAME in book.names else None
    if scheme_sheet not in book.sheets:
        raise InputError("缺少活表映射或其工作表", "the liven map or its sheet is missing",
                         str(path), MAP_NAME, scheme_sheet, "xlperf liven 写出的工作簿",
                         "a workbook written by xlperf liven")
    livened = read(book.names, read_grids(path, [scheme_sheet])[scheme_sheet], lang, str(path))
    sheets = sorted({t.sheet for t in livened.tables} | {scheme_sheet})
    missing = [s for s in sheets if s not in book.sheets]
    if missing:
        raise InputError("工作簿缺少工作表(表名被改动?)", "the workbook lacks sheets (renamed?)",
                         str(path), None, missing, "liven 时的工作表名",
                         "the sheet names it had when made live")
    grids = read_grids(path, sheets)
    from ..recognize import formula_cells, mark_formula_blanks
    for name in {t.sheet for t in livened.tables}:
        mark_formula_blanks(grids[name].rows, formula_cells(zf.read(book.sheets[name]))[0])
    computed = compute(livened, {name: grid.rows for name, grid in grids.items()})
    return Opened(path, XLPERF_KIND_LIVENED, zf, book, {s: s for s in sheets}, grids, computed,
                  livened)
