from django.urls import path

from . import views

app_name = "packs"
urlpatterns = [
    path("exports/", views.export_list, name="list"),
    path("exports/<uuid:pk>/", views.export_detail, name="detail"),
    path("exports/<uuid:pk>/status/", views.export_status, name="status"),
    path("exports/<uuid:pk>/download/", views.export_download, name="download"),
    path("exports/<uuid:pk>/renewal-sheet/", views.renewal_sheet, name="renewal_sheet"),
    path("verify/<uuid:pk>/", views.verify_export, name="verify"),
]
