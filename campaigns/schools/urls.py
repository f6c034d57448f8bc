from django.urls import path  # noqa: F401 - routes arrive with the app's issue

app_name = "schools"

urlpatterns = []
