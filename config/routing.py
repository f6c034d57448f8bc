"""Every WebSocket route of the site; apps add theirs here."""

from django.urls import path

from .consumers import DiagnosticsConsumer

websocket_urlpatterns = [
    path("ws/ping/", DiagnosticsConsumer.as_asgi()),
]
