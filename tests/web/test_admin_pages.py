"""The admin as a fallback, not a trap: every add and change page answers, in Swedish, without raw JSON."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.text import camel_case_to_spaces

from samverkan.governance.models import Event
from samverkan.members.models import Member, Year
from samverkan.members.scope import cooperation_path, scoped
from samverkan.plan.models import Activity, FocusArea, FollowUp
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


# -- the operator: a superuser, every registered model, never a 500 -----------------------------


@pytest.fixture
def operator(place: Place) -> Client:
    """The installation's superuser (`samverkan createsuperuser`), who sees every cooperation."""
    user = get_user_model().objects.create_superuser("drift", "drift@example.org", "x")
    client = Client()  # raises what a view raises: a 500 fails the test with its traceback
    client.force_login(user)
    return client


def every_registered() -> list[tuple[Any, str]]:
    return [
        (model, f"admin:{model._meta.app_label}_{model._meta.model_name}")
        for model in admin.site._registry
    ]


def test_every_admin_page_of_every_model_answers_the_operator(
    place: Place, operator: Client
) -> None:
    answers = {}
    for model, prefix in every_registered():
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        urls = [
            reverse(f"{prefix}_changelist"),
            reverse(f"{prefix}_changelist") + "?q=%27%22%3C",
            reverse(f"{prefix}_add"),
        ]
        for pk in {*pks[:1], *pks[-1:]}:  # a locked year's record and an open year's
            for page in ("change", "history", "delete"):
                urls.append(reverse(f"{prefix}_{page}", args=[pk]))
        for url in urls:
            answers[url] = operator.get(url).status_code
    assert {url: status for url, status in answers.items() if status not in (200, 302, 403)} == {}


@pytest.mark.parametrize(
    "junk",
    [{}, {"year": "999999", "cooperation": "abc", "date": "2020-13-45", "amount": "1e999"}],
    ids=["empty", "bad values"],
)
def test_every_add_form_sent_empty_or_with_bad_values_answers_with_the_form(
    place: Place, operator: Client, junk: dict[str, str]
) -> None:
    answers = {}
    for _model, prefix in every_registered():
        url = reverse(f"{prefix}_add")
        answers[url] = operator.post(url, junk).status_code
    # 200: the form again, with its errors; 403: a model that is never added here.
    assert {url: status for url, status in answers.items() if status not in (200, 403)} == {}


def locked_activity(place: Place) -> Activity:
    activity = Activity.objects.filter(
        focus_area__year__cooperation=place.coop, focus_area__year__year=2018
    ).first()
    assert activity is not None and activity.focus_area.year.is_locked
    return activity


def test_a_locked_years_record_says_why_it_is_read_only_and_where_to_open_it(
    place: Place, operator: Client
) -> None:
    activity = locked_activity(place)

    page = operator.get(reverse("admin:plan_activity_change", args=[activity.pk])).content.decode()

    assert "Året 2018 är publicerat och därför låst." in page
    assert reverse("web:year-status", args=["sodertorn", 2018]) in page
    assert 'name="_save"' not in page


def test_a_change_sent_to_a_locked_years_record_is_refused_with_the_reason(
    place: Place, operator: Client
) -> None:
    activity = locked_activity(place)
    url = reverse("admin:plan_activity_change", args=[activity.pk])

    response = operator.post(
        url, {"focus_area": activity.focus_area_id, "title": "Ändrad", "order": 0}, follow=True
    )

    assert response.redirect_chain == [(url, 302)]
    assert "Året 2018 är publicerat och därför låst." in response.content.decode()
    activity.refresh_from_db()
    assert activity.title != "Ändrad"


def test_deleting_a_record_a_locked_year_reads_leads_back_to_it_with_the_reason(
    place: Place, operator: Client
) -> None:
    member = Member.objects.get(cooperation=place.coop, code="0127")
    url = reverse("admin:members_member_delete", args=[member.pk])

    response = operator.post(url, {"post": "yes"}, follow=True)

    change = reverse("admin:members_member_change", args=[member.pk])
    assert response.redirect_chain == [(change, 302)]
    page = response.content.decode()
    assert page.count("Året 2018 är publicerat och därför låst.") == 1, "said once"
    assert Member.objects.filter(pk=member.pk).exists()


def test_an_open_years_activity_is_deleted_in_the_admin_with_its_follow_up(
    place: Place, operator: Client
) -> None:
    activity = place.activity_a  # 2020, reopened
    url = reverse("admin:plan_activity_delete", args=[activity.pk])

    confirmation = operator.get(url).content.decode()
    response = operator.post(url, {"post": "yes"})

    assert "relation" not in confirmation, "no English many-to-many rows"
    assert "Uppföljningar: 1" in confirmation
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not FollowUp.objects.filter(activity_id=activity.pk).exists()


def test_the_admin_names_the_apps_in_swedish(place: Place, operator: Client) -> None:
    page = operator.get(reverse("admin:index")).content.decode()

    for english in ("Finance", "Governance", "Consultations", "Projects", "Members", "Audit"):
        assert f">{english}<" not in page
    assert "Ekonomi" in page and "Verksamhetsplan" in page
