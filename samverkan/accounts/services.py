"""Creating users and granting roles: atomic and audited."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from samverkan.accounts.models import Role, RoleAssignment
from samverkan.audit.services import Actor, record
from samverkan.governance.models import Network
from samverkan.members.models import Cooperation
from samverkan.members.services import DomainError

# The admin group of the secretariat: every model of these apps and a view of the
# audit trail, limited to its own cooperation by the admin classes (members/admin_scope.py).
SECRETARIAT_ADMIN_GROUP = "Kansli (admin)"
SECRETARIAT_ADMIN_APPS = ("members", "governance", "plan", "consultations", "projects", "finance")
# A cooperation itself is created and removed by the installation's superuser.
SUPERUSER_ONLY_PERMISSIONS = ("add_cooperation", "delete_cooperation")


def secretariat_admin_group() -> Group:
    """The group whose permissions let the secretariat use the admin on its own cooperation's data."""
    group, _created = Group.objects.get_or_create(name=SECRETARIAT_ADMIN_GROUP)
    permissions = Permission.objects.filter(
        Q(content_type__app_label__in=SECRETARIAT_ADMIN_APPS)
        | Q(content_type__app_label="audit", codename="view_auditentry")
    ).exclude(codename__in=SUPERUSER_ONLY_PERMISSIONS)
    group.permissions.set(permissions)
    return group


@transaction.atomic
def grant_role(
    user: AbstractBaseUser,
    cooperation: Cooperation,
    role: str,
    *,
    actor: Actor,
    network: Network | None = None,
) -> RoleAssignment:
    """Give `user` a role in `cooperation`; a network lead names the network they lead.

    The secretariat also becomes staff in the admin group, so that it can
    make the rare edits in the admin (limited to its cooperation).
    """
    role = Role(role)
    if role == Role.NETWORK_LEAD and network is None:
        raise DomainError(_("En nätverksledare måste ha ett nätverk."))
    if role != Role.NETWORK_LEAD and network is not None:
        raise DomainError(_("Bara en nätverksledare har ett nätverk."))
    if network is not None and network.cooperation_id != cooperation.pk:
        raise DomainError(_("Nätverket hör inte till den samverkan."))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, cooperation=cooperation, role=role, network=network
    )
    if role == Role.SECRETARIAT:
        user.is_staff = True  # type: ignore[attr-defined]
        user.save(update_fields=["is_staff"])
        user.groups.add(secretariat_admin_group())  # type: ignore[attr-defined]
    if created:
        record(
            actor=actor,
            action="accounts.role.grant",
            cooperation=cooperation,
            obj=assignment,
            changes={
                "role": {"before": None, "after": role.value},
                "network": {"before": None, "after": network.slug if network else None},
                "user": {"before": None, "after": user.get_username()},
            },
        )
    return assignment


@transaction.atomic
def create_user(
    username: str, email: str, password: str | None, *, actor: Actor
) -> AbstractBaseUser:
    """A new user; without a password the account cannot log in until one is set."""
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise DomainError(_("Användaren %(name)s finns redan.") % {"name": username})
    user = user_model.objects.create_user(username=username, email=email, password=password)
    record(
        actor=actor,
        action="accounts.user.create",
        obj=user,
        changes={
            "username": {"before": None, "after": username},
            "email": {"before": None, "after": email},
        },
    )
    return user
