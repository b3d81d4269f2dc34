"""Creating users and granting roles: atomic and audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from samverkan.accounts.models import Role, RoleAssignment
from samverkan.audit.models import AuditEntry
from samverkan.audit.services import Actor, diff, record, user_of
from samverkan.governance.models import Network
from samverkan.members.conflicts import refuse_if_changed
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
    _check_role(cooperation, role, network)
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


# -- the secretariat's page "Användare och roller" -------------------------------------------


def role_state(assignment: RoleAssignment) -> dict[str, Any]:
    """A role assignment's state as its audit entries compare it (and its edit form's digest
    covers it)."""
    return {
        "user": assignment.user.get_username(),
        "role": assignment.role,
        "network": assignment.network.name if assignment.network is not None else None,
    }


def _check_role(cooperation: Cooperation, role: Role, network: Network | None) -> None:
    """The one-assignment rules: a network lead names a network of this cooperation, nobody else does."""
    if role == Role.NETWORK_LEAD and network is None:
        raise DomainError(_("En nätverksledare måste ha ett nätverk."))
    if role != Role.NETWORK_LEAD and network is not None:
        raise DomainError(_("Bara en nätverksledare har ett nätverk."))
    if network is not None and network.cooperation_id != cooperation.pk:
        raise DomainError(_("Nätverket hör inte till den samverkan."))


def _sync_admin_access(user: Any) -> None:
    """Staff and the admin group while the user is secretariat somewhere; neither once they are not."""
    if user.is_superuser:
        return
    secretariat = RoleAssignment.objects.filter(user=user, role=Role.SECRETARIAT).exists()
    if user.is_staff != secretariat:
        user.is_staff = secretariat
        user.save(update_fields=["is_staff"])
    if secretariat:
        user.groups.add(secretariat_admin_group())
    else:
        user.groups.remove(*Group.objects.filter(name=SECRETARIAT_ADMIN_GROUP))


def _check_not_last_secretariat(assignment: RoleAssignment, actor: Actor) -> None:
    """A cooperation keeps a secretariat, and a secretariat member does not lock themselves out."""
    if assignment.role != Role.SECRETARIAT:
        return
    # Locked, so that two secretariat members removing each other at once leave one of them.
    secretariat = list(
        RoleAssignment.objects.select_for_update()
        .filter(cooperation_id=assignment.cooperation_id, role=Role.SECRETARIAT)
        .values_list("user_id", flat=True)
    )
    if not any(user_id != assignment.user_id for user_id in secretariat):
        raise DomainError(
            _(
                "%(name)s är den enda i kansliet. Ge någon annan rollen kansli först, "
                "så att samverkan inte blir utan kansli."
            )
            % {"name": assignment.user.get_username()}
        )
    if user_of(actor) is not None and user_of(actor).pk == assignment.user_id:  # type: ignore[union-attr]
        raise DomainError(
            _("Du kan inte ta bort din egen roll i kansliet: be någon annan i kansliet göra det.")
        )


def password_is_managed_here(user: Any, cooperation: Cooperation) -> bool:
    """Whether this cooperation's secretariat may hand out a link that sets the user's password.

    Only for an ordinary user whose every role is in this cooperation: a link for anyone else
    would let one secretariat take over an account that another cooperation (or the
    installation's administrator) relies on.
    """
    if user.is_superuser:
        return False
    roles = RoleAssignment.objects.filter(user=user)
    return roles.exists() and not roles.exclude(cooperation=cooperation).exists()


@transaction.atomic
def add_person(
    cooperation: Cooperation,
    *,
    actor: Actor,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    network: Network | None = None,
) -> tuple[AbstractBaseUser, RoleAssignment]:
    """Give a person a role in `cooperation`: a new user without a usable password, or an existing
    user whose username and e-mail address both match (they keep their name and password).

    Raises ValidationError (by field) when the username or e-mail address belongs to someone
    else, or the person already holds the role here; DomainError for a role without its network.
    """
    role = Role(role)
    _check_role(cooperation, role, network)
    user_model = get_user_model()
    user: Any = user_model.objects.filter(username__iexact=username).first()
    by_email = list(user_model.objects.filter(email__iexact=email)) if email else []
    reused = user is not None
    if user is not None:
        if user.is_superuser or not user.is_active:
            raise ValidationError(
                {"username": _("Användarnamnet %(name)s är upptaget.") % {"name": username}}
            )
        if (user.email or "").lower() != email.lower():
            raise ValidationError(
                {
                    "username": _(
                        "Användarnamnet %(name)s finns redan med en annan e-postadress. "
                        "Välj ett annat användarnamn, eller skriv personens e-postadress "
                        "som den är registrerad."
                    )
                    % {"name": username}
                }
            )
    elif by_email:
        raise ValidationError(
            {
                "email": _(
                    "E-postadressen används redan av användaren %(name)s. Skriv det "
                    "användarnamnet om det är samma person."
                )
                % {"name": by_email[0].get_username()}
            }
        )
    else:
        user = user_model(
            username=username, email=email, first_name=first_name, last_name=last_name
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
    if RoleAssignment.objects.filter(
        user=user, cooperation=cooperation, role=role, network=network
    ).exists():
        raise ValidationError(
            {"role": _("%(name)s har redan den rollen här.") % {"name": user.get_username()}}
        )
    assignment = RoleAssignment(user=user, cooperation=cooperation, role=role, network=network)
    assignment.full_clean()
    assignment.save()
    _sync_admin_access(user)
    record(
        actor=actor,
        action="accounts.person.add",
        cooperation=cooperation,
        obj=assignment,
        changes={
            **{
                key: {"before": None, "after": value}
                for key, value in role_state(assignment).items()
            },
            "email": {"before": None, "after": user.email},
            "name": {"before": None, "after": user.get_full_name()},
        },
        message=_("Befintlig användare fick en roll.") if reused else "",
    )
    return user, assignment


@transaction.atomic
def change_role(
    assignment: RoleAssignment,
    *,
    actor: Actor,
    role: str,
    network: Network | None = None,
    read_as: str | None = None,
) -> RoleAssignment:
    """Change a person's role (or the network they lead) in the assignment's cooperation.
    `read_as`: the digest of the assignment as the form read it; EditConflict, and nothing
    saved, if it changed since."""
    assignment = (
        # Only the assignment's row: PostgreSQL cannot lock the nullable side of the outer join
        # to the network (a role without one).
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "network", "cooperation")
        .get(pk=assignment.pk)
    )
    before = role_state(assignment)
    refuse_if_changed(assignment, before, read_as, what=_("Rollen"))
    role = Role(role)
    _check_role(assignment.cooperation, role, network)
    if role == assignment.role and network == assignment.network:
        return assignment
    if role != Role.SECRETARIAT:
        _check_not_last_secretariat(assignment, actor)
    if (
        RoleAssignment.objects.filter(
            user_id=assignment.user_id,
            cooperation_id=assignment.cooperation_id,
            role=role,
            network=network,
        )
        .exclude(pk=assignment.pk)
        .exists()
    ):
        raise DomainError(_("Personen har redan den rollen här."))
    assignment.role = role
    assignment.network = network
    assignment.full_clean()
    assignment.save()
    _sync_admin_access(assignment.user)
    after = role_state(assignment)
    record(
        actor=actor,
        action="accounts.role.change",
        cooperation=assignment.cooperation,
        obj=assignment,
        changes=diff(before, after),
    )
    return assignment


@transaction.atomic
def remove_role(assignment: RoleAssignment, *, actor: Actor) -> None:
    """Take a role away; the user keeps their account (and roles elsewhere)."""
    assignment = (
        # Only the assignment's row: PostgreSQL cannot lock the nullable side of the outer join
        # to the network (a role without one).
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "network", "cooperation")
        .get(pk=assignment.pk)
    )
    _check_not_last_secretariat(assignment, actor)
    before = role_state(assignment)
    cooperation, user = assignment.cooperation, assignment.user
    record(
        actor=actor,
        action="accounts.role.remove",
        cooperation=cooperation,
        obj=assignment,
        changes={key: {"before": value, "after": None} for key, value in before.items()},
    )
    assignment.delete()
    _sync_admin_access(user)


def person_state(user: Any) -> dict[str, Any]:
    """A person's name and e-mail address as their audit entries name them (and the page's
    digest covers them)."""
    return {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}


def _not_managed_here(user: Any) -> DomainError:
    return DomainError(
        _(
            "%(name)s har roller i en annan samverkan, eller är installationens administratör; "
            "namn och e-postadress ändras av installationens administratör."
        )
        % {"name": user.get_username()}
    )


@transaction.atomic
def change_person(
    user: Any,
    cooperation: Cooperation,
    *,
    actor: Actor,
    first_name: str,
    last_name: str,
    email: str,
    read_as: str | None = None,
) -> Any:
    """Correct the name and e-mail address of a person who has roles in `cooperation` only.

    The same rule as the password link (`password_is_managed_here`): someone with roles in
    another cooperation, or the installation's superuser, is refused (DomainError), so that one
    secretariat cannot rewrite an account that others rely on. Raises ValidationError (by
    field) for what the user model refuses, or an e-mail address another user has. The same
    values again change nothing and are not audited. `read_as`: the digest of the name and
    address (`person_state`) as the page read them; EditConflict, and nothing saved, if they
    changed since.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not password_is_managed_here(user, cooperation):
        raise _not_managed_here(user)
    before = person_state(user)
    refuse_if_changed(
        user,
        before,
        read_as,
        what=_("Namnet och e-postadressen"),
        entries=AuditEntry.objects.filter(
            action="accounts.user.change",
            object_type=user._meta.label_lower,
            object_id=str(user.pk),
        ),
    )
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.email = get_user_model().objects.normalize_email(email.strip())
    user.full_clean(exclude=["password"])
    if (
        user.email
        and get_user_model().objects.filter(email__iexact=user.email).exclude(pk=user.pk).exists()
    ):
        raise ValidationError({"email": _("E-postadressen används redan av en annan användare.")})
    changes = diff(before, person_state(user))
    if not changes:
        return user
    user.save(update_fields=["first_name", "last_name", "email"])
    record(
        actor=actor,
        action="accounts.user.change",
        cooperation=cooperation,
        obj=user,
        changes=changes,
        message=user.get_username(),
    )
    return user


@transaction.atomic
def issue_password_link(user: Any, cooperation: Cooperation, *, actor: Actor) -> None:
    """Note in the audit trail that the secretariat handed out a link to set the user's password.

    The link itself is made by the page from Django's token generator and is never stored.
    """
    if not password_is_managed_here(user, cooperation):
        raise DomainError(
            _(
                "%(name)s har roller i en annan samverkan; lösenordet sköts av "
                "installationens administratör."
            )
            % {"name": user.get_username()}
        )
    record(
        actor=actor,
        action="accounts.user.password_link",
        cooperation=cooperation,
        obj=user,
        message=user.get_username(),
    )


@transaction.atomic
def set_password(user: Any, password: str, *, actor: Actor) -> None:
    """Save the password a person chose through their link (validated by the form before)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=actor, action="accounts.user.password_set", obj=user, message=user.get_username())
