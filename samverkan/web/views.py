from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse


@login_not_required
def public_index(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Samverkan")


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hem")
