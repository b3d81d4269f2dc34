"""The page "Användare och roller" as the secretariat uses it, and the invitation link.

The personas of tests/web/conftest.py: Södertörn's secretariat ("kansli"), two network
leads, a reader, and Norrort's secretariat ("norrort-kansli") as the outsider. There is
no outgoing e-mail: a new person gets no password, and the page shows a link that the
secretariat sends; the person chooses a password there and then signs in.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from samverkan.accounts.models import Role, RoleAssignment
from samverkan.accounts.services import add_person
from samverkan.audit.models import AuditEntry
from samverkan.members.models import Year
from tests.web.conftest import LEAD_A, OUTSIDER, SECRETARIAT, Place, make_user, read_as

PASSWORD = "ett-långt-lösenord-för-test"
User = get_user_model()


def url(name: str, *args: Any) -> str:
    return reverse(f"web:{name}", args=["sodertorn", 2020, *args])


@pytest.fixture
def secretariat(client_for: Any, place: Place) -> Client:
    client: Client = client_for(SECRETARIAT)
    return client


def new_person(**overrides: Any) -> dict[str, Any]:
    return {
        "first_name": "Nora",
        "last_name": "Nilsson",
        "email": "nora.nilsson@haninge.se",
        "username": "",
        "role": "reader",
        "network": "",
        **overrides,
    }


def invitation_path(page: str) -> str:
    """The path of the invitation link the person page shows (the test client's host is testserver)."""
    found = re.search(r'value="http://testserver(/konto/losenord/[^"]+)"', page)
    assert found, "no invitation link on the page"
    return found.group(1)


def role_of(username: str, place: Place) -> RoleAssignment:
    return RoleAssignment.objects.get(user__username=username, cooperation=place.coop)


# -- the list ---------------------------------------------------------------------------------


def test_the_list_shows_everyone_with_a_role_here_with_role_network_and_password_state(
    secretariat: Client, place: Place, users: Any
) -> None:
    users[LEAD_A].set_password(PASSWORD)
    users[LEAD_A].save()
    page = secretariat.get(url("users")).content.decode()
    for username in ("kansli", "sup-ledare", "snug-ledare", "lasare"):
        assert f"<td>{username}</td>" in page
    assert "sup-ledare@example.org" in page
    assert f"Nätverksledare ({place.network_a})" in page
    assert "<td>ja</td>" in page and "<td>nej</td>" in page  # lead A has chosen a password
    assert "aldrig" in page  # nobody has logged in


def test_the_list_never_shows_a_role_in_another_cooperation(
    secretariat: Client, place: Place, users: Any
) -> None:
    # Lead A is also a reader in Norrort: that role is none of Södertörn's business.
    RoleAssignment.objects.create(user=users[LEAD_A], cooperation=place.other_coop, role="reader")
    page = secretariat.get(url("users")).content.decode()
    assert "norrort-kansli" not in page
    assert page.count("<td>sup-ledare</td>") == 1


def test_the_year_menu_links_the_page_for_the_secretariat_only(
    secretariat: Client, client_for: Any
) -> None:
    assert url("users") in secretariat.get(url("members")).content.decode()
    assert url("users") not in client_for(LEAD_A).get(url("members")).content.decode()


def test_a_network_lead_is_refused_with_a_reason(client_for: Any, place: Place) -> None:
    response = client_for(LEAD_A).get(url("users"))
    assert response.status_code == 403
    assert "sköts av kansliet" in response.content.decode()


# -- adding a person --------------------------------------------------------------------------


def test_adding_a_person_makes_a_user_without_a_password_and_shows_the_invitation_link(
    secretariat: Client, place: Place
) -> None:
    response = secretariat.post(url("user-new"), new_person())
    user = User.objects.get(username="nora.nilsson")  # proposed from the e-mail address
    assert response.status_code == 303 and response["Location"] == url("user", user.pk)
    assert (user.first_name, user.last_name, user.email) == (
        "Nora",
        "Nilsson",
        "nora.nilsson@haninge.se",
    )
    assert not user.has_usable_password()
    assert role_of("nora.nilsson", place).role == Role.READER
    page = secretariat.get(response["Location"]).content.decode()
    assert "/konto/losenord/" in invitation_path(page)
    entry = AuditEntry.objects.get(action="accounts.person.add")
    assert entry.cooperation == place.coop and entry.changes["user"]["after"] == "nora.nilsson"


def test_a_network_lead_is_added_with_the_network_they_lead(
    secretariat: Client, place: Place
) -> None:
    response = secretariat.post(
        url("user-new"),
        new_person(username="nora", role="network_lead", network=place.network_b.pk),
    )
    assert response.status_code == 303
    assert role_of("nora", place).network == place.network_b


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Detta fält måste fyllas i."),
        ({"email": "inte-en-adress"}, "email", "giltig e-postadress"),
        ({"username": "två ord"}, "username", "användarnamn"),
        ({"role": "admin"}, "role", "Välj ett giltigt alternativ"),
        ({"role": "network_lead"}, "network", "Välj nätverket som nätverksledaren leder."),
        ({"network": "PK"}, "network", "Bara en nätverksledare har ett nätverk"),
    ],
    ids=[
        "no first name",
        "bad e-mail",
        "bad username",
        "unknown role",
        "lead without network",
        "reader with network",
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(
    secretariat: Client, place: Place, change: dict[str, Any], field: str, message: str
) -> None:
    if change.get("network") == "PK":
        change = {"network": place.network_a.pk}
    users_before, roles_before = User.objects.count(), RoleAssignment.objects.count()
    response = secretariat.post(url("user-new"), new_person(**change))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and any(message.lower() in e.lower() for e in errors[field]), errors
    assert (User.objects.count(), RoleAssignment.objects.count()) == (users_before, roles_before)


def test_a_network_of_another_cooperation_cannot_be_chosen(
    secretariat: Client, place: Place
) -> None:
    from samverkan.governance.models import Network

    norrort_network = Network.objects.get(cooperation=place.other_coop)
    response = secretariat.post(
        url("user-new"), new_person(role="network_lead", network=norrort_network.pk)
    )
    assert response.status_code == 400 and "network" in response.context["form"].errors
    assert not User.objects.filter(username="nora.nilsson").exists()


def test_a_username_taken_by_someone_else_is_refused_next_to_the_field(
    secretariat: Client, place: Place, users: Any
) -> None:
    # norrort-kansli exists with another e-mail address: giving it a role here would let a
    # stranger in, so the page refuses instead of guessing.
    response = secretariat.post(url("user-new"), new_person(username="norrort-kansli"))
    assert response.status_code == 400
    assert "finns redan med en annan e-postadress" in str(
        response.context["form"].errors["username"]
    )
    assert not RoleAssignment.objects.filter(
        user__username="norrort-kansli", cooperation=place.coop
    ).exists()


def test_an_e_mail_address_of_another_user_is_refused_next_to_the_field(
    secretariat: Client, users: Any
) -> None:
    response = secretariat.post(
        url("user-new"), new_person(email="norrort-kansli@example.org", username="nytt-namn")
    )
    assert response.status_code == 400
    assert "norrort-kansli" in str(response.context["form"].errors["email"])
    assert not User.objects.filter(username="nytt-namn").exists()


def test_the_same_person_from_another_cooperation_is_given_the_role_and_keeps_their_password(
    secretariat: Client, place: Place, users: Any
) -> None:
    outsider = users[OUTSIDER]
    outsider.set_password(PASSWORD)
    outsider.save()
    response = secretariat.post(
        url("user-new"),
        new_person(username="norrort-kansli", email="NORRORT-KANSLI@example.org", first_name="X"),
    )
    assert response.status_code == 303
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD) and outsider.first_name == ""
    assert role_of("norrort-kansli", place).role == Role.READER
    # their role in Norrort is untouched, and no link for their password is offered here
    assert RoleAssignment.objects.filter(user=outsider, cooperation=place.other_coop).exists()
    page = secretariat.get(response["Location"]).content.decode()
    assert "/konto/losenord/" not in page and "installationens administratör" in page


def test_a_role_the_person_already_has_is_refused(secretariat: Client, users: Any) -> None:
    response = secretariat.post(
        url("user-new"), new_person(username="lasare", email="lasare@example.org")
    )
    assert response.status_code == 400
    assert "har redan den rollen" in str(response.context["form"].errors["role"])


def test_a_superuser_is_never_reused(secretariat: Client, place: Place) -> None:
    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    response = secretariat.post(
        url("user-new"), new_person(username="root", email="root@example.org")
    )
    assert response.status_code == 400 and "upptaget" in str(response.context["form"].errors)
    assert not RoleAssignment.objects.filter(user__username="root").exists()


# -- the invitation link ----------------------------------------------------------------------


def test_the_invitation_link_works_once_and_the_person_then_signs_in_with_their_password(
    secretariat: Client, place: Place
) -> None:
    secretariat.post(url("user-new"), new_person())
    user = User.objects.get(username="nora.nilsson")
    link = invitation_path(secretariat.get(url("user", user.pk)).content.decode())

    visitor = Client()
    form_page = visitor.get(link)
    assert form_page.status_code == 200 and "nora.nilsson" in form_page.content.decode()
    too_short = visitor.post(link, {"new_password1": "kort", "new_password2": "kort"})
    assert too_short.status_code == 400  # Django's password validators ran
    assert "för kort" in too_short.content.decode()
    saved = visitor.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert saved.status_code == 303 and saved["Location"] == reverse("web:login")
    login_page = visitor.get(saved["Location"]).content.decode()
    assert "Ditt lösenord är sparat. Logga in med användarnamnet nora.nilsson." in login_page

    signed_in = visitor.post(
        reverse("web:login"), {"username": "nora.nilsson", "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == reverse("web:dashboard", args=["sodertorn", 2020])

    again = Client().get(link)
    assert again.status_code == 410 and "redan använd" in again.content.decode()
    assert AuditEntry.objects.filter(action="accounts.user.password_set", actor=user).exists()


def test_a_tampered_link_is_refused(place: Place, users: Any) -> None:
    user = users[LEAD_A]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    for path in (
        reverse("web:set-password", args=[uid, token[:-1] + ("0" if token[-1] != "0" else "1")]),
        reverse("web:set-password", args=[urlsafe_base64_encode(b"999999"), token]),
        reverse("web:set-password", args=["!!", token]),
    ):
        response = Client().post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
        assert response.status_code == 410, path
        assert "inte hel" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_an_expired_link_says_it_has_expired(place: Place, users: Any, settings: Any) -> None:
    user = users[LEAD_A]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    later = dt.datetime.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with mock.patch.object(default_token_generator, "_now", return_value=later):
        response = Client().get(reverse("web:set-password", args=[uid, token]))
    assert response.status_code == 410 and "gått ut" in response.content.decode()


def test_a_fresh_link_for_a_forgotten_password_replaces_it_once_used(
    secretariat: Client, place: Place, users: Any
) -> None:
    lead = users[LEAD_A]
    lead.set_password("det-gamla-lösenordet-123")
    lead.save()
    page = secretariat.get(url("user", lead.pk)).content.decode()
    assert "/konto/losenord/" not in page  # not shown unasked for someone with a password
    response = secretariat.post(url("user-link", lead.pk))
    assert response.status_code == 200
    link = invitation_path(response.content.decode())
    assert AuditEntry.objects.filter(action="accounts.user.password_link").count() == 1
    Client().post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)


def test_no_link_is_made_for_someone_with_roles_in_another_cooperation(
    secretariat: Client, place: Place, users: Any
) -> None:
    lead = users[LEAD_A]
    RoleAssignment.objects.create(user=lead, cooperation=place.other_coop, role="reader")
    response = secretariat.post(url("user-link", lead.pk))
    assert response.status_code == 409
    assert "/konto/losenord/" not in response.content.decode()


# -- changing and removing a role -------------------------------------------------------------


def test_the_secretariat_changes_a_leads_network(secretariat: Client, place: Place) -> None:
    role = role_of("sup-ledare", place)
    response = secretariat.post(
        url("role-edit", role.pk),
        {"role": "network_lead", "network": place.network_b.pk, **read_as(role, place.year)},
    )
    assert response.status_code == 303 and response["Location"] == url("users")
    role.refresh_from_db()
    assert role.network == place.network_b
    entry = AuditEntry.objects.get(action="accounts.role.change")
    assert entry.changes["network"] == {
        "before": place.network_a.name,
        "after": place.network_b.name,
    }


def test_making_a_reader_secretariat_gives_the_admin_and_taking_it_back_removes_it(
    secretariat: Client, place: Place
) -> None:
    role = role_of("lasare", place)
    secretariat.post(
        url("role-edit", role.pk), {"role": "secretariat", **read_as(role, place.year)}
    )
    assert User.objects.get(username="lasare").is_staff
    secretariat.post(url("role-edit", role.pk), {"role": "reader", **read_as(role, place.year)})
    assert not User.objects.get(username="lasare").is_staff


def test_removing_a_role_asks_first_then_removes_it(secretariat: Client, place: Place) -> None:
    role = role_of("lasare", place)
    confirm = secretariat.get(url("role-delete", role.pk))
    assert confirm.status_code == 200 and "Ja, ta bort rollen" in confirm.content.decode()
    assert RoleAssignment.objects.filter(pk=role.pk).exists()
    response = secretariat.post(url("role-delete", role.pk))
    assert response.status_code == 303
    assert not RoleAssignment.objects.filter(pk=role.pk).exists()
    assert User.objects.filter(username="lasare").exists()  # the account stays
    assert AuditEntry.objects.filter(action="accounts.role.remove", cooperation=place.coop).exists()


def test_the_last_secretariat_member_cannot_be_removed_or_demoted(
    secretariat: Client, place: Place
) -> None:
    role = role_of("kansli", place)
    removed = secretariat.post(url("role-delete", role.pk))
    assert removed.status_code == 409 and "den enda i kansliet" in removed.content.decode()
    demoted = secretariat.post(
        url("role-edit", role.pk), {"role": "reader", **read_as(role, place.year)}
    )
    assert demoted.status_code == 409
    role.refresh_from_db()
    assert role.role == Role.SECRETARIAT


def test_a_secretariat_member_cannot_remove_their_own_role_even_with_a_colleague(
    secretariat: Client, place: Place
) -> None:
    colleague = make_user("kollega", place.coop, Role.SECRETARIAT)
    own = role_of("kansli", place)
    response = secretariat.post(url("role-delete", own.pk))
    assert response.status_code == 409 and "din egen roll" in response.content.decode()
    # ... but the colleague's role can go, and then the colleague cannot remove the last one
    assert secretariat.post(url("role-delete", role_of("kollega", place).pk)).status_code == 303
    assert not colleague.roles.exists()


def test_another_cooperations_roles_and_people_are_404(secretariat: Client, place: Place) -> None:
    outsider_role = RoleAssignment.objects.get(user__username="norrort-kansli")
    assert secretariat.get(url("role-edit", outsider_role.pk)).status_code == 404
    assert secretariat.post(url("role-delete", outsider_role.pk)).status_code == 404
    assert secretariat.get(url("user", outsider_role.user_id)).status_code == 404
    assert secretariat.post(url("user-link", outsider_role.user_id)).status_code == 404
    assert RoleAssignment.objects.filter(pk=outsider_role.pk).exists()


def test_the_service_refuses_a_network_of_another_cooperation(place: Place) -> None:
    from samverkan.governance.models import Network
    from samverkan.members.services import DomainError

    with pytest.raises(DomainError):
        add_person(
            place.coop,
            actor="tests",
            username="x",
            email="x@example.org",
            first_name="X",
            last_name="Y",
            role="network_lead",
            network=Network.objects.get(cooperation=place.other_coop),
        )
    assert not User.objects.filter(username="x").exists()


def test_the_audit_trail_reads_the_role_changes_in_swedish(
    secretariat: Client, place: Place
) -> None:
    secretariat.post(url("user-new"), new_person())
    role = role_of("nora.nilsson", place)
    secretariat.post(
        url("role-edit", role.pk),
        {"role": "network_lead", "network": place.network_a.pk, **read_as(role, place.year)},
    )
    page = secretariat.get(url("audit")).content.decode()
    assert "En person fick en roll" in page and "En roll ändrades" in page
    assert '<th scope="row">Nätverk</th>' in page and '<th scope="row">Roll</th>' in page
    assert "Nätverksledare" in page and "E-postadress" in page


# -- correcting a person's name and e-mail address --------------------------------------------


def details(**overrides: str) -> dict[str, str]:
    return {
        "first_name": "Sara",
        "last_name": "Planlund",
        "email": "sara.planlund@botkyrka.se",
        **overrides,
    }


def sent(person: Any, data: dict[str, str]) -> dict[str, str]:
    """The form as the page sends it: with the digest of the person's name and address as
    stored now."""
    return {**data, **read_as(person, Year.objects.get(cooperation__slug="sodertorn", year=2020))}


def test_the_secretariat_corrects_a_persons_name_and_e_mail_and_the_change_is_audited(
    secretariat: Client, users: Any
) -> None:
    lead = users[LEAD_A]
    assert url("user-edit", lead.pk) in secretariat.get(url("user", lead.pk)).content.decode()
    form = secretariat.get(url("user-edit", lead.pk)).context["form"]
    assert form["email"].value() == lead.email
    response = secretariat.post(url("user-edit", lead.pk), sent(lead, details()))
    assert response.status_code == 303 and response["Location"] == url("user", lead.pk)
    lead.refresh_from_db()
    assert (lead.first_name, lead.last_name, lead.email) == (
        "Sara",
        "Planlund",
        "sara.planlund@botkyrka.se",
    )
    assert lead.username == "sup-ledare", "the username stays"
    entry = AuditEntry.objects.get(action="accounts.user.change")
    assert entry.changes["first_name"]["after"] == "Sara"
    assert entry.actor_label == "kansli"
    page = secretariat.get(url("audit")).content.decode()
    assert "En persons namn eller e-postadress ändrades" in page


def test_the_same_name_and_e_mail_sent_again_is_not_audited_twice(
    secretariat: Client, users: Any
) -> None:
    lead = users[LEAD_A]
    secretariat.post(url("user-edit", lead.pk), sent(lead, details()))
    secretariat.post(url("user-edit", lead.pk), sent(lead, details()))
    assert AuditEntry.objects.filter(action="accounts.user.change").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "inte-en-adress"}, "email", "giltig e-postadress"),
        ({"email": "norrort-kansli@example.org"}, "email", "används redan av en annan användare"),
        ({"first_name": ""}, "first_name", "Detta fält måste fyllas i"),
        ({"last_name": "x" * 151}, "last_name", "som mest 150 tecken"),
    ],
)
def test_a_refused_name_or_e_mail_is_shown_next_to_its_field_and_nothing_changes(
    secretariat: Client, users: Any, overrides: dict[str, str], field: str, message: str
) -> None:
    lead = users[LEAD_A]
    before = (lead.first_name, lead.last_name, lead.email)
    response = secretariat.post(url("user-edit", lead.pk), sent(lead, details(**overrides)))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    lead.refresh_from_db()
    assert (lead.first_name, lead.last_name, lead.email) == before
    assert not AuditEntry.objects.filter(action="accounts.user.change").exists()


def test_someone_with_roles_in_another_cooperation_is_not_changed_and_the_page_says_why(
    secretariat: Client, place: Place, users: Any
) -> None:
    lead = users[LEAD_A]
    RoleAssignment.objects.create(user=lead, cooperation=place.other_coop, role="reader")
    assert url("user-edit", lead.pk) not in secretariat.get(url("user", lead.pk)).content.decode()
    assert (
        "installationens administratör"
        in secretariat.get(url("user-edit", lead.pk)).content.decode()
    )
    response = secretariat.post(url("user-edit", lead.pk), sent(lead, details()))
    assert response.status_code == 409
    assert "har roller i en annan samverkan" in response.content.decode()
    lead.refresh_from_db()
    assert lead.first_name != "Sara"


def test_a_superuser_with_a_role_here_is_not_changed(secretariat: Client, place: Place) -> None:
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    RoleAssignment.objects.create(user=root, cooperation=place.coop, role="reader")
    response = secretariat.post(url("user-edit", root.pk), sent(root, details()))
    assert response.status_code == 409
    root.refresh_from_db()
    assert root.email == "root@example.org"


def test_a_person_with_roles_only_in_another_cooperation_is_404(
    secretariat: Client, place: Place
) -> None:
    outsider = RoleAssignment.objects.get(user__username="norrort-kansli").user
    assert secretariat.get(url("user-edit", outsider.pk)).status_code == 404
    assert (
        secretariat.post(url("user-edit", outsider.pk), sent(outsider, details())).status_code
        == 404
    )
    outsider.refresh_from_db()
    assert outsider.first_name != "Sara"


def test_the_service_asks_the_user_models_own_validation(place: Place, users: Any) -> None:
    from django.core.exceptions import ValidationError

    from samverkan.accounts.services import change_person

    lead = users[LEAD_A]
    with pytest.raises(ValidationError) as refused:
        change_person(
            lead,
            place.coop,
            actor="tests",
            first_name="Sara",
            last_name="P",
            email="inte-en-adress",
        )
    assert "email" in refused.value.message_dict
    lead.refresh_from_db()
    assert lead.first_name != "Sara"
