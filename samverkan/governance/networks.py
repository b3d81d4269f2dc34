"""Which networks take part in a year: the one answer every picker of the year uses."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from samverkan.governance.models import Network


def networks_of_year(year: Any) -> Any:
    """The networks of a year: those with a year record (NetworkYear), responsible for a focus area,
    owning an activity or meeting in it. A year with none of these (started empty) offers every
    network of the cooperation.

    Years started in the app give every such network a year record; years loaded from a year file
    record only the networks the file says something about, hence the wider net.
    """
    base = Network.objects.filter(cooperation_id=year.cooperation_id)
    found = base.filter(
        Q(years__year=year)
        | Q(focus_areas__year=year)
        | Q(activities__focus_area__year=year)
        | Q(meetings__year=year)
    ).distinct()
    if not found.exists():
        return base.order_by("order", "name")
    return base.filter(pk__in=found.values("pk")).order_by("order", "name")
