from django.contrib.auth.decorators import login_not_required
from django.urls import path

from .health import BACKGROUND_CHECKS, WEB_CHECKS, HealthView

app_name = "core"

# Open without a login: load balancers and monitors have none (core/health.py says what
# they may see).
urlpatterns = [
    path(
        "",
        login_not_required(HealthView.as_view(checks_by_name=WEB_CHECKS | BACKGROUND_CHECKS)),
        name="health",
    ),
    path("web/", login_not_required(HealthView.as_view()), name="health_web"),
]
