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


def data_version(year: Year) -> str:
    """The version of the data `year`'s report, figures and findings are made from, and of the program.

    A draft's version is the cooperation's newest audit entry; a decided or
    published year's is the newest entry of that year. Users and their roles
    are left out: they are in no report (the demo makes new logins at every
    start).
    """
    entries = AuditEntry.objects.filter(cooperation_id=year.cooperation_id)
    entries = entries.exclude(action__startswith="accounts.")
    if year.is_locked:
        # A decided or published report is the document the committee adopted: it changes only
        # through its own year (reopened, reloaded), not when standing data such as a member's
        # name is edited afterwards.
        entries = entries.filter(year=year.year)
    latest = entries.order_by("-id").values_list("id", "created_at").first()
    # The entry's time as well as its id: a rebuilt database reuses ids.
    data = f"{latest[0]}-{latest[1].timestamp():.6f}" if latest else "0"
    return f"{year.status}-{data}-v{importlib.metadata.version('samverkan')}"
