from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "samverkan.members"
    label = "members"

    def ready(self) -> None:
        from samverkan.members.locking import connect_receivers

        # The year lock's one gate: every save, delete and M2M change of a record a year reads.
        connect_receivers()
