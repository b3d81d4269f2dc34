"""Signing in: the styled login page, Argon2, throttling after five failures, logout."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.web.conftest import LEAD_A, Place

PASSWORD = "ett-långt-lösenord-för-test"


def with_password(user: Any) -> Any:
    user.set_password(PASSWORD)
    user.save()
    return user


def test_the_login_page_has_labelled_fields(db: None) -> None:
    page = Client().get(reverse("web:login")).content.decode()
    assert '<label for="id_username">Användarnamn</label>' in page
    assert 'autocomplete="current-password"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_signing_in_leads_to_the_latest_years_dashboard(place: Place, users: Any) -> None:
    user = with_password(users[LEAD_A])
    client = Client()
    response = client.post(reverse("web:login"), {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:dashboard", args=["sodertorn", 2020])
    assert response.status_code == 200


def test_passwords_are_stored_with_argon2(place: Place, users: Any) -> None:
    user = with_password(users[LEAD_A])
    assert get_user_model().objects.get(pk=user.pk).password.startswith("argon2")


def test_a_wrong_password_shows_an_error_on_the_page(place: Place, users: Any) -> None:
    user = with_password(users[LEAD_A])
    response = Client().post(reverse("web:login"), {"username": user.username, "password": "fel"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_after_five_failures_even_the_right_password_is_refused(place: Place, users: Any) -> None:
    user = with_password(users[LEAD_A])
    client = Client()
    for _attempt in range(5):
        client.post(reverse("web:login"), {"username": user.username, "password": "fel"})
    response = client.post(reverse("web:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "För många misslyckade inloggningar (5 försök). Vänta 15 minuter" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_out_ends_the_session(place: Place, client_for: Any) -> None:
    client = client_for(LEAD_A)
    response = client.post(reverse("web:logout"))
    assert response["Location"] == reverse("web:public-index")
    assert client.get(reverse("web:dashboard", args=["sodertorn", 2020]))["Location"].startswith(reverse("web:login"))
