"""The networks: add and change a standing network, remove one nothing depends on, and say
how each network takes part in the year (secretariat)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.accounts.roles import Capability, Standing
from samverkan.governance.models import Network, NetworkYear
from samverkan.governance.services import (
    add_network,
    change_network,
    delete_network,
    network_dependents,
    set_network_year,
)
from samverkan.members.models import Year
from samverkan.web.access import acting_user, get_year_for_capability
from samverkan.web.edit_guard import NETWORK_YEAR, EditGuard
from samverkan.web.once import stored_once
from samverkan.web.register_forms import NetworkForm, NetworkYearForm
from samverkan.web.views.editing import confirm_delete, see_other
from samverkan.web.views.plan import year_context


def _editor(request: HttpRequest, coop: str, year: int) -> tuple[Year, Standing]:
    """The year, for a user who may change the networks (403 with a reason otherwise)."""
    return get_year_for_capability(
        request,
        coop,
        year,
        Capability.EDIT_REGISTERS,
        _("Nätverken och hur de deltar under året ändras av kansliet."),
    )


def _network(found: Year, pk: int) -> Network:
    return get_object_or_404(Network, pk=pk, cooperation_id=found.cooperation_id)


def _network_page(
    request: HttpRequest, found: Year, standing: Standing, network: Network | None
) -> HttpResponse:
    status, error = 200, ""
    # Asked before the form: validating a model form writes the typed values into `network`.
    guard = EditGuard(request, network, found)
    if request.method == "POST":
        form = NetworkForm(request.POST, instance=network)

        def write() -> None:
            if network is None:
                add_network(found.cooperation, actor=acting_user(request), values=form.cleaned_data)
            else:
                change_network(
                    network,
                    actor=acting_user(request),
                    values=form.cleaned_data,
                    read_as=guard.read_as,
                )

        status, error = guard.save(form, write)
        if not status:
            messages.success(request, _("Nätverket är sparat."))
            return see_other("web:networks", found.cooperation.slug, found.year)
    else:
        form = NetworkForm(instance=network)
    return render(
        request,
        "web/network_form.html",
        year_context(
            found, standing, "networks", form=form, record=network, error=error, edit_guard=guard
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@stored_once
def network_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = _editor(request, coop, year)
    return _network_page(request, found, standing, None)


@require_http_methods(["GET", "POST"])
def network_edit(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    found, standing = _editor(request, coop, year)
    return _network_page(request, found, standing, _network(found, pk))


@require_http_methods(["GET", "POST"])
def network_delete(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    found, standing = _editor(request, coop, year)
    network = _network(found, pk)
    return confirm_delete(
        request,
        found,
        standing,
        section="networks",
        what=_("nätverket ”%(name)s”") % {"name": network.name},
        back=reverse("web:networks", args=[coop, year]),
        dependents=network_dependents(network),
        record=network,
        delete=lambda read_as: delete_network(network, actor=acting_user(request), read_as=read_as),
        done=_("Nätverket är borttaget."),
    )


@require_http_methods(["GET", "POST"])
def network_year(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    """Whether the network takes part in the year, who stays away, the note and focus area."""
    found, standing = _editor(request, coop, year)
    network = _network(found, pk)
    part = NetworkYear.objects.filter(year=found, network=network).first()
    status, error = 200, ""
    guard = EditGuard(request, network, found, guarded=NETWORK_YEAR)
    if request.method == "POST":
        form = NetworkYearForm(request.POST, year=found, network=network)
        status, error = guard.save(
            form,
            lambda: set_network_year(
                found,
                network,
                actor=acting_user(request),
                read_as=guard.read_as,
                **form.cleaned_data,
            ),
        )
        if not status:
            messages.success(
                request,
                _("Nätverkets uppgifter för %(year)s är sparade.") % {"year": found.year},
            )
            return see_other("web:networks", found.cooperation.slug, found.year)
    else:
        form = NetworkYearForm(
            initial=NetworkYearForm.initial_for(part), year=found, network=network
        )
    return render(
        request,
        "web/network_year_form.html",
        year_context(
            found,
            standing,
            "networks",
            form=form,
            network=network,
            part=part,
            error=error,
            edit_guard=guard,
        ),
        status=status,
    )
