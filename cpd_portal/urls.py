from django.contrib import admin
from django.urls import include, path

from portfolio.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/tokens/", include("api.token_urls")),
    path("accounts/data/", include("account_data.urls")),
    path("", include("portfolio.urls")),
    path("", include("capture.urls")),
    path("", include("summaries.urls")),
    path("", include("packs.urls")),
    path("", include("imports.urls")),
    path("", include("peer_confirmations.urls")),
    path("", include("resources.urls")),
    path("", include("programmes.urls")),
    path("", include("regulators.urls")),
    path("credentials/", include("credentials.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("health/", include("core.urls")),
]
