"""Printable service-record certificates (志愿服务证明): Pillow PNG and PDF with a verification QR code.

Contents follow 志愿服务条例 Art. 19: identity (masked ID last four), hours, content,
issuing organisation, number and date. The QR code points to the public
verification page, which shows the same facts with the name masked.
"""

from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from config.imaging import BLUE, CERTIFICATE_SIZE, INK, RED, draw_seal, fit_text, image_bytes, paste_qr
from config.imaging import cjk_font as _font

WIDTH, HEIGHT = CERTIFICATE_SIZE


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
        draw.text((380, y), fit_text(draw, value, 780), fill=INK, font=_font(38))
        y += 82
    draw.text(
        (150, HEIGHT - 150),
        "兹证明以上志愿服务情况属实。本证明免费出具，扫码可核验真伪。",
        fill=INK,
        font=_font(28),
    )

    paste_qr(image, base_url.rstrip("/") + verify_path(record), (WIDTH - 430, 380), 300)
    draw.text((WIDTH - 280, 710), "扫码核验", fill=INK, font=_font(30), anchor="mm")
    draw_seal(draw, (WIDTH - 300, HEIGHT - 250), 120, record.organisation)
    return image


def render(record, base_url: str, kind: str = "png") -> bytes:
    """The certificate as PNG or PDF bytes."""
    return image_bytes(render_image(record, base_url), kind)
