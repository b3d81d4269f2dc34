"""The year's audit trail (secretariat), readable: see samverkan.web.audit_trail."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samverkan.accounts.roles import Capability
from samverkan.audit.models import AuditEntry
from samverkan.web.access import get_year_for_user, require
from samverkan.web.audit_trail import HASH_IN_TEXT
from samverkan.web.views.plan import year_context

AUDIT_PAGE_SIZE = 50


@require_GET
def audit_log(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    """The year's audit trail, newest first; `?object=app.model:id` narrows it to one object.

    The changes of the cooperation's standing data (members, population figures, account
    mappings: entries of no year) are shown with every year's, as they are made while
    working on one.
    """
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.VIEW_AUDIT)
    entries = AuditEntry.objects.filter(
        Q(year=found.year) | Q(year__isnull=True), cooperation=found.cooperation
    ).select_related("actor")
    object_filter = request.GET.get("object", "")
    object_type, _sep, object_id = object_filter.partition(":")
    object_label = ""
    if object_type and object_id:
        entries = entries.filter(object_type=object_type, object_id=object_id)
        newest = entries.first()
        object_label = HASH_IN_TEXT.sub("", newest.object_repr).strip() if newest else object_filter
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/audit.html",
        year_context(
            found,
            standing,
            "audit",
            page=page,
            object_filter=object_filter if object_id else "",
            object_label=object_label,
        ),
    )
