"""Shared fixtures: random departments and the engines that check our formulas.

The cross-engine tests skip without LibreOffice on a developer's machine, but CI sets
XLPERF_REQUIRE_ENGINES=1, and there a missing engine fails the run instead of skipping it.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from xlperf import engines

REQUIRE = os.environ.get("XLPERF_REQUIRE_ENGINES") == "1"


def need_libreoffice() -> None:
    if not engines.libreoffice_available():
        if REQUIRE:
            pytest.fail("LibreOffice is required here (XLPERF_REQUIRE_ENGINES=1) but not found")
        pytest.skip("LibreOffice not installed")


def need_formulas() -> None:
    try:
        import formulas  # noqa: F401
    except ImportError:
        if REQUIRE:
            pytest.fail("the formulas package is required here but not installed")
        pytest.skip("formulas not installed")


def scratch_sheet() -> tuple[Any, Any]:
    """A workbook of one sheet, S, for formulas both engines will recalculate."""
    import openpyxl
    need_libreoffice()
    need_formulas()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    return wb, ws


def both_engines(wb: Any, path: Path) -> tuple[list[list[object]], dict]:
    """Save ``wb`` at ``path``; sheet S as LibreOffice recalculates it (rows of values) and
    every cell as ``formulas`` does ((sheet, cell) -> value)."""
    wb.save(path)
    lo = engines.read_values(engines.recalc_libreoffice(path, path.parent / "lo"), "S")
    return lo, engines.recalc_formulas(path)
