"""Workbooks Excel itself saved (../shared/corpus/excel-made, when present): opened without a false
refusal, and copied part for part by the package writer that recalc uses."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from xlperf import package

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "excel-made"
FILES = sorted(CORPUS.glob("*.xls[xm]")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not FILES, reason="no corpus of Excel-made workbooks here")
def test_excel_made_workbooks_open_and_copy_unchanged(tmp_path: Path) -> None:
    refused, changed = [], []
    for path in FILES:
        try:
            zf = package.open_package(path)
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            refused.append((path.name, exc))
            continue
        with zf:
            package.read_book(zf)
            out = tmp_path / path.name
            package.rewrite(zf, out, {})
            with zipfile.ZipFile(out) as copy:
                if copy.namelist() != zf.namelist() or any(
                        copy.read(n) != zf.read(n) for n in zf.namelist()):
                    changed.append(path.name)
    assert refused == []
    assert changed == []
