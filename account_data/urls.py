from django.urls import path

from . import views

app_name = "account_data"
urlpatterns = [
    path("export/", views.account_export_request, name="request"),
    path("export/<uuid:pk>/status/", views.account_export_status, name="status"),
    path("export/<uuid:pk>/download/", views.account_export_download, name="download"),
]
