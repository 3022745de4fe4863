"""Putting formula cells into sheets Excel made (the corpus, when present, and the gallery's
hand-made forms): new cells land in their rows in column order, a replaced cell keeps its style,
missing rows are created in order, and every other cell reads as before in openpyxl, calamine and
LibreOffice, which computes the new formulas."""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlperf import engines, package
from xlperf.a1 import column_letter
from xlperf.sheetcells import put_cells

from .conftest import need_libreoffice
from .gallery import FORMS
from .test_corpus import FILES


def _gallery(tmp_path: Path) -> list[Path]:
    out = []
    for name in ("zh_two_row_header", "zh_personal_sheets", "en_appraisal"):
        path = tmp_path / f"{name}.xlsx"
        FORMS[name](path)
        out.append(path)
    return out


def _edit(src: Path, dest: Path) -> tuple[str, dict[str, object]]:
    """Put a formula column right of the first sheet's used range (rows 1–3 and a new row 2
    below it) and replace A1; return the sheet's name and what the new cells must compute."""
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    col = column_letter(ws.max_column + 2)
    below = ws.max_row + 2
    cells = {f"{col}{r}": (b"", f"<f>ROW()*10</f><v>{r * 10}</v>".encode()) for r in (1, 2, 3)}
    cells[f"{col}{below}"] = (b' t="str"', b'<f>"x"&amp;ROW()</f><v>x%d</v>' % below)
    cells["A1"] = (b"", b"<f>1+1</f><v>2</v>")
    with package.open_package(src) as zf:
        book = package.read_book(zf)
        part = book.sheets[ws.title]
        package.rewrite(zf, dest, {part: put_cells(zf.read(part), cells)})
    expected: dict[str, object] = {f"{col}{r}": r * 10 for r in (1, 2, 3)}
    expected[f"{col}{below}"] = f"x{below}"
    expected["A1"] = 2
    return ws.title, expected


SOURCES = FILES[:60]  # the first sheets of 60 Excel-made files; all 247 take a minute


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.name)
def test_corpus_sheets_gain_cells_and_keep_the_rest(tmp_path: Path, src: Path) -> None:
    _check(src, tmp_path)


def test_gallery_sheets_gain_cells_and_keep_the_rest(tmp_path: Path) -> None:
    for src in _gallery(tmp_path):
        _check(src, tmp_path)


def _check(src: Path, tmp_path: Path) -> None:
    out = tmp_path / f"out-{src.name}"
    title, expected = _edit(src, out)
    before = openpyxl.load_workbook(src)[title]
    after_wb = openpyxl.load_workbook(out)
    after = after_wb[title]
    for row in before.iter_rows():
        for c in row:
            if c.coordinate not in expected:
                assert after[c.coordinate].value == c.value, c.coordinate
    a1 = after["A1"]
    assert a1.value == "=1+1" and a1.style_id == before["A1"].style_id
    for ref in expected:
        assert str(after[ref].value).startswith("="), ref
    with zipfile.ZipFile(src) as zb, zipfile.ZipFile(out) as za:
        changed = [n for n in zb.namelist() if zb.read(n) != za.read(n)]
    assert len(changed) == 1 and changed[0].startswith("xl/worksheets/")


def test_libreoffice_computes_the_new_cells(tmp_path: Path) -> None:
    need_libreoffice()
    sources = [*_gallery(tmp_path), *FILES[:3]]
    outs, want = [], []
    for src in sources:
        outs.append(tmp_path / f"out-{src.name}")
        want.append(_edit(src, outs[-1]))
    for path, (title, expected) in zip(engines.recalc_libreoffice_many(outs, tmp_path / "lo"),
                                       want):
        wb = openpyxl.load_workbook(path, data_only=True)
        for ref, value in expected.items():
            assert wb[title][ref].value == value, (path.name, ref)
