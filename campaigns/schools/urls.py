"""Schools, classes and the five-ones ledger (issue 3)."""

from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("desk/<int:class_id>/log/", views.log_activity, name="log"),
    path("photo/<int:pk>/<str:kind>/", views.photo, name="photo"),
    path("file/<int:pk>/", views.evidence_file, name="file"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", views.dashboard_export, name="dashboard_export"),
]
