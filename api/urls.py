from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("capabilities", views.CapabilityViewSet, basename="capability")
router.register("resources", views.ResourceViewSet, basename="resource")
router.register("events", views.EventViewSet, basename="event")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
