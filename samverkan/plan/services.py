"""Changes to the plan's follow-up: atomic, audited, refused in a locked year."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samverkan.audit.services import diff, record
from samverkan.core.validation import check_record
from samverkan.members.services import DomainError, lock_year_for_edit
from samverkan.plan.models import FollowUp

FOLLOW_UP_FIELDS = ("status", "status_reason", "continues", "text")


class EditConflict(DomainError):
    """Someone else saved the record after the form was read; nothing was saved."""

    def __init__(self, message: str, current: FollowUp) -> None:
        super().__init__(message)
        self.current = current


def _state(follow_up: FollowUp) -> dict[str, Any]:
    return {name: getattr(follow_up, name) for name in FOLLOW_UP_FIELDS}


def conflict_message(current: FollowUp) -> str:
    who = current.updated_by.get_username() if current.updated_by else _("någon annan")
    return _(
        "Uppföljningen sparades av %(who)s %(when)s medan du redigerade. Dina ändringar har inte "
        "sparats. Läs den nya versionen nedan och gör om ändringen."
    ) % {"who": who, "when": date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")}


@transaction.atomic
def update_follow_up(
    follow_up: FollowUp,
    *,
    actor: Any,
    version: int,
    status: str,
    status_reason: str = "",
    continues: bool = False,
    text: str = "",
) -> FollowUp:
    """Save a follow-up that was read at `version`; refuse if it changed since.

    The row is updated only where its version is still `version` and the
    version goes up by one, so two people who read the same version cannot
    both save: the second gets EditConflict, whatever the database's timing.
    Saving unchanged values writes nothing. Raises YearLocked in a decided or
    published year.
    """
    activity = follow_up.activity
    year = lock_year_for_edit(activity.focus_area.year_id)
    current = FollowUp.objects.select_related("updated_by").get(pk=follow_up.pk)
    if current.version != version:
        raise EditConflict(conflict_message(current), current)
    after = {
        "status": status,
        "status_reason": status_reason.strip(),
        "continues": continues,
        "text": text.replace("\r\n", "\n"),
    }
    # The row is written with a conditional UPDATE (the version guard), so the model's rules
    # are asked of an unsaved copy carrying the new values.
    check_record(
        FollowUp(pk=current.pk, activity_id=current.activity_id, **after), exclude=["activity"]
    )
    changes = diff(_state(current), after)
    if not changes:
        return current
    user = actor if getattr(actor, "pk", None) else None
    updated = FollowUp.objects.filter(pk=follow_up.pk, version=version).update(
        **after, version=version + 1, updated_at=timezone.now(), updated_by=user
    )
    if updated == 0:
        # Saved by someone else between the read above and this update.
        current = FollowUp.objects.select_related("updated_by").get(pk=follow_up.pk)
        raise EditConflict(conflict_message(current), current)
    changes["version"] = {"before": version, "after": version + 1}
    saved = FollowUp.objects.select_related("updated_by").get(pk=follow_up.pk)
    record(
        actor=actor,
        action="plan.follow_up.update",
        cooperation=year.cooperation,
        year=year.year,
        obj=saved,
        changes=changes,
    )
    return saved
