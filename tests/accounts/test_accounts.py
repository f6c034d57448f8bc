import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from accounts.masking import mask_name, mask_phone
from tests.factories import PASSWORD, UserFactory


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("张三", "张*"), ("张小明", "张*明"), ("欧阳小明", "欧**明"), ("李", "李"), ("", ""), ("Tom", "T*m")],
)
def test_mask_name(raw, masked):
    assert mask_name(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"), [("13812345678", "138****5678"), ("+8613812345678", "+86****5678"), ("12345", "*****")]
)
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


@pytest.mark.django_db
def test_role_groups_exist_and_admin_roles_may_enter_wagtail():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ALL_ROLES) <= names
    for role in roles.ADMIN_ROLES:
        assert Group.objects.get(name=role).permissions.filter(codename="access_admin").exists(), role
    assert not Group.objects.get(name=roles.STUDENT).permissions.filter(codename="access_admin").exists()


@pytest.mark.django_db
def test_user_name_and_masked_name():
    user = UserFactory(username="u1", display_name="王小明", phone="13800001111")
    assert str(user) == "王小明"
    assert user.masked_name == "王*明"
    assert roles.has_role(user, roles.TEACHER) is False
    user.groups.add(Group.objects.get(name=roles.TEACHER))
    fresh = type(user).objects.get(pk=user.pk)
    assert roles.has_role(fresh, roles.TEACHER) is True


@pytest.mark.django_db
def test_phone_is_validated():
    from django.core.exceptions import ValidationError

    user = UserFactory.build(username="bad", phone="abc")
    with pytest.raises(ValidationError) as err:
        user.full_clean()
    assert "phone" in err.value.message_dict


@pytest.mark.django_db
def test_sign_in_sign_out_and_password_change(client):
    UserFactory(username="teacher1", display_name="刘老师")
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert "登录" in page.text and 'class="site-header"' in page.text

    bad = client.post(reverse("accounts:login"), {"username": "teacher1", "password": "wrong"})
    assert bad.status_code == 200 and "form-errors" in bad.text

    ok = client.post(reverse("accounts:login"), {"username": "teacher1", "password": PASSWORD})
    assert ok.status_code == 302
    assert "刘老师" in client.get("/").text

    change = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "a-new-Passw0rd!", "new_password2": "a-new-Passw0rd!"},
    )
    assert change.status_code == 302 and change.url == reverse("accounts:password_change_done")

    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:password_change")).status_code == 302  # signed out -> login redirect
    assert client.login(username="teacher1", password="a-new-Passw0rd!")


@pytest.mark.django_db
def test_password_change_requires_sign_in(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
