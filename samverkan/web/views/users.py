"""Users and roles (standing data of the cooperation): who may sign in, with which role.

The secretariat adds a person, changes or removes their role, and hands them a link
to choose their own password (there is no outgoing e-mail: the secretariat sends the
link itself). The link is Django's password-reset token: signed, expiring, and spent
once the password changes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.accounts.models import RoleAssignment
from samverkan.accounts.roles import Capability, Standing
from samverkan.accounts.services import (
    add_person,
    change_person,
    change_role,
    issue_password_link,
    password_is_managed_here,
    remove_role,
    set_password,
)
from samverkan.members.models import Year
from samverkan.members.services import DomainError, EditConflict
from samverkan.web.access import (
    acting_user,
    get_person_for_user,
    get_role_for_user,
    get_year_for_user,
    require,
)
from samverkan.web.edit_guard import EditGuard
from samverkan.web.once import stored_once
from samverkan.web.register_forms import add_service_errors
from samverkan.web.user_forms import PersonDetailsForm, PersonForm, RoleForm
from samverkan.web.views.members import see_other
from samverkan.web.views.plan import year_context

SECTION = "users"


def invitation_link(request: HttpRequest, user: Any) -> str:
    """The absolute address where `user` chooses a password (valid until used or expired)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse("web:set-password", args=[uid, token]))


def link_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))


@require_GET
def users(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.MANAGE_USERS)
    assignments = (
        RoleAssignment.objects.filter(cooperation=standing.cooperation)
        .select_related("user", "network")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )
    return render(
        request,
        "web/users.html",
        year_context(found, standing, SECTION, assignments=assignments),
    )


@require_http_methods(["GET", "POST"])
@stored_once
def user_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.MANAGE_USERS)
    status = 200
    if request.method == "POST":
        form = PersonForm(request.POST, cooperation=standing.cooperation)
        if form.is_valid():
            try:
                user, _assignment = add_person(
                    standing.cooperation, actor=acting_user(request), **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
                status = 400
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(
                    request,
                    _("%(name)s har fått rollen %(role)s.")
                    % {
                        "name": user.get_full_name() or user.get_username(),  # type: ignore[attr-defined]
                        "role": _assignment.get_role_display(),
                    },
                )
                return see_other("web:user", coop, year, user.pk)
        else:
            status = 400
    else:
        form = PersonForm(cooperation=standing.cooperation)
    return render(
        request,
        "web/user_form.html",
        year_context(found, standing, SECTION, form=form),
        status=status,
    )


def _person_page(
    request: HttpRequest,
    person: User,
    found: Year,
    standing: Standing,
    *,
    link: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    managed_here = password_is_managed_here(person, standing.cooperation)
    if managed_here and not person.has_usable_password() and not link:
        link = invitation_link(request, person)
    return render(
        request,
        "web/user.html",
        year_context(
            found,
            standing,
            SECTION,
            person=person,
            assignments=RoleAssignment.objects.filter(
                user=person, cooperation=standing.cooperation
            ).select_related("network"),
            managed_here=managed_here,
            link=link,
            link_days=link_days(),
            error=error,
        ),
        status=status,
    )


@require_GET
def user(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    person, found, standing = get_person_for_user(request, coop, year, pk)
    return _person_page(request, person, found, standing)


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    """Correct a person's name and e-mail address (only someone whose roles are all here)."""
    person, found, standing = get_person_for_user(request, coop, year, pk)
    managed_here = password_is_managed_here(person, standing.cooperation)
    status, error = 200, ""
    guard = EditGuard(request, person, found)
    if request.method == "POST":
        form = PersonDetailsForm(request.POST)
        status, error = guard.save(
            form,
            lambda: change_person(
                person,
                standing.cooperation,
                actor=acting_user(request),
                read_as=guard.read_as,
                **form.cleaned_data,
            ),
        )
        if not status:
            messages.success(request, _("Namn och e-postadress är sparade."))
            return see_other("web:user", coop, year, person.pk)
    else:
        form = PersonDetailsForm(
            initial={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email,
            }
        )
    return render(
        request,
        "web/user_edit.html",
        year_context(
            found,
            standing,
            SECTION,
            person=person,
            form=form,
            managed_here=managed_here,
            error=error,
            edit_guard=guard,
        ),
        status=status,
    )


@require_POST
def user_link(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    """A fresh link to choose a password (a forgotten one, or an invitation that ran out)."""
    person, found, standing = get_person_for_user(request, coop, year, pk)
    try:
        issue_password_link(person, standing.cooperation, actor=acting_user(request))
    except DomainError as exc:
        return _person_page(request, person, found, standing, error=exc.message, status=409)
    return _person_page(request, person, found, standing, link=invitation_link(request, person))


@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    assignment, found, standing = get_role_for_user(request, coop, year, pk)
    guard = EditGuard(request, assignment, found)
    status = 200
    if request.method == "POST":
        form = RoleForm(request.POST, cooperation=standing.cooperation)
        status, error = guard.save(
            form,
            lambda: change_role(
                assignment, actor=acting_user(request), read_as=guard.read_as, **form.cleaned_data
            ),
        )
        if not status:
            messages.success(request, _("Rollen är ändrad."))
            return see_other("web:users", coop, year)
        if error:
            form.add_error(None, error)
        if status == 409:
            assignment.refresh_from_db()
    else:
        form = RoleForm(
            cooperation=standing.cooperation,
            initial={"role": assignment.role, "network": assignment.network_id},
        )
    return render(
        request,
        "web/role_form.html",
        year_context(found, standing, SECTION, form=form, assignment=assignment, edit_guard=guard),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def role_delete(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    assignment, found, standing = get_role_for_user(request, coop, year, pk)
    guard = EditGuard(request, assignment, found)
    error = ""
    status = 200
    if request.method == "POST" and (refusal := guard.missing()):
        error, status = refusal, 400
    elif request.method == "POST":
        try:
            remove_role(assignment, actor=acting_user(request), read_as=guard.read_as)
        except EditConflict as exc:
            error, status = guard.conflict(exc), 409
            assignment.refresh_from_db()
        except DomainError as exc:
            error, status = exc.message, 409
        else:
            messages.success(
                request,
                _("%(name)s har inte längre rollen %(role)s.")
                % {
                    "name": assignment.user.get_full_name() or assignment.user.get_username(),
                    "role": assignment.get_role_display(),
                },
            )
            return see_other("web:users", coop, year)
    return render(
        request,
        "web/role_delete.html",
        year_context(
            found, standing, SECTION, assignment=assignment, error=error, edit_guard=guard
        ),
        status=status,
    )


def _user_of_link(uidb64: str) -> Any:
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return get_user_model().objects.get(pk=pk, is_active=True)
    except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist, ValidationError):
        return None


def _expired(person: Any, token: str) -> bool:
    """Whether a token that check_token refused was made for this person and is only too old.

    The token is checked as Django checks it, without the clock: a used link (the password
    has changed since) or a tampered one fails the signature and is not "expired".
    """
    generator: Any = default_token_generator
    try:
        issued = base36_to_int(token.split("-", 1)[0])
    except ValueError:
        return False
    return any(
        constant_time_compare(generator._make_token_with_timestamp(person, issued, secret), token)
        for secret in [generator.secret, *generator.secret_fallbacks]
    )


@login_not_required
@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def set_password_page(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The page an invitation link opens: the person chooses their password, then signs in."""
    person = _user_of_link(uidb64)
    if person is None or not default_token_generator.check_token(person, token):
        if person is not None and _expired(person, token):
            reason = _("Länken har gått ut.")
        else:
            reason = _("Länken är redan använd, eller är inte hel.")
        return render(request, "registration/set_password.html", {"invalid": reason}, status=410)
    if request.method == "POST":
        form = SetPasswordForm(person, request.POST)
        if form.is_valid():
            set_password(person, form.cleaned_data["new_password1"], actor=person)
            messages.success(
                request,
                _("Ditt lösenord är sparat. Logga in med användarnamnet %(name)s.")
                % {"name": person.get_username()},
            )
            return see_other("web:login")
        status = 400
    else:
        form = SetPasswordForm(person)
        status = 200
    return render(
        request,
        "registration/set_password.html",
        {"form": form, "person": person},
        status=status,
    )
