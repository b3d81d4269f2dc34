"""The admin as a fallback, not a trap: every add and change page answers, in Swedish, without raw JSON."""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils.text import camel_case_to_spaces

from samverkan.governance.models import Event
from samverkan.members.models import Year
from samverkan.members.scope import cooperation_path, scoped
from samverkan.plan.models import Activity, FocusArea
from tests.web.conftest import SECRETARIAT, Place

# Field names that are the same word in Swedish (their label is given, and reads the same).
SAME_IN_SWEDISH = {"status", "person", "start", "text", "version", "format"}
APPS = ("members", "governance", "plan", "consultations", "projects", "finance", "reports", "audit")


def registered() -> list[tuple[Any, Any]]:
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in APPS
    ]


def test_every_admin_add_and_change_page_answers_the_secretariat(
    place: Place, client_for: Any
) -> None:
    client = client_for(SECRETARIAT)
    problems = []
    for model, _model_admin in registered():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        rows = (
            scoped(model.objects.all(), [place.coop.pk])
            if cooperation_path(model)
            else model.objects.none()
        )
        # An open year's record where there is one (a locked year's is read-only, and shown as such).
        first = rows.order_by("-pk").first()
        if first is not None:
            pages.append(reverse(f"{prefix}_change", args=[first.pk]))
        for url in pages:
            status = client.get(url).status_code
            if status not in (200, 403):
                problems.append(f"{url}: {status}")
    assert problems == []


def test_a_year_added_in_the_admin_is_saved(place: Place, client_for: Any) -> None:
    response = client_for(SECRETARIAT).post(
        reverse("admin:members_year_add"),
        {
            "cooperation": place.coop.pk,
            "year": 2030,
            "officer_name": "",
            "officer_email": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Year.objects.filter(cooperation=place.coop, year=2030).exists()


def test_an_activity_added_in_the_admin_has_a_page_of_its_own(
    place: Place, client_for: Any
) -> None:
    client = client_for(SECRETARIAT)
    area = place.activity_a.focus_area
    response = client.post(
        reverse("admin:plan_activity_add"),
        {
            "focus_area": area.pk,
            "title": "Från admin",
            "description": "",
            "order": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Activity.objects.get(title="Från admin")
    assert (
        client.get(reverse("web:activity", args=["sodertorn", 2020, added.pk])).status_code == 200
    )


def test_admin_pickers_offer_only_the_year_of_the_record(place: Place, client_for: Any) -> None:
    page = (
        client_for(SECRETARIAT)
        .get(reverse("admin:plan_activity_change", args=[place.activity_a.pk]))
        .content.decode()
    )
    picker = re.search(r'<select name="focus_area".*?</select>', page, re.S)
    assert picker is not None
    other_years = FocusArea.objects.filter(year__cooperation=place.coop).exclude(year=place.year)
    assert other_years.exists()
    for area in other_years:
        assert f'value="{area.pk}"' not in picker.group(0), area
    assert f"{place.activity_a.focus_area} (2020)" in picker.group(0), "labels name the year"


def test_every_model_and_field_has_a_swedish_name() -> None:
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        if str(model._meta.verbose_name) == camel_case_to_spaces(model.__name__):
            missing.append(model.__name__)
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.auto_created:
                continue
            if field.name not in SAME_IN_SWEDISH and str(field.verbose_name) == field.name.replace(
                "_", " "
            ):
                missing.append(f"{model.__name__}.{field.name}")
    assert missing == []


def test_an_events_partners_are_edited_one_per_line_not_as_json(
    place: Place, client_for: Any
) -> None:
    client = client_for(SECRETARIAT)
    event = place.year.events.first()
    assert event is not None
    Event.objects.filter(pk=event.pk).update(partners="KTH\nSödertörns högskola")
    event.refresh_from_db()
    page = client.get(reverse("admin:governance_event_change", args=[event.pk])).content.decode()
    textarea = re.search(r'<textarea name="partners".*?</textarea>', page, re.S)
    assert textarea is not None
    assert "KTH\nSödertörns högskola" in textarea.group(0)
    assert "[" not in textarea.group(0).split(">", 1)[1]

    data = {
        "year": place.year.pk,
        "slug": event.slug,
        "kind": event.kind,
        "name": event.name,
        "status": event.status,
        "order": event.order,
        "partners": "KTH\nHandelskammaren\n",
    }
    response = client.post(reverse("admin:governance_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.partner_list == ["KTH", "Handelskammaren"]


def test_the_audit_trail_in_the_admin_reads_as_text(place: Place, client_for: Any) -> None:
    from samverkan.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(cooperation=place.coop).exclude(changes={}).first()
    page = (
        client_for(SECRETARIAT)
        .get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
        .content.decode()
    )
    assert "→" in page and '{"' not in page
