"""One login per role for the demo, with passwords made up at demo time."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model

from samverkan.accounts.models import Role
from samverkan.accounts.services import grant_role
from samverkan.governance.models import Network
from samverkan.members.models import Cooperation

# (username suffix, role, network slug)
DEMO_USERS = (
    ("kansli", Role.SECRETARIAT, None),
    ("sup-gruppen", Role.NETWORK_LEAD, "sup-gruppen"),
    ("snug", Role.NETWORK_LEAD, "snug"),
    ("lasare", Role.READER, None),
)


def create_demo_users(cooperation: Cooperation) -> list[tuple[str, str, str]]:
    """Create (or reset) one user per role; returns (role label, username, password).

    The passwords are new random ones every time (secrets.token_urlsafe), so
    a demo never ships a known password.
    """
    user_model = get_user_model()
    result = []
    for suffix, role, network_slug in DEMO_USERS:
        network = (
            Network.objects.get(cooperation=cooperation, slug=network_slug)
            if network_slug
            else None
        )
        username = f"{cooperation.slug}-{suffix}"
        password = secrets.token_urlsafe(12)
        user, _created = user_model.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_active = True
        user.save()
        grant_role(user, cooperation, role, network=network, actor="demo")
        label = f"{role.label}, {network}" if network else str(role.label)
        result.append((label, username, password))
    return result
