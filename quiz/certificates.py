"""Challenge certificates (荣誉证书): Pillow PNG and PDF with a QR code to the public verification page.

The certificate carries the holder's full name (it is theirs to print); the verification page it links to shows
the name masked, the challenge, the level and the date, and nothing else.
"""

from __future__ import annotations

from django.utils import timezone
from PIL import Image, ImageDraw

from config.imaging import BLUE, CERTIFICATE_SIZE, INK, RED, draw_seal, image_bytes, paste_qr
from config.imaging import cjk_font as _font

WIDTH, HEIGHT = CERTIFICATE_SIZE
GOLD = (184, 134, 11)
LEVELS = {"pass": "合格", "excellent": "优秀"}


def verify_path(cert) -> str:
    from .challenge_views import curl

    return curl("verify", cert.number)


def _background(challenge) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), (255, 252, 240))
    if challenge.certificate_background_id:
        try:
            with challenge.certificate_background.file.open("rb") as fh:
                art = Image.open(fh).convert("RGB").resize((WIDTH, HEIGHT))
            # Washed out, so the text stays legible on any picture.
            image = Image.blend(art, image, 0.7)
        except (OSError, ValueError):
            pass
    return image


def _wrap(draw, text: str, width: int, font) -> list[str]:
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def render_image(cert, base_url: str) -> Image.Image:
    """The certificate as an RGB image; ``base_url`` (scheme and host) makes the QR code absolute."""
    attempt = cert.attempt
    participant = attempt.participant
    challenge = participant.challenge
    image = _background(challenge)
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, WIDTH - 30, HEIGHT - 30), outline=GOLD, width=10)
    draw.rectangle((56, 56, WIDTH - 56, HEIGHT - 56), outline=RED, width=3)
    draw.text((WIDTH // 2, 170), "荣 誉 证 书", fill=RED, font=_font(96, bold=True), anchor="mm")
    draw.text((WIDTH // 2, 265), challenge.title, fill=BLUE, font=_font(40, bold=True), anchor="mm")

    org = participant.school.name if participant.school_id else participant.work_unit
    draw.text((170, 360), f"{participant.name}", fill=INK, font=_font(64, bold=True))
    if org:
        draw.text((170, 450), org, fill=INK, font=_font(34))
    y = 530
    for line in _wrap(draw, challenge.certificate_text or "", 1000, _font(36)):
        draw.text((170, y), line, fill=INK, font=_font(36))
        y += 56
    level = LEVELS.get(attempt.level, "")
    draw.text((170, y + 30), f"成绩等级：{level}", fill=RED, font=_font(48, bold=True))
    issued = timezone.localtime(cert.issued_at)
    draw.text((170, HEIGHT - 210), f"证书编号：{cert.number}", fill=INK, font=_font(30))
    draw.text((170, HEIGHT - 160), f"颁发日期：{issued:%Y年%m月%d日}", fill=INK, font=_font(30))

    paste_qr(image, base_url.rstrip("/") + verify_path(cert), (WIDTH - 400, 380), 260)
    draw.text((WIDTH - 270, 670), "扫码核验真伪", fill=INK, font=_font(28), anchor="mm")
    draw_seal(draw, (WIDTH - 280, HEIGHT - 230), 110, "净空禁毒", text_size=26)
    return image


def render(cert, base_url: str, kind: str = "png") -> bytes:
    """The certificate as PNG or PDF bytes."""
    return image_bytes(render_image(cert, base_url), kind)
