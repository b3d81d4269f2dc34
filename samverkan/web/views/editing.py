"""What the register pages share: the confirmation page before a delete, and refusals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from samverkan.accounts.roles import Standing
from samverkan.members.models import Year
from samverkan.members.services import DomainError, EditConflict
from samverkan.web.edit_guard import EditGuard
from samverkan.web.views.plan import year_context


def confirm_delete(
    request: HttpRequest,
    found: Year,
    standing: Standing,
    *,
    section: str,
    what: str,
    back: str,
    dependents: list[str],
    record: Model,
    delete: Callable[[str | None], Any],
    done: str,
    hidden: Sequence[tuple[str, Any]] = (),
    confirmed: bool | None = None,
) -> HttpResponse:
    """GET asks first, showing the record as stored (and naming what depends on it, if anything
    does); POST deletes: `delete(read_as)` with the digest of the record as the page showed it.

    A record that something depends on is not deleted: the page says what, with status 409.
    A record changed since the page was read is not deleted either (409): the page shows it as
    stored now and asks again; a confirmation posted without the digest gets 400.

    `hidden`: what the confirmation posts besides the digest, and `confirmed` whether this
    request is the confirmation (by default: a POST), for a page whose delete button posts to
    the page that asks (a sub-goal's, on its focus area's page).
    """
    status, error = 200, ""
    if confirmed is None:
        confirmed = request.method == "POST"
    guard = EditGuard(request, record, found, posted=confirmed)
    if confirmed:
        refusal = guard.missing()
        if refusal:
            status, error = 400, refusal
        elif not dependents:
            try:
                delete(guard.read_as)
            except EditConflict as exc:
                status, error = 409, guard.conflict(exc)
            except DomainError as exc:
                status, error = 409, exc.message
            else:
                messages.success(request, done)
                return see_other(back)
        else:
            status = 409
    shown = guard.stored or guard.shown()
    return render(
        request,
        "web/confirm_delete.html",
        year_context(
            found,
            standing,
            section,
            what=what,
            back=back,
            dependents=dependents,
            error=error,
            edit_guard=guard,
            shown=shown,
            hidden=hidden,
        ),
        status=status,
    )


def see_other(to: str, *args: Any) -> HttpResponse:
    """A redirect after a POST (to a URL, or a URL name and its arguments), followed with GET (303)."""
    response = redirect(to, *args)
    response.status_code = 303
    return response
