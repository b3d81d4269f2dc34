from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "samverkan.members"
    label = "members"
    verbose_name = _("Samverkan, medlemmar och år")

    def ready(self) -> None:
        from samverkan.core import lookups
        from samverkan.members.locking import connect_receivers

        # A number too large for an id column matches no row, also in `pk__in` (core/lookups.py).
        lookups.register()

        # The year lock's one gate: every save, delete and M2M change of a record a year reads.
        connect_receivers()
