from django.urls import path

from portfolio.views import entry_create

from . import views

app_name = "capture"
urlpatterns = [
    # The bookmarklet's and the share target's way in: the entry form, filled in from the link
    # (capture.quick_capture.initial_from_shared_link, registered in apps.py).
    path("capture/link/", entry_create, name="link"),
    path("capture/", views.capture, name="capture"),
    path("capture/sync/", views.capture_sync, name="sync"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
]
