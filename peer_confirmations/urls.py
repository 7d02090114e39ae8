from django.urls import path

from . import views

app_name = "peer_confirmations"
urlpatterns = [
    path("activities/<id:pk>/peer-confirmations/", views.request_create, name="request_create"),
    path("peer-confirmations/<id:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("peer-confirmations/<id:pk>/remove/", views.answer_remove, name="answer_remove"),
    path("confirm/<str:token>/", views.answer, name="answer"),
]
