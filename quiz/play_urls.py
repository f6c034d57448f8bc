"""The players' short address: include at "play/" in config/urls.py (the home page's PIN form GETs /play/?pin=).

``path("play/", include("quiz.play_urls"))`` gives /play/ and /play/<pin>/ (the QR code's target); the
same pages also live at /quiz/play/ in quiz/urls.py.
"""

from django.urls import path

from . import live_views

app_name = "play"

urlpatterns = [
    path("", live_views.play_index, name="index"),
    path("<str:pin>/", live_views.play_game, name="game"),
]
