"""Form fields shared by the app's forms."""

from __future__ import annotations

from typing import Any

from django import forms


class AmountField(forms.DecimalField):
    """A number typed as people write it (an amount, a rate): "80 000", "1 600,50", "1600.50", "80 000 kr".

    A text box (inputmode decimal) rather than a number box, which refuses a space or a
    decimal comma, as the budget grid does (`plan_forms.parse_amount`); Django's own
    validation (digits, decimals, minimum) then applies.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = (
                value.strip()
                .removesuffix("kr")
                .replace("\u00a0", "")
                .replace("\u202f", "")
                .replace(" ", "")
                .replace("\u2212", "-")
                .replace(",", ".")
            )
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # Not the number box's min/max/step: they would ask the browser to refuse "80 000".
        return {}
