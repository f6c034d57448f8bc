"""Drawing shared by every printable certificate and generated demo picture: fonts, QR codes, seals, bytes.

Chinese text needs a CJK font; Debian's ``fonts-noto-cjk`` provides it (CI and ``make test`` install it).
Without it Pillow's default font is used, which cannot draw Chinese: install the package in production.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import segno
from PIL import Image, ImageFont

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
# A4 landscape at ~135 dpi, the size of every certificate.
CERTIFICATE_SIZE = (1600, 1130)
CERTIFICATE_DPI = 135.0
RED = (178, 34, 34)
INK = (30, 30, 30)
BLUE = (11, 79, 138)


@cache
def cjk_font(size: int, bold: bool = False):
    """Noto CJK at ``size`` pixels (serif bold for headings, sans for text)."""
    name = "NotoSerifCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size)


def fit_text(draw, text: str, width: int, size: int = 38) -> str:
    """Shorten ``text`` with an ellipsis so it stays inside ``width`` pixels."""
    font = cjk_font(size)
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def paste_qr(image: Image.Image, url: str, box: tuple[int, int], size: int) -> None:
    """Draw a QR code of ``url`` at ``box`` (top-left), ``size`` pixels square."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB").resize((size, size), Image.NEAREST)
    image.paste(code, box)


def draw_seal(draw, centre: tuple[int, int], radius: int, issuer: str, text_size: int = 24) -> None:
    """The red seal over the date, as on paper certificates: a ring, a star and the issuer's name."""
    cx, cy = centre
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=RED, width=6)
    draw.text((cx, cy - radius // 12), "★", fill=RED, font=cjk_font(radius // 2), anchor="mm")
    draw.text(
        (cx, cy + radius // 2), fit_text(draw, issuer, int(radius * 1.7), text_size), fill=RED,
        font=cjk_font(text_size), anchor="mm",
    )  # fmt: skip


def image_bytes(image: Image.Image, kind: str = "png") -> bytes:
    """A certificate image as PNG or (print-ready) PDF bytes."""
    buffer = io.BytesIO()
    if kind == "pdf":
        image.save(buffer, "PDF", resolution=CERTIFICATE_DPI)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
