"""What every page that adds a record does so that a double click stores the record once.

The form carries, in the hidden field `once`, a one-time token issued when the
page renders the empty form (`form_token`; a refused form, re-rendered with 400,
keeps the token it was posted with). A view decorated with `@stored_once` spends
the token in the same transaction as its write: it claims the token (a
`FormReceipt`, unique on the token) before the view runs, and notes where the
view's redirect went. A page that answers anything but a redirect (bad input,
a refusal, a preview) gives the token back, so correcting the form and sending
it again still saves; an error rolls the claim back with everything else.

A second POST with a spent token (a double click, back and send again, a
browser that resends a slow answer) stores nothing and writes no audit entry:
it answers 303 to where the first POST went, with a message. Sent at the same
moment as the first, its claim waits for the first transaction (on PostgreSQL
the unique insert waits; SQLite lets one writer in at a time) and then fails,
and it answers the same.

The pages are not cached, so the back button fetches a form again with a new
token; `web/once.js` puts back the token the form was sent with when the history
entry it was sent from is reached by back or forward, so a resend after going
back is a repeat too (another visit of the same address keeps its new token).

A POST without a token (an older page, a script, the tests that post plain
data) is served as before, unprotected: refusing it would break every such
client for a protection only a browser needs. (An edit without its digest is
refused: there, saving blind could overwrite someone else's change.)
Receipts older than `KEEP` are deleted when a new token is spent.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
from collections.abc import Callable
from typing import Concatenate, ParamSpec

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.models import FormReceipt
from samverkan.web.views.editing import see_other

ONCE_FIELD = "once"
KEEP = dt.timedelta(days=7)  # long enough for any page left open and sent again
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]


def posted_token(request: HttpRequest) -> str:
    """The token this POST carries ("" for none, or one that no page of ours issued)."""
    if request.method != "POST":
        return ""
    token = request.POST.get(ONCE_FIELD, "").strip()
    return token if _TOKEN.fullmatch(token) else ""


def form_token(request: HttpRequest) -> str:
    """The token a create form carries: the posted one on a re-rendered form, else a new one."""
    return posted_token(request) or secrets.token_urlsafe(24)


def forget_old_receipts() -> None:
    FormReceipt.objects.filter(created_at__lt=timezone.now() - KEEP).delete()


def _claim(token: str, user_id: int) -> FormReceipt | None:
    """The receipt of `token`, taken by this transaction; None when another POST spent it."""
    try:
        with transaction.atomic():
            return FormReceipt.objects.create(token=token, user_id=user_id)
    except IntegrityError:
        return None


def _repeat(request: HttpRequest, token: str, user_id: int) -> HttpResponse:
    receipt = FormReceipt.objects.filter(token=token, user_id=user_id).first()
    if receipt is None:  # a token of another user's form: nothing of theirs to show
        messages.error(request, _("Formuläret kunde inte tas emot. Fyll i det igen."))
        return see_other(request.path)
    messages.info(request, _("Formuläret var redan skickat. Här är det som sparades."))
    # No address yet only where the first POST's transaction is still open on this very
    # connection (a test server sharing one in-memory database between its threads).
    return see_other(receipt.url or request.path)


def stored_once(view: View[P]) -> View[P]:
    """Make a create view store its record once per rendered form (see the module's docstring)."""

    @functools.wraps(view)
    def once(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        token, user_id = posted_token(request), request.user.pk
        if not token or user_id is None:  # no token (or no one signed in): as before
            return view(request, *args, **kwargs)
        if FormReceipt.objects.filter(token=token).exists():
            return _repeat(request, token, user_id)
        forget_old_receipts()
        with transaction.atomic():
            receipt = _claim(token, user_id)
            if receipt is not None:
                response = view(request, *args, **kwargs)
                if 300 <= response.status_code < 400 and response.has_header("Location"):
                    receipt.url = response["Location"]
                    receipt.save(update_fields=["url"])
                else:  # refused or re-rendered: nothing stored, the form may be sent again
                    receipt.delete()
                return response
        return _repeat(request, token, user_id)

    return once
