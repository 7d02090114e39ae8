from django.urls import path

from . import views

app_name = "packs"
urlpatterns = [
    path("exports/", views.evidence_pack_list, name="list"),
    path("exports/entries/", views.entry_choices, name="entry_choices"),
    path("exports/<uuid:pk>/", views.evidence_pack_detail, name="detail"),
    path("exports/<uuid:pk>/status/", views.evidence_pack_status, name="status"),
    path("exports/<uuid:pk>/retry/", views.evidence_pack_retry, name="retry"),
    path("exports/<uuid:pk>/download/", views.evidence_pack_download, name="download"),
    path("exports/<uuid:pk>/renewal-sheet/", views.renewal_sheet, name="renewal_sheet"),
    path("verify/<uuid:pk>/", views.verify_evidence_pack, name="verify"),
]
