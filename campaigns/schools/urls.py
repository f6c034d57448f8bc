"""Schools, classes and the five-ones ledger (issue 3)."""

from django.urls import path

from . import student_views, views

app_name = "schools"

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("desk/<int:class_id>/log/", views.log_activity, name="log"),
    path("desk/<int:class_id>/students/", student_views.class_students, name="class_students"),
    path("desk/<int:class_id>/students/<int:pk>/reset/", student_views.reset_password, name="student_reset"),
    path("desk/<int:class_id>/students/<int:pk>/active/", student_views.set_active, name="student_active"),
    path("students/import/", student_views.import_students, name="import_students"),
    path("students/import/template.xlsx", student_views.import_template, name="import_students_template"),
    path("photo/<int:pk>/<str:kind>/", views.photo, name="photo"),
    path("file/<int:pk>/", views.evidence_file, name="file"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", views.dashboard_export, name="dashboard_export"),
]
