"""A meeting's rules exist once, on the model, and every write path refuses with the same words.

The service (which the app's page calls), the app's page itself, the admin
and the year-file loader are each given the same broken meeting.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.demo import DEMO_DIR
from samverkan.governance.models import Meeting
from samverkan.web.services import save_meeting
from samverkan.yearfile.services import LoadFailed, load_files
from tests.web.conftest import SECRETARIAT, Place

# rule -> (the meeting's fields as the app's form and the admin take them, the message)
RULES: dict[str, tuple[dict[str, Any], str]] = {
    "date outside the year": ({"date": "2021-02-03"}, "Datumet måste ligga inom året 2020."),
    "no body and no network": ({"networks": []}, "Ange ett organ eller minst ett nätverk."),
    "cancelled without a reason": ({"cancelled": True}, "Ange varför mötet ställdes in."),
    "count of nought": ({"count": 0}, "större än eller lika med 1"),
    "count past any year's meetings": ({"count": 2**31}, "mindre än eller lika med 1000"),
}


def fields(place: Place, change: dict[str, Any]) -> dict[str, Any]:
    base: dict[str, Any] = {
        "networks": [place.network_a.pk],
        "date": "2020-05-05",
        "format": "digital",
        "kind": "ordinary",
        "count": 1,
        "cancelled": False,
    }
    return {**base, **change}


def as_post(data: dict[str, Any], **more: Any) -> dict[str, Any]:
    post = {k: v for k, v in {**data, **more}.items() if v is not False and v is not None}
    return post


@pytest.mark.parametrize("rule", RULES, ids=RULES.keys())
def test_the_service_refuses_the_meeting_and_saves_nothing(
    place: Place, users: Any, rule: str
) -> None:
    change, message = RULES[rule]
    data = fields(place, change)
    before = Meeting.objects.count()
    with pytest.raises(ValidationError) as refused:
        save_meeting(
            place.year,
            actor=users[SECRETARIAT],
            body=None,
            networks=list(place.coop.networks.filter(pk__in=data["networks"])),
            format=data["format"],
            kind=data["kind"],
            date=dt.date.fromisoformat(data["date"]),
            count=data["count"],
            cancelled=data["cancelled"],
        )
    assert message in " ".join(refused.value.messages)
    assert Meeting.objects.count() == before


@pytest.mark.parametrize("rule", RULES, ids=RULES.keys())
def test_the_apps_page_shows_the_models_message(place: Place, client_for: Any, rule: str) -> None:
    change, message = RULES[rule]
    url = reverse("web:meeting-new", args=[place.coop.slug, 2020])
    response = client_for(SECRETARIAT).post(url, as_post(fields(place, change)))
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("rule", RULES, ids=RULES.keys())
def test_the_admin_shows_the_models_message(place: Place, client_for: Any, rule: str) -> None:
    change, message = RULES[rule]
    url = reverse("admin:governance_meeting_add")
    post = as_post(fields(place, change), year=place.year.pk, order=0)
    response = client_for(SECRETARIAT).post(url, post)
    assert response.status_code == 200  # the form again, with its errors
    assert message in response.content.decode()


YAML_MEETING = {
    "date outside the year": "  - networks: [sup-gruppen]\n    date: 2021-02-03\n    format: digital\n",
    "no body and no network": "  - date: 2020-05-05\n    format: digital\n",
    "cancelled without a reason": (
        "  - networks: [sup-gruppen]\n    date: 2020-05-05\n    format: digital\n    cancelled: true\n"
    ),
    "count of nought": "  - networks: [sup-gruppen]\n    format: digital\n    count: 0\n",
    "count past any year's meetings": "  - networks: [sup-gruppen]\n    format: digital\n    count: 2147483648\n",
}


@pytest.mark.parametrize("rule", RULES, ids=RULES.keys())
def test_the_loader_names_the_line_with_the_models_message(
    place: Place, tmp_path: Path, rule: str
) -> None:
    year_file = (DEMO_DIR / "2020.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "2020.yaml"
    broken.write_text(
        year_file.replace("meetings:\n", "meetings:\n" + YAML_MEETING[rule], 1), encoding="utf-8"
    )
    with pytest.raises(LoadFailed) as refused:
        load_files([broken])
    _, message = RULES[rule]
    assert any(
        message in e.message and e.field.startswith("meetings[0]") for e in refused.value.errors
    ), [str(e) for e in refused.value.errors]
