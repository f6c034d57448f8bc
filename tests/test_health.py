import pytest


@pytest.mark.django_db
def test_healthz_reports_every_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    for name in ("database", "cache", "channel_layer"):
        assert body[name]["ok"] is True, body


@pytest.mark.django_db
def test_healthz_is_503_when_the_channel_layer_is_down(client, settings):
    # A real channels-redis layer pointed at a port where nothing listens.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:1/0", "socket_timeout": None}]},
        }
    }
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["channel_layer"]["ok"] is False and body["channel_layer"]["error"]
    assert body["database"]["ok"] is True


def test_public_media_is_served_but_five_ones_evidence_is_not(client, settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "poster.txt").write_text("public")
    (tmp_path / "fiveones" / "2026-2027" / "1" / "original").mkdir(parents=True)
    (tmp_path / "fiveones" / "2026-2027" / "1" / "original" / "a.jpg").write_text("minor")
    assert client.get("/media/images/poster.txt").status_code == 200
    assert client.get("/media/fiveones/2026-2027/1/original/a.jpg").status_code == 404
