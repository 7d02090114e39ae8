from django.urls import path

from . import template_views, views

app_name = "imports"
urlpatterns = [
    path("imports/", views.import_list, name="list"),
    path("imports/<id:pk>/", views.import_detail, name="detail"),
    path("imports/<id:pk>/status/", views.import_status, name="status"),
    path("imports/<id:pk>/choices/", views.import_choices, name="choices"),
    path(
        "imports/<id:pk>/entries/<id:entry_pk>/edit/",
        views.import_entry_edit,
        name="entry_edit",
    ),
    path("imports/<id:pk>/confirm/", views.import_confirm, name="confirm"),
    path("imports/<id:pk>/retry/", views.import_retry, name="retry"),
    path("imports/<id:pk>/discard/", views.import_discard, name="discard"),
    path("imports/template.csv", template_views.import_csv_template, name="csv_template"),
]
