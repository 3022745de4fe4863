"""xlperf liven, step one: every table of the gallery of hand-made forms is found where it is —
header rows, record rows, totals row, the role of every column, whose sheet it is — and nothing is
found where there is no table."""
from __future__ import annotations

from pathlib import Path

import pytest

from xlperf.recognize import cell_role, recognize
from xlperf.vocabulary import normalize, rater_factor

from .gallery import FORMS


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_table_of_the_gallery_is_found_as_expected(tmp_path: Path, form: str) -> None:
    path = tmp_path / f"{form}.xlsx"
    expected = FORMS[form](path)
    found = recognize(path)
    got = [(f.sheet, f.kind, f.header, f.rows, f.roles, f.totals_row, f.person) for f in found]
    want = [(e.sheet, e.kind, e.header, e.rows, e.roles, e.totals_row, e.person)
            for e in expected]
    assert got == want


def test_headers_are_read_the_way_people_write_them() -> None:
    assert normalize(" 员工 姓名:") == "员工姓名"
    assert normalize("Emp. No.") == "emp.no."
    assert rater_factor("主管评-业务知识") == ("supervisor", "knowledge")
    assert rater_factor("沟通能力(主管评)") == (None, None)  # not a form we read: left unplaced
    assert cell_role("沟通能力", "上级评价") == "rating:supervisor:communication"
    assert cell_role("得分", "自评") == "rating:self:overall"
    assert cell_role("客户满意度") == "rating:customer:overall"
    assert cell_role("员工编号") == "employee_id" and cell_role("Name") == "name"
    assert cell_role("备注", None, {"备注": "grade"}) == "grade"  # what the user settled wins
