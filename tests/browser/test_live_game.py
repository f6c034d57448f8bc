"""Headless Chromium against a real Daphne: a teacher hosts a live game, three phones play it to the podium."""

from urllib.parse import urlparse

import pytest
from django.urls import NoReverseMatch, reverse

from accounts import roles
from quiz.models import Game, Player, PlayerAnswer, Question, QuizSet, QuizSetItem
from tests.conftest import screenshot
from tests.factories import PASSWORD, UserFactory
from tests.quiz.factories import QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def play_prefix() -> str:
    """/play/ once config/urls.py includes quiz.play_urls; the same pages live at /quiz/play/ meanwhile."""
    try:
        return reverse("play:index")
    except NoReverseMatch:
        return reverse("quiz:play_index")


def site_login(page, base, username, next_path):
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}{next_path}")


def choice(page, text):
    return page.locator("#p-choices button", has_text=text)


def test_teacher_hosts_and_three_phones_play_to_the_podium(daphne_server, new_page):
    from playwright.sync_api import expect

    base = daphne_server.url
    teacher = UserFactory(username="teacher-chen", display_name="陈老师", roles=[roles.TEACHER])
    student = UserFactory(username="student-zhang", display_name="张小明", roles=[roles.STUDENT])
    quiz_set = QuizSet.objects.create(title="禁毒知识小测", owner=teacher)
    single = QuestionFactory(stem="我国的禁毒工作实行什么方针？（示例题）")
    multiple = QuestionFactory(
        type=Question.Type.MULTIPLE,
        stem="下列哪些属于毒品？",
        choices=[("海洛因", True), ("冰毒", True), ("维生素C", False), ("矿泉水", False)],
    )
    for order, question in enumerate((single, multiple)):
        QuizSetItem.objects.create(quiz_set=quiz_set, question=question, order=order)

    # The teacher creates the game on a desktop and keeps the console open.
    console = new_page()
    site_login(console, base, teacher.username, "/quiz/host/")
    screenshot(console, "live-host-new")
    console.fill("#id_title", "初二（3）班禁毒知识竞答")
    console.select_option("#id_quiz_set", label="禁毒知识小测")
    console.fill("#id_seconds_per_question", "120")
    console.uncheck("#id_shuffle")
    console.get_by_role("button", name="创建竞答").click()
    console.wait_for_url(f"{base}/quiz/host/*/")
    game = Game.objects.get(host=teacher)
    pin = console.locator("#live-pin").inner_text().strip()
    assert pin == game.pin
    expect(console.locator("#live-conn")).to_have_text("已连接")
    assert console.locator(".live-qr svg").is_visible()
    join_url = console.locator("#live-join-url").inner_text().strip()
    assert join_url == f"{base}{play_prefix()}{pin}/"

    # Player 1 types the PIN.
    typed = new_page(phone=True)
    typed.goto(base + play_prefix())
    typed.fill("#play-pin", "12345")
    typed.get_by_role("button", name="进入").click()
    expect(typed.locator("#play-error")).to_contain_text("6 位数字")
    typed.fill("#play-pin", pin)
    typed.get_by_role("button", name="进入").click()
    typed.wait_for_url(join_url)
    expect(typed.locator("#p-nick")).not_to_have_value("")
    screenshot(typed, "live-player-join", full_page=False)
    with typed.expect_response("**/quiz/nickname/"):
        typed.get_by_role("button", name="换一个").click()
    typed.fill("#p-nick", "勇敢的熊猫")
    typed.get_by_role("button", name="加入").click()
    expect(typed.locator("#p-wait")).to_be_visible()

    # Player 2 opens the QR code's address and keeps the generated nickname.
    scanned = new_page(phone=True)
    scanned.goto(join_url)
    generated = scanned.locator("#p-nick").input_value()
    while generated in ("", "勇敢的熊猫"):  # the generator may repeat the first player's name
        with scanned.expect_response("**/quiz/nickname/"):
            scanned.get_by_role("button", name="换一个").click()
        generated = scanned.locator("#p-nick").input_value()
    scanned.get_by_role("button", name="加入").click()
    expect(scanned.locator("#p-wait")).to_be_visible()
    expect(scanned.locator("#p-nickname")).to_have_text(generated)

    # Player 3 is a signed-in student: no nickname field, the masked real name.
    signed_in = new_page(phone=True)
    site_login(signed_in, base, student.username, urlparse(join_url).path)
    expect(signed_in.locator("#p-as")).to_have_text(f"以 {student.masked_name} 身份加入")
    assert signed_in.locator("#p-nick").count() == 0
    signed_in.get_by_role("button", name="加入").click()
    expect(signed_in.locator("#p-wait")).to_be_visible()
    expect(signed_in.locator("#p-nickname")).to_have_text(student.masked_name)

    expect(console.locator("#live-player-count")).to_have_text("3")
    expect(console.locator("#live-players li")).to_have_count(3)
    for name in ("勇敢的熊猫", generated, student.masked_name):
        expect(console.locator("#live-players")).to_contain_text(name)
    screenshot(console, "live-lobby", full_page=False)

    # A fourth phone joins with a name the teacher removes: it is told so and leaves the roster.
    prank = new_page(phone=True)
    prank.goto(join_url)
    prank.fill("#p-nick", "捣乱的同学")
    prank.get_by_role("button", name="加入").click()
    expect(console.locator("#live-player-count")).to_have_text("4")
    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="移出 捣乱的同学").click()
    expect(prank.locator("#p-stop")).to_contain_text("你已被主持人移出本场竞答")
    expect(console.locator("#live-player-count")).to_have_text("3")
    expect(console.locator("#live-players li")).to_have_count(3)
    prank.reload()  # no way back in with the stored token
    expect(prank.locator("#p-join")).to_be_visible()

    # Question 1 (single choice).
    console.get_by_role("button", name="开始").click()
    expect(console.locator("#live-q-text")).to_have_text(single.stem)
    for phone in (typed, scanned, signed_in):
        expect(phone.locator("#p-question")).to_be_visible()
        expect(phone.locator("#p-choices button")).to_have_count(3)
    screenshot(scanned, "live-player-question", full_page=False)
    screenshot(console, "live-question", full_page=False)

    choice(typed, "甲").click()
    expect(typed.locator("#p-submitted")).to_contain_text("已提交")
    expect(typed.locator("#p-score")).to_have_text("0")  # no points before the reveal
    expect(console.locator("#live-answered")).to_have_text("1")
    choice(scanned, "乙").click()
    expect(scanned.locator("#p-submitted")).to_contain_text("已提交")
    choice(signed_in, "甲").click()

    # Everyone answered: the console reveals at once.
    expect(console.locator("#live-reveal")).to_be_visible()
    expect(console.locator("#live-choices .live-correct")).to_contain_text("甲")
    expect(console.locator("#live-top li")).to_have_count(3)
    expect(typed.locator("#p-verdict")).to_contain_text("回答正确")
    expect(scanned.locator("#p-verdict")).to_contain_text("回答错误")
    expect(signed_in.locator("#p-verdict")).to_contain_text("回答正确")
    expect(typed.locator("#p-result-rank")).to_contain_text("共 3 人")
    expect(scanned.locator("#p-score")).to_have_text("0")
    score_before = typed.locator("#p-score").inner_text()
    assert int(score_before) >= 500
    assert int(score_before) == Player.objects.get(game=game, nickname="勇敢的熊猫").score
    screenshot(console, "live-reveal", full_page=False)
    screenshot(typed, "live-player-reveal", full_page=False)

    # Question 2 (multiple choice); player 1 reloads mid-question and resumes with its score.
    console.get_by_role("button", name="下一题").click()
    expect(console.locator("#live-q-text")).to_have_text(multiple.stem)
    expect(typed.locator("#p-q-hint")).to_be_visible()
    typed.reload()
    expect(typed.locator("#p-question")).to_be_visible()
    expect(typed.locator("#p-q-text")).to_have_text(multiple.stem)
    expect(typed.locator("#p-nickname")).to_have_text("勇敢的熊猫")
    expect(typed.locator("#p-score")).to_have_text(score_before)
    assert Player.objects.filter(game=game, kicked=False).count() == 3  # the reload made no new player

    for phone, picks in ((typed, ("海洛因", "冰毒")), (scanned, ("维生素C",)), (signed_in, ("海洛因", "冰毒"))):
        for text in picks:
            choice(phone, text).click()
            expect(choice(phone, text)).to_have_attribute("aria-pressed", "true")
        if phone is typed:
            screenshot(typed, "live-player-multiple", full_page=False)
        phone.get_by_role("button", name="提交").click()
        expect(phone.locator("#p-submitted")).to_contain_text("已提交")
    expect(console.locator("#live-reveal")).to_be_visible()
    expect(console.locator("#live-choices .live-correct")).to_have_count(2)
    expect(typed.locator("#p-verdict")).to_contain_text("回答正确")
    expect(scanned.locator("#p-verdict")).to_contain_text("回答错误")

    # The last "next" finishes: podium on the projector and on every phone.
    console.get_by_role("button", name="结束并公布名次").click()
    expect(console.locator("#screen-podium")).to_be_visible()
    for name in ("勇敢的熊猫", generated, student.masked_name):
        expect(console.locator("#live-podium")).to_contain_text(name)
    for phone in (typed, scanned, signed_in):
        expect(phone.locator("#p-over")).to_be_visible()
        expect(phone.locator("#p-final")).to_contain_text("共 3 人")
        expect(phone.locator("#p-podium li")).to_have_count(3)
    expect(scanned.locator("#p-final")).to_contain_text("第 3 名")
    screenshot(console, "live-podium", full_page=False)
    screenshot(signed_in, "live-podium-phone", full_page=False)

    game.refresh_from_db()
    assert game.phase == Game.Phase.FINISHED
    assert PlayerAnswer.objects.filter(game=game).count() == 6
    response = console.request.get(f"{base}/quiz/host/{game.pk}/export.xlsx")
    assert response.status == 200 and response.body()[:2] == b"PK"


def test_finishing_in_the_lobby_cancels_the_game_on_the_console_and_the_phones(daphne_server, new_page):
    from playwright.sync_api import expect

    from quiz.services import live

    base = daphne_server.url
    teacher = UserFactory(username="teacher-sun", display_name="孙老师", roles=[roles.TEACHER])
    question = QuestionFactory()
    paper = [{"question_id": question.pk, "choice_ids": list(question.choices.values_list("id", flat=True))}]
    game = live.create_game(teacher, title="取消的竞答", paper=paper)

    console = new_page()
    site_login(console, base, teacher.username, f"/quiz/host/{game.pk}/")
    expect(console.locator("#live-conn")).to_have_text("已连接")
    phone = new_page(phone=True)
    phone.goto(f"{base}{play_prefix()}{game.pin}/")
    phone.get_by_role("button", name="加入").click()
    expect(phone.locator("#p-wait")).to_be_visible()
    expect(console.locator("#live-player-count")).to_have_text("1")

    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="结束").click()
    expect(console.locator("#live-podium")).to_have_text("本场竞答已取消。")
    expect(phone.locator("#p-over")).to_contain_text("本场竞答已结束")
    game.refresh_from_db()
    assert game.phase == Game.Phase.CANCELLED
