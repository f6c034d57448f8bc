"""The photo pipeline: EXIF rotation, the size guards, non-images (nothing stored)."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.schools import photos, services
from campaigns.schools.models import ActivityPhoto, ActivityRecord
from campaigns.schools.services import Evidence

from .factories import ActivityFactory, SchoolClassFactory, jpeg_bytes, make_teacher, photo_upload

pytestmark = pytest.mark.django_db


def media_files(settings) -> set:
    root = Path(settings.MEDIA_ROOT) / "fiveones"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_exif_orientation_6_is_stored_upright_and_original_kept(settings):
    # A 4000x3000 landscape sensor image tagged "rotate 90° clockwise" (orientation 6).
    raw = jpeg_bytes(size=(4000, 3000), orientation=6)
    klass = SchoolClassFactory()
    teacher = make_teacher(klass.school, [klass])
    record = services.submit_record(
        user=teacher,
        school_class=klass,
        activity=ActivityFactory(min_photos=1),
        evidence=Evidence(
            date=datetime.date(2026, 10, 1), participants=5, photos=[SimpleUploadedFile("phone.jpg", raw, "image/jpeg")]
        ),
    )
    photo = record.photos.get()
    with Image.open(photo.image.path) as display:
        assert display.size == (1200, 1600)  # portrait now, long side 1600
        assert display.format == "JPEG"
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) == photos.THUMB_LONG_SIDE and thumb.height > thumb.width
    assert Path(photo.original.path).read_bytes() == raw  # the upload itself, untouched
    assert (photo.width, photo.height) == (1200, 1600)


def test_huge_png_is_rejected_before_decoding(settings):
    # 8000 x 6000 = 48 MP: compresses to a small file, a decompression bomb in memory.
    buffer = io.BytesIO()
    Image.new("L", (8000, 6000), 255).save(buffer, "PNG")
    upload = SimpleUploadedFile("huge.png", buffer.getvalue(), "image/png")
    assert upload.size < photos.MAX_UPLOAD_BYTES
    with pytest.raises(photos.PhotoError, match="4000 万像素"):
        photos.process_photo(upload)


def test_large_png_under_the_guard_is_downscaled():
    buffer = io.BytesIO()
    Image.new("RGBA", (5000, 2500), (0, 128, 0, 255)).save(buffer, "PNG")
    result = photos.process_photo(SimpleUploadedFile("wide.png", buffer.getvalue(), "image/png"))
    assert (result.width, result.height) == (1600, 800)


def test_oversize_file_is_rejected():
    upload = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (photos.MAX_UPLOAD_BYTES + 1), "image/jpeg")
    with pytest.raises(photos.PhotoError, match="20 MB"):
        photos.process_photo(upload)


def test_non_image_is_refused_with_a_clear_message_and_nothing_stored(settings):
    klass = SchoolClassFactory()
    teacher = make_teacher(klass.school, [klass])
    before = media_files(settings)
    fake = SimpleUploadedFile("作业.jpg", b"%PDF-1.4 this is not a photo", "image/jpeg")
    with pytest.raises(ValidationError) as err:
        services.submit_record(
            user=teacher,
            school_class=klass,
            activity=ActivityFactory(min_photos=2),
            evidence=Evidence(date=datetime.date(2026, 10, 1), participants=5, photos=[photo_upload(), fake]),
        )
    assert "不是有效的图片文件" in str(err.value)
    assert not ActivityRecord.objects.exists() and not ActivityPhoto.objects.exists()
    assert media_files(settings) == before


def test_original_is_stored_under_its_detected_format_not_the_uploaders_name():
    result = photos.process_photo(SimpleUploadedFile("photo.html", jpeg_bytes(), "text/html"))
    assert result.original.name.endswith(".jpg")
