"""The scheme validates itself, with the same rules the 方案 sheet's check cells show."""
from __future__ import annotations

import dataclasses

import pytest

from xlperf.errors import InputError
from xlperf.scheme import default_scheme


def test_weights_that_the_sheet_shows_as_100_percent_are_accepted() -> None:
    sch = default_scheme("zh")
    f = sch.factors
    nearly = (dataclasses.replace(f[0], weight=f[0].weight - 1e-7),) + f[1:]
    dataclasses.replace(sch, factors=nearly).validated()  # ROUND(SUM,6)=1 in the sheet too
    off = (dataclasses.replace(f[0], weight=f[0].weight - 1e-5),) + f[1:]
    with pytest.raises(InputError):
        dataclasses.replace(sch, factors=off).validated()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_level_labels_must_be_distinct(lang: str) -> None:
    sch = default_scheme(lang)
    twice = (sch.levels[0], dataclasses.replace(sch.levels[1], label=sch.levels[0].label.upper()),
             *sch.levels[2:])
    with pytest.raises(InputError) as err:
        dataclasses.replace(sch, levels=twice).validated("x.xlsx", {"LevelLabel": "方案!A14:A17"})
    assert "方案!A14:A17" in err.value.message("en")


def test_full_months_between_1_and_12() -> None:
    with pytest.raises(InputError):
        dataclasses.replace(default_scheme("zh"), full_months=0).validated()
