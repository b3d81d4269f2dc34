"""The accounts pages of a year: SIE upload with preview and import, account mapping, and
the ledger grid of a fund (for cooperations without SIE).

Everyone in the cooperation reads them; only the secretariat writes (Capability
EDIT_ACCOUNTS). The import is the command line's service
(:func:`~samverkan.finance.sie_import.import_sie`) and its preview the same plan
(:func:`~samverkan.finance.sie_import.plan_import`) as ``samverkan sie import --dry-run``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.accounts.roles import Capability, Standing
from samverkan.finance import sie_uploads
from samverkan.finance.accounts import fund_labels
from samverkan.finance.models import AccountMapping, CostCategory, Fund, ImportBatch, LineSource
from samverkan.finance.services import (
    InvalidLine,
    delete_account_mapping,
    editable_lines,
    save_account_mapping,
    save_ledger_lines,
)
from samverkan.finance.sie_import import (
    ImportRefused,
    Plan,
    import_sie,
    plan_import,
    replacement_changes,
)
from samverkan.members.models import Year
from samverkan.members.services import DomainError, EditConflict, locked_message
from samverkan.web.access import acting_user, get_year_for_user, require
from samverkan.web.account_forms import (
    AccountMappingForm,
    LedgerFormSet,
    SieUploadForm,
    name_funds,
    project_names,
)
from samverkan.web.edit_guard import EditGuard
from samverkan.web.once import stored_once
from samverkan.web.sie_findings import describe
from samverkan.web.summaries import accounts_overview
from samverkan.web.uploads import upload_too_large
from samverkan.web.views.editing import see_other
from samverkan.web.views.plan import year_context

_LEVELS = {
    "error": gettext_lazy("Fel"),
    "warning": gettext_lazy("Varning"),
    "info": gettext_lazy("Notering"),
}


def _context(year: Year, standing: Standing, **extra: Any) -> dict[str, Any]:
    return year_context(
        year,
        standing,
        "accounts",
        can_edit_accounts=standing.can(Capability.EDIT_ACCOUNTS) and not year.is_locked,
        **extra,
    )


# -- SIE upload, preview, import -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sie_upload(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    """Choose a SIE file; it is streamed to disk and kept for its preview.

    Every upload goes to a temporary file as it arrives and stops at the size limit
    (settings.FILE_UPLOAD_HANDLERS, UPLOAD_MAX_BYTES; see samverkan.web.uploads).
    """
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_ACCOUNTS)
    limit = filesizeformat(settings.UPLOAD_MAX_BYTES)
    earlier = ImportBatch.objects.filter(year=found).order_by("-created_at").first()
    error, status = "", 200
    if request.method == "POST" and found.is_locked:
        form = SieUploadForm()
        error, status = locked_message(found), 409
    elif request.method == "POST":
        form = SieUploadForm(request.POST, request.FILES)
        valid = form.is_valid()
        if upload_too_large(request):
            error, status = (
                _("Filen är större än %(limit)s och togs inte emot. Inget har ändrats.")
                % {"limit": limit},
                413,
            )
        elif valid:
            upload = form.cleaned_data["file"]
            try:
                kept = sie_uploads.stage(
                    upload, year=found, name=upload.name, objects=form.cleaned_data["objects"]
                )
            except sie_uploads.NotSie:
                error, status = (
                    _(
                        "Filen %(name)s är ingen SIE-fil: den börjar inte med SIE-poster "
                        "(#FLAGGA, #SIETYP …). Inget har ändrats."
                    )
                    % {"name": upload.name},
                    400,
                )
            else:
                return see_other("web:sie-preview", found.cooperation.slug, found.year, kept.token)
        else:
            status = 400
    else:
        initial = {"objects": " ".join(earlier.selected_objects.split(","))} if earlier else {}
        form = SieUploadForm(initial=initial)
    return render(
        request,
        "web/sie_upload.html",
        _context(found, standing, form=form, error=error, limit=limit, earlier=earlier),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def sie_preview(request: HttpRequest, coop: str, year: int, token: str) -> HttpResponse:
    """What the import would store (the plan of ``sie import --dry-run``); then import all
    or nothing, or cancel."""
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_ACCOUNTS)
    kept = sie_uploads.staged(found, token)
    if kept is None:
        messages.error(request, _("Den uppladdade filen finns inte längre; ladda upp den igen."))
        return see_other("web:sie-upload", found.cooperation.slug, found.year)
    objects = list(kept.objects)
    status = 200
    refused: list[Any] = []
    if request.method == "POST":
        if "cancel" in request.POST:
            sie_uploads.discard(kept)
            messages.info(request, _("Importen avbröts; inget har ändrats."))
            return see_other("web:accounts", found.cooperation.slug, found.year)
        try:
            plan, changed = import_sie(
                kept.path,
                found,
                objects=objects,
                replace=request.POST.get("replace") == kept.token,
                actor=acting_user(request),
                file_name=kept.name,
            )
        except ImportRefused as exc:
            refused, status = exc.diagnostics, 409
        else:
            sie_uploads.discard(kept)
            if changed:
                messages.success(
                    request,
                    _("%(name)s är importerad: %(lines)s rader.")
                    % {"name": kept.name, "lines": plan.line_count},
                )
            else:
                messages.info(request, _("Filen var redan importerad; inget har ändrats."))
            return see_other("web:accounts", found.cooperation.slug, found.year)
    plan = plan_import(kept.path, found, objects=objects, file_name=kept.name)
    earlier, changes = replacement_changes(plan, found)
    return render(
        request,
        "web/sie_preview.html",
        _context(
            found,
            standing,
            kept=kept,
            plan=plan,
            earlier=earlier,
            changes=changes,
            refused=[
                describe(d)
                for d in refused
                if d.severity == "error" and d.code != "year_not_in_file"
            ],
            **_preview(plan, found),
        ),
        status=status,
    )


def _preview(plan: Plan, year: Year) -> dict[str, Any]:
    """The plan as the page shows it: named totals, unmapped accounts, findings by level."""
    funds = fund_labels(year)
    categories = dict(
        CostCategory.objects.filter(cooperation=year.cooperation).values_list("slug", "name")
    )
    totals = [
        {
            "fund": funds.get(fund, fund),
            "category": categories.get(category, category),
            "kind": kind,
            "amount": amount,
        }
        for (fund, category, kind), amount in sorted(plan.totals.items())
    ]
    unmapped = [
        {"account": account, "name": plan.account_names.get(account, ""), "amount": amount}
        for account, amount in sorted(plan.unmapped.items())
    ]
    # Shown in tables of their own (reconciliation, unmapped accounts) or at the top (the year).
    apart = ("reconciliation_difference", "unmapped_account", "year_not_in_file")
    findings = [
        {"label": _LEVELS[d.severity], "view": describe(d)}
        for d in plan.diagnostics
        if d.code not in apart
    ]
    counts = {level: sum(1 for d in plan.diagnostics if d.severity == level) for level in _LEVELS}
    return {
        "totals": totals,
        "unmapped": unmapped,
        "findings": findings,
        "counts": counts,
        "can_import": not plan.errors,
        "wrong_year": _wrong_year(plan, year),
    }


def _wrong_year(plan: Plan, year: Year) -> dict[str, Any] | None:
    """The file's own year when it is not the page's, and where to upload it instead."""
    found = next((d for d in plan.diagnostics if d.code == "year_not_in_file"), None)
    if found is None:
        return None
    file_year = found.figures.get("file_year")
    target = (
        Year.objects.filter(cooperation_id=year.cooperation_id, year=file_year).first()
        if isinstance(file_year, int)
        else None
    )
    return {
        "file_year": file_year,
        "start": found.figures.get("file_start"),
        "end": found.figures.get("file_end"),
        "vouchers": found.figures.get("vouchers", 0),
        "upload_url": (
            reverse("web:sie-upload", args=[year.cooperation.slug, target.year])
            if target is not None and not target.is_locked
            else ""
        ),
        # Where the file cannot go either: the advice must not send the user to a year that
        # refuses the upload (decided or published) or that the cooperation does not have.
        "target_locked": target is not None and target.is_locked,
        "target_missing": target is None,
    }


# -- account mapping -------------------------------------------------------------------


@require_GET
def account_mappings(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    rows = list(
        AccountMapping.objects.filter(cooperation=found.cooperation).select_related(
            "category", "fund"
        )
    )
    labels = fund_labels(found)
    projects = project_names(found.cooperation)
    for row in rows:
        row.fund_label = labels.get(row.fund.slug, row.fund.name) if row.fund else ""  # type: ignore[attr-defined]
        row.project_label = projects.get(row.project, row.project)  # type: ignore[attr-defined]
    return render(
        request,
        "web/account_mappings.html",
        _context(found, standing, rows=rows, may_edit=standing.can(Capability.EDIT_ACCOUNTS)),
    )


def _mapping_form(
    request: HttpRequest, found: Year, standing: Standing, mapping: AccountMapping
) -> HttpResponse:
    require(standing, Capability.EDIT_ACCOUNTS)
    status, error = 200, ""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not back.startswith(f"/app/{found.cooperation.slug}/"):
        back = reverse("web:account-mappings", args=[found.cooperation.slug, found.year])
    # Asked before the form: validating a model form writes the typed values into `mapping`.
    guard = EditGuard(request, mapping if mapping.pk else None, found)
    if request.method == "POST":
        form = AccountMappingForm(request.POST, instance=mapping, cooperation=found.cooperation)
        name_funds(form.fields["fund"], fund_labels(found))
        refusal = guard.missing()
        if refusal:
            status, error = 400, refusal
        elif form.is_valid():
            try:
                save_account_mapping(
                    found.cooperation,
                    form.instance,
                    actor=acting_user(request),
                    read_as=guard.read_as,
                )
            except EditConflict as exc:
                status, error = 409, guard.conflict(exc)
            except DomainError as exc:
                status, error = 409, exc.message
            else:
                messages.success(request, _("Kontomappningen är sparad."))
                return see_other(back)
        else:
            status = 400
    else:
        initial = {"account": request.GET.get("account", "")[:6]} if not mapping.pk else {}
        form = AccountMappingForm(instance=mapping, initial=initial, cooperation=found.cooperation)
        name_funds(form.fields["fund"], fund_labels(found))
    return render(
        request,
        "web/account_mapping_form.html",
        _context(
            found, standing, form=form, mapping=mapping, error=error, back=back, edit_guard=guard
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@stored_once
def account_mapping_new(request: HttpRequest, coop: str, year: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    return _mapping_form(request, found, standing, AccountMapping(cooperation=found.cooperation))


@require_http_methods(["GET", "POST"])
def account_mapping_edit(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    mapping = get_object_or_404(AccountMapping, pk=pk, cooperation=found.cooperation)
    return _mapping_form(request, found, standing, mapping)


@require_http_methods(["GET", "POST"])
def account_mapping_delete(request: HttpRequest, coop: str, year: int, pk: int) -> HttpResponse:
    found, standing = get_year_for_user(request, coop, year)
    require(standing, Capability.EDIT_ACCOUNTS)
    mapping = get_object_or_404(
        AccountMapping.objects.select_related("category"), pk=pk, cooperation=found.cooperation
    )
    guard = EditGuard(request, mapping, found)
    status, error = 200, ""
    if request.method == "POST":
        if refusal := guard.missing():
            status, error = 400, refusal
        else:
            try:
                delete_account_mapping(mapping, actor=acting_user(request), read_as=guard.read_as)
            except EditConflict as exc:
                status, error = 409, guard.conflict(exc)
            else:
                messages.success(request, _("Kontomappningen är borttagen."))
                return see_other("web:account-mappings", found.cooperation.slug, found.year)
    return render(
        request,
        "web/account_mapping_delete.html",
        _context(found, standing, mapping=mapping, edit_guard=guard, error=error),
        status=status,
    )


# -- ledger lines by hand ----------------------------------------------------------------


def _posted_initial(data: Any, stored: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored line each posted row names by its id ({} for a new row): a row is saved when
    it differs from the line it edits, wherever the line now sits in the grid (someone may
    have added a line since the page was read)."""
    prefix = LedgerFormSet.get_default_prefix()
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), LedgerFormSet.absolute_max)
    except ValueError:
        total = 0
    initial = []
    for index in range(max(total, 0)):
        pk = data.get(f"{prefix}-{index}-id", "")
        initial.append(stored.get(int(pk), {}) if pk.isdigit() else {})
    return initial


@require_http_methods(["GET", "POST"])
def ledger_lines(request: HttpRequest, coop: str, year: int, fund: str) -> HttpResponse:
    """One editable grid of a fund's lines in the year; saved at once, all or nothing.

    The grid carries the digest of the fund's lines as read (`EditGuard`): a save from a grid
    read before someone else saved it, or before an SIE import, is refused (409) with what is
    stored now shown above the rows the user typed."""
    found, standing = get_year_for_user(request, coop, year)
    chosen = get_object_or_404(Fund, cooperation=found.cooperation, slug=fund)
    lines = list(editable_lines(found.pk, chosen))
    stored = {
        x.pk: {
            "id": x.pk,
            "date": x.date,
            "category": x.category,
            "text": x.text,
            "amount": x.amount,
        }
        for x in lines
    }
    initial = list(stored.values())
    imported = found.lines.filter(fund=chosen, source=LineSource.SIE).count()
    guard = EditGuard(request, chosen, found)
    status, error = 200, ""
    if request.method == "POST":
        require(standing, Capability.EDIT_ACCOUNTS)
        data = request.POST.copy()
        if "add_rows" in data:
            # More empty rows, keeping what was typed (nothing is saved yet).
            prefix = LedgerFormSet.get_default_prefix()
            data[f"{prefix}-TOTAL_FORMS"] = str(int(data.get(f"{prefix}-TOTAL_FORMS", 0)) + 5)
            formset = LedgerFormSet(data, initial=initial, cooperation=found.cooperation)
        elif refusal := guard.missing():
            formset = LedgerFormSet(data, initial=initial, cooperation=found.cooperation)
            status, error = 400, refusal
        else:
            formset = LedgerFormSet(
                data, initial=_posted_initial(data, stored), cooperation=found.cooperation
            )
            if formset.is_valid():
                try:
                    saved = save_ledger_lines(
                        found.pk,
                        chosen,
                        formset.rows(),
                        actor=acting_user(request),
                        read_as=guard.read_as,
                    )
                except EditConflict as exc:
                    status, error = 409, guard.conflict(exc)
                except InvalidLine as exc:
                    status, error = 400, exc.message
                except DomainError as exc:
                    status, error = 409, exc.message
                else:
                    messages.success(
                        request,
                        _("Raderna är sparade. Nya: %(created)s, ändrade: %(changed)s, "
                          "borttagna: %(deleted)s.")
                        % {"created": saved.created, "changed": saved.changed,
                           "deleted": saved.deleted},
                    )  # fmt: skip
                    return see_other(
                        "web:ledger-lines", found.cooperation.slug, found.year, chosen.slug
                    )  # fmt: skip
            else:
                status = 400
    else:
        formset = LedgerFormSet(initial=initial, cooperation=found.cooperation)
    return render(
        request,
        "web/ledger_lines.html",
        _context(
            found,
            standing,
            fund=chosen,
            formset=formset,
            error=error,
            imported=imported,
            funds=[(row.slug, row.name) for row in accounts_overview(found).funds],
            edit_guard=guard,
        ),
        status=status,
    )
