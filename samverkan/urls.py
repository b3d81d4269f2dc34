from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("samverkan.web.urls")),
]

handler403 = "samverkan.web.views.errors.permission_denied"
