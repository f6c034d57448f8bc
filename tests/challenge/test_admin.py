"""Publicity staff set challenges up in the Wagtail admin; other roles get no access."""

import pytest
from django.test import Client

from accounts import roles
from tests.factories import UserFactory

from .factories import make_challenge

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [roles.PUBLICITY_EDITOR, roles.PUBLICITY_APPROVER])
def test_publicity_staff_edit_challenges_with_their_groups(role):
    challenge = make_challenge()
    client = Client()
    client.force_login(UserFactory(username="pub", roles=[role]))
    assert challenge.title in client.get("/admin/challenges/").content.decode()
    edit = client.get(f"/admin/challenges/edit/{challenge.pk}/").content.decode()
    assert "组别与试卷规则" in edit and "社会" in edit
    assert client.get("/admin/challenges/new/").status_code == 200


@pytest.mark.parametrize("role", [roles.SCHOOL_ADMIN, roles.TEAM_LEADER])
def test_other_admin_roles_cannot_open_challenges(role):
    challenge = make_challenge()
    client = Client()
    client.force_login(UserFactory(username="other", roles=[role]))
    for path in ("/admin/challenges/", f"/admin/challenges/edit/{challenge.pk}/"):
        response = client.get(path)
        assert response.status_code in (302, 403) or challenge.title not in response.content.decode()
