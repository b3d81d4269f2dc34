"""A cooperation's report settings: its own wording, the blocks it prints, the order of its chapters.

The standing file's `report:` mapping holds a cooperation's defaults; a year
file's `report:` mapping overrides them for that year (docs/yearfile.md). Both
are stored as plain JSON (Cooperation.report_settings, Year.report_settings);
`merged` combines them and `validate` names every unknown key or wrong value,
so a misspelt setting is a load error instead of a silent default.

Labels are Swedish text with optional `{placeholders}`; a key may carry a
context after a dot (`responsible.verksamhetsfragor`, `network_heading.snug`)
that wins over the plain key for that place. What a key is not given falls
back to the report's own Swedish default (and its English translation), so a
new cooperation needs no settings at all. Django-free: the year-file loader
and the report both read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The report's chapters, in the default order.
CHAPTERS: tuple[str, ...] = (
    "introduction",
    "goals",
    "follow_up",
    "consultations",
    "projects",
    "administration",
    "other",
    "accounts",
)

# Optional blocks: printed unless a setting turns them off.
BLOCKS: dict[str, str] = {
    "introduction_facts": "the programme in force and the inhabitants, as facts under the introduction",
    "population_table": "the members' inhabitants per date (chart and table)",
    "area_group_focus_areas": "the focus-area column of the area-group table",
    "activity_status": "each activity's status, reason and continuation",
    "network_facts": "a network's meetings and who takes part",
    "project_facts": "a project's contractor, cost, period, focus area, financing and grants",
    "project_costs": "the table of the projects' costs",
    "meetings_table": "the table of meetings per body and network",
    "body_facts": "a body's chairs and meetings, and the secretariat's staff",
    "event_facts": "an event's date, status, hosts, participants and costs",
    "fee_rule": "the sentence stating the fee rule at the start of the accounts",
    "charts": "charts (with their data tables) in the accounts",
    "receivables": "the table of unpaid grants paid in arrears",
}

# Settings with a choice of values; the first is the default.
OPTIONS: dict[str, tuple[str, ...]] = {
    # joint consultation responses as a table, or as a list of points
    "consultations": ("table", "list"),
    # a fund's footnote on its summary row, or on the caption of its detail table
    "fund_footnotes": ("summary", "detail"),
    # a project's lines in a fund's table: grouped under the project's name, or one row per
    # category followed by a table of the lines with their own texts
    "project_lines": ("grouped", "breakdown"),
    # transfers between funds: a column of their own, or among the income and costs
    "transfers": ("separate", "as_lines"),
    # the focus areas of an area group: "Infrastruktur, Utbildning, Näringsliv" or as a
    # sentence ("Infrastruktur, utbildning och näringsliv")
    "focus_area_list": ("list", "sentence"),
}

# Labels a setting may word; the value is the placeholders each may use.
LABELS: dict[str, tuple[str, ...]] = {
    "chapter.introduction": ("year",),
    "chapter.goals": ("year",),
    "chapter.follow_up": ("year", "group"),  # context: the area group's slug
    "chapter.consultations": ("year",),
    "chapter.projects": ("year",),
    "chapter.administration": ("year",),
    "chapter.other": ("year",),
    "chapter.accounts": ("year",),
    "area_group_name": (),  # first column of the area-group table
    "main_goal": (),
    "sub_goals": (),
    "responsible": (),  # context: focus area or area group slug
    "activities_heading": ("area", "year"),  # context: focus area or area group slug
    "network_heading": ("name", "short_name"),  # context: network slug
    "network_meetings": ("year",),
    "consultations_lead": ("year",),  # the sentence before the list of responses
    "consultation_item": ("subject", "authority", "month"),
    "body_heading": ("name",),  # context: body slug
    "summary_closing": ("year", "next_year"),
    "summary_opening": ("year",),
    "project_lines_heading": (),  # the caption of the project-line breakdown
    "project_heading": ("name",),  # context: project slug; the project's name in the accounts
}

KEYS = ("chapters", "labels", "blocks", "options", "footnotes")


def merged(cooperation: Mapping[str, Any] | None, year: Mapping[str, Any] | None) -> dict[str, Any]:
    """The year's settings over the cooperation's: maps merge key by key, the chapter order replaces."""
    result: dict[str, Any] = {"chapters": list(CHAPTERS), "labels": {}, "blocks": {}, "options": {}}
    result["footnotes"] = {}
    for layer in (cooperation or {}, year or {}):
        for key in ("labels", "blocks", "options", "footnotes"):
            result[key].update(layer.get(key) or {})
        if layer.get("chapters"):
            result["chapters"] = list(layer["chapters"])
    return result


def validate(data: Any) -> list[tuple[str, str]]:
    """Errors of one `report:` mapping as (field path, message); empty when it is valid."""
    if data is None:
        return []
    if not isinstance(data, Mapping):
        return [("", "expected a mapping")]
    errors: list[tuple[str, str]] = []
    for key in data:
        if key not in KEYS:
            errors.append((str(key), f"unknown setting; known: {', '.join(KEYS)}"))
    chapters = data.get("chapters")
    if chapters is not None:
        if not isinstance(chapters, list) or not all(isinstance(c, str) for c in chapters):
            errors.append(("chapters", "expected a list of chapter names"))
        else:
            for name in chapters:
                if name not in CHAPTERS:
                    errors.append(("chapters", f"{name!r} is not one of: {', '.join(CHAPTERS)}"))
            if len(set(chapters)) != len(chapters):
                errors.append(("chapters", "a chapter is listed twice"))
            if set(chapters) != set(CHAPTERS):
                missing = [c for c in CHAPTERS if c not in chapters]
                if missing:
                    errors.append(("chapters", f"missing: {', '.join(missing)}"))
    for key, value in _mapping(data, "labels", errors).items():
        base = _label_base(key)
        if base is None:
            errors.append((f"labels.{key}", f"unknown label; known: {', '.join(LABELS)}"))
        elif not isinstance(value, str):
            errors.append((f"labels.{key}", "expected text"))
        else:
            try:
                value.format(**{name: "" for name in LABELS[base]})
            except (KeyError, IndexError, ValueError) as exc:
                allowed = ", ".join("{" + n + "}" for n in LABELS[base]) or "none"
                errors.append((f"labels.{key}", f"bad placeholder {exc}; allowed: {allowed}"))
    for key, value in _mapping(data, "blocks", errors).items():
        if key not in BLOCKS:
            errors.append((f"blocks.{key}", f"unknown block; known: {', '.join(BLOCKS)}"))
        elif not isinstance(value, bool):
            errors.append((f"blocks.{key}", "expected true or false"))
    for key, value in _mapping(data, "options", errors).items():
        if key not in OPTIONS:
            errors.append((f"options.{key}", f"unknown option; known: {', '.join(OPTIONS)}"))
        elif value not in OPTIONS[key]:
            errors.append((f"options.{key}", f"{value!r} is not one of: {', '.join(OPTIONS[key])}"))
    for key, value in _mapping(data, "footnotes", errors).items():
        if not str(key).startswith("project.") or not isinstance(value, str | int):
            errors.append((f"footnotes.{key}", "expected project.SLUG: NOTE-KEY"))
    return errors


def _mapping(data: Mapping[str, Any], key: str, errors: list[tuple[str, str]]) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        errors.append((key, "expected a mapping"))
        return {}
    return value


def _label_base(key: str) -> str | None:
    """The label a key words: the key itself, or the key without its context."""
    if key in LABELS:
        return key
    for base in LABELS:
        if key.startswith(base + "."):
            return base
    return None


class Settings:
    """Merged settings with look-ups; `words` is False for an edition in another language."""

    def __init__(self, data: Mapping[str, Any], *, words: bool = True) -> None:
        self.data = data
        self.words = words

    @property
    def chapters(self) -> list[str]:
        return list(self.data.get("chapters") or CHAPTERS)

    def block(self, name: str) -> bool:
        return bool((self.data.get("blocks") or {}).get(name, True))

    def option(self, name: str) -> str:
        return str((self.data.get("options") or {}).get(name, OPTIONS[name][0]))

    def label(self, key: str, default: str, *contexts: str, **values: object) -> str:
        """The cooperation's wording of `key` (most specific context first) filled with `values`,
        else `default` (the report's own wording, already filled in)."""
        labels = self.data.get("labels") or {}
        if self.words:
            for candidate in [*(f"{key}.{c}" for c in contexts if c), key]:
                if candidate in labels:
                    return str(labels[candidate]).format(**values)
        return default

    def has_label(self, key: str, *contexts: str) -> bool:
        labels = self.data.get("labels") or {}
        return self.words and any(
            candidate in labels for candidate in [*(f"{key}.{c}" for c in contexts if c), key]
        )

    def footnote(self, key: str) -> str:
        return str((self.data.get("footnotes") or {}).get(key, ""))
