"""Volunteer rosters: public sign-up, events with open slots, my page, certificates and verification (issue 8)."""

from django.urls import path, re_path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("events/", views.events, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("me/", views.me, name="me"),
    path("me/assignments/<int:pk>/<str:action>/", views.respond, name="respond"),
    re_path(r"^certificates/(?P<number>[A-Z0-9-]+)\.(?P<kind>png|pdf)$", views.certificate, name="certificate"),
    path("verify/<str:number>/", views.verify, name="verify"),
]
