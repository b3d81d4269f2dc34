"""The version of a year's data: the one answer to "has anything the year shows changed?".

Every change to data writes an audit entry (the year-file load, the SIE
import, the admin, the services), so the newest entry names the version.
The stored report editions are keyed by it, and so are the figures, the
accounts overview and the findings the web app keeps per process.
"""

from __future__ import annotations

import importlib.metadata

from samverkan.audit.models import AuditEntry
from samverkan.members.models import Year

# Changes to records that the year's figures (reports.figures_from_db) never read: the plan and
# its follow-ups, meetings, networks, consultation responses and the year's texts. They renew the
# report but not the figures, the accounts overview or the findings, so that a network lead's
# follow-up saved does not make every dashboard rebuild the accounts (issue 9: p95 under load).
# Anything not listed here, admin changes included, renews the figures too: unknown is unsafe.
FIGURE_NEUTRAL_ACTIONS = (
    "plan.",
    "governance.meeting.",
    "governance.network",
    "consultations.",
    "members.year_text.",
)


def data_version(year: Year) -> str:
    """The version of the data `year`'s report, figures and findings are made from, and of the program.

    A draft's version is the cooperation's newest audit entry; a decided or
    published year's is the newest entry of that year. Users and their roles
    are left out: they are in no report (the demo makes new logins at every
    start).
    """
    return _version(year, ())


def figures_version(year: Year) -> str:
    """The version of the year's figures: `data_version` without the changes the figures never read."""
    return _version(year, FIGURE_NEUTRAL_ACTIONS)


def _version(year: Year, also_ignored: tuple[str, ...]) -> str:
    entries = AuditEntry.objects.filter(cooperation_id=year.cooperation_id)
    for prefix in ("accounts.", *also_ignored):
        entries = entries.exclude(action__startswith=prefix)
    if year.is_locked:
        # A decided or published report is the document the committee adopted: it changes only
        # through its own year (reopened, reloaded), not when standing data such as a member's
        # name is edited afterwards.
        entries = entries.filter(year=year.year)
    latest = entries.order_by("-id").values_list("id", "created_at").first()
    # The entry's time as well as its id: a rebuilt database reuses ids.
    data = f"{latest[0]}-{latest[1].timestamp():.6f}" if latest else "0"
    return f"{year.status}-{data}-v{importlib.metadata.version('samverkan')}"
