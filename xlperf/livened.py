"""A hand-made appraisal workbook made live: the 方案 sheet it gains, where its tables are, and
every formula cell with its reference value — planned the same way when ``xlperf liven`` writes it
and when ``xlperf recalc`` or ``xlperf export`` open it again.

The 方案 sheet holds the scheme (as in a workbook xlperf builds) and, below it, two small blocks
the workbook carries for Python: the map (table, sheet, rows, column, what the column holds) and a
row of weights for each span of ratings (``INDEX(FactorWeight,i)``, so an edited weight flows into
every score). Nothing else of the workbook is read or written.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from . import appraisal, live, ratios, scheme_sheet
from .a1 import column_index, column_letter
from .errors import InputError
from .grid import Grid
from .labels import text
from .rounding import excel_round
from .placed import Placed, inputs_of, narrowed, weight_of
from .ratios import Ratios
from .readback import SCHEME_NAMES
from .scheme import Scheme
from .vocabulary import RATERS

KIND = "livened"
MAP_NAME = "XLPERF_LIVEN_MAP"
MAP_HEAD = ("table", "sheet", "first", "last", "column", "key")
SUMMARY = {"average": "AVERAGE", "sum": "SUM"}


@dataclass
class Livened:
    """The scheme, the 方案 sheet's name and names, and the tables made live."""

    scheme: Scheme
    sheet: str  # the 方案 sheet's name in this workbook
    names: dict[str, str]  # scheme names -> range on the 方案 sheet ('$C$5:$C$9')
    tables: list[Placed | Ratios] = field(default_factory=list)
    map_first: int = 0  # first row of the map block on the 方案 sheet


def quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def map_rows(tables: list[Placed | Ratios]) -> list[list[object]]:
    """The map block: one row per column of each table, and one per typed summary cell."""
    rows: list[list[object]] = []
    for i, t in enumerate(tables, 1):
        for key, letter in t.letters.items():
            rows.append([i, t.sheet, t.first, t.last, letter, key])
        if t.summary:
            how, letter, row = t.summary
            rows.append([i, t.sheet, row, row, letter, f"summary.{how}"])
    return rows


def with_weights(livened: Livened) -> Livened:
    """The tables with their weights rows placed below the map."""
    row = livened.map_first + 1 + len(map_rows(livened.tables)) + 2  # a gap, then a title
    tables = []
    for t in livened.tables:
        if isinstance(t, Ratios):
            tables.append(t)
            continue
        weights = {}
        for run in t.weight_runs():
            last = column_letter(2 + len(run))
            weights[(run[0], run[-1])] = f"{quoted(livened.sheet)}!$C${row}:${last}${row}"
            row += 1
        tables.append(replace(t, weights=weights))
    return replace(livened, tables=tables)


def weight_cells(livened: Livened) -> dict[str, tuple[str, object]]:
    """The weights rows' formula cells (column C on), with their values."""
    out: dict[str, tuple[str, object]] = {}
    for t in livened.tables:
        for run in t.weight_runs() if isinstance(t, Placed) else []:
            ref = t.weights[(run[0], run[-1])]
            row = int(ref.rsplit("$", 1)[1])
            for j, key in enumerate(run):
                out[f"{column_letter(3 + j)}{row}"] = weight_of(livened.scheme, key)
    return out


def map_cells(livened: Livened) -> dict[str, object]:
    """The plain cells of the map block and of the weights rows' labels on the 方案 sheet."""
    lang, first = livened.scheme.lang, livened.map_first
    out: dict[str, object] = {f"A{first - 1}": text("liven.map", lang)}
    rows = map_rows(livened.tables)
    for i, values in enumerate([list(MAP_HEAD), *rows]):
        out.update({f"{'ABCDEF'[c]}{first + i}": v for c, v in enumerate(values)})
    out[f"A{first + len(rows) + 2}"] = text("liven.weights", lang)
    for no, t in enumerate(livened.tables, 1):
        for run in t.weight_runs() if isinstance(t, Placed) else []:
            row = int(t.weights[(run[0], run[-1])].rsplit("$", 1)[1])
            out[f"A{row}"], out[f"B{row}"] = no, " ".join(run)
    return out


def _blank(value: object) -> object:
    """A cached value: NaN and None are blank, numpy scalars plain Python."""
    value = value.item() if isinstance(value, np.generic) else value
    return "" if value is None or (isinstance(value, float) and value != value) else value


def table_values(t: Placed | Ratios, rows: list[list[object]]) -> dict[str, np.ndarray]:
    """The reference values of a table's result columns."""
    if isinstance(t, Ratios):
        return ratios.results(t, rows)
    return appraisal.results(t, inputs_of(t, rows))  # type: ignore[arg-type]


def table_formulas(t: Placed | Ratios) -> dict[str, str]:
    """The row templates of the same columns, with ``{r}`` for the row."""
    if isinstance(t, Ratios):
        return ratios.result_formulas(t)
    return appraisal.result_formulas(t)  # type: ignore[arg-type]


def summary_value(how: str, totals: np.ndarray) -> object:
    valid = totals[~np.isnan(totals)]
    if not len(valid):
        return ""
    return float(excel_round(valid.mean() if how == "average" else valid.sum(), 2))


def compute(livened: Livened, rows: dict[str, list[list[object]]]) -> live.Computed:
    """Every formula cell liven owns, by sheet name, with its reference value."""
    out = live.Computed()
    for t in livened.tables:
        values = table_values(t, rows[t.sheet])
        templates = table_formulas(t)
        cells = {}
        for key in t.result_keys:
            letter = t.letters[key]
            for i, r in enumerate(t.rows):
                cells[f"{letter}{r}"] = (templates[key].replace("{r}", str(r)),
                                         _blank(values[key][i]))
        if t.summary:
            how, letter, row = t.summary
            col = t.column_name("total")
            cells[f"{letter}{row}"] = (f'IF(COUNT({col})=0,"",ROUND({SUMMARY[how]}({col}),2))',
                                       summary_value(how, values["total"]))
        out.add_cells(t.sheet, cells)
    scheme_cells = scheme_sheet.weight_totals(livened.scheme, livened.names)
    scheme_cells.update(weight_cells(livened))
    out.add_cells(livened.sheet, scheme_cells)
    return out


# --- reading a livened workbook back -------------------------------------------------------------

def read(book_names: dict[str, tuple[str | None, str]], grid: Grid, lang: str, file: str
         ) -> Livened:
    """The scheme and tables of a livened workbook from its 方案 sheet (``grid``)."""
    names = {n: ref for n, (sheet, ref) in book_names.items() if sheet == grid.sheet}
    scheme = scheme_sheet.read(grid, names, lang, file)
    where = names.get(MAP_NAME)
    if where is None:
        raise InputError("缺少活表映射(XLPERF_LIVEN_MAP)", "the liven map is missing "
                         "(XLPERF_LIVEN_MAP)", file, grid.sheet, None, "xlperf liven 写出的工作簿",
                         "a workbook written by xlperf liven")
    (_, first), _ = Grid.corners(where)
    tables: dict[int, dict] = {}
    for i, (no, sheet, r1, r2, letter, key) in enumerate(grid.block(where)):
        try:
            t = tables.setdefault(int(no), {"sheet": str(sheet), "letters": {}})
            if str(key).startswith("summary."):
                t["summary"] = (str(key).removeprefix("summary."), str(letter), int(r2))
            else:
                t["letters"][str(key)] = str(letter)
                t["rows"] = (int(r1), int(r2))
            column_index(str(letter))
        except (TypeError, ValueError, KeyError) as exc:
            raise InputError("活表映射被改动", "the liven map was edited", file,
                             f"{grid.sheet}!A{first + i}", [no, sheet, r1, r2, letter, key],
                             "xlperf liven 写入的内容", "what xlperf liven wrote") from exc
    placed = [Ratios(t["sheet"], *t["rows"], t["letters"])
              if set(t["letters"]) & set(ratios.KEYS) else
              Placed(narrowed(scheme, rates_of(t["letters"])), t["sheet"], *t["rows"],
                     t["letters"], summary=t.get("summary")) for t in tables.values()]
    own = {n: r for n, r in names.items() if n in SCHEME_NAMES}
    return with_weights(Livened(scheme, grid.sheet, own, placed, first - 1))


def rates_of(letters: dict[str, str]) -> dict[str, list[str]]:
    """Rater -> factors rated (``""`` for an overall score), from a table's column keys."""
    rates: dict[str, list[str]] = {}
    for key in letters:
        rater, _, factor = key.partition(".")
        if rater in RATERS:
            rates.setdefault(rater, []).append(factor)
    return rates


def label(key: str, scheme: Scheme) -> str:
    """The header of an added column, in the workbook's language."""
    if key.startswith("score."):
        rater = {r.key: r.name for r in scheme.raters}[key.removeprefix("score.")]
        return rater + text("score", scheme.lang)
    return text(key, scheme.lang)
