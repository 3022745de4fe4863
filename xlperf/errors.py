"""Errors people can act on: where, what was found, what was expected — in Chinese and English.

Every refusal of bad input raises :class:`InputError`; the command line prints both languages and
exits with status 2, leaving no output file behind.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class InputError(Exception):
    """Bad input: a file, a place in it (sheet/cell/row/column), the value found, what was expected."""

    zh: str
    en: str
    file: str | None = None
    where: str | None = None
    found: object | None = None
    expected_zh: str | None = None
    expected_en: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        """One line: file, place, problem, the value found and what was expected."""
        zh = lang == "zh"
        parts = []
        if self.file:
            parts.append(f"{self.file}")
        if self.where:
            parts.append(self.where)
        head = ": ".join(parts)
        text = self.zh if zh else self.en
        if self.found is not None:
            text += (f";发现 {self.found!r}" if zh else f"; found {self.found!r}")
        expected = self.expected_zh if zh else self.expected_en
        if expected:
            text += (f",应为 {expected}" if zh else f", expected {expected}")
        return f"{head}: {text}" if head else text

    def located(self, file: str | None = None, where: str | None = None) -> "InputError":
        """The same error with the file (and place) filled in by the caller that knows them."""
        if file and not self.file:
            self.file = file
        if where and not self.where:
            self.where = where
        return self


def bilingual(err: InputError) -> str:
    """The message as the command line prints it: Chinese first, then English."""
    return f"错误: {err.message('zh')}\nerror: {err.message('en')}"
