"""Hand-typed totals and grades in the gallery's forms against the appraisal's reference: exactly
the deliberate mistakes are listed, each with the value the formula will give — and no form typed
correctly shows a difference (so the reference reads those forms as their makers computed them)."""
from __future__ import annotations

from pathlib import Path

import pytest

from xlperf.liven import dry_run
from xlperf.recognize import find_tables, read_sheets

from .gallery import FORMS, TYPED_ERRORS

COMPUTED = {"K7": 86.91, "K9": 84.64, "L10": "良好", "K12": 74.69, "K14": 81.51}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_exactly_the_typed_mistakes_are_listed(tmp_path: Path, form: str) -> None:
    path = tmp_path / f"{form}.xlsx"
    FORMS[form](path)
    found = dry_run(path).differences
    assert sorted((d.sheet, d.cell, d.typed) for d in found) == sorted(TYPED_ERRORS.get(form, []))
    if form == "zh_typed_errors":
        assert {d.cell: d.computed for d in found} == COMPUTED


def test_liven_dry_run_on_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from xlperf.cli import app as cli
    runner = CliRunner()
    path = tmp_path / "form.xlsx"
    FORMS["zh_bonus_sum"](path)
    done = runner.invoke(cli, ["liven", str(path), "--dry-run"])
    assert done.exit_code == 0 and "rating:supervisor:overall" in done.output
    assert "unplaced" in done.output  # 绩效奖金(元): no role in the vocabulary
    mapping = tmp_path / "map.txt"
    mapping.write_text("# settled by HR\n绩效奖金(元)=remark\n", encoding="utf-8")
    done = runner.invoke(cli, ["liven", str(path), "--dry-run", "--map", f"@{mapping}"])
    assert done.exit_code == 0 and "unplaced" not in done.output
    FORMS["zh_personal_sheets"](path)
    done = runner.invoke(cli, ["liven", str(path), "--dry-run"])
    assert "4 personal sheets gathered" in done.output
    FORMS["zh_typed_errors"](path)
    done = runner.invoke(cli, ["liven", str(path), "--dry-run"])
    assert all(s in done.output for s in ("K7", "68.91", "86.91", "L10", "良好"))
    for args in (["--dry-run", "--map", "x=bogus"], []):  # an unknown role; nowhere to write
        done = runner.invoke(cli, ["liven", str(path), *args])
        assert done.exit_code == 2


@pytest.mark.parametrize("form", ["zh_personal_sheets", "en_personal_sheets"])
def test_personal_sheets_are_gathered_into_a_register(tmp_path: Path, form: str) -> None:
    """One record per employee sheet, keyed like the roster CSV, every rating from its cell —
    and the register computes as an appraisal (each person gets a total)."""
    import numpy as np
    import openpyxl

    from xlperf.model import Appraisal, compute
    from xlperf.register import gather
    from xlperf.scheme import default_scheme
    path = tmp_path / f"{form}.xlsx"
    expected = FORMS[form](path)
    tables = [(sheet, t) for sheet in read_sheets(path) for t in find_tables(sheet)]
    records = gather(tables)
    assert len(records) == len(expected)
    wb = openpyxl.load_workbook(path)
    for rec, exp in zip(records, expected):
        ws = wb[exp.sheet]
        for role, ref in exp.person.items():
            assert rec[role] == ws[ref].value or str(rec[role]) == str(ws[ref].value)[:10]
        raters = {c: r.split(":")[1] for c, r in exp.roles.items() if r.startswith("rating:")}
        factor_col = next(c for c, r in exp.roles.items() if r == "factor")
        ratings = [v for k, v in rec.items() if "." in k]
        cells = [ws[f"{c}{r}"].value for r in range(exp.rows[0], exp.rows[1] + 1)
                 if ws[f"{factor_col}{r}"].value for c in raters]
        def same(v: object) -> str:
            return repr(float(v)) if isinstance(v, (int, float)) else str(v)
        assert sorted(map(same, ratings)) == sorted(map(same, cells))
    lang = "en" if form.startswith("en_") else "zh"
    people = [{k: v for k, v in r.items() if k in ("employee_id", "name", "department")
               or "." in k} | {"tenure_years": 1.0} for r in records]
    app = Appraisal.from_records(default_scheme(lang), people, len(people))
    totals = compute(app).columns["total"][:len(people)]
    assert not np.isnan(totals).any()
