from django.contrib.auth import views as auth_views
from django.urls import path

from samverkan.web import views

app_name = "web"

urlpatterns = [
    path("", views.public_index, name="public-index"),
    path("hem/", views.home, name="home"),
]
