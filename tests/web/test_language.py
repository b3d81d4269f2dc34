"""Swedish by default, English through the language switch; the English catalogue is complete."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from django.urls import reverse

from tests.web.conftest import READER, Place

CATALOGUE = (
    Path(__file__).resolve().parents[2] / "samverkan" / "web" / "locale" / "en" / "LC_MESSAGES"
)


def test_pages_are_swedish_by_default(place: Place, client_for: Any) -> None:
    html = (
        client_for(READER).get(reverse("web:dashboard", args=["sodertorn", 2020])).content.decode()
    )
    assert '<html lang="sv">' in html
    assert "Aktiviteter per fokusområde" in html and "Pågår" in html


def test_the_language_switch_turns_the_pages_english(place: Place, client_for: Any) -> None:
    client = client_for(READER)
    dashboard = reverse("web:dashboard", args=["sodertorn", 2020])
    response = client.post(reverse("web:set-language"), {"language": "en", "next": dashboard})
    assert response["Location"] == dashboard
    html = client.get(dashboard).content.decode()
    assert '<html lang="en">' in html
    assert "Activities per focus area" in html and "Ongoing" in html and "Fund balances" in html
    assert "Aktiviteter per fokusområde" not in html


def test_the_public_can_switch_language_too(place: Place, client: Any) -> None:
    client.post(reverse("web:set-language"), {"language": "en", "next": "/"})
    assert (
        "Annual reports and open data" in client.get(reverse("web:public-index")).content.decode()
    )


def test_every_english_message_is_translated_and_the_compiled_file_is_current() -> None:
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(CATALOGUE / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "msgid" not in untranslated.split("\n\n", 1)[-1], untranslated[:2000]
    compiled = subprocess.run(
        ["msgfmt", "-o", "-", str(CATALOGUE / "django.po")], capture_output=True, check=True
    )
    assert compiled.stdout == (CATALOGUE / "django.mo").read_bytes(), (
        "run msgfmt after editing django.po"
    )
    assert 'msgid "Hoppa till huvudinnehållet"' in po


def test_a_browser_asking_for_english_still_gets_swedish_until_the_user_switches(
    place: Place, client: Any
) -> None:
    html = client.get(
        reverse("web:public-index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert '<html lang="sv">' in html
