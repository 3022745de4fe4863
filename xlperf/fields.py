"""A field of a live workbook — a parameter on the 方案 sheet or a column of a table — and the one
place where a value typed into it is checked, with a message naming the cell.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError

NUMBER_TYPES = (int, float)


@dataclass(frozen=True)
class Field:
    """What a cell holds: its defined name, its label, its format and what it accepts.

    ``choices`` names the list of allowed labels (a defined name); ``text`` accepts any text;
    otherwise it is a number between ``low`` and ``high``. ``formula`` marks a computed column.
    """

    name: str
    zh: str
    en: str
    fmt: str | None = None
    low: float | None = None
    high: float | None = None
    choices: str | None = None
    text: bool = False
    optional: bool = False
    formula: bool = False
    helper: bool = False
    width: float = 11

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def check(self, value: object, where: str, file: str | None,
              labels: dict[str, tuple[str, ...]] | None = None) -> object:
        """The value if this field accepts it, else an InputError naming ``where``."""
        if value is None or value == "":
            if self.optional:
                return None
            raise InputError(f"「{self.zh}」不能为空", f"“{self.en}” cannot be blank", file, where,
                             "", self.expected("zh", labels), self.expected("en", labels))
        if self.choices:
            allowed = (labels or {}).get(self.choices, ())
            if value not in allowed:
                raise InputError(f"「{self.zh}」不是可选项", f"“{self.en}” is not one of the choices",
                                 file, where, value, "/".join(allowed), "/".join(allowed))
            return value
        if self.text:
            return str(value)
        if type(value) not in NUMBER_TYPES or not (
                (self.low is None or value >= self.low) and (self.high is None or value <= self.high)):
            raise InputError(f"「{self.zh}」须为数字{self._range()}",
                             f"“{self.en}” must be a number{self._range()}", file, where, value,
                             self.expected("zh", labels), self.expected("en", labels))
        return float(value)

    def _range(self) -> str:
        if self.low is not None and self.high is not None:
            return f" ({self.low:g}–{self.high:g})"
        if self.low is not None:
            return f" (≥ {self.low:g})"
        return ""

    def expected(self, lang: str, labels: dict[str, tuple[str, ...]] | None) -> str:
        if self.choices:
            return "/".join((labels or {}).get(self.choices, ()))
        if self.text:
            return "文字" if lang == "zh" else "text"
        return ("数字" if lang == "zh" else "a number") + self._range()
