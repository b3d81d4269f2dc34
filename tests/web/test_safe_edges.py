"""Small edges that must hold: the deployment key, cooperation slugs, the security headers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import checks
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from samverkan.members.models import RESERVED_SLUGS, Cooperation
from tests.web.conftest import OUTSIDER, SECRETARIAT, Place


def first_segments(patterns: list[Any]) -> set[str]:
    """The fixed first segments of the site's URLs ("admin", "app", ...), found by walking the URLconf."""
    found: set[str] = set()
    for pattern in patterns:
        route = str(pattern.pattern)
        if route == "" and isinstance(pattern, URLResolver):
            found |= first_segments(pattern.url_patterns)
            continue
        segment = route.split("/")[0]
        if segment and not segment.startswith("<"):
            found.add(segment)
        assert isinstance(pattern, URLPattern | URLResolver)
    return found


def test_every_fixed_first_url_segment_is_a_reserved_slug() -> None:
    from django.conf import settings

    assert (
        first_segments(get_resolver().url_patterns) | {settings.STATIC_URL.strip("/")}
        <= RESERVED_SLUGS
    )


@pytest.mark.parametrize("slug", ["app", "admin", "konto", "hem", "sprak", "static"])
def test_a_cooperation_cannot_take_a_slug_the_site_uses(db: None, slug: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Cooperation(slug=slug, name="Skuggad").full_clean()
    assert "slug" in refused.value.message_dict


def test_the_admin_refuses_a_taken_slug_without_naming_the_cooperation_that_has_it(
    place: Place, client_for: Any
) -> None:
    # Norrort's secretariat (its years are open) tries Södertörn's slug, which it cannot see.
    url = reverse("admin:members_cooperation_change", args=[place.other_coop.pk])
    data = {
        "slug": place.coop.slug,
        "name": place.other_coop.name,
        "short_name": place.other_coop.short_name,
        "host_member": "",
    }
    response = client_for(OUTSIDER).post(url, data)
    assert response.status_code == 200  # the form again, with the error
    html = response.content.decode()
    assert "Den här adressen (slug) kan inte användas" in html
    errors = " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, flags=re.S))
    assert "finns redan" not in errors and "already exists" not in errors
    Cooperation.objects.get(pk=place.other_coop.pk, slug="norrort")  # unchanged


def test_check_deploy_fails_with_the_development_key(settings: Any) -> None:
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "samverkan.E001" in {message.id for message in found}
    settings.SECRET_KEY = "a-real-key-" + "x7Qp" * 12
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "samverkan.E001" not in {message.id for message in found}


def test_every_page_carries_a_content_security_policy_without_inline_script(
    place: Place, client_for: Any
) -> None:
    for response in (
        client_for(SECRETARIAT).get(reverse("web:dashboard", args=["sodertorn", 2020])),
        client_for(SECRETARIAT).get(reverse("admin:index")),
        Client().get(reverse("web:login")),
        Client().get(reverse("web:public-index")),
    ):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_html_report_admits_only_its_own_style_sheet(place: Place) -> None:
    import base64
    import hashlib

    response = Client().get(reverse("web:public-report", args=["sodertorn", 2018, "html"]))
    style = re.search(rb"<style>(.*?)</style>", response.content, flags=re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1)).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in response["Content-Security-Policy"]
    assert (
        "script-src" not in response["Content-Security-Policy"]
    )  # scripts: 'self' only, from default-src


def test_signed_in_pages_are_kept_out_of_every_cache(place: Place, client_for: Any) -> None:
    signed_in = client_for(SECRETARIAT).get(reverse("web:dashboard", args=["sodertorn", 2020]))
    assert {"private", "no-store"} <= {
        part.strip() for part in signed_in["Cache-Control"].split(",")
    }
    public = Client().get(reverse("web:public-year", args=["sodertorn", 2018]))
    assert "no-store" not in public.get("Cache-Control", "")
