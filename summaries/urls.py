from django.urls import path

from . import views

app_name = "summaries"
urlpatterns = [
    path("summaries/", views.summary_list, name="list"),
    path("summaries/<id:pk>/", views.summary_detail, name="detail"),
    path("summaries/<id:pk>/retry/", views.summary_retry, name="retry"),
    path("summaries/<id:pk>/edit/", views.summary_edit, name="edit"),
]
