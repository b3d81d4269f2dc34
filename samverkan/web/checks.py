"""Deployment checks of the project's own settings (`samverkan check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def check_secret_key_is_not_the_development_key(
    app_configs: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    """The fixed key of the demo and the tests is public: sessions signed with it can be forged."""
    if settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY:
        return []
    return [
        Error(
            "SECRET_KEY is the public development key.",
            hint="Set SAMVERKAN_SECRET_KEY or SAMVERKAN_SECRET_KEY_FILE, and SAMVERKAN_INSECURE_DEV_KEY=false "
            "so that a start without a key fails.",
            id="samverkan.E001",
        )
    ]
