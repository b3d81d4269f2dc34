"""The report's notes on printed figures, written from the findings of `checks`.

A year whose adopted report printed a figure that differs from the one
derived from its parts prints the adopted figure where it stood and a note
beside it (in the same table or paragraph) with the derived figure and the
difference. Every note is a finding of `samverkan check`, so the command and
the report tell the same list; a finding that belongs to no table or
paragraph is listed at the end of the accounts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from samverkan.lib.figures import parse_key
from samverkan.reports import formatting as fmt
from samverkan.reports.findings import Finding

# Checks whose finding compares a printed figure with the derived one.
PRINTED_FIGURE_CHECKS = ("printed_totals", "fee_income", "event_cost")


def shows_printed(finding: Finding) -> bool:
    """The report prints the finding's printed figure (as adopted) in place of the derived one."""
    return (
        finding.check in PRINTED_FIGURE_CHECKS
        and isinstance(finding.found, Decimal)
        and isinstance(finding.expected, Decimal)
        and parse_key(finding.key).kind != "project"
    )


def note_text(finding: Finding, lang: str) -> str:
    """One sentence or two: what the printed figure is, and how it differs from the derived one."""
    subject = finding.subject or finding.where
    subject = subject[:1].upper() + subject[1:]
    expected, found = finding.expected, finding.found
    if (
        isinstance(expected, Decimal)
        and isinstance(found, Decimal)
        and finding.key != ("population_total")
    ):
        difference = expected - found
        size = fmt.kronor(abs(difference), lang)
        direction = _("mer") if difference > 0 else _("mindre")
        if shows_printed(finding):
            return _(
                "%(subject)s: %(printed)s som i den antagna årsredovisningen. Summan av delarna "
                "är %(derived)s (%(difference)s %(direction)s)."
            ) % {
                "subject": subject,
                "printed": fmt.kronor(found, lang),
                "derived": fmt.kronor(expected, lang),
                "difference": size,
                "direction": direction,
            }
        return _("%(subject)s: %(message)s Beräknat %(derived)s, angivet %(printed)s.") % {
            "subject": subject,
            "message": finding.message,
            "derived": fmt.kronor(expected, lang),
            "printed": fmt.kronor(found, lang),
        }
    if isinstance(expected, str) and isinstance(found, str):
        try:
            expected = fmt.date(dt.date.fromisoformat(expected), lang)
            found = fmt.date(dt.date.fromisoformat(found), lang)
        except ValueError:
            pass
        return _("%(subject)s: %(message)s Enligt regeln %(expected)s, i texten %(found)s.") % {
            "subject": subject,
            "message": finding.message,
            "expected": expected,
            "found": found,
        }
    return f"{subject}: {finding.message}"
