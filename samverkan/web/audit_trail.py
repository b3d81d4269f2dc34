"""The audit trail as people read it: Swedish action names, field labels, values, a diff of texts.

The entries keep what the services wrote (field names, raw values, file
checksums); this module only decides how a page shows them. Checksums stay
in the data and are never shown.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DecimalField, Model
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from samverkan.audit.models import AuditEntry
from samverkan.lib.money import format_amount

ACTIONS = {
    "plan.follow_up.update": gettext_lazy("Uppföljningen ändrades"),
    "governance.meeting.create": gettext_lazy("Ett möte lades till"),
    "governance.meeting.update": gettext_lazy("Ett möte ändrades"),
    "governance.meeting.delete": gettext_lazy("Ett möte togs bort"),
    "governance.event.create": gettext_lazy("Ett arrangemang lades till"),
    "governance.event.update": gettext_lazy("Ett arrangemang ändrades"),
    "governance.event.delete": gettext_lazy("Ett arrangemang togs bort"),
    "consultations.response.create": gettext_lazy("Ett remissvar lades till"),
    "consultations.response.update": gettext_lazy("Ett remissvar ändrades"),
    "consultations.response.delete": gettext_lazy("Ett remissvar togs bort"),
    "projects.project.create": gettext_lazy("Ett projekt lades till"),
    "projects.project.update": gettext_lazy("Ett projekt ändrades"),
    "projects.project.delete": gettext_lazy("Ett projekt togs bort"),
    "projects.project.continue": gettext_lazy("Ett projekt fortsatte ett nytt år"),
    "members.year_text.create": gettext_lazy("En text lades till"),
    "members.year_text.update": gettext_lazy("En text ändrades"),
    "members.year_text.delete": gettext_lazy("En text togs bort"),
    "plan.activity.create": gettext_lazy("En aktivitet lades till"),
    "plan.activity.update": gettext_lazy("En aktivitet ändrades"),
    "plan.activity.delete": gettext_lazy("En aktivitet togs bort"),
    "plan.activity.move": gettext_lazy("En aktivitet flyttades"),
    "plan.focus_area.create": gettext_lazy("Ett fokusområde lades till"),
    "plan.focus_area.update": gettext_lazy("Ett fokusområde ändrades"),
    "plan.focus_area.move": gettext_lazy("Ett fokusområde flyttades"),
    "plan.proposal.create": gettext_lazy("Ett förslag till aktivitet lämnades"),
    "plan.proposal.update": gettext_lazy("Ett förslag till aktivitet ändrades"),
    "plan.proposal.accept": gettext_lazy("Ett förslag togs in i planen"),
    "plan.proposal.decline": gettext_lazy("Ett förslag avböjdes"),
    "members.member.create": gettext_lazy("En medlem lades till"),
    "members.member.left": gettext_lazy("En medlems sista år ändrades"),
    "members.member.rename": gettext_lazy("En medlems namn rättades"),
    "members.population.save": gettext_lazy("Ett invånarantal sparades"),
    "members.population.import": gettext_lazy("Invånarantal importerades från SCB"),
    "members.year.population_total": gettext_lazy("Årets invånarantal totalt ändrades"),
    "finance.account_mapping_saved": gettext_lazy("En kontomappning sparades"),
    "finance.account_mapping_deleted": gettext_lazy("En kontomappning togs bort"),
    "finance.ledger_lines_saved": gettext_lazy("Bokföringsrader sparades"),
    "finance.budget.update": gettext_lazy("Budgeten ändrades"),
    "year.start": gettext_lazy("Ett nytt år startades"),
    "year.status": gettext_lazy("Årets status ändrades"),
    "year.decide": gettext_lazy("Året beslutades"),
    "year.publish": gettext_lazy("Året publicerades"),
    "year.reopen": gettext_lazy("Året öppnades igen"),
    "finance.sie_import": gettext_lazy("En SIE-fil importerades"),
    "accounts.role.grant": gettext_lazy("En roll tilldelades"),
    "accounts.user.create": gettext_lazy("En användare skapades"),
    "accounts.person.add": gettext_lazy("En person fick en roll"),
    "accounts.role.change": gettext_lazy("En roll ändrades"),
    "accounts.user.change": gettext_lazy("En persons namn eller e-postadress ändrades"),
    "accounts.role.remove": gettext_lazy("En roll togs bort"),
    "accounts.user.password_link": gettext_lazy("En länk för att välja lösenord skapades"),
    "accounts.user.password_set": gettext_lazy("Ett lösenord valdes via länk"),
    "admin.add": gettext_lazy("Lades till i administrationen"),
    "admin.change": gettext_lazy("Ändrades i administrationen"),
    "admin.delete": gettext_lazy("Togs bort i administrationen"),
    "yearfile.load.year": gettext_lazy("Årsfilen lästes in"),
    "yearfile.load.cooperation": gettext_lazy("Samverkans grundfil lästes in"),
}
VERBS = {
    "create": gettext_lazy("lades till"),
    "add": gettext_lazy("lades till"),
    "update": gettext_lazy("ändrades"),
    "change": gettext_lazy("ändrades"),
    "delete": gettext_lazy("togs bort"),
}
# Changes that are not fields of the record: rows written with it, the checks' findings.
EXTRA_LABELS = {
    "co_financing": gettext_lazy("medfinansiering"),
    "financing": gettext_lazy("finansiering"),
    "grants": gettext_lazy("bidrag"),
    "payments": gettext_lazy("utbetalningar av bidrag"),
    "grant_income": gettext_lazy("bidragsintäkter"),
    "cost_lines": gettext_lazy("kostnader"),
    "open_errors": gettext_lazy("fel i kontrollerna när året beslutades"),
    "lines": gettext_lazy("bokföringsrader"),
    "replaced": gettext_lazy("ersatta importer"),
    "status": gettext_lazy("status"),
    "decided_on": gettext_lazy("beslutsdatum"),
    "published_at": gettext_lazy("publicerad"),
    "role": gettext_lazy("roll"),
    "user": gettext_lazy("användare"),
    "email": gettext_lazy("e-postadress"),
    "name": gettext_lazy("namn"),
    "network": gettext_lazy("nätverk"),
    "text": gettext_lazy("text"),
    "status_reason": gettext_lazy("skäl"),
    "continues": gettext_lazy("fortsätter nästa år"),
}
HIDDEN_KEYS = {"sha256", "hash", "checksum", "version"}
HASH = re.compile(r"^[0-9a-f]{32,}$")
HASH_IN_TEXT = re.compile(r"\s*\(?\b[0-9a-f]{12,}\b\)?")
LONG_TEXT = 80
REASONED = {"year.decide", "year.reopen"}


@dataclass(frozen=True, slots=True)
class DiffLine:
    kind: str  # "removed" or "added"
    text: str


@dataclass(frozen=True, slots=True)
class ChangeRow:
    label: str
    before: str
    after: str
    diff: list[DiffLine] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReadableEntry:
    entry: AuditEntry
    action: str
    who: str
    what: str
    rows: list[ChangeRow]
    message: str
    message_is_reason: bool  # the user's reason for a decision or a reopening


def _model(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except LookupError:
        return None


def action_label(entry: AuditEntry, model: type[Model] | None) -> str:
    if entry.action in ACTIONS:
        return str(ACTIONS[entry.action])
    verb = VERBS.get(entry.action.rsplit(".", 1)[-1])
    if verb is not None and model is not None:
        return f"{str(model._meta.verbose_name).capitalize()} {verb}"
    return entry.action


def field_of(model: type[Model] | None, name: str) -> Any:
    """The model field a change names; failing that, the field of that name on another model of
    the same app, for a service that records a record and its parts in one entry (a project and
    its part in the year: `stated_cost`, `focus_area`, `description` are `ProjectYear`'s)."""
    if model is None:
        return None
    for owner in (model, *model._meta.app_config.get_models()):
        for candidate in (name, name.removesuffix("_id")):
            try:
                found = owner._meta.get_field(candidate)
            except FieldDoesNotExist:
                continue
            if owner is model or not found.auto_created:
                return found
    return None


def field_label(model: type[Model] | None, name: str) -> str:
    found = field_of(model, name)
    if found is not None and hasattr(found, "verbose_name"):
        return str(found.verbose_name).capitalize()
    return str(EXTRA_LABELS.get(name, name.replace("_", " "))).capitalize()


def show(value: Any, model_field: Any = None) -> str:
    """A stored value as the page shows it: choices by their label, yes/no, lists one per line."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, list):
        if value and all(isinstance(v, str) and HASH.match(v) for v in value):
            return _("%(count)s st.") % {"count": len(value)}
        return "\n".join(show(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show(v)}" for k, v in value.items())
    if model_field is not None and getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, DecimalField) and isinstance(value, str | int | float):
        try:
            return format_amount(
                Decimal(str(value)),
                lang="en" if (get_language() or "sv").startswith("en") else "sv",
            )
        except InvalidOperation:
            pass
    text = str(value)
    return "–" if HASH.match(text) else text


def text_diff(before: str, after: str) -> list[DiffLine]:
    """The lines removed and added between two texts (difflib), for a list on the page."""
    lines = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            lines.append(DiffLine("removed", line[2:]))
        elif line.startswith("+ "):
            lines.append(DiffLine("added", line[2:]))
    return lines


def _rows(changes: Any, model: type[Model] | None) -> list[ChangeRow]:
    if not isinstance(changes, dict):
        return []
    rows = []
    for name, change in changes.items():
        if str(name) in HIDDEN_KEYS or any(
            part in str(name) for part in ("sha256", "hash", "checksum")
        ):
            continue
        if isinstance(change, dict) and set(change) <= {"before", "after"}:
            before, after = change.get("before"), change.get("after")
        else:
            before, after = None, change
        model_field = field_of(model, str(name))
        diff: list[DiffLine] = []
        if (
            isinstance(before, str)
            and isinstance(after, str)
            and ("\n" in before + after or max(len(before), len(after)) > LONG_TEXT)
        ):
            diff = text_diff(before, after)
        rows.append(
            ChangeRow(
                label=field_label(model, str(name)),
                before=show(before, model_field),
                after=show(after, model_field),
                diff=diff,
            )
        )
    return rows


def who(entry: AuditEntry) -> str:
    actor = entry.actor
    if actor is not None:
        name = actor.get_full_name().strip() if hasattr(actor, "get_full_name") else ""
        return name or actor.get_username()
    return entry.actor_label or _("systemet")


def readable(entries: Iterable[AuditEntry]) -> list[ReadableEntry]:
    result = []
    for entry in entries:
        model = _model(entry.object_type)
        what = HASH_IN_TEXT.sub("", entry.object_repr).strip()
        if model is not None and what:
            what = f"{str(model._meta.verbose_name).capitalize()}: {what}"
        result.append(
            ReadableEntry(
                entry=entry,
                action=action_label(entry, model),
                who=who(entry),
                what=what,
                rows=_rows(entry.changes, model),
                message=HASH_IN_TEXT.sub("", entry.message).strip(),
                message_is_reason=entry.action in REASONED,
            )
        )
    return result
