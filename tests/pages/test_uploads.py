"""Image uploads through the admin as an editor: size and type limits with Chinese messages."""

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.images.models import Image

from .conftest import png_bytes


def upload(client, name, data, content_type):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": name, "file": SimpleUploadedFile(name, data, content_type=content_type), "collection": 1},
    )


def test_editor_uploads_a_photo(client, editor):
    client.force_login(editor)
    response = upload(client, "photo.png", png_bytes(), "image/png")
    assert response.status_code == 302
    assert Image.objects.filter(title="photo.png").exists()


def test_oversized_image_is_refused_in_chinese(client, editor, settings):
    client.force_login(editor)
    noise = PillowImage.frombytes("RGB", (2000, 1900), os.urandom(2000 * 1900 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    response = upload(client, "big.png", buffer.getvalue(), "image/png")
    assert response.status_code == 200
    assert "文件过大" in response.text and "10.0" in response.text
    assert not Image.objects.filter(title="big.png").exists()


def test_wrong_type_is_refused_in_chinese(client, editor):
    client.force_login(editor)
    buffer = io.BytesIO()
    PillowImage.new("RGB", (20, 20)).save(buffer, "BMP")
    response = upload(client, "drawing.bmp", buffer.getvalue(), "image/bmp")
    assert response.status_code == 200
    assert "不支持的图片格式" in response.text
    response = upload(client, "notes.txt", "不是图片".encode(), "text/plain")
    assert "请上传一张有效的图片" in response.text
    assert not Image.objects.exists()
