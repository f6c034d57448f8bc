"""Public pages: the application form, events and claims, my page, certificates and their verification.

No public page shows a full phone number; the verification page shows a masked name and no phone.
"""

import datetime
import io

import pytest
from django.urls import reverse
from PIL import Image

from campaigns.volunteers.models import Assignment, ServiceRecord, Skill, Volunteer
from tests.factories import PASSWORD

from .factories import EventFactory, RoleFactory, TeamFactory, VolunteerFactory, at, make_volunteer_login

pytestmark = pytest.mark.django_db


def application(team, **changes):
    data = {
        "name": "刘海燕",
        "phone": "13912345678",
        "gender": "female",
        "birth_year": "1982",
        "team": team.pk,
        "availability": ["weekend", "evening"],
        "consent": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_apply_requires_consent_and_speaks_chinese(client):
    team = TeamFactory(name="冷水滩区禁毒妈妈队")
    page = client.get(reverse("volunteers:apply"))
    assert page.status_code == 200 and "个人信息保护说明" in page.text and "冷水滩区禁毒妈妈队" in page.text
    response = client.post(reverse("volunteers:apply"), application(team, consent=None, phone="12345", name=""))
    assert response.status_code == 200
    assert "请阅读并勾选同意个人信息保护说明后再提交。" in response.text
    assert "请填写此项。" in response.text
    assert not Volunteer.objects.exists()


def test_apply_success(client):
    team = TeamFactory(name="零陵区禁毒讲师团")
    skill = Skill.objects.create(name="宣讲")
    response = client.post(reverse("volunteers:apply"), application(team, skills=[skill.pk]), follow=True)
    assert "申请已提交" in response.text and "零陵区禁毒讲师团" in response.text
    volunteer = Volunteer.objects.get()
    assert volunteer.status == Volunteer.Status.APPLIED and volunteer.consent_at is not None
    assert list(volunteer.skills.all()) == [skill] and volunteer.availability == ["weekend", "evening"]
    again = client.post(reverse("volunteers:apply"), application(team))
    assert "该手机号已登记" in again.text


def test_events_list_and_claim_by_a_signed_in_volunteer(client):
    event = EventFactory(title="6·26 广场宣传")
    role = RoleFactory(event=event, name="摄影", slots=1)
    volunteer = VolunteerFactory(phone="13700001111")
    Assignment.objects.create(
        volunteer=VolunteerFactory(phone="13700002222"), role=RoleFactory(event=event, name="引导"), status="confirmed"
    )
    listing = client.get(reverse("volunteers:events"))
    assert "6·26 广场宣传" in listing.text and "余 1 个名额" in listing.text
    anonymous = client.post(reverse("volunteers:event", args=[event.pk]), {"role": role.pk})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    user = make_volunteer_login(volunteer, "v1")
    client.login(username=user.username, password=PASSWORD)
    response = client.post(reverse("volunteers:event", args=[event.pk]), {"role": role.pk}, follow=True)
    assert "认领成功" in response.text
    assert Assignment.objects.get(volunteer=volunteer).status == Assignment.Status.CONFIRMED
    for url in [reverse("volunteers:events"), reverse("volunteers:event", args=[event.pk]), reverse("volunteers:me")]:
        text = client.get(url).text
        assert "13700001111" not in text and "13700002222" not in text, url
    assert "137****1111" in client.get(reverse("volunteers:me")).text


def test_an_applicant_cannot_claim(client):
    role = RoleFactory()
    volunteer = VolunteerFactory(status=Volunteer.Status.APPLIED)
    user = make_volunteer_login(volunteer, "v1")
    client.login(username=user.username, password=PASSWORD)
    assert client.post(reverse("volunteers:event", args=[role.event.pk]), {"role": role.pk}).status_code == 403
    assert not Assignment.objects.exists()


@pytest.fixture
def record():
    volunteer = VolunteerFactory(name="周秀英", phone="13755556666", id_last4="123X")
    day = datetime.date(2026, 6, 26)
    event = EventFactory(title="禁毒宣传", starts_at=at(day, "13:30"), ends_at=at(day, "16:00"))
    return ServiceRecord.objects.create(
        volunteer=volunteer,
        event=event,
        check_in=at(day, "13:30"),
        check_out=at(day, "15:45"),
        hours="2.2",
        content="禁毒宣传 · 引导",
        organisation="冷水滩区禁毒办",
        certificate_number="JK2026-ABCD1234",
        issued_on=day,
    )


def test_certificate_downloads_for_its_volunteer_only(client, record):
    url = reverse("volunteers:certificate", args=[record.certificate_number, "png"])
    assert client.get(url).status_code == 302  # sign in first
    other = make_volunteer_login(VolunteerFactory(), "other")
    client.login(username=other.username, password=PASSWORD)
    assert client.get(url).status_code == 404
    owner = make_volunteer_login(record.volunteer, "owner")
    client.login(username=owner.username, password=PASSWORD)
    png = client.get(url)
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (1600, 1130)
    pdf = client.get(reverse("volunteers:certificate", args=[record.certificate_number, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_verification_page_confirms_with_masked_name_and_no_phone(client, record):
    page = client.get(reverse("volunteers:verify", args=[record.certificate_number]))
    assert page.status_code == 200
    assert "真实有效" in page.text and "周*英" in page.text and "2.2" in page.text and "冷水滩区禁毒办" in page.text
    assert "周秀英" not in page.text and "13755556666" not in page.text and "5556666" not in page.text
    missing = client.get(reverse("volunteers:verify", args=["JK2026-NOPE0000"]))
    assert missing.status_code == 404 and "不存在" in missing.text


def test_my_page_invitations_confirm_and_decline(client):
    volunteer = VolunteerFactory()
    role = RoleFactory(slots=1)
    invitation = Assignment.objects.create(volunteer=volunteer, role=role, status=Assignment.Status.INVITED)
    user = make_volunteer_login(volunteer, "v1")
    client.login(username=user.username, password=PASSWORD)
    assert "确认参加" in client.get(reverse("volunteers:me")).text
    client.post(reverse("volunteers:respond", args=[invitation.pk, "confirm"]))
    invitation.refresh_from_db()
    assert invitation.status == Assignment.Status.CONFIRMED
    client.post(reverse("volunteers:respond", args=[invitation.pk, "decline"]))
    invitation.refresh_from_db()
    assert invitation.status == Assignment.Status.DECLINED
    stranger = Assignment.objects.create(volunteer=VolunteerFactory(), role=role, status=Assignment.Status.INVITED)
    assert client.post(reverse("volunteers:respond", args=[stranger.pk, "confirm"])).status_code == 404
