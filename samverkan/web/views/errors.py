"""The 403 page: why the change is refused, and a way back into the year."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Show the reason the refusal carries (`access.refused`), and link to the year's overview
    when the refused page belongs to a year: the user is inside the cooperation (an outsider
    got 404 before any 403), so the link tells nothing new."""
    back_url, back_year, admin = reverse("web:home"), None, False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is not None and match.namespace == "web":
        coop, year = match.kwargs.get("coop"), match.kwargs.get("year")
        if coop and year:
            back_url, back_year = reverse("web:dashboard", args=[coop, year]), year
    elif match is not None and match.namespace == "admin":
        back_url, admin = reverse("admin:index"), True
    return render(
        request,
        "403.html",
        {"reason": str(exception), "back_url": back_url, "back_year": back_year, "admin": admin},
        status=403,
    )
