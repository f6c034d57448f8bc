"""The city-wide knowledge challenge (issue 6).

Included from quiz/urls.py at ``challenge/`` (so under /quiz/challenge/). Names live in the ``challenge``
namespace nested wherever this module is included; views reverse through the namespace they were reached by.
"""

from django.urls import path

from . import challenge_views as views

app_name = "challenge"

urlpatterns = [
    path("", views.index, name="index"),
    path("verify/<str:number>/", views.verify, name="verify"),
    path("certificate/<str:number>.<str:kind>", views.certificate, name="certificate"),
    path("attempt/<int:pk>/", views.paper, name="paper"),
    path("attempt/<int:pk>/state/", views.state, name="state"),
    path("attempt/<int:pk>/answer/", views.answer, name="answer"),
    path("attempt/<int:pk>/submit/", views.submit, name="submit"),
    path("attempt/<int:pk>/result/", views.result, name="result"),
    path("<slug:slug>/", views.landing, name="landing"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/start/", views.start, name="start"),
    path("<slug:slug>/board/", views.board, name="board"),
    path("<slug:slug>/screen/", views.screen, name="screen"),
    path("<slug:slug>/stats/", views.stats, name="stats"),
    path("<slug:slug>/stats/export.xlsx", views.stats_export, name="stats_export"),
]
