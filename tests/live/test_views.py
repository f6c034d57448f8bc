"""Pages of the live game: who may host, the new-game form, the console, the results export and the player pages."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from accounts import roles
from quiz.models import Category, Game, Player, PlayerAnswer, QuizSet, QuizSetItem
from quiz.services import live
from tests.factories import UserFactory
from tests.quiz.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher():
    return UserFactory(username="teacher-li", display_name="李明华", roles=[roles.TEACHER])


@pytest.fixture
def other_teacher():
    return UserFactory(username="teacher-wang", display_name="王芳", roles=[roles.TEACHER])


@pytest.fixture
def student():
    return UserFactory(username="student-zhang", display_name="张小明", roles=[roles.STUDENT])


@pytest.fixture
def quiz_set(teacher):
    quiz_set = QuizSet.objects.create(title="禁毒知识十题", owner=teacher, is_public=False)
    for order in range(3):
        QuizSetItem.objects.create(quiz_set=quiz_set, question=QuestionFactory(), order=order)
    return quiz_set


@pytest.fixture
def game(teacher, quiz_set):
    paper = live.build_paper(quiz_set=quiz_set, shuffle=False)
    return live.create_game(teacher, title="初二（3）班竞答", paper=paper, quiz_set=quiz_set)


def form_data(**overrides):
    data = {
        "title": "禁毒知识课堂竞答",
        "source": "set",
        "quiz_set": "",
        "band": "",
        "count": "10",
        "seconds_per_question": "20",
        "speed_points": "on",
        "shuffle": "on",
        "show_answers_on_phones": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Who may host ---------------------------------------------------------------------------------------------


def test_host_pages_send_anonymous_visitors_to_sign_in(client, game):
    for url in ("/quiz/host/", f"/quiz/host/{game.pk}/", f"/quiz/host/{game.pk}/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_host_pages_are_403_for_a_student(client, student, game):
    client.force_login(student)
    for url in (
        "/quiz/host/",
        f"/quiz/host/{game.pk}/",
        f"/quiz/host/{game.pk}/players/",
        f"/quiz/host/{game.pk}/export.xlsx",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/quiz/host/", form_data(quiz_set=game.quiz_set_id)).status_code == 403
    assert not Game.objects.exclude(pk=game.pk).exists()


def test_another_teachers_console_players_and_export_are_404(client, other_teacher, game):
    client.force_login(other_teacher)
    for url in (f"/quiz/host/{game.pk}/", f"/quiz/host/{game.pk}/players/", f"/quiz/host/{game.pk}/export.xlsx"):
        assert client.get(url).status_code == 404, url
    assert "初二（3）班竞答" not in client.get("/quiz/host/").content.decode()


def test_staff_and_superusers_may_host(client, game):
    staff = UserFactory(username="staff-zhou")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/quiz/host/").status_code == 200
    assert client.get(f"/quiz/host/{game.pk}/").status_code == 404  # not their game
    client.force_login(UserFactory(username="root-admin", is_superuser=True, is_staff=True))
    assert client.get(f"/quiz/host/{game.pk}/").status_code == 200
    assert client.get(f"/quiz/host/{game.pk}/export.xlsx").status_code == 200


# The new-game form ----------------------------------------------------------------------------------------


def test_host_list_shows_my_games_and_only_sets_i_may_use(client, teacher, other_teacher, game, quiz_set):
    QuizSet.objects.create(title="别人的私有题组", owner=other_teacher, is_public=False)
    QuizSet.objects.create(title="公共题组", owner=other_teacher, is_public=True)
    client.force_login(teacher)
    page = client.get("/quiz/host/").content.decode()
    assert "初二（3）班竞答" in page and game.pin in page
    assert "禁毒知识十题" in page and "公共题组" in page
    assert "别人的私有题组" not in page


def test_new_game_form_reports_each_mistake_in_chinese(client, teacher, other_teacher):
    client.force_login(teacher)
    private = QuizSet.objects.create(title="别人的私有题组", owner=other_teacher, is_public=False)
    empty = QuizSet.objects.create(title="空题组", owner=teacher)
    cases = [
        (form_data(title=""), "请填写竞答标题。"),
        (form_data(), "请选择一个题组。"),
        (form_data(quiz_set=private.pk), "选择一个有效的选项"),
        (form_data(quiz_set=empty.pk), "这个题组还没有题目。"),
        (form_data(source="paper", count="3"), "题目数量至少 5 道。"),
        (form_data(source="paper", count="51"), "题目数量最多 50 道。"),
        (form_data(source="paper", count=""), "请填写题目数量（5 到 50 道）。"),
        (form_data(quiz_set=empty.pk, seconds_per_question="4"), "每题限时至少 5 秒。"),
        (form_data(quiz_set=empty.pk, seconds_per_question="301"), "每题限时最多 300 秒。"),
        (form_data(quiz_set=empty.pk, seconds_per_question="abc"), "请填写 5 到 300 之间的整数。"),
    ]
    for data, message in cases:
        response = client.post("/quiz/host/", data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), (data, message)
    assert not Game.objects.exists()


def test_a_drawn_paper_short_of_questions_says_so(client, teacher):
    client.force_login(teacher)
    for _ in range(3):
        QuestionFactory()
    response = client.post("/quiz/host/", form_data(source="paper", count="5"))
    assert response.status_code == 200
    assert "题库中符合条件的题目不足" in response.content.decode()
    assert not Game.objects.exists()


def test_creating_from_a_set_opens_the_console_with_the_chosen_options(client, teacher, quiz_set):
    client.force_login(teacher)
    response = client.post(
        "/quiz/host/",
        form_data(quiz_set=quiz_set.pk, seconds_per_question="45", speed_points=None, streak_bonus="on",
                  shuffle=None, show_answers_on_phones=None),
    )  # fmt: skip
    game = Game.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/quiz/host/{game.pk}/"
    assert game.host == teacher and game.quiz_set == quiz_set and game.phase == Game.Phase.LOBBY
    assert (game.seconds_per_question, game.speed_points, game.streak_bonus) == (45, False, True)
    assert (game.shuffle, game.show_answers_on_phones) == (False, False)
    # Not shuffled: the set's order.
    assert [item["question_id"] for item in game.paper] == list(quiz_set.items.values_list("question_id", flat=True))


def test_creating_a_drawn_paper_from_chosen_categories(client, teacher):
    client.force_login(teacher)
    laws = Category.objects.create(name="测试法律法规")
    for _ in range(6):
        QuestionFactory(category=laws)
    other = QuestionFactory()
    response = client.post("/quiz/host/", form_data(source="paper", count="5", categories=[laws.name]))
    assert response.status_code == 302
    game = Game.objects.get()
    assert game.question_count == 5 and game.quiz_set is None
    assert other.pk not in [item["question_id"] for item in game.paper]


# The console --------------------------------------------------------------------------------------------


def test_console_shows_the_pin_the_join_address_and_its_qr_code(client, teacher, game):
    client.force_login(teacher)
    page = client.get(f"/quiz/host/{game.pk}/").content.decode()
    assert game.pin in page
    assert f"http://testserver/play/{game.pin}/" in page  # the short address the QR code encodes
    assert "<svg" in page and "live_host.js" in page


def test_roster_lists_players_with_ids_for_the_kick_buttons(client, teacher, game):
    alice, _ = live.join(game, "勇敢的熊猫")
    bob, _ = live.join(game, "机智的白鸽")
    Player.objects.filter(pk=bob.pk).update(kicked=True)
    client.force_login(teacher)
    data = client.get(f"/quiz/host/{game.pk}/players/").json()
    assert data == {"phase": "lobby", "count": 1, "players": [{"id": alice.pk, "nickname": "勇敢的熊猫"}]}


# The export ---------------------------------------------------------------------------------------------


def test_export_has_players_questions_and_answers_sheets(client, teacher, game):
    q1, q2 = game.paper[0], game.paper[1]
    alice = Player.objects.create(game=game, nickname="勇敢的熊猫", token="t-a", score=1800, correct_count=2,
                                  elapsed_ms=6000)  # fmt: skip
    bob = Player.objects.create(game=game, nickname="机智的白鸽", token="t-b", score=900, correct_count=1,
                                elapsed_ms=9000)  # fmt: skip
    Player.objects.create(game=game, nickname="被移出的人", token="t-c", kicked=True)

    def answer(player, index, choice, correct, points, ms):
        item = game.paper[index]
        PlayerAnswer.objects.create(
            game=game, player=player, question_index=index, question_id=item["question_id"],
            choice_ids=[item["choice_ids"][choice]], answered_at=0, elapsed_ms=ms, is_correct=correct, points=points,
        )  # fmt: skip

    answer(alice, 0, 0, True, 900, 2000)
    answer(bob, 0, 1, False, 0, 4000)
    answer(alice, 1, 0, True, 900, 4000)
    answer(bob, 1, 0, True, 900, 5000)

    client.force_login(teacher)
    response = client.get(f"/quiz/host/{game.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["按参赛者", "按题目", "作答明细"]

    players = list(book["按参赛者"].values)
    assert players[0] == ("名次", "昵称", "得分", "答对题数", "总用时（秒）")
    assert players[1:] == [(1, "勇敢的熊猫", 1800, 2, 6), (2, "机智的白鸽", 900, 1, 9)]

    questions = list(book["按题目"].values)
    assert questions[0] == ("题号", "题目", "作答人数", "答对人数", "正确率（%）", "平均用时（秒）")
    assert len(questions) == 1 + game.question_count
    assert questions[1][0] == 1 and questions[1][2:] == (2, 1, 50, 3)
    assert questions[2][2:] == (2, 2, 100, 4.5)
    assert questions[3][2:] == (0, 0, 0, None)  # nobody answered the third question
    assert "题" in questions[1][1]

    answers = list(book["作答明细"].values)
    assert answers[0] == ("参赛者", "题号", "所选选项", "是否正确", "得分", "用时（毫秒）")
    assert len(answers) == 5
    assert answers[1] == ("勇敢的熊猫", 1, "A. 甲", "正确", 900, 2000)
    assert answers[2] == ("机智的白鸽", 1, "B. 乙", "错误", 0, 4000)
    assert q1 != q2


# Player pages -------------------------------------------------------------------------------------------


def test_pin_entry_checks_the_pin_and_finds_the_game(client, game):
    assert client.get("/quiz/play/").status_code == 200
    assert "PIN 码是 6 位数字" in client.get("/quiz/play/?pin=12a4").content.decode()
    unknown = "000000" if game.pin != "000000" else "000001"
    assert "找不到这个 PIN 对应的竞答" in client.get(f"/quiz/play/?pin={unknown}").content.decode()
    response = client.get(f"/quiz/play/?pin={game.pin}")
    assert response.status_code == 302 and response["Location"] == f"/quiz/play/{game.pin}/"


def test_the_short_play_address_keeps_players_under_play(client, game):
    response = client.get(f"/play/?pin={game.pin}")
    assert response.status_code == 302 and response["Location"] == f"/play/{game.pin}/"
    assert client.get(f"/play/{game.pin}/").status_code == 200


def test_player_page_prefills_a_generated_nickname(client, game):
    page = client.get(f"/quiz/play/{game.pin}/").content.decode()
    assert 'id="p-nick"' in page and "换一个" in page and "live_play.js" in page
    assert f'data-ws-path="/ws/play/{game.pin}/"' in page


def test_a_signed_in_student_joins_under_the_masked_name(client, student, game):
    client.force_login(student)
    page = client.get(f"/quiz/play/{game.pin}/").content.decode()
    assert f"以 {student.masked_name} 身份加入" in page
    assert 'id="p-nick"' not in page


def test_player_page_for_a_finished_game_is_404_with_a_message(client, game):
    Game.objects.filter(pk=game.pk).update(phase=Game.Phase.FINISHED)
    response = client.get(f"/quiz/play/{game.pin}/")
    assert response.status_code == 404
    assert "找不到这个 PIN 对应的竞答" in response.content.decode()


def test_nickname_endpoint_returns_a_generated_name(client):
    data = client.get("/quiz/nickname/").json()
    assert 2 <= len(data["nickname"]) <= 12
