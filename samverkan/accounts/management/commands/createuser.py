"""samverkan createuser: a user with a role in one cooperation."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from samverkan.accounts.models import Role
from samverkan.accounts.services import create_user, grant_role
from samverkan.governance.models import Network
from samverkan.members.models import Cooperation
from samverkan.members.services import DomainError


class Command(BaseCommand):
    help = (
        "Create a user with a role in a cooperation (secretariat, network_lead with --network, reader). "
        "The password comes from the environment variable named by --password-from-env, or is asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--cooperation", required=True, help="the cooperation's slug")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--network", help="the network's slug (network_lead only)")
        parser.add_argument(
            "--password-from-env",
            metavar="VARIABLE",
            help="read the password from this environment variable instead of asking",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cooperation = Cooperation.objects.filter(slug=options["cooperation"]).first()
        if cooperation is None:
            raise CommandError(f"no cooperation with slug {options['cooperation']!r}")
        network = None
        if options["network"]:
            network = Network.objects.filter(
                cooperation=cooperation, slug=options["network"]
            ).first()
            if network is None:
                raise CommandError(f"no network {options['network']!r} in {cooperation.slug}")
        password = self._password(options)
        try:
            # With the user to be, so that the similarity validator compares the password with the
            # username and e-mail address.
            candidate = get_user_model()(username=options["username"], email=options["email"])
            validate_password(password, user=candidate)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        actor = f"createuser ({getpass.getuser()})"
        try:
            with transaction.atomic():
                user = create_user(options["username"], options["email"], password, actor=actor)
                grant_role(user, cooperation, options["role"], network=network, actor=actor)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        where = f", {network.slug}" if network else ""
        self.stdout.write(
            f"Created {user.get_username()}: {options['role']}{where} in {cooperation.slug}"
        )

    def _password(self, options: dict[str, Any]) -> str:
        variable = options["password_from_env"]
        if variable:
            value = os.environ.get(variable)
            if not value:
                raise CommandError(f"the environment variable {variable} is not set or empty")
            return value
        if not os.isatty(0):
            raise CommandError(
                "no terminal to ask for the password; use --password-from-env VARIABLE"
            )
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the passwords differ")
        return first
