"""Figures named in a year's texts are filled in from the accounts, never typed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from samverkan.lib.figures import fill, placeholders
from samverkan.members.models import Year
from samverkan.reports.api import render_report
from samverkan.yearfile.services import LoadFailed, load_files


def test_placeholders_are_found_and_filled_in_swedish_and_english() -> None:
    text = "Överskott {{ fund.drift.closing }}, summa {{total.closing}}, okänt {{ x.y }}."
    assert placeholders(text) == ["fund.drift.closing", "total.closing", "x.y"]
    values = {"fund.drift.closing": Decimal("188431"), "total.closing": Decimal("-5.5")}
    assert (
        fill(text, values.get)
        == "Överskott 188\u00a0431\u00a0kr, summa \u22125,50\u00a0kr, okänt {{ x.y }}."
    )
    assert fill("{{ total.closing }}", values.get, lang="en") == "SEK\u00a0-5.50"


def test_the_2020_report_prints_the_adopted_surplus_in_the_accounts_text_with_the_derived_one_beside_it(
    demo: None,
) -> None:
    markdown = render_report(Year.objects.get(cooperation__slug="sodertorn", year=2020), "md")[
        0
    ].decode()
    assert (
        "Årets överskott landar på totalt 188\u00a0432\u00a0kr. *Södertörnsamarbetet drift, utgående balans: "
        "188\u00a0432\u00a0kr som i den antagna årsredovisningen. Summan av delarna är 188\u00a0431\u00a0kr "
        "(1\u00a0kr mindre).*"
    ) in markdown
    assert "{{" not in markdown


def test_an_unknown_figure_in_a_text_is_a_load_error(
    demo: None, demo_dir: Path, tmp_path: Path
) -> None:
    text = (demo_dir / "2020.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "2020.yaml"
    bad.write_text(text.replace("{{ total.closing }}", "{{ total.surplus }}"), encoding="utf-8")
    Year.objects.filter(year=2020).update(status="draft")
    with pytest.raises(LoadFailed) as failed:
        load_files([bad])
    assert [str(e).split(": ", 1)[1] for e in failed.value.errors] == [
        "texts.accounts: {{ total.surplus }} is not a known figure"
    ]
