"""What each role may do: the one place where permissions are declared.

A user's standing in a cooperation is the union of their role assignments
there: the capabilities of every role they hold, and the networks they lead.
Web views and the admin ask a `Standing`; they never test role names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from samverkan.accounts.models import Role, RoleAssignment
from samverkan.members.models import Cooperation


class Capability(StrEnum):
    READ = "read"  # everything of the cooperation, drafts and accounts included
    EDIT_ANY_FOLLOW_UP = "edit_any_follow_up"
    EDIT_OWN_FOLLOW_UP = "edit_own_follow_up"  # activities owned by a network the user leads
    EDIT_ANY_MEETING = "edit_any_meeting"
    EDIT_OWN_MEETING = "edit_own_meeting"  # meetings of a network the user leads
    MANAGE_YEAR = "manage_year"  # change status, decide, reopen, publish
    EDIT_MEMBERS = "edit_members"  # members and population figures (standing data)
    EDIT_ACCOUNTS = "edit_accounts"  # SIE upload and import, account mapping, ledger lines
    EDIT_REGISTERS = "edit_registers"  # consultation responses, projects, events, the year's texts
    EDIT_PLAN = "edit_plan"  # start a year, plan it, budget, adopt and publish the plan
    PROPOSE_ACTIVITY = (
        "propose_activity"  # propose activities for areas a network the user leads answers for
    )
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"  # who has which role in the cooperation, invitation links
    ADMIN = "admin"  # the Django admin, limited to the cooperation


CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.SECRETARIAT: frozenset(
        {
            Capability.READ,
            Capability.EDIT_ANY_FOLLOW_UP,
            Capability.EDIT_ANY_MEETING,
            Capability.MANAGE_YEAR,
            Capability.EDIT_MEMBERS,
            Capability.EDIT_ACCOUNTS,
            Capability.EDIT_REGISTERS,
            Capability.EDIT_PLAN,
            Capability.VIEW_AUDIT,
            Capability.MANAGE_USERS,
            Capability.ADMIN,
        }
    ),
    Role.NETWORK_LEAD: frozenset(
        {
            Capability.READ,
            Capability.EDIT_OWN_FOLLOW_UP,
            Capability.EDIT_OWN_MEETING,
            Capability.PROPOSE_ACTIVITY,
        }
    ),
    Role.READER: frozenset({Capability.READ}),
}

# When a user holds several roles, the strongest names them in the interface.
RANK: dict[Role, int] = {Role.READER: 1, Role.NETWORK_LEAD: 2, Role.SECRETARIAT: 3}


@dataclass(frozen=True, slots=True)
class Standing:
    """A user's roles in one cooperation."""

    cooperation: Cooperation
    roles: frozenset[Role]
    network_ids: frozenset[int]  # the networks the user leads

    @property
    def role(self) -> Role:
        return max(self.roles, key=RANK.__getitem__)

    @property
    def capabilities(self) -> frozenset[Capability]:
        return frozenset().union(*(CAPABILITIES[r] for r in self.roles))

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def leads_any(self, networks: Iterable[Any]) -> bool:
        return any(network.pk in self.network_ids for network in networks)

    def can_edit_activity(self, activity: Any) -> bool:
        """Secretariat: every activity; network lead: the activities their network owns."""
        if self.can(Capability.EDIT_ANY_FOLLOW_UP):
            return True
        return self.can(Capability.EDIT_OWN_FOLLOW_UP) and self.leads_any(activity.owners())

    def can_add_meeting(self) -> bool:
        return self.can(Capability.EDIT_ANY_MEETING) or (
            self.can(Capability.EDIT_OWN_MEETING) and bool(self.network_ids)
        )

    def can_edit_meeting(self, meeting: Any) -> bool:
        """Secretariat: every meeting; network lead: network meetings one of their networks attends."""
        if self.can(Capability.EDIT_ANY_MEETING):
            return True
        if not self.can(Capability.EDIT_OWN_MEETING) or meeting.body_id is not None:
            return False
        return self.leads_any(meeting.networks.all())

    def proposing_networks(self, focus_area: Any) -> list[Any]:
        """The networks the user leads that answer for the focus area (they may propose activities for it)."""
        if not self.can(Capability.PROPOSE_ACTIVITY):
            return []
        return [n for n in focus_area.responsible_networks.all() if n.pk in self.network_ids]

    def can_edit_proposal(self, proposal: Any) -> bool:
        """Only a lead of the proposing network edits a proposal; the secretariat decides on it."""
        return self.can(Capability.PROPOSE_ACTIVITY) and proposal.network_id in self.network_ids

    def may_assign_body(self) -> bool:
        """Only the secretariat records meetings of the committee and other bodies."""
        return self.can(Capability.EDIT_ANY_MEETING)


def standing_for(user: Any, cooperation: Cooperation) -> Standing | None:
    """The user's standing in `cooperation`, or None when they hold no role there."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    rows = list(
        RoleAssignment.objects.filter(user=user, cooperation=cooperation).values_list(
            "role", "network_id"
        )
    )
    if not rows:
        return None
    roles = frozenset(Role(role) for role, _ in rows)
    networks = frozenset(
        network for role, network in rows if role == Role.NETWORK_LEAD and network is not None
    )
    return Standing(cooperation=cooperation, roles=roles, network_ids=networks)


def cooperations_for(user: Any) -> list[Cooperation]:
    """The cooperations in which the user holds any role, by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Cooperation.objects.filter(roles__user=user).distinct().order_by("name"))


def admin_cooperation_ids(user: Any) -> set[int] | None:
    """The cooperations whose data the user may edit in the admin; None means all (superuser)."""
    if user.is_superuser:
        return None
    roles = [Role(r) for r in CAPABILITIES if Capability.ADMIN in CAPABILITIES[r]]
    return set(
        RoleAssignment.objects.filter(user=user, role__in=roles).values_list(
            "cooperation_id", flat=True
        )
    )
