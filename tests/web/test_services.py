"""The services behind the pages: follow-ups, meetings and the year's workflow."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections

from samverkan.audit.models import AuditEntry
from samverkan.members.models import Year, YearStatus
from samverkan.members.services import (
    WorkflowError,
    YearLocked,
    decide_year,
    publish_year,
    reopen_year,
    set_year_status,
)
from samverkan.plan.models import FollowUp
from samverkan.plan.services import EditConflict, update_follow_up
from samverkan.web.services import save_meeting
from tests.web.conftest import LEAD_A, SECRETARIAT, Place


def save(
    follow_up: FollowUp, actor: Any, version: int, text: str, status: str = "ongoing"
) -> FollowUp:
    return update_follow_up(follow_up, actor=actor, version=version, status=status, text=text)


def test_update_follow_up_saves_bumps_the_version_and_records_before_and_after(
    place: Place, users: Any
) -> None:
    follow_up = place.activity_a.follow_up
    old_text, old_version = follow_up.text, follow_up.version

    saved = save(follow_up, users[LEAD_A], old_version, "- Remissvar skickat", status="done")

    assert (saved.text, saved.status, saved.version) == (
        "- Remissvar skickat",
        "done",
        old_version + 1,
    )
    assert saved.updated_by == users[LEAD_A]
    entry = AuditEntry.objects.filter(
        action="plan.follow_up.update", object_id=str(follow_up.pk)
    ).get()
    assert entry.actor == users[LEAD_A]
    assert (entry.cooperation, entry.year) == (place.coop, 2020)
    assert entry.changes["text"] == {"before": old_text, "after": "- Remissvar skickat"}
    assert entry.changes["status"] == {"before": "ongoing", "after": "done"}
    assert entry.changes["version"] == {"before": old_version, "after": old_version + 1}


def test_a_save_read_at_an_old_version_is_refused_and_changes_nothing(
    place: Place, users: Any
) -> None:
    follow_up = place.activity_a.follow_up
    read_at = follow_up.version
    save(follow_up, users[SECRETARIAT], read_at, "Kansliets text")

    with pytest.raises(EditConflict) as refused:
        save(follow_up, users[LEAD_A], read_at, "Ledarens text")

    assert "kansli" in refused.value.message
    assert refused.value.current.text == "Kansliets text"
    follow_up.refresh_from_db()
    assert (follow_up.text, follow_up.version) == ("Kansliets text", read_at + 1)
    assert (
        AuditEntry.objects.filter(
            action="plan.follow_up.update", object_id=str(follow_up.pk)
        ).count()
        == 1
    )


def test_saving_unchanged_values_writes_nothing(place: Place, users: Any) -> None:
    follow_up = place.activity_a.follow_up
    saved = update_follow_up(
        follow_up,
        actor=users[LEAD_A],
        version=follow_up.version,
        status=follow_up.status,
        status_reason=follow_up.status_reason,
        continues=follow_up.continues,
        text=follow_up.text,
    )
    assert saved.version == follow_up.version
    assert not AuditEntry.objects.filter(action="plan.follow_up.update").exists()


def test_a_decided_year_refuses_follow_up_changes(place: Place, users: Any) -> None:
    set_year_status(place.year, YearStatus.DRAFT, actor=users[SECRETARIAT])
    decide_year(place.year, dt.date(2021, 1, 14), actor=users[SECRETARIAT])
    follow_up = place.activity_a.follow_up

    with pytest.raises(YearLocked) as refused:
        save(follow_up, users[SECRETARIAT], follow_up.version, "För sent")

    assert "låst" in refused.value.message
    follow_up.refresh_from_db()
    assert follow_up.text != "För sent"


def test_the_workflow_goes_draft_decided_published_and_reopens_on_the_record(
    place: Place, users: Any
) -> None:
    secretariat = users[SECRETARIAT]
    year = decide_year(place.year, dt.date(2021, 1, 14), actor=secretariat)
    assert (year.status, year.decided_on, year.is_locked) == (
        YearStatus.DECIDED,
        dt.date(2021, 1, 14),
        True,
    )
    year = publish_year(year, actor=secretariat)
    assert year.status == YearStatus.PUBLISHED and year.published_at is not None

    year = reopen_year(year, actor=secretariat, reason="Fel i en fond")

    assert (year.status, year.decided_on, year.published_at) == (YearStatus.DRAFT, None, None)
    entries = list(
        AuditEntry.objects.filter(
            object_type="members.year", object_id=str(year.pk), actor=secretariat
        ).order_by("id")
    )
    assert [e.action for e in entries] == ["year.decide", "year.publish", "year.reopen"]
    assert entries[0].changes["decided_on"] == {"before": None, "after": "2021-01-14"}
    assert entries[2].changes["status"] == {"before": "published", "after": "draft"}
    assert entries[2].changes["decided_on"] == {"before": "2021-01-14", "after": None}
    assert entries[2].message == "Fel i en fond"


@pytest.mark.parametrize("status", [YearStatus.PLANNING, YearStatus.FOLLOW_UP])
def test_only_a_draft_can_be_decided(place: Place, users: Any, status: str) -> None:
    set_year_status(place.year, status, actor=users[SECRETARIAT])
    with pytest.raises(WorkflowError):
        decide_year(place.year, dt.date(2021, 1, 14), actor=users[SECRETARIAT])
    assert Year.objects.get(pk=place.year.pk).status == status


def test_only_a_decided_year_can_be_published(place: Place, users: Any) -> None:
    with pytest.raises(WorkflowError):
        publish_year(place.year, actor=users[SECRETARIAT])


def test_a_decision_dated_before_the_year_is_refused(place: Place, users: Any) -> None:
    with pytest.raises(WorkflowError):
        decide_year(place.year, dt.date(2019, 12, 31), actor=users[SECRETARIAT])


def test_set_year_status_cannot_lock_or_unlock(place: Place, users: Any) -> None:
    with pytest.raises(WorkflowError):
        set_year_status(place.year, YearStatus.DECIDED, actor=users[SECRETARIAT])
    decided = Year.objects.get(cooperation=place.coop, year=2019)
    with pytest.raises(YearLocked):
        set_year_status(decided, YearStatus.DRAFT, actor=users[SECRETARIAT])


def test_reopening_needs_a_reason_and_a_locked_year(place: Place, users: Any) -> None:
    decided = Year.objects.get(cooperation=place.coop, year=2019)
    with pytest.raises(WorkflowError):
        reopen_year(decided, actor=users[SECRETARIAT], reason="  ")
    with pytest.raises(WorkflowError):
        reopen_year(place.year, actor=users[SECRETARIAT], reason="redan öppet")


def test_save_meeting_creates_and_updates_with_an_audit_entry(place: Place, users: Any) -> None:
    meeting = save_meeting(
        place.year,
        actor=users[LEAD_A],
        body=None,
        networks=[place.network_a],
        format="digital",
        kind="ordinary",
        date=dt.date(2020, 5, 5),
    )
    assert (meeting.month, list(meeting.networks.all())) == (5, [place.network_a])

    save_meeting(
        place.year,
        meeting,
        actor=users[LEAD_A],
        body=None,
        networks=[place.network_a],
        format="physical",
        kind="ordinary",
        date=dt.date(2020, 5, 5),
        place="Huddinge",
    )

    entries = list(
        AuditEntry.objects.filter(
            object_type="governance.meeting", object_id=str(meeting.pk)
        ).order_by("id")
    )
    assert [e.action for e in entries] == ["governance.meeting.create", "governance.meeting.update"]
    assert entries[0].changes["networks"] == {"before": None, "after": ["sup-gruppen"]}
    assert entries[1].changes == {
        "format": {"before": "digital", "after": "physical"},
        "place": {"before": "", "after": "Huddinge"},
    }


def test_save_meeting_refuses_a_date_outside_the_year_and_a_locked_year(
    place: Place, users: Any
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="inom året 2020"):
        save_meeting(
            place.year,
            actor=users[LEAD_A],
            body=None,
            networks=[place.network_a],
            format="digital",
            kind="ordinary",
            date=dt.date(2021, 1, 1),
        )
    decided = Year.objects.get(cooperation=place.coop, year=2019)
    with pytest.raises(YearLocked):
        save_meeting(
            decided,
            actor=users[LEAD_A],
            body=None,
            networks=[place.network_a],
            format="digital",
            kind="ordinary",
        )


def test_save_meeting_refuses_another_cooperations_network(place: Place, users: Any) -> None:
    from django.core.exceptions import ValidationError

    other_network = place.other_meeting.networks.get()
    with pytest.raises(ValidationError, match="samma samverkan"):
        save_meeting(
            place.year,
            actor=users[SECRETARIAT],
            body=None,
            networks=[other_network],
            format="digital",
            kind="ordinary",
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"
)
def test_concurrent_saves_of_one_version_let_exactly_one_through_on_postgresql(demo: None) -> None:
    """Eight threads read the same version and save at once: one wins, seven get EditConflict."""
    year = Year.objects.get(cooperation__slug="sodertorn", year=2020)
    reopen_year(year, actor="tests", reason="concurrency test")
    follow_up = FollowUp.objects.filter(activity__focus_area__year=year).first()
    assert follow_up is not None
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def writer(n: int) -> None:
        try:
            start.wait()
            save(follow_up, f"thread {n}", follow_up.version, f"text {n}")
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict"] * 7 + ["saved"]
    stored = FollowUp.objects.get(pk=follow_up.pk)
    assert stored.version == follow_up.version + 1
    winner = AuditEntry.objects.get(action="plan.follow_up.update", object_id=str(follow_up.pk))
    assert stored.text == winner.changes["text"]["after"]
