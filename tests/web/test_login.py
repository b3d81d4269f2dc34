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
    response = client.post(
        reverse("web:login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
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
    assert (
        "För många misslyckade inloggningar (5 försök). Vänta 15 minuter"
        in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_logging_out_ends_the_session(place: Place, client_for: Any) -> None:
    client = client_for(LEAD_A)
    response = client.post(reverse("web:logout"))
    assert response["Location"] == reverse("web:public-index")
    assert client.get(reverse("web:dashboard", args=["sodertorn", 2020]))["Location"].startswith(
        reverse("web:login")
    )


def fail_five_times(username: str, **meta: str) -> None:
    client = Client(**meta)
    for _attempt in range(5):
        client.post(reverse("web:login"), {"username": username, "password": "fel"})


def test_behind_a_trusted_proxy_one_clients_failures_do_not_lock_out_another(
    place: Place, users: Any, settings: Any
) -> None:
    settings.SAMVERKAN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    user = with_password(users[LEAD_A])
    fail_five_times(user.username, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    honest = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    response = honest.post(reverse("web:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in honest.session


def test_a_forged_forwarded_address_does_not_escape_the_throttle(
    place: Place, users: Any, settings: Any
) -> None:
    settings.SAMVERKAN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    user = with_password(users[LEAD_A])
    fail_five_times(user.username, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    # The attacker writes a new address at the left of the header; the proxy appends the real one.
    forged = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")
    response = forged.post(reverse("web:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429


def test_without_trusted_proxies_the_forwarded_header_is_ignored(place: Place, users: Any) -> None:
    user = with_password(users[LEAD_A])
    fail_five_times(user.username, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.1")
    other = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    response = other.post(reverse("web:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
