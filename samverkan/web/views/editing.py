"""What the register pages share: the confirmation page before a delete, and refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from samverkan.accounts.roles import Standing
from samverkan.members.models import Year
from samverkan.members.services import DomainError
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
    delete: Callable[[], Any],
    done: str,
) -> HttpResponse:
    """GET asks first (naming what depends on the record, if anything does); POST deletes.

    A record that something depends on is not deleted: the page says what, with status 409.
    """
    status, error = 200, ""
    if request.method == "POST":
        if not dependents:
            try:
                delete()
            except DomainError as exc:
                status, error = 409, exc.message
            else:
                messages.success(request, done)
                return see_other(back)
        else:
            status = 409
    return render(
        request,
        "web/confirm_delete.html",
        year_context(
            found, standing, section, what=what, back=back, dependents=dependents, error=error
        ),
        status=status,
    )


def see_other(to: str, *args: Any) -> HttpResponse:
    """A redirect after a POST (to a URL, or a URL name and its arguments), followed with GET (303)."""
    response = redirect(to, *args)
    response.status_code = 303
    return response
