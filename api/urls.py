from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("activities", views.EntryViewSet, basename="entry")
router.register("capabilities", views.CapabilityViewSet, basename="capability")
router.register("resources", views.ResourceViewSet, basename="resource")
router.register("events", views.EventViewSet, basename="event")


def own_authentication(patterns: list) -> list:
    """The API authenticates each request itself (a token, or the session with its CSRF
    token) and answers 401 or 403, never a redirect to the log-in page: exempt from
    LoginRequiredMiddleware."""
    for pattern in patterns:
        login_not_required(pattern.callback)
    return patterns


urlpatterns = [
    path("v1/", include(own_authentication(router.urls))),
    *own_authentication([path("schema/", SpectacularAPIView.as_view(), name="schema")]),
]
