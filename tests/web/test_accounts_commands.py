"""`samverkan createuser` and the demo logins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from samverkan.accounts.demo import create_demo_users
from samverkan.accounts.models import Role, RoleAssignment
from samverkan.audit.models import AuditEntry
from samverkan.members.models import Cooperation

PASSWORD = "ett-långt-lösenord-för-test"


def test_createuser_makes_a_network_lead_with_a_password_from_the_environment(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEW_PASSWORD", PASSWORD)
    out = StringIO()
    call_command(
        "createuser",
        "anna",
        "anna@example.org",
        "--cooperation",
        "sodertorn",
        "--role",
        "network_lead",
        "--network",
        "snug",
        "--password-from-env",
        "NEW_PASSWORD",
        stdout=out,
    )

    user = get_user_model().objects.get(username="anna")
    assert (user.email, user.check_password(PASSWORD), user.is_staff) == (
        "anna@example.org",
        True,
        False,
    )
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.network.slug, assignment.cooperation.slug) == (
        "network_lead",
        "snug",
        "sodertorn",
    )
    assert AuditEntry.objects.filter(
        action="accounts.role.grant", object_id=str(assignment.pk)
    ).exists()
    assert "anna" in out.getvalue()


def test_createuser_makes_the_secretariat_staff_for_the_admin(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEW_PASSWORD", PASSWORD)
    call_command(
        "createuser",
        "kansli",
        "k@example.org",
        "--cooperation",
        "sodertorn",
        "--role",
        "secretariat",
        "--password-from-env",
        "NEW_PASSWORD",
        stdout=StringIO(),
    )
    user = get_user_model().objects.get(username="kansli")
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("governance.change_meeting") and not user.has_perm("auth.change_user")


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--role", "network_lead"], "nätverk"),
        (["--role", "reader", "--network", "snug"], "nätverksledare"),
        (["--role", "network_lead", "--network", "finns-inte"], "no network"),
    ],
)
def test_createuser_refuses_an_inconsistent_role(
    demo: None, monkeypatch: pytest.MonkeyPatch, arguments: list[str], message: str
) -> None:
    monkeypatch.setenv("NEW_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match=message):
        call_command(
            "createuser",
            "bo",
            "bo@example.org",
            "--cooperation",
            "sodertorn",
            "--password-from-env",
            "NEW_PASSWORD",
            *arguments,
            stdout=StringIO(),
        )
    assert not get_user_model().objects.filter(username="bo").exists()


def test_createuser_refuses_a_weak_password(demo: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEW_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command(
            "createuser",
            "bo",
            "bo@example.org",
            "--cooperation",
            "sodertorn",
            "--role",
            "reader",
            "--password-from-env",
            "NEW_PASSWORD",
            stdout=StringIO(),
        )


def test_the_demo_gets_one_login_per_role_with_fresh_random_passwords(demo: None) -> None:
    coop = Cooperation.objects.get(slug="sodertorn")
    first = create_demo_users(coop)
    second = create_demo_users(coop)

    assert [username for _label, username, _password in first] == [
        "sodertorn-kansli",
        "sodertorn-sup-gruppen",
        "sodertorn-snug",
        "sodertorn-lasare",
    ]
    assert {p for *_rest, p in first}.isdisjoint({p for *_rest, p in second}), (
        "new passwords each time"
    )
    request = RequestFactory().post("/konto/logga-in/")
    for _label, username, password in second:
        assert authenticate(request, username=username, password=password) is not None
    roles = {
        a.user.username: (a.role, a.network.slug if a.network else None)
        for a in RoleAssignment.objects.filter(cooperation=coop).select_related("user", "network")
    }
    assert roles == {
        "sodertorn-kansli": (Role.SECRETARIAT, None),
        "sodertorn-sup-gruppen": (Role.NETWORK_LEAD, "sup-gruppen"),
        "sodertorn-snug": (Role.NETWORK_LEAD, "snug"),
        "sodertorn-lasare": (Role.READER, None),
    }


def test_createuser_refuses_the_username_as_the_password(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEW_PASSWORD", "kommunsamverkan")
    with pytest.raises(CommandError, match="likt|similar"):
        call_command(
            "createuser",
            "kommunsamverkan",
            "bo@example.org",
            "--cooperation",
            "sodertorn",
            "--role",
            "reader",
            "--password-from-env",
            "NEW_PASSWORD",
            stdout=StringIO(),
        )
    assert not get_user_model().objects.filter(username="kommunsamverkan").exists()
