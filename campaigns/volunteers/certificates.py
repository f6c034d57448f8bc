"""Printable service-record certificates (志愿服务证明): Pillow PNG and PDF with a verification QR code.

Contents follow 志愿服务条例 Art. 19: identity (masked ID last four), hours, content,
issuing organisation, number and date. The QR code points to the public
verification page, which shows the same facts with the name masked.
"""

import io
from functools import cache
from pathlib import Path

import segno
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
WIDTH, HEIGHT = 1600, 1130  # A4 landscape at ~135 dpi
RED = (178, 34, 34)
INK = (30, 30, 30)
BLUE = (11, 79, 138)


@cache
def _font(size, bold=False):
    name = "NotoSerifCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size)


def verify_path(record) -> str:
    return reverse("volunteers:verify", args=[record.certificate_number])


def render_image(record, base_url: str) -> Image.Image:
    """The certificate as an RGB image; ``base_url`` (scheme and host) makes the QR code absolute."""
    volunteer = record.volunteer
    image = Image.new("RGB", (WIDTH, HEIGHT), (255, 253, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, WIDTH - 30, HEIGHT - 30), outline=RED, width=8)
    draw.rectangle((52, 52, WIDTH - 52, HEIGHT - 52), outline=RED, width=2)
    draw.text((WIDTH // 2, 150), "志愿服务证明", fill=RED, font=_font(84, bold=True), anchor="mm")
    draw.text((WIDTH // 2, 235), f"编号：{record.certificate_number}", fill=INK, font=_font(30), anchor="mm")

    identity = volunteer.name + (f"（身份证号 {volunteer.masked_id}）" if volunteer.id_last4 else "")
    start, end = timezone.localtime(record.check_in), timezone.localtime(record.check_out)
    when = f"{start:%Y年%m月%d日} {start:%H:%M}-{end:%H:%M}"
    lines = [
        ("志愿者", identity),
        ("所属队伍", volunteer.team.name),
        ("服务时间", when),
        ("服务内容", record.content),
        ("服务时长", f"{record.hours} 小时"),
        ("出具单位", record.organisation),
        ("出具日期", f"{record.issued_on:%Y年%m月%d日}"),
    ]
    y = 330
    for label, value in lines:
        draw.text((150, y), f"{label}：", fill=BLUE, font=_font(38, bold=True))
        draw.text((380, y), _fit(draw, value, 780), fill=INK, font=_font(38))
        y += 82
    draw.text(
        (150, HEIGHT - 150),
        "兹证明以上志愿服务情况属实。本证明免费出具，扫码可核验真伪。",
        fill=INK,
        font=_font(28),
    )

    qr = segno.make(base_url.rstrip("/") + verify_path(record), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=2)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB").resize((300, 300), Image.NEAREST)
    image.paste(code, (WIDTH - 430, 380))
    draw.text((WIDTH - 280, 710), "扫码核验", fill=INK, font=_font(30), anchor="mm")
    # The seal: a red circle with the issuer's name, over the date as on paper certificates.
    cx, cy, r = WIDTH - 300, HEIGHT - 250, 120
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=RED, width=6)
    draw.text((cx, cy - 10), "★", fill=RED, font=_font(60), anchor="mm")
    draw.text((cx, cy + 60), _fit(draw, record.organisation, 200, size=24), fill=RED, font=_font(24), anchor="mm")
    return image


def _fit(draw, text, width, size=38):
    """Shorten text with an ellipsis so it stays inside ``width`` pixels."""
    font = _font(size)
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def render(record, base_url: str, kind: str = "png") -> bytes:
    """The certificate as PNG or PDF bytes."""
    image = render_image(record, base_url)
    buffer = io.BytesIO()
    if kind == "pdf":
        image.save(buffer, "PDF", resolution=135.0)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
