"""Model pieces shared by the page types: a multi-choice field and the plain-text column.

``MultipleChoiceField``: a fixed set of choices of which a page may hold several.

Stored as ``",family,rural,"`` in one text column: it filters with a plain
``__contains=",family,"`` on SQLite and PostgreSQL alike (JSONField's
``contains`` does not exist on SQLite), and Wagtail's revisions serialise it
through ``get_prep_value`` / ``to_python`` like any other field.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class MultipleChoiceField(models.CharField):
    def __init__(self, *args, item_choices=(), **kwargs):
        self.item_choices = list(item_choices)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def to_python(self, value):
        if value is None:
            return []
        if isinstance(value, list | tuple):
            return [str(item) for item in value]
        return [item for item in str(value).split(",") if item]

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def get_prep_value(self, value):
        items = self.to_python(value)
        return f",{','.join(items)}," if items else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        known = {code for code, _label in self.item_choices}
        unknown = [item for item in value if item not in known]
        if unknown:
            raise ValidationError(_("无效的选项：%(items)s"), params={"items": "、".join(unknown)})
        if not value and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.item_choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )

    def labels(self, value):
        names = dict(self.item_choices)
        return [names.get(item, item) for item in value]


class PlainTextMixin(models.Model):
    """Keeps the page's readable text in one column for the substring search fallback.

    Wagtail's database search backends split text on spaces and punctuation,
    which finds nothing inside a run of Chinese characters; ``search_text`` lets
    :mod:`campaigns.pages.search` fall back to ``icontains`` on what readers see.
    """

    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Only full saves (creation, publishing a revision) refresh the text:
        # save_revision() saves a few columns of the live row, and a draft's
        # words must not become searchable before it is published.
        if kwargs.get("update_fields") is None:
            parts = [self.title, self.search_description, *self.text_for_search()]
            self.search_text = "\n".join(part for part in parts if part)
        super().save(*args, **kwargs)

    def text_for_search(self):
        return []

    @staticmethod
    def stream_text(value):
        return value.stream_block.get_searchable_content(value) if value else []
