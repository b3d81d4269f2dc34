"""Report settings: validated key by key, merged year over cooperation, looked up most specific first."""

from __future__ import annotations

from samverkan.lib.report_settings import CHAPTERS, Settings, merged, validate


def test_valid_settings_have_no_errors():
    assert (
        validate(
            {
                "chapters": list(reversed(CHAPTERS)),
                "labels": {
                    "responsible.verksamhetsfragor": "Ansvariga",
                    "summary_closing": "Balans {next_year}",
                },
                "blocks": {"charts": False},
                "options": {"consultations": "list"},
                "footnotes": {"project.systemanalys": "3"},
            }
        )
        == []
    )


def test_every_wrong_key_or_value_is_named():
    errors = dict(
        validate(
            {
                "colours": {},
                "chapters": ["introduction", "epilogue"],
                "labels": {"heading": "x", "summary_closing": "Balans {month}"},
                "blocks": {"charts": "no"},
                "options": {"consultations": "cards"},
            }
        )
    )

    assert set(errors) == {
        "colours",
        "chapters",
        "labels.heading",
        "labels.summary_closing",
        "blocks.charts",
        "options.consultations",
    }
    assert "{next_year}" in errors["labels.summary_closing"]


def test_a_year_overrides_its_cooperation_key_by_key():
    settings = merged(
        {
            "labels": {"responsible": "Ansvarigt nätverk", "main_goal": "Mål"},
            "blocks": {"charts": False},
        },
        {"labels": {"responsible": "Ansvariga"}, "chapters": list(CHAPTERS[::-1])},
    )

    assert settings["labels"] == {"responsible": "Ansvariga", "main_goal": "Mål"}
    assert settings["blocks"] == {"charts": False}
    assert settings["chapters"] == list(CHAPTERS[::-1])


def test_a_label_in_context_wins_and_an_edition_in_another_language_keeps_its_own_words():
    data = merged(
        {"labels": {"responsible": "Ansvarigt nätverk", "responsible.intern": "Ansvariga"}}, None
    )

    assert Settings(data).label("responsible", "Responsible", "klimat", "intern") == "Ansvariga"
    assert Settings(data).label("responsible", "Responsible", "klimat") == "Ansvarigt nätverk"
    assert (
        Settings(data, words=False).label("responsible", "Responsible", "intern") == "Responsible"
    )
    assert Settings(data).label("main_goal", "Huvudmål") == "Huvudmål"


def test_blocks_are_printed_and_options_take_their_first_value_unless_set():
    settings = Settings(merged(None, {"blocks": {"charts": False}}))

    assert settings.block("activity_status") and not settings.block("charts")
    assert settings.option("transfers") == "separate"
