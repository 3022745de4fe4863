"""Every kind, proven the same way: its edge-case workbook (built by its own test module) and its
demo, recalculated in LibreOffice (zh and en) and in formulas (zh): every formula cell equals the
reference, and reading the file back gives the very values of the build."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from xlperf.kinds import KINDS, kind_module

from .conftest import need_formulas, need_libreoffice
from .kinds_engines import assert_formulas_agrees, assert_libreoffice_agrees

#: Formula cells each kind's two workbooks hold at least (a check that the proof is not empty).
MIN_CELLS = {"kpi": 300, "scorecard": 297, "ecommerce": 1000, "hospital": 1500, "goals": 200,
             "ninebox": 150}
#: Kinds whose demo also goes through formulas (the others' demos are large and slow there).
FORMULAS_DEMO = {"scorecard"}


def edge_cases(kind: str, lang: str) -> object:
    return importlib.import_module(f"{__package__}.test_kind_{kind}").edge_cases(lang)


@pytest.mark.engines
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_libreoffice_equals_reference(tmp_path: Path, kind: str, lang: str) -> None:
    need_libreoffice()
    module = kind_module(kind)
    assert_libreoffice_agrees(module, [edge_cases(kind, lang), module.demo(lang)], tmp_path,
                              MIN_CELLS[kind])


@pytest.mark.engines
@pytest.mark.parametrize("kind", list(KINDS))
def test_formulas_equals_reference(tmp_path: Path, kind: str) -> None:
    need_formulas()
    module = kind_module(kind)
    forms = [edge_cases(kind, "zh")] + ([module.demo("zh")] if kind in FORMULAS_DEMO else [])
    for form in forms:
        assert_formulas_agrees(module, form, tmp_path)
