from django.urls import path

from . import views

app_name = "capture"
urlpatterns = [
    # The bookmarklet's and the share target's way in: a capture card filled in from the link.
    path("capture/link/", views.capture_card, name="link"),
    path("capture/saved/<id:pk>/", views.capture_saved, name="saved"),
    path("capture/", views.capture, name="capture"),
    path("capture/sync/", views.capture_sync, name="sync"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
]
