"""The admin for the secretariat: only its own cooperation, never a locked year, always audited.

Every domain model's admin derives from `ScopedAdmin`. A superuser sees
every cooperation; a staff user sees the cooperations where they hold a role
with the ADMIN capability (the secretariat), and nothing else: list, change
forms and the choices of every foreign key are limited to them. Records of a
decided or published year are read-only, and each add, change and delete
writes an audit entry with the values before and after.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.messages.storage.base import BaseStorage
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from samverkan.audit.services import diff, record
from samverkan.audit.snapshots import snapshot
from samverkan.members.locking import YearLocked, locked_message
from samverkan.members.models import Cooperation
from samverkan.members.scope import (
    audit_year,
    cooperation_id_of,
    cooperation_path,
    locked_year,
    locked_year_of_change,
    scoped,
)


def _cooperation_ids(request: HttpRequest) -> set[int] | None:
    """The cooperations the user may edit here (None: all), as the roles say.

    The roles live in `accounts`, above the domain apps; the function is named in
    the settings (SAMVERKAN_ADMIN_COOPERATIONS) so that no domain app imports upward.
    """
    cache = request.__dict__.setdefault("_samverkan_admin_scope", {})
    if "ids" not in cache:
        cache["ids"] = import_string(settings.SAMVERKAN_ADMIN_COOPERATIONS)(request.user)
    ids: set[int] | None = cache["ids"]
    return ids


def cooperation_of(obj: models.Model) -> Cooperation | None:
    coop_id = cooperation_id_of(obj)
    return Cooperation.objects.filter(pk=coop_id).first() if coop_id else None


class ScopedAdmin(admin.ModelAdmin):
    def _in_scope(self, request: HttpRequest) -> bool:
        ids = _cooperation_ids(request)
        return ids is None or bool(ids)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return scoped(super().get_queryset(request), _cooperation_ids(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) and self._in_scope(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._in_scope(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self._in_scope(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and locked_year(obj) is not None:
            return False
        return super().has_change_permission(request, obj) and self._in_scope(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and locked_year(obj) is not None:
            return False
        return super().has_delete_permission(request, obj) and self._in_scope(request)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """A locked year's record is shown read-only with the reason; a change sent to it anyway
        (an old form, a second tab) is refused with the same reason, never a bare 403."""
        obj = self.get_object(request, unquote(object_id))
        year = locked_year(obj) if obj is not None else None
        if year is not None:
            if request.method == "POST":
                messages.error(request, _locked_notice(year))
                return HttpResponseRedirect(request.get_full_path())
            notice = _locked_notice(year)
            queued = messages.get_messages(request)
            already = any(str(m.message) == str(notice) for m in queued)
            if isinstance(queued, BaseStorage):
                queued.used = False  # looking is not showing: the page still shows them
            if not already:  # sent here by a refused delete, which said it
                messages.warning(request, notice)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Deleting a locked year's record (or standing data a locked year reads) leads back to
        the record with the reason, instead of the admin's bare 403."""
        obj = self.get_object(request, unquote(object_id))
        year = locked_year(obj) if obj is not None else None
        if year is not None and self.has_view_permission(request, obj):
            messages.error(request, _locked_notice(year))
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[obj.pk],  # type: ignore[union-attr]
                    current_app=self.admin_site.name,
                )
            )
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """A record that goes with its parent (an activity's follow-up) is deleted with it,
        though it cannot be deleted on its own here: it does not make the parent undeletable."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for model, model_admin in self.admin_site._registry.items():
            if getattr(model_admin, "deleted_with_parent", False):
                perms_needed.discard(model._meta.verbose_name)
        # The links of a many-to-many field ("Activity-network relation: Activity_networks
        # object (7)") are named in English by Django and say nothing the record's own line
        # does not: they are left out of the confirmation.
        link_models = {
            through
            for m in self.admin_site._registry
            for f in m._meta.get_fields()
            if f.many_to_many and not f.auto_created
            for through in [getattr(f.remote_field, "through", None)]
            if through is not None and through._meta.auto_created
        }
        names = {str(capfirst(m._meta.verbose_name)) for m in link_models}
        plurals = {str(m._meta.verbose_name_plural) for m in link_models}
        model_count = {k: v for k, v in model_count.items() if str(k) not in plurals}
        return _without_links(to_delete, names), model_count, perms_needed, protected

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._scope_choices(field, db_field, request)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._scope_choices(field, db_field, request)

    def _scope_choices(self, field: Any, db_field: Any, request: HttpRequest) -> Any:
        """Offer only the related records of the user's cooperations."""
        queryset = getattr(field, "queryset", None)
        if queryset is not None and cooperation_path(db_field.related_model) is not None:
            field.queryset = scoped(queryset, _cooperation_ids(request))
        return field

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)

        class LockedYearForm(base):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                year = _follow_year(self.instance) if self.instance.pk else None
                for field in self.fields.values():
                    limit_to_year(field, year)

            def _post_clean(self) -> None:
                super()._post_clean()
                # The instance now carries the new values: refuse if they alter a locked year.
                year = locked_year_of_change(self.instance)
                if year is not None:
                    self.add_error(None, forms.ValidationError(locked_message(year)))

        return LockedYearForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The year lock's gate runs again in the save itself (members.locking), holding the
        # year rows: a decision between the form's check and the save is still refused.
        stored = type(obj).objects.filter(pk=obj.pk).first() if change else None
        request.__dict__["_samverkan_before"] = snapshot(stored) if stored is not None else {}
        try:
            super().save_model(request, obj, form, change)
        except YearLocked as exc:  # decided between the form's check and the save
            raise PermissionDenied(exc.message) from None

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = request.__dict__.pop("_samverkan_before", {})
        changes = diff(before, snapshot(obj))
        if changes:
            self._record(request, obj, "admin.change" if change else "admin.add", changes)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        # Recorded first, while the record still has its id; the admin's transaction holds both.
        self._record(request, obj, "admin.delete", diff(snapshot(obj), {}))
        try:
            super().delete_model(request, obj)
        except YearLocked as exc:
            raise PermissionDenied(exc.message) from None

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        objects = list(queryset)
        # The bulk action asks for permission without the objects; a locked one refuses the lot.
        for obj in objects:
            year = locked_year(obj)
            if year is not None:
                raise PermissionDenied(locked_message(year))
        for obj in objects:
            self.delete_model(request, obj)

    def _record(self, request: HttpRequest, obj: Any, action: str, changes: dict[str, Any]) -> None:
        record(
            # The admin is behind its own login: the user is signed in.
            actor=request.user if request.user.is_authenticated else None,
            action=action,
            cooperation=cooperation_of(obj),
            year=audit_year(obj),
            obj=obj,
            changes=changes,
        )


def _without_links(items: list[Any], names: set[str]) -> list[Any]:
    """The admin's nested list of what a delete takes with it, without many-to-many links."""
    kept: list[Any] = []
    for item in items:
        if isinstance(item, list):
            nested = _without_links(item, names)
            if nested:
                kept.append(nested)
        elif not any(str(item).startswith(f"{name}:") for name in names):
            kept.append(item)
    return kept


def _locked_notice(year: Any) -> SafeString:
    """Why the record is read-only, with the way to open it: the year's status page."""
    url = reverse("web:year-status", args=[year.cooperation.slug, year.year])
    return format_html(
        '{} <a href="{}">{}</a>',
        locked_message(year),
        url,
        _("Till statussidan för %(year)s") % {"year": year.year},
    )


def _follow_year(obj: Any) -> Any:
    """The year a year-bound record belongs to (None for standing data)."""
    from samverkan.members.locking import follow

    path = getattr(type(obj), "year_path", None)
    if path is None:
        return None
    return follow(obj, path) if path else obj


def _year_label(obj: Any) -> str:
    """ "3.1 Infrastruktur (2020)": the year names a year-bound record that recurs every year."""
    year = _follow_year(obj)
    return f"{obj} ({year.year})" if year is not None else str(obj)


def limit_to_year(field: Any, year: Any) -> None:
    """A picker of year-bound records offers only `year`'s (None: every year, labelled with it);
    a picker of networks offers the year's networks, by full name."""
    from samverkan.members.models import Year

    queryset = getattr(field, "queryset", None)
    if queryset is None:
        return
    model = queryset.model
    if model._meta.label_lower == "governance.network":
        if year is not None:
            from samverkan.governance.networks import networks_of_year

            field.queryset = queryset.filter(pk__in=networks_of_year(year).values("pk"))
        field.label_from_instance = lambda n: (
            f"{n.name} ({n.short_name})" if n.short_name and n.short_name != n.name else n.name
        )
        return
    path = getattr(model, "year_path", None)
    if model is Year or not path:
        return
    if year is not None:
        field.queryset = queryset.filter(**{path: year})
    field.queryset = field.queryset.select_related(path)
    field.label_from_instance = _year_label


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Shown, never changed here: the record has its own way in (the app's pages, an import)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
