"""Signing in and out, and the language switch (open to everyone)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.i18n import set_language as django_set_language

login = auth_views.LoginView.as_view(
    template_name="registration/login.html", redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()
# The language switch sits on public pages too, so it must not require a login.
set_language = login_not_required(django_set_language)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form that arrives without its CSRF token (settings.CSRF_FAILURE_VIEW): in Swedish, saying
    that nothing was saved and what to do, instead of Django's English page."""
    return render(request, "403_csrf.html", status=403)
