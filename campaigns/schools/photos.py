"""The photo pipeline: verify, guard, turn upright, resize; keep the original.

Phones send large JPEGs with the rotation in EXIF; the site shows an upright
copy no longer than 1600 px and a small thumbnail, while the untouched upload
stays in the ledger as evidence. Everything is checked before anything is
stored, so a rejected upload leaves no file behind.
"""

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Decompression-bomb guard: a tiny PNG can declare a gigantic canvas. No
# phone camera in use exceeds ~50 MP at full size, and 40 MP covers them
# all after the usual phone down-sampling; above that we refuse outright.
MAX_PIXELS = 40_000_000
DISPLAY_LONG_SIDE = 1600
THUMB_LONG_SIDE = 360
JPEG_QUALITY = 85
# Detected format -> stored suffix: the original keeps its bytes but never the
# uploader's file name, so a polyglot "photo.html" is still served as an image.
ALLOWED_FORMATS = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}


class PhotoError(ValidationError):
    """An upload that is not an acceptable photo; the message is shown to the teacher."""


@dataclass
class ProcessedPhoto:
    original: ContentFile
    display: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise PhotoError(_("照片“%(name)s”超过 20 MB，请压缩后再上传。") % {"name": upload.name})
    upload.seek(0)
    data = upload.read()
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError(_("照片“%(name)s”超过 20 MB，请压缩后再上传。") % {"name": upload.name})
    return data


def _jpeg(image: Image.Image, long_side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue(), copy.width, copy.height


def process_photo(upload) -> ProcessedPhoto:
    """Check one uploaded photo and build its display copy and thumbnail (nothing is saved here).

    Raises :class:`PhotoError` with a Chinese message for a non-image, an
    unsupported format, a file over 20 MB or an image over 40 megapixels.
    """
    name = getattr(upload, "name", "photo") or "photo"
    data = _read(upload)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
            # Check the declared size before decoding a single pixel.
            if width * height > MAX_PIXELS:
                raise PhotoError(
                    _("照片“%(name)s”像素过大（%(w)s×%(h)s，超过 4000 万像素），请缩小后再上传。")
                    % {"name": name, "w": width, "h": height}
                )
            probe.verify()
        if fmt not in ALLOWED_FORMATS:
            raise PhotoError(_("照片“%(name)s”的格式不受支持，请上传 JPG 或 PNG。") % {"name": name})
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            if upright.mode not in ("RGB", "L"):
                background = Image.new("RGB", upright.size, "white")
                rgba = upright.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                upright = background
            elif upright.mode == "L":
                upright = upright.convert("RGB")
            display, w, h = _jpeg(upright, DISPLAY_LONG_SIDE)
            thumb, _w, _h = _jpeg(upright, THUMB_LONG_SIDE)
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(_("“%(name)s”不是有效的图片文件，请上传照片（JPG 或 PNG）。") % {"name": name}) from exc
    stem = uuid.uuid4().hex[:12]
    suffix = ALLOWED_FORMATS[fmt]
    return ProcessedPhoto(
        original=ContentFile(data, name=f"{stem}{suffix}"),
        display=ContentFile(display, name=f"{stem}.jpg"),
        thumbnail=ContentFile(thumb, name=f"{stem}-thumb.jpg"),
        width=w,
        height=h,
    )
