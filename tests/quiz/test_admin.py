"""The bank in the Wagtail admin, as real non-superusers: publicity staff work, others are kept out."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from accounts.roles import ensure_role_groups
from quiz import admin_views
from quiz.bank_io.tabular import COLUMNS
from quiz.models import AudienceBand, Question
from quiz.permissions import grant_bank_permissions
from quiz.services import ensure_bank_lookups
from tests.factories import PASSWORD, UserFactory

from .factories import CategoryFactory, QuestionFactory
from .test_import import FILES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def bank_roles():
    ensure_role_groups()
    ensure_bank_lookups()
    grant_bank_permissions(Group, Permission)


def login(client, role):
    user = UserFactory(roles=[role])
    assert client.login(username=user.username, password=PASSWORD)
    return user


@pytest.fixture
def editor(client):
    login(client, roles.PUBLICITY_EDITOR)
    return client


def choice_data(choices, prefix="choices"):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(choices)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "2",
        f"{prefix}-MAX_NUM_FORMS": "6",
    }
    for i, (text, correct) in enumerate(choices):
        data[f"{prefix}-{i}-text"] = text
        data[f"{prefix}-{i}-ORDER"] = str(i + 1)
        data[f"{prefix}-{i}-id"] = ""
        data[f"{prefix}-{i}-DELETE"] = ""
        if correct:
            data[f"{prefix}-{i}-is_correct"] = "on"
    return data


def question_data(category, **fields):
    data = {
        "category": str(category.pk),
        "type": "single",
        "difficulty": "2",
        "stem": "通过后台添加的题目：毒品是指（  ）。",
        "explanation": "见禁毒法第二条。",
        "source": "《中华人民共和国禁毒法》第二条",
        "bands": [str(band.pk) for band in AudienceBand.objects.filter(name__in=["小学", "初中"])],
        "tags": "",
        "image": "",
        "is_active": "on",
    }
    data.update(fields)
    return data


def test_editor_lists_filters_and_searches_questions(editor):
    laws = CategoryFactory(name="禁毒法律法规")
    history = CategoryFactory(name="禁毒历史")
    QuestionFactory(category=laws, stem="法律题：禁毒法何时施行？")
    QuestionFactory(
        category=history,
        type="multiple",
        stem="历史题：虎门销烟的意义",
        choices=[("甲", True), ("乙", True), ("丙", False)],
    )
    response = editor.get(reverse("questions:index"))
    assert response.status_code == 200
    assert "法律题" in response.text and "历史题" in response.text
    response = editor.get(reverse("questions:index"), {"category": history.pk, "type": "multiple"})
    assert "历史题" in response.text and "法律题" not in response.text
    response = editor.get(reverse("questions:index"), {"q": "虎门"})
    assert "历史题" in response.text and "法律题" not in response.text
    band = AudienceBand.objects.get(name="小学")
    law_question = Question.objects.get(stem__startswith="法律题")
    law_question.bands.add(band)
    law_question.save()  # parental many-to-many changes are written on save
    response = editor.get(reverse("questions:index"), {"bands": band.pk, "difficulty": 2})
    assert "法律题" in response.text and "历史题" not in response.text


def test_editor_adds_a_question_with_inline_choices(editor):
    category = CategoryFactory(name="毒品知识")
    data = question_data(category) | choice_data([("麻醉药品和精神药品", True), ("所有药品", False), ("保健品", False)])
    response = editor.post(reverse("questions:add"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    question = Question.objects.get(stem="通过后台添加的题目：毒品是指（  ）。")
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("麻醉药品和精神药品", True),
        ("所有药品", False),
        ("保健品", False),
    ]
    assert question.band_names() == ["小学", "初中"]


def test_admin_form_applies_the_choice_rules(editor):
    category = CategoryFactory(name="毒品知识")
    data = question_data(category) | choice_data([("甲", True), ("乙", True)])
    response = editor.post(reverse("questions:add"), data)
    assert response.status_code == 200
    assert "单选题必须恰好有一个正确选项。" in response.text
    assert not Question.objects.exists()


def test_editor_edits_a_question_type_and_choices(editor):
    question = QuestionFactory(choices=[("甲", True), ("乙", False), ("丙", False)])
    choices = list(question.choices.all())
    data = question_data(question.category, type="multiple", stem=question.stem) | choice_data(
        [("甲", True), ("乙", True), ("丙", False)]
    )
    data["choices-INITIAL_FORMS"] = "3"
    for i, choice in enumerate(choices):
        data[f"choices-{i}-id"] = str(choice.pk)
    response = editor.post(reverse("questions:edit", args=[question.pk]), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.type == "multiple"
    assert [c.is_correct for c in question.choices.all()] == [True, True, False]


@pytest.mark.parametrize("role", [roles.STUDENT, roles.TEACHER])
def test_students_and_teachers_are_kept_out(client, role):
    question = QuestionFactory()
    login(client, role)
    for url in (
        reverse("questions:index"),
        reverse("questions:add"),
        reverse("questions:edit", args=[question.pk]),
        reverse("question-categories:index"),
        reverse("question-import:upload"),
        reverse("question-import:template"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert question.stem not in response.content.decode()


def test_admin_roles_without_bank_permissions_see_no_questions(client):
    question = QuestionFactory()
    login(client, roles.SCHOOL_ADMIN)
    for url in (reverse("questions:index"), reverse("questions:edit", args=[question.pk])):
        response = client.get(url)
        assert response.status_code in (302, 403)
    assert client.get(reverse("question-import:upload")).status_code in (302, 403)


def test_listing_exports_xlsx(editor):
    QuestionFactory(stem="导出题", choices=[("甲", False), ("乙", True)])
    response = editor.get(reverse("questions:index"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "question-bank" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("ID", "分类", "题型", "题干", "选项", "答案")
    assert rows[1][3] == "导出题" and rows[1][4] == "A. 甲\nB. 乙" and rows[1][5] == "B"


def test_template_download(editor):
    response = editor.get(reverse("question-import:template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert list(next(sheet.iter_rows(values_only=True))) == COLUMNS


@pytest.fixture
def inline_jobs(monkeypatch):
    # The page starts a thread in production; here the job runs inside the test's transaction.
    monkeypatch.setattr(admin_views, "run_in_background", lambda target, *args: target(*args))


def test_upload_page_imports_and_reports(editor, inline_jobs):
    assert editor.get(reverse("question-import:upload")).status_code == 200
    with (FILES / "malformed.gift").open("rb") as upload:
        response = editor.post(reverse("question-import:upload"), {"file": upload, "format": ""})
    assert response.status_code == 302
    job_url = response["Location"]
    status = editor.get(job_url + "status/").json()
    assert status == {"state": "done", "percent": 100, "error": ""}
    page = editor.get(job_url)
    assert "整个文件都没有导入" in page.text
    assert "没有正确答案" in page.text and "<td>12</td>" in page.text
    assert not Question.objects.exists()

    with (FILES / "malformed.gift").open("rb") as upload:
        response = editor.post(reverse("question-import:upload"), {"file": upload, "skip_invalid": "on"})
    assert "已导入" in editor.get(response["Location"]).text
    assert Question.objects.count() == 1


def test_jobs_belong_to_their_uploader(editor, inline_jobs):
    with (FILES / "sample.aiken").open("rb") as upload:
        response = editor.post(
            reverse("question-import:upload"), {"file": upload, "format": "aiken", "category": "毒品知识"}
        )
    job_url = response["Location"]
    assert Question.objects.count() == 3
    other = Client()
    login(other, roles.PUBLICITY_APPROVER)
    assert other.get(job_url).status_code == 404
    assert other.get(job_url + "status/").status_code == 404
