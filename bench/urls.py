"""The portal's pages plus the floor, for bench/scale.py: a page behind the login that renders
the base template and nothing else, the least any page costs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from cpd_portal.urls import urlpatterns as portal_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *portal_urlpatterns]
