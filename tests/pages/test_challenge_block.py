"""The campaign pages' knowledge-challenge block: a real challenge's status, counters and masked mini board; nothing
public for a deleted or unpublished challenge; the admin editor with its chooser; old block data; the demo."""

import datetime
import importlib
import json
import re
from unittest.mock import ANY

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from campaigns.pages import challenge_embed
from campaigns.pages.blocks import BodyBlock, ChallengeEntryBlock
from campaigns.pages.demo import LEGACY_CHALLENGE_TITLE, seed_challenge_block
from campaigns.pages.models import CampaignPage
from quiz.models import Challenge
from quiz.services import challenge as svc
from tests.challenge.factories import correct_choice, make_bank, make_challenge, make_org, register_student

pytestmark = pytest.mark.django_db


def finish(participant, right=True):
    """Take and submit a whole paper through the services."""
    attempt, _resumed = svc.start_attempt(participant)
    for index, item in enumerate(attempt.paper):
        choice = correct_choice(item["question_id"]) if right else item["choice_ids"][-1]
        svc.save_answer(attempt.pk, index, [choice])
    return svc.submit(attempt.pk)


def block_value(challenge, **extra):
    return {"challenge": challenge.pk if challenge else None, "title": "", "description": "", **extra}


def campaign_with(tree, *values, slug="with-challenge"):
    return tree.campaign(
        title="禁毒宣传月", slug=slug, body=[{"type": "challenge", "value": value} for value in values]
    )


@pytest.fixture
def board_challenge(tree, django_capture_on_commit_callbacks):
    # The bank's cache version and the boards follow commits: run those callbacks here, in one transaction.
    with django_capture_on_commit_callbacks(execute=True):
        make_bank("小学", 6)
        make_bank("社会", 6)
        challenge = make_challenge(question_count=4)
    with django_capture_on_commit_callbacks(execute=True):
        _district, _school, klass = make_org("东安县", "阳光小学", "五年级1班")
        finish(
            register_student(
                challenge, "张小明", klass, is_under_14=True, guardian_name="张大山", guardian_consent=True
            )
        )
        finish(register_student(challenge, "欧阳小明", klass), right=False)
    return challenge


def test_block_shows_a_live_challenge_with_masked_names_only(client, tree, board_challenge):
    page = campaign_with(tree, block_value(board_challenge, description="每天一次计分机会"))
    html = client.get(page.url).text
    section = html[html.index('<section class="card chal-embed"') :]
    section = section[: section.index("</section>")]
    assert "6·26 全民禁毒知识挑战赛" in section
    assert "每天一次计分机会" in section
    assert "进行中" in section
    assert re.search(r"距结束还有 (9|10) 天", section)
    assert re.search(r'data-role="participants">2<', section) and re.search(r'data-role="finished">2<', section)
    assert 'href="/quiz/challenge/626/"' in section and "参加挑战" in section
    assert 'href="/quiz/challenge/626/screen/"' in section
    assert f'data-ws="/ws/board/{board_challenge.pk}/"' in section
    # The board: masked names in score order, the school, and the script that keeps it live.
    people = re.findall(r'class="chal-embed-name">([^<]+)<', section)
    assert people[:2] == ["张*明", "欧**明"]
    assert "阳光小学" in section
    assert "张小明" not in html and "欧阳小明" not in html
    assert "js/challenge.js" in section
    # The window, in Beijing time whatever the server's zone.
    starts = timezone.localtime(board_challenge.starts_at, datetime.timezone(datetime.timedelta(hours=8)))
    assert starts.strftime("%H:%M") in section


def test_title_override_rows_and_board_switch(client, tree, board_challenge, django_capture_on_commit_callbacks):
    _district, _school, klass = make_org("东安县", "阳光小学", "五年级2班")
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("李思远", "王小雨", "赵雨桐"):
            finish(register_student(board_challenge, name, klass))
    page = campaign_with(
        tree,
        block_value(board_challenge, title="全市网络答题", rows=3),
        block_value(board_challenge, show_board=False),
    )
    html = client.get(page.url).text
    first, second = html.split('<section class="card chal-embed"')[1:3]
    assert "全市网络答题" in first
    group = first[first.index('data-group="小学" aria-label') :]
    group = group[: group.index("</ol>")]
    assert group.count("<li>") == 3
    assert "chal-embed-board" not in second.split("</section>")[0]
    assert 'data-role="participants">5<' in second
    for full in ("张小明", "欧阳小明", "李思远", "王小雨", "赵雨桐"):
        assert full not in html


def test_status_and_countdown_over_the_window(board_challenge):
    c = board_challenge
    before = c.starts_at - datetime.timedelta(hours=2, minutes=3, seconds=4)
    assert challenge_embed.status_of(c, before)["label"] == "未开始"
    assert challenge_embed.status_of(c, before)["countdown"] == "距开始 02:03:04"
    assert challenge_embed.status_of(c, c.starts_at - datetime.timedelta(days=3, hours=1))["countdown"] == (
        "距开始还有 3 天"
    )
    assert challenge_embed.status_of(c, c.ends_at - datetime.timedelta(seconds=59))["countdown"] == "距结束 00:00:59"
    ended = challenge_embed.status_of(c, c.ends_at)
    assert (ended["state"], ended["label"], ended["countdown"]) == ("ended", "已结束", "")


def test_upcoming_and_ended_challenges_link_to_details(client, tree):
    now = timezone.now()
    soon = make_challenge(slug="soon", starts=now + datetime.timedelta(days=2), ends=now + datetime.timedelta(days=9))
    over = make_challenge(slug="over", starts=now - datetime.timedelta(days=9), ends=now - datetime.timedelta(days=2))
    html = client.get(campaign_with(tree, block_value(soon), block_value(over)).url).text
    first, second = html.split('<section class="card chal-embed"')[1:3]
    assert "未开始" in first and "距开始还有 1 天" in first and "查看详情" in first and "参加挑战" not in first
    assert "已结束" in second and "查看详情" in second and "距结束" not in second
    assert "等待第一位交卷者" in first


def test_unpublished_or_deleted_challenge_shows_nothing_in_public(client, tree, board_challenge):
    draft = Challenge.objects.create(
        title="草稿挑战赛",
        slug="draft",
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(days=3),
    )
    gone = make_challenge(slug="gone")
    page = campaign_with(tree, block_value(draft), block_value(gone))
    gone.delete()
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.text
    assert "chal-embed" not in html and "草稿挑战赛" not in html and "/ws/board/" not in html

    # In the editor's preview, the editor is told why the block is missing.
    request = RequestFactory().get("/")
    request.is_preview = True
    block = ChallengeEntryBlock()
    preview = block.render(block.to_python(block_value(draft)), context={"request": request})
    assert "该挑战赛尚未发布" in preview and "草稿挑战赛" not in preview
    missing = block.render(block.to_python({"challenge": 999_999, "title": "旧标题"}), context={"request": request})
    assert "该挑战赛已被删除" in missing


def test_old_block_data_renders_without_error(client, tree):
    page = tree.campaign(
        title="旧页面",
        slug="old-shape",
        body=[{"type": "challenge", "value": {"title": "旧挑战赛", "url": "/quiz/", "description": "旧说明"}}],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    assert "chal-embed" not in response.text


def test_migration_carries_old_blocks_over():
    migration = importlib.import_module("campaigns.pages.migrations.0005_challenge_block")
    operation = migration.LinkOldChallengeBlocks()
    operation.slugs, operation.titles = {"626-challenge": 7}, {7: "6·26 全民禁毒知识挑战赛", 3: "旧的挑战赛"}
    old = [
        {"type": "heading", "value": {"text": "标题", "size": "h2"}, "id": "a"},
        {
            "type": "challenge",
            "value": {
                "title": "6·26 全民禁毒知识挑战赛",
                "url": "/quiz/challenge/626-challenge/",
                "description": "说明",
            },
            "id": "b",
        },
        {"type": "challenge", "value": {"title": "按编号", "url": "/quiz/challenges/3/", "description": ""}, "id": "c"},
        {"type": "challenge", "value": {"title": "全市答题", "url": "/quiz/", "description": "每天一次"}, "id": "d"},
        {"type": "challenge", "value": block_value(None) | {"challenge": 7}, "id": "e"},
    ]
    new = operation.apply(old)
    assert new[0] == old[0] and new[4] == old[4]
    assert new[1] == {
        "type": "challenge",
        "value": {"challenge": 7, "title": "", "description": "说明", "show_board": True, "rows": 5},
        "id": "b",
    }
    assert new[2]["value"]["challenge"] == 3 and new[2]["value"]["title"] == "按编号"
    assert new[3] == {
        "type": "call_to_action",
        "value": {"title": "全市答题", "text": "每天一次", "button_text": "参加挑战", "page": None, "url": "/quiz/"},
        "id": "d",
    }
    # What comes out is valid for today's blocks.
    BodyBlock().to_python([new[1], new[3]])


def editor_form(page, body):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "start_date": "2026-06-01",
            "body": streamfield(body),
            "events": inline_formset([]),
            "gallery_images": inline_formset([]),
            "materials": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    return data


def test_editor_chooses_a_challenge_in_the_admin(client, tree, editor, board_challenge):
    other = make_challenge(slug="other")
    other.title = "冬季禁毒知识挑战赛"
    other.save()
    page = campaign_with(tree, block_value(board_challenge))
    client.force_login(editor)

    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = client.get(edit_url)
    assert response.status_code == 200
    # The StreamField's definition and value travel as JSON: the chooser's button and the chosen challenge.
    assert json.dumps("选择知识挑战赛")[1:-1] in response.text
    assert f"/admin/challenges/edit/{board_challenge.pk}/" in response.text

    chooser = client.get(reverse("challenge_chooser:choose"))
    assert chooser.status_code == 200
    listing = chooser.json()["html"]
    assert "冬季禁毒知识挑战赛" in listing and "6·26 全民禁毒知识挑战赛" in listing and "结束时间" in listing
    chosen = client.get(reverse("challenge_chooser:chosen", args=(other.pk,)))
    assert chosen.status_code == 200
    assert chosen.json()["result"] == {"id": str(other.pk), "title": "冬季禁毒知识挑战赛", "edit_url": ANY}

    value = {"challenge": other.pk, "title": "冬季答题", "description": "寒假", "show_board": False, "rows": 4}
    response = client.post(edit_url, editor_form(page, [("challenge", value)]))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    draft = CampaignPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    saved = [child.value for child in draft.body if child.block_type == "challenge"]
    assert len(saved) == 1 and saved[0]["challenge"] == other and saved[0]["rows"] == 4
    assert saved[0]["show_board"] is False and saved[0]["title"] == "冬季答题"

    # A draft may leave the challenge empty for now; submitting it for review may not.
    data = editor_form(page, [("challenge", value | {"challenge": ""})])
    data["action-submit"] = "Submit"
    response = client.post(edit_url, data)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_demo_puts_the_block_on_the_626_page_once(tree):
    challenge = make_challenge(slug="626-challenge")
    page = tree.campaign(
        title="6·26 宣传月",
        slug="626-month",
        body=[
            {"type": "statistics", "value": {"title": "目标", "items": [{"value": "300+", "label": "场活动"}]}},
            {
                "type": "call_to_action",
                "value": {"title": LEGACY_CHALLENGE_TITLE, "text": "", "button_text": "参加挑战", "url": "/quiz/"},
            },
            {"type": "quote", "value": {"text": "珍爱生命", "attribution": ""}},
        ],
    )
    assert seed_challenge_block(challenge) is True
    page = CampaignPage.objects.get(pk=page.pk)
    assert [child.block_type for child in page.body] == ["statistics", "challenge", "quote"]
    assert page.body[1].value["challenge"] == challenge
    assert seed_challenge_block(challenge) is False  # seeding again changes nothing
    # Seeded again after the challenge was deleted and made anew: the block follows.
    challenge.delete()
    again = make_challenge(slug="626-challenge")
    assert seed_challenge_block(again) is True
    page = CampaignPage.objects.get(pk=page.pk)
    assert [child.value["challenge"] for child in page.body if child.block_type == "challenge"] == [again]
