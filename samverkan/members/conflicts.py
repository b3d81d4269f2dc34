"""Two people editing one record: the later save is refused instead of silently overwriting.

An edit form carries a digest of the record's state as it was read: the state
the record's service already builds for the audit trail (its readable field
list), hashed by `state_digest`. On save the service takes the year lock,
re-reads the record with `select_for_update` and calls `refuse_if_changed`:
when the stored state no longer gives the digest the form carries, someone
saved in between, and `EditConflict` carries the stored record, its state and
its fresh digest so that the page can show what is stored and let the user
save again deliberately. No column is needed (follow-ups, which have a
`version` column, keep it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samverkan.audit.models import AuditEntry
from samverkan.members.locking import DomainError


class EditConflict(DomainError):
    """Someone else saved the record after the form was read; nothing was saved.

    `current` is the record as stored now; `state` and `digest` its state and the
    digest a form must carry to save over it (empty for a record guarded by a version).
    """

    def __init__(
        self,
        message: str,
        current: Any,
        *,
        state: Mapping[str, Any] | None = None,
        digest: str = "",
    ) -> None:
        super().__init__(message)
        self.current = current
        self.state = dict(state or {})
        self.digest = digest


def state_digest(state: Mapping[str, Any]) -> str:
    """A short fingerprint of a record's state (SHA-256 of its canonical JSON)."""
    text = json.dumps(state, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _who(entry: AuditEntry) -> str:
    actor = entry.actor
    if actor is not None:
        return actor.get_full_name().strip() or actor.get_username()
    return entry.actor_label or _("någon annan")


def changed_message(
    obj: Model,
    what: str,
    entries: QuerySet[AuditEntry] | None = None,
    *,
    removing: bool = False,
) -> str:
    """The refusal in words: `what` (\"Mötet\") changed, by whom and when (the latest of
    `entries`, by default the record's audit entries), what the page shows and what happened
    to the user's changes (`removing`: to the deletion, cancellation or refusal the user
    confirmed)."""
    if entries is None:
        entries = AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
    latest = entries.select_related("actor").order_by("-created_at", "-id").first()
    if removing:
        rest = _(
            "Det som är sparat nu visas nedan, och inget har gjorts: läs det och bekräfta "
            "igen om det fortfarande ska göras."
        )
    else:
        rest = _(
            "Det sparade visas nedan; dina ändringar är inte sparade men står kvar i formuläret. "
            "Jämför och spara igen om dina ändringar ska gälla."
        )
    if latest is None:
        if removing:
            return _("%(what)s ändrades av någon annan efter att du öppnade sidan. %(rest)s") % {
                "what": what,
                "rest": rest,
            }
        return _("%(what)s ändrades av någon annan medan du redigerade. %(rest)s") % {
            "what": what,
            "rest": rest,
        }
    when = timezone.localtime(latest.created_at)
    if removing:
        template = _(
            "%(what)s ändrades av %(who)s den %(date)s kl. %(time)s efter att du öppnade sidan. "
            "%(rest)s"
        )
    else:
        template = _(
            "%(what)s ändrades av %(who)s den %(date)s kl. %(time)s medan du redigerade. %(rest)s"
        )
    return template % {
        "what": what,
        "who": _who(latest),
        "date": date_format(when, "DATE_FORMAT"),
        "time": date_format(when, "TIME_FORMAT"),
        "rest": rest,
    }


def refuse_if_changed(
    obj: Model,
    state: Mapping[str, Any],
    read_as: str | None,
    *,
    what: str,
    entries: QuerySet[AuditEntry] | None = None,
    removing: bool = False,
) -> None:
    """Raise EditConflict when `obj` (re-read under the lock, `state` its state now) is not what
    the form carrying the digest `read_as` was read from. `read_as=None` asks nothing: a caller
    without a form (the year-file loader, a script) writes as before.

    `entries`: the audit entries that change the state, when they are not the record's own (a
    fund's ledger grid: its saves and the year's SIE imports; the budget: the year's budget
    saves); the message names who made the latest. `removing`: the form confirms a deletion,
    cancellation or refusal of what the page showed; the message says nothing was done."""
    if read_as is None:
        return
    digest = state_digest(state)
    if hmac.compare_digest(digest, read_as):
        return
    raise EditConflict(
        changed_message(obj, what, entries, removing=removing), obj, state=state, digest=digest
    )
