"""KPI values from recorded numbers: reference = LibreOffice = formulas, no data stays blank."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest

from xlperf import engines
from xlperf.kpi import DICTIONARY, KINDS, TABLE_12, value, value_formula

from .conftest import need_formulas, need_libreoffice
from .departments import same

CASES = [("ratio", 45, 50), ("ratio", 0, 7), ("ratio", 3, 0), ("ratio", 3, None),
         ("ratio", None, 9), ("ratio", 7, 3), ("budget_accuracy", 95_000, 100_000),
         ("budget_accuracy", 112_500, 100_000), ("budget_accuracy", 250_000, 100_000),
         ("budget_accuracy", 5, 0), ("budget_accuracy", None, 100), ("rating", 87.5, None),
         ("rating", None, None), ("count", 3, None), ("count", 0, None)]


def _reference() -> list[object]:
    kinds = np.array([k for k, _, _ in CASES])
    first = np.array([np.nan if a is None else a for _, a, _ in CASES], float)
    second = np.array([np.nan if b is None else b for _, _, b in CASES], float)
    return ["" if v != v else float(v) for v in value(kinds, first, second)]


def test_dictionary_is_table_12_and_the_quality_measures() -> None:
    assert len(TABLE_12) == 12
    assert {k.kind for k in DICTIONARY} <= set(KINDS)
    assert len({k.key for k in DICTIONARY}) == len(DICTIONARY)
    lower = {k.key for k in DICTIONARY if k.direction == "lower"}
    assert {"report_error_rate", "financial_report_error_rate", "financial_analysis_error_rate",
            "defect_rate", "work_errors"} == lower


def test_reference_values() -> None:
    got = _reference()
    assert got[0] == 0.9 and got[2] == "" and got[3] == "" and got[4] == ""
    assert got[6] == 0.95 and got[7] == 0.875 and got[8] == -0.5 and got[9] == ""


def _workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KPI"
    for r, (kind, a, b) in enumerate(CASES, 1):
        ws.append([kind, a, b])
        ws[f"D{r}"] = "=" + value_formula(str(KINDS.index(kind) + 1), f"B{r}", f"C{r}")
    wb.save(path)


@pytest.mark.engines
def test_libreoffice_and_formulas_compute_the_same_values(tmp_path: Path) -> None:
    need_libreoffice()
    need_formulas()
    path = tmp_path / "kpi.xlsx"
    _workbook(path)
    expected = _reference()
    rows = engines.read_values(engines.recalc_libreoffice(path, tmp_path / "lo"), "KPI")
    solved = engines.recalc_formulas(path)
    for r, want in enumerate(expected, 1):
        lo = rows[r - 1][3]
        fo = solved.get(("KPI", f"D{r}"))
        assert same(want, lo), (CASES[r - 1], want, lo)
        assert same(want, "" if fo is None else fo), (CASES[r - 1], want, fo)
