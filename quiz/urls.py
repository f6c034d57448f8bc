from django.urls import include, path

from . import live_views

app_name = "quiz"

urlpatterns = [
    path("host/", live_views.host_index, name="host_index"),
    path("host/<int:game_id>/", live_views.host_console, name="host_console"),
    path("host/<int:game_id>/players/", live_views.host_players, name="host_players"),
    path("host/<int:game_id>/export.xlsx", live_views.host_export, name="host_export"),
    path("play/", live_views.play_index, name="play_index"),
    path("play/<str:pin>/", live_views.play_game, name="play_game"),
    path("nickname/", live_views.nickname, name="nickname"),
    path("challenge/", include("quiz.challenge_urls")),
]
