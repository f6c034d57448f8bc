"""The admin's chooser of knowledge challenges (quiz.Challenge), for the campaign pages' challenge block.

Challenges are managed by a ModelViewSet (题库 → 知识挑战赛), not as snippets, so SnippetChooserBlock does not
apply; Wagtail's ChooserViewSet gives the same modal chooser and a StreamField block class from it
(``get_block_class`` in :mod:`campaigns.pages.blocks`). Registered in this app's ``wagtail_hooks``.

The model is named by its label so importing this module (from ``blocks``, hence from ``models``) loads no
other app's models.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class ChallengeColumnsMixin:
    """Editors tell challenges apart by their window and whether they are published."""

    @property
    def columns(self):
        return [
            *super().columns,
            Column("starts_at", label=_("开始时间"), accessor=lambda c: _when(c.starts_at)),
            Column("ends_at", label=_("结束时间"), accessor=lambda c: _when(c.ends_at)),
            BooleanColumn("is_published", label=_("已发布")),
        ]


class ChallengeChooseView(ChallengeColumnsMixin, ChooseView):
    pass


class ChallengeChooseResultsView(ChallengeColumnsMixin, ChooseResultsView):
    pass


class ChallengeChooserViewSet(ChooserViewSet):
    model = "quiz.Challenge"
    icon = "trophy"
    choose_one_text = _("选择知识挑战赛")
    choose_another_text = _("更换知识挑战赛")
    edit_item_text = _("编辑该挑战赛")
    choose_view_class = ChallengeChooseView
    choose_results_view_class = ChallengeChooseResultsView
    # Only the block uses this chooser: other admin forms keep their own widget for foreign keys to Challenge.
    register_widget = False
    per_page = 20


challenge_chooser_viewset = ChallengeChooserViewSet("challenge_chooser")
