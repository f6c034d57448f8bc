from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .masking import mask_name

phone_validator = RegexValidator(r"^\+?\d{7,15}$", _("请输入有效的电话号码（7-15 位数字）。"))


class User(AbstractUser):
    """A person using ClearSky: student, teacher, staff or volunteer.

    ``display_name`` is the real (or chosen) name shown inside the product;
    public pages only ever show :attr:`masked_name`.
    """

    display_name = models.CharField(_("显示名称"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, validators=[phone_validator])

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return self.display_name or full or self.username

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    def get_full_name(self):
        return self.name
