"""Swedish by default, English through the language switch; the English catalogue is complete."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.urls import reverse

from tests.web.conftest import READER, Place

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "samverkan" / "web" / "locale" / "en" / "LC_MESSAGES"
GETTEXT = ("xgettext", "msguniq", "msgmerge", "msgattrib", "msgfmt")


def check_catalogues(root: Path) -> subprocess.CompletedProcess[str]:
    """scripts/translations.py check on the repository at `root` (what update-translations.sh makes)."""
    missing = [tool for tool in GETTEXT if shutil.which(tool) is None]
    assert not missing, (
        f"GNU gettext is needed and {', '.join(missing)} is missing: run scripts/install-test-deps.sh"
    )
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "translations.py"), "check", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
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


def test_each_catalogue_holds_exactly_the_strings_of_its_sources_all_in_english() -> None:
    """Web: every folder of samverkan but reports; reports: samverkan/reports (scripts/translations.py)."""
    result = check_catalogues(REPO)

    assert result.returncode == 0, (
        "run sh scripts/update-translations.sh and translate what it lists:\n"
        + result.stdout
        + result.stderr
    )


def test_the_catalogue_check_names_a_source_string_its_catalogue_lacks(tmp_path: Path) -> None:
    shutil.copytree(
        REPO / "samverkan", tmp_path / "samverkan", ignore=shutil.ignore_patterns("__pycache__")
    )
    with (tmp_path / "samverkan" / "projects" / "services.py").open("a", encoding="utf-8") as f:
        f.write('\nNEW = _("Projektet har ett nytt fel.")\n')
    with (tmp_path / "samverkan" / "reports" / "formatting.py").open("a", encoding="utf-8") as f:
        f.write('\nNEW = _("En ny rubrik i rapporten")\n')

    result = check_catalogues(tmp_path)

    assert result.returncode == 1
    assert (
        "samverkan/web/locale/en/LC_MESSAGES/django.po: missing 'Projektet har ett nytt fel.'"
        in result.stdout
    )
    assert (
        "samverkan/reports/locale/en/LC_MESSAGES/django.po: missing 'En ny rubrik i rapporten'"
        in result.stdout
    )


def test_a_browser_asking_for_english_still_gets_swedish_until_the_user_switches(
    place: Place, client: Any
) -> None:
    html = client.get(
        reverse("web:public-index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert '<html lang="sv">' in html
