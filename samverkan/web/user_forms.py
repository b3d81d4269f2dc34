"""Forms of the page "Användare och roller": each cleans raw input into what one service takes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.accounts.models import Role
from samverkan.governance.models import Network
from samverkan.members.models import Cooperation


def proposed_username(email: str) -> str:
    """The part of an e-mail address before the @, as a username (letters, digits, . - _)."""
    local = email.split("@", 1)[0].strip().lower()
    return "".join(c for c in local if c.isalnum() or c in ".-_")[:150]


class RoleForm(forms.Form):
    """A role, and the network for a network lead (only this cooperation's networks)."""

    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices)
    network = forms.ModelChoiceField(
        label=_("Nätverk"),
        queryset=Network.objects.none(),
        required=False,
        help_text=_("Bara för en nätverksledare: nätverket som personen leder."),
    )

    def __init__(self, *args: Any, cooperation: Cooperation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network_field: Any = self.fields["network"]
        network_field.queryset = Network.objects.filter(cooperation=cooperation).order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, network = cleaned.get("role"), cleaned.get("network")
        if role == Role.NETWORK_LEAD and network is None and "network" not in self.errors:
            self.add_error("network", _("Välj nätverket som nätverksledaren leder."))
        elif role and role != Role.NETWORK_LEAD and network is not None:
            self.add_error("network", _("Bara en nätverksledare har ett nätverk: lämna tomt."))
        return cleaned


class PersonDetailsForm(forms.Form):
    """A person's name and e-mail address, as the secretariat corrects them."""

    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    email = forms.EmailField(label=_("E-postadress"), max_length=254)


class PersonForm(RoleForm):
    """A new person: who they are, and their role in the cooperation."""

    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    email = forms.EmailField(label=_("E-postadress"), max_length=254)
    username = forms.CharField(
        label=_("Användarnamn"),
        max_length=150,
        required=False,
        help_text=_(
            "Det personen loggar in med. Lämna tomt för att använda det som står före @ i "
            "e-postadressen."
        ),
    )

    field_order = ["first_name", "last_name", "email", "username", "role", "network"]

    def clean_username(self) -> str:
        username = (self.cleaned_data.get("username") or "").strip()
        if username:
            validator: Any = get_user_model().username_validator
            validator(username)
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("username") and cleaned.get("email") and "username" not in self.errors:
            cleaned["username"] = proposed_username(cleaned["email"])
            if not cleaned["username"]:
                self.add_error("username", ValidationError(_("Skriv ett användarnamn.")))
        return cleaned
