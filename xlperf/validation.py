"""Excel data validation for a field: the same rule :meth:`Field.check` applies, shown as the cell
is typed into (a drop-down for choices, a range for numbers), with the message in the sheet's
language."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .fields import Field

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def add_validation(ws: "Worksheet", field: Field, ref: str, lang: str,
                   labels: dict[str, tuple[str, ...]]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation
    if field.formula or field.text:
        return
    if field.choices:
        dv = DataValidation(type="list", formula1=field.choices, allow_blank=field.optional,
                            showErrorMessage=True)
        dv.error = "/".join(labels.get(field.choices, ()))
    else:
        low = field.low if field.low is not None else -1e15
        high = field.high if field.high is not None else 1e15
        dv = DataValidation(type="decimal", operator="between", formula1=f"{low:g}",
                            formula2=f"{high:g}", allow_blank=field.optional,
                            showErrorMessage=True)
        dv.error = field.expected(lang, labels)
    dv.errorTitle = field.label(lang)
    dv.add(ref)
    ws.add_data_validation(dv)
