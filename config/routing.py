"""Every WebSocket route of the site; apps add theirs here."""

from django.urls import path

from quiz.board_consumers import BoardConsumer
from quiz.consumers import HostConsumer, PlayConsumer
from quiz.paper_consumers import PaperConsumer

from .consumers import DiagnosticsConsumer

websocket_urlpatterns = [
    path("ws/ping/", DiagnosticsConsumer.as_asgi()),
    path("ws/play/<str:pin>/", PlayConsumer.as_asgi()),
    path("ws/host/<int:game_id>/", HostConsumer.as_asgi()),
    path("ws/board/<int:challenge_id>/", BoardConsumer.as_asgi()),
    path("ws/paper/<int:attempt_id>/", PaperConsumer.as_asgi()),
]
