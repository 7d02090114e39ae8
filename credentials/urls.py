from django.urls import path

from . import views

app_name = "credentials"
urlpatterns = [
    path("verify/", views.verify_credential, name="verify"),
    path("jwks.json", views.jwks, name="jwks"),
    path("keys/<str:thumbprint>/", views.key, name="key"),
    path("issuers/<id:pk>/", views.issuer, name="issuer"),
    path("achievements/<id:pk>/<id:year>/", views.achievement_detail, name="achievement"),
    path("submissions/<id:pk>/credential.jwt", views.download_jwt, name="download_jwt"),
    path("submissions/<id:pk>/credential.json", views.download_json, name="download_json"),
    path("<uuid:pk>/", views.credential, name="credential"),
]
