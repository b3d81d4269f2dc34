from django.contrib import admin

from samverkan.finance.models import (
    AccountMapping,
    BudgetLine,
    CostCategory,
    Footnote,
    Fund,
    FundYear,
    ImportBatch,
    LedgerLine,
    PublishedFigure,
)
from samverkan.members.admin_scope import ReadOnlyScopedAdmin, ScopedAdmin


@admin.register(CostCategory)
class CostCategoryAdmin(ScopedAdmin):
    list_display = ("name", "kind", "is_fee", "cooperation")


@admin.register(Fund)
class FundAdmin(ScopedAdmin):
    list_display = ("name", "slug", "kind", "cooperation")


@admin.register(FundYear)
class FundYearAdmin(ScopedAdmin):
    list_display = ("fund", "year", "label", "opening_stated")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)


@admin.register(Footnote)
class FootnoteAdmin(ScopedAdmin):
    list_display = ("key", "year", "text")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyScopedAdmin):
    """Imports are made with `samverkan sie import`, which records the file and its lines together."""

    list_display = ("file_name", "year", "created_at", "sha256")
    exclude = ("summary",)
    readonly_fields = ("summary_lines",)

    @admin.display(description="sammanfattning")
    def summary_lines(self, obj: ImportBatch) -> str:
        return "; ".join(f"{key}: {value}" for key, value in (obj.summary or {}).items())


@admin.register(BudgetLine)
class BudgetLineAdmin(ScopedAdmin):
    """The budget is entered as a grid on the year's budget page; here one line at a time."""

    list_display = ("fund", "category", "amount", "year")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)


@admin.register(LedgerLine)
class LedgerLineAdmin(ScopedAdmin):
    list_display = ("date", "fund", "category", "kind", "amount", "text", "source", "year")
    list_filter = (
        ("year", admin.RelatedOnlyFieldListFilter),
        ("fund", admin.RelatedOnlyFieldListFilter),
        "kind",
        "source",
    )
    search_fields = ("text", "voucher")
    list_select_related = ("fund", "category", "year")


@admin.register(AccountMapping)
class AccountMappingAdmin(ScopedAdmin):
    list_display = ("account", "object_id", "category", "fund", "cooperation")


@admin.register(PublishedFigure)
class PublishedFigureAdmin(ScopedAdmin):
    list_display = ("key", "place", "amount", "date", "year")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter),)
