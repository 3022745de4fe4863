"""What the kinds share: a form of scheme values and one table of records, filling records in,
the CSV headers they accept, the words of a check column, the scheme read back and checked, and
the grade bands (the appraisal's, editable on each 方案 sheet).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, NoReturn, TypeVar

import numpy as np

from ..cells import WILDCARDS
from ..errors import InputError
from ..fields import Field
from ..scoring import (DIRECTION_LABELS, DIRECTIONS, RULE_LABELS, RULES, RuleParams,
                       Scores)
from ..groups import fold
from ..grid import Grid
from ..params import Spec, Values
from ..scheme import check_ascending
from ..live import Column, Computed
from ..table import FIRST_ROW, Table

Words = dict[str, tuple[str, str]]  # key -> (zh, en)
SPARE_ROWS = 50  # empty rows left under records, so the next one has formulas


@dataclass
class Form:
    """A workbook of records: the 方案 values, the input columns of the records table (raw cell
    values, None = blank), its row count and where the 方案 names are."""

    lang: str
    scheme: Values
    inputs: dict[str, np.ndarray]
    rows: int
    names: dict[str, str] = field(default_factory=dict)  # 方案 name -> range
    fields: tuple[Field, ...] = ()

    @property
    def table(self) -> Table:
        return Table(self.fields, self.rows)


F = TypeVar("F", bound=Form)


def empty_inputs(fields: tuple[Field, ...], rows: int) -> dict[str, np.ndarray]:
    return {f.name: np.full(rows, None, object) for f in fields if not f.formula}


def with_records(form: F, records: list[dict[str, object]]) -> F:
    """The form with ``records`` (keyed by field name) from the first row, spare rows after."""
    rows = max(form.rows, len(records) + SPARE_ROWS)
    out = replace(form, inputs=empty_inputs(form.fields, rows), rows=rows)
    for i, rec in enumerate(records):
        for key, value in rec.items():
            out.inputs[key][i] = value
    return out


def columns_of(out: Computed, sheet: str, table: Table) -> Callable[[str, str, np.ndarray], None]:
    """``column(name, template, values)``: add a filled-down formula column of ``table``."""
    def column(name: str, template: str, values: np.ndarray) -> None:
        out.add_column(sheet, Column(table.letter(name), FIRST_ROW, template, values))
    return column


#: What a check column says of a good row, unless a kind's words say otherwise.
OK = ("正常", "OK")


def word(words: Words, lang: str, key: str) -> str:
    pair = OK if key == "ok" and key not in words else words[key]
    return pair[0 if lang == "zh" else 1]


def words_of(words: Words, lang: str, keys: np.ndarray) -> np.ndarray:
    """The check column's values: each row's word ("" where the key is "": a blank row)."""
    out = np.empty(len(keys), object)
    out[:] = [word(words, lang, k) if k else "" for k in keys.tolist()]
    return out


def quoted(words: Words, lang: str) -> dict[str, str]:
    """Each word as a text constant in a formula: "正常"."""
    return {key: f'"{word(words, lang, key)}"' for key in words}


def csv_aliases(fields: tuple[Field, ...], csv_keys: dict[str, str]) -> dict[str, str]:
    """Accepted CSV header (lower case) -> field: the English key and both sheet labels."""
    return {alias.lower(): f.name for f in fields if f.name in csv_keys
            for alias in (csv_keys[f.name], f.zh, f.en)}


def read_scheme(spec: Spec, grids: dict[str, Grid], names: dict[str, tuple[str, str]],
                lang: str, file: str) -> tuple[Values, dict[str, str], Grid]:
    """The 方案 values (checked field by field), where they are, and the sheet's grid."""
    scheme_names = {n: ref for n, (key, ref) in names.items() if key == "scheme"}
    grid = grids["scheme"]
    return spec.read(grid, scheme_names, lang, file), scheme_names, grid


def read_inputs(form: F, grids: dict[str, Grid], names: dict[str, tuple[str, str]],
                sheet: str, file: str) -> F:
    """The form with its records read back: as many rows as the first column's name spans."""
    first = form.fields[0].name
    if first not in names:
        raise InputError("工作簿缺少定义名称", "the workbook lacks defined names", file, None,
                         first, "xlperf 写入的全部名称", "every name xlperf wrote")
    (_, top), (_, bottom) = Grid.corners(names[first][1])
    form = replace(form, rows=bottom - top + 1)
    form.inputs = form.table.read(grids[sheet], file)
    return form


def refuse_repeats(values: list[object], where: list[str], file: str) -> None:
    """Names that formulas look up must be distinct (ignoring case, as "=" does) and hold no
    wildcard (MATCH reads * ? ~ as one)."""
    seen: set[str] = set()
    for value, place in zip(values, where):
        if value is None:
            continue
        key = fold(str(value))
        if key in seen or any(w in str(value) for w in WILDCARDS):
            raise InputError("名称重复或含通配符(* ? ~)", "a name is repeated or holds a wildcard "
                             "(* ? ~)", file, place, value, "唯一的名称", "a unique name")
        seen.add(key)


# --- grade bands ---------------------------------------------------------------------------------

def check_grades(mins: list[float], where: str, file: str) -> None:
    check_ascending(mins, "等级最低分", "grade minimums", file, where)
    if mins[0] != 0:
        raise InputError("最低等级须从 0 分起", "the lowest grade must start at 0", file, where,
                         mins[0], "0", "0")


def grade_formula(total: str) -> str:
    return f'IF(ISNUMBER({total}),INDEX(GradeLabel,MATCH({total},GradeMin,1)),"")'


# --- scoring rules on a 方案 sheet (the KPI dictionary and the scorecard) -------------------------

RULE_VALUE_FMT = "0.00####"
#: The scores the rules give at their points, editable on 方案.
SCORE_FIELDS = (
    Field("ThresholdScore", "门槛得分(线性插值)", "Score at threshold (linear)", "0.00", 0, 200),
    Field("TargetScore", "目标得分", "Score at target", "0.00", 0, 200),
    Field("StretchScore", "挑战得分", "Score at stretch", "0.00", 0, 200),
    Field("StepScore", "分段计分:门槛至目标", "Steps: threshold to target", "0.00", 0, 200),
)
#: The label lists the rule formulas compare with.
RULE_LISTS = {"DirectionLabels": (DIRECTION_LABELS["zh"], DIRECTION_LABELS["en"]),
              "LowerLabel": ((DIRECTION_LABELS["zh"][1],), (DIRECTION_LABELS["en"][1],)),
              "RuleLabels": (RULE_LABELS["zh"], RULE_LABELS["en"])}
_RULE_PARTS = ("Direction", "Rule", "Threshold", "Target", "Stretch", "Cap", "Deduction")


def rule_fields(prefix: str) -> tuple[Field, ...]:
    """A 方案 table's rule columns, named ``<prefix>Direction`` … ``<prefix>Deduction``."""
    return (
        Field(f"{prefix}Direction", "方向", "Direction", choices="DirectionLabels", width=12),
        Field(f"{prefix}Rule", "计分规则", "Scoring rule", choices="RuleLabels", width=11),
        Field(f"{prefix}Threshold", "门槛", "Threshold", RULE_VALUE_FMT, optional=True, width=9),
        Field(f"{prefix}Target", "目标", "Target", RULE_VALUE_FMT, optional=True, width=9),
        Field(f"{prefix}Stretch", "挑战", "Stretch", RULE_VALUE_FMT, optional=True, width=9),
        Field(f"{prefix}Cap", "封顶", "Cap", "0%", 0.01, 10, width=8),
        Field(f"{prefix}Deduction", "每项扣分", "Deduction per unit", "0.00", 0, 100, width=9),
    )


def score_defaults() -> Values:
    s = Scores()
    return {"ThresholdScore": s.threshold, "TargetScore": s.target, "StretchScore": s.stretch,
            "StepScore": s.step}


def scores_of(values: Values) -> Scores:
    return Scores(*(float(values[f.name]) for f in SCORE_FIELDS))  # type: ignore[arg-type]


def rule_params(values: Values, prefix: str, lang: str) -> list[RuleParams]:
    """Each row's rule, read back from the labels and numbers of the ``prefix`` columns."""
    cols = {part: values[f"{prefix}{part}"] for part in _RULE_PARTS}
    return [RuleParams(RULES[RULE_LABELS[lang].index(rule)],
                       DIRECTIONS[DIRECTION_LABELS[lang].index(direction)], *numbers)
            for direction, rule, *numbers in zip(*cols.values())]  # type: ignore[call-overload]


def person(id_en: str = "ID") -> tuple[Field, Field]:
    """The 工号 and 姓名 columns a table of people starts with."""
    return (Field("ColId", "工号", id_en, "@", text=True, optional=True, width=10),
            Field("ColName", "姓名", "Name", "@", text=True, optional=True, width=10))


def refuser(file: str, line: int, rec: dict, csv_keys: dict[str, str]
            ) -> Callable[[str, str, str, str, str], NoReturn]:
    """How a bad cell of a CSV row is refused: the file, the line and the column, the value
    found and what was expected."""
    def refuse(key: str, zh: str, en: str, exp_zh: str, exp_en: str) -> NoReturn:
        raise InputError(zh, en, file, f"行/row {line}, {csv_keys[key]}", rec.get(key), exp_zh,
                         exp_en)
    return refuse


def begin(form: Any, status: Words, sheet: str = "records"
          ) -> tuple[Computed, Callable[[str, str, np.ndarray], None], str, dict[str, str]]:
    """What a record table's computation starts from: the cells it fills, its column writer,
    the check column's OK word and every status word quoted for formulas."""
    out = Computed()
    return (out, columns_of(out, sheet, form.table), word(status, form.lang, "ok"),
            quoted(status, form.lang))
