from django.urls import path

from . import views

app_name = "regulators"
urlpatterns = [
    path("regulator/", views.regulator, name="regulator"),
    path("regulator/confirm/<slug:rule>/", views.confirm_rule, name="confirm"),
    path("regulator/withdraw/<slug:rule>/", views.withdraw_rule, name="withdraw"),
]
