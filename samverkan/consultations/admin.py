from django.contrib import admin
from django.db import models

from samverkan.consultations.models import ConsultationResponse
from samverkan.members.admin_scope import ScopedAdmin


@admin.register(ConsultationResponse)
class ConsultationResponseAdmin(ScopedAdmin):
    list_display = ("subject", "authority", "sent_on", "answered", "year")
    list_filter = (("year", admin.RelatedOnlyFieldListFilter), "answered")
    search_fields = ("subject", "authority")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
