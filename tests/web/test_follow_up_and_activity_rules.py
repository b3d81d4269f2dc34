"""The follow-up's and the activity's rules exist once, on the model; every path gives the same words.

A follow-up is written in the app (the admin shows it read-only) and by the
year-file loader; an activity in the admin and by the loader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverkan.demo import DEMO_DIR
from samverkan.plan.services import update_follow_up
from samverkan.yearfile.services import LoadFailed, load_files
from tests.web.conftest import SECRETARIAT, Place

REASON = "Ange skälet när aktiviteten är uppskjuten eller inställd."
TITLE = "Ange aktivitetens rubrik."


def test_the_service_refuses_a_postponed_follow_up_without_a_reason(
    place: Place, users: Any
) -> None:
    follow_up = place.activity_a.follow_up
    with pytest.raises(ValidationError) as refused:
        update_follow_up(
            follow_up, actor=users[SECRETARIAT], version=follow_up.version, status="postponed"
        )
    assert refused.value.message_dict == {"status_reason": [REASON]}
    follow_up.refresh_from_db()
    assert follow_up.status != "postponed"


def test_the_apps_page_shows_the_models_message_at_the_field(place: Place, client_for: Any) -> None:
    follow_up = place.activity_a.follow_up
    url = reverse("web:activity", args=[place.coop.slug, 2020, place.activity_a.pk])
    response = client_for(SECRETARIAT).post(
        url,
        {"status": "cancelled", "status_reason": "  ", "text": "", "version": follow_up.version},
    )
    assert response.status_code == 400
    assert REASON in response.content.decode()


def test_an_activity_needs_a_title_that_is_not_blank(place: Place) -> None:
    place.activity_a.title = "   "
    with pytest.raises(ValidationError) as refused:
        place.activity_a.full_clean()
    assert refused.value.message_dict["title"] == [TITLE]


def _load_with(tmp_path: Path, old: str, new: str) -> list[str]:
    text = (DEMO_DIR / "2020.yaml").read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "2020.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LoadFailed) as refused:
        load_files([broken])
    return [e.message for e in refused.value.errors]


def test_the_loader_refuses_a_cancelled_follow_up_without_a_reason(
    place: Place, tmp_path: Path
) -> None:
    messages = _load_with(
        tmp_path,
        "          status: cancelled\n          status_reason:",
        "          status: cancelled\n          x_reason:",
    )
    assert any("unknown field" in m for m in messages)  # the key is checked first ...
    text = (DEMO_DIR / "2020.yaml").read_text(encoding="utf-8")
    start = text.index("          status: cancelled\n          status_reason:")
    end = text.index("\n", text.index("status_reason:", start))
    messages = _load_with(tmp_path, text[start : end + 1], "          status: cancelled\n")
    assert REASON in messages
