"""Pages of the live class game: the host's list, new-game form, projector console and export; the player's page.

The game itself runs over WebSockets (quiz/consumers.py, docs/protocol.md); these views only create games
through :mod:`quiz.services.live` and render the pages whose scripts speak that protocol.
"""

from __future__ import annotations

import re
from functools import wraps
from io import BytesIO

import segno
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import roles

from . import nicknames
from .forms_live import SOURCE_SET, NewGameForm
from .models import Game, Player, PlayerAnswer, Question
from .services import live as services
from .services.live import GameError

PIN_RE = re.compile(r"^\d{6}$")
PLAYER_LIST_LIMIT = 200


def may_host(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_superuser or roles.has_role(user, roles.TEACHER))


def host_required(view):
    """Signed-in teachers and staff only: others get the login page or 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_host(request.user):
            raise PermissionDenied(_("只有教师可以主持课堂竞答。"))
        return view(request, *args, **kwargs)

    return wrapper


def hosted_game(request, game_id: int) -> Game:
    """The game if the user hosts it (or is a superuser); 404 otherwise, so ids of others' games leak nothing."""
    games = Game.objects.all() if request.user.is_superuser else Game.objects.filter(host=request.user)
    return get_object_or_404(games, pk=game_id)


def join_url(request, pin: str) -> str:
    """The address a phone opens from the QR code: the short /play/<pin>/ once it is routed, else /quiz/play/."""
    try:
        path = reverse("play:game", args=[pin])
    except NoReverseMatch:
        path = reverse("quiz:play_game", args=[pin])
    return request.build_absolute_uri(path)


# Host -----------------------------------------------------------------------------------------------------


@never_cache
@host_required
def host_index(request):
    form = NewGameForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        quiz_set = data["quiz_set"] if data["source"] == SOURCE_SET else None
        try:
            if quiz_set is not None:
                paper = services.build_paper(quiz_set=quiz_set, shuffle=data["shuffle"])
            else:
                paper = services.build_paper(
                    band=data["band"] or None,
                    count=data["count"],
                    categories=tuple(category.name for category in data["categories"]),
                    shuffle=data["shuffle"],
                )
            game = services.create_game(
                request.user, title=data["title"], paper=paper, quiz_set=quiz_set, **form.game_options()
            )
        except GameError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("quiz:host_console", game_id=game.pk)
    games = Game.objects.filter(host=request.user).annotate(
        player_total=Count("players", distinct=True)
    )[:50]  # fmt: skip
    return render(request, "quiz/live/host_index.html", {"form": form, "games": games})


@never_cache
@host_required
def host_console(request, game_id: int):
    game = hosted_game(request, game_id)
    url = join_url(request, game.pin)
    qr_svg = segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#0b2a4a", light="#ffffff", omitsize=True)
    return render(
        request,
        "quiz/live/host_console.html",
        {"game": game, "join_url": url, "qr_svg": qr_svg, "ws_path": f"/ws/host/{game.pk}/"},
    )


@never_cache
@host_required
@require_GET
def host_players(request, game_id: int):
    """The roster with ids, which the console needs for its kick buttons (the lobby event carries names only)."""
    game = hosted_game(request, game_id)
    players = Player.objects.filter(game=game, kicked=False)
    newest = list(players.order_by("-joined_at").values("id", "nickname")[:PLAYER_LIST_LIMIT])
    return JsonResponse({"phase": game.phase, "count": players.count(), "players": newest[::-1]})


@host_required
def host_export(request, game_id: int):
    game = hosted_game(request, game_id)
    body = results_workbook(game)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="game-{game.pk}-{game.pin}.xlsx"'
    return response


def _competition_ranks(players: list[Player]) -> list[int]:
    """1, 2, 2, 4 … by score, then total time (the leaderboard's order)."""
    ranks, previous = [], None
    for position, player in enumerate(players, start=1):
        key = (player.score, player.elapsed_ms)
        ranks.append(ranks[-1] if key == previous else position)
        previous = key
    return ranks


def results_workbook(game: Game) -> bytes:
    """Three sheets: per player, per question, per answer."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    players = list(Player.objects.filter(game=game, kicked=False).order_by("-score", "elapsed_ms", "id"))
    answers = list(
        PlayerAnswer.objects.filter(game=game).select_related("player").order_by("question_index", "player_id")
    )
    question_ids = [item["question_id"] for item in game.paper]
    questions = Question.objects.prefetch_related("choices").in_bulk(question_ids)
    letters: dict[int, str] = {}
    texts: dict[int, str] = {}
    for item in game.paper:
        question = questions.get(item["question_id"])
        choice_texts = {choice.pk: choice.text for choice in question.choices.all()} if question else {}
        for position, choice_id in enumerate(item["choice_ids"]):
            letters[choice_id] = chr(65 + position)
            texts[choice_id] = choice_texts.get(choice_id, "")

    book = Workbook()
    by_player = book.active
    by_player.title = _("按参赛者")
    by_player.append([_("名次"), _("昵称"), _("得分"), _("答对题数"), _("总用时（秒）")])
    for rank, player in zip(_competition_ranks(players), players, strict=True):
        by_player.append(
            [rank, player.nickname, player.score, player.correct_count, round(player.elapsed_ms / 1000, 1)]
        )

    by_question = book.create_sheet(_("按题目"))
    by_question.append([_("题号"), _("题目"), _("作答人数"), _("答对人数"), _("正确率（%）"), _("平均用时（秒）")])
    for index, question_id in enumerate(question_ids):
        rows = [answer for answer in answers if answer.question_index == index]
        correct = sum(answer.is_correct for answer in rows)
        question = questions.get(question_id)
        by_question.append(
            [
                index + 1,
                question.stem if question else "",
                len(rows),
                correct,
                round(100 * correct / len(rows), 1) if rows else 0,
                round(sum(answer.elapsed_ms for answer in rows) / len(rows) / 1000, 1) if rows else None,
            ]
        )

    by_answer = book.create_sheet(_("作答明细"))
    by_answer.append([_("参赛者"), _("题号"), _("所选选项"), _("是否正确"), _("得分"), _("用时（毫秒）")])
    for answer in answers:
        picked = "；".join(
            f"{letters.get(c, '?')}. {texts.get(c, '')}" for c in sorted(answer.choice_ids, key=letters.get)
        )
        by_answer.append(
            [
                answer.player.nickname,
                answer.question_index + 1,
                picked,
                _("正确") if answer.is_correct else _("错误"),
                answer.points,
                answer.elapsed_ms,
            ]
        )

    for sheet, widths in ((by_player, (8, 18, 10, 10, 14)), (by_question, (8, 60, 10, 10, 12, 14)),
                          (by_answer, (18, 8, 40, 10, 10, 12))):  # fmt: skip
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, width in zip("ABCDEF", widths, strict=False):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Players --------------------------------------------------------------------------------------------------


@never_cache
def play_index(request):
    """Enter a PIN (the home page's form GETs ``?pin=``); an unknown PIN is reported here."""
    pin = (request.GET.get("pin") or "").strip()
    error = None
    if "pin" in request.GET:
        if not PIN_RE.match(pin):
            error = _("PIN 码是 6 位数字，请检查后重新输入。")
        else:
            try:
                services.active_game_by_pin(pin)
            except GameError as exc:
                error = exc.message
            else:
                return redirect(_play_path(request, pin))
    return render(request, "quiz/live/play_index.html", {"pin": pin, "error": error}, status=200)


def _play_path(request, pin: str) -> str:
    # Stay under whichever prefix the player came in by (/play/ or /quiz/play/).
    namespace = request.resolver_match.namespace if request.resolver_match else "quiz"
    return reverse("play:game" if namespace == "play" else "quiz:play_game", args=[pin])


@never_cache
def play_game(request, pin: str):
    if not PIN_RE.match(pin):
        raise Http404
    try:
        game = services.active_game_by_pin(pin)
    except GameError as exc:
        return render(request, "quiz/live/play_index.html", {"pin": pin, "error": exc.message}, status=404)
    user = request.user
    return render(
        request,
        "quiz/live/play.html",
        {
            "game": game,
            "pin": pin,
            "nickname": nicknames.generate(),
            "signed_in_name": user.masked_name if user.is_authenticated else "",
            "nickname_url": reverse("quiz:nickname"),
            "max_length": nicknames.MAX_LENGTH,
        },
    )


@require_GET
@never_cache
def nickname(request):
    """Another generated nickname for the 换一个 button."""
    return JsonResponse({"nickname": nicknames.generate()})
