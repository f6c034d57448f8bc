"""The data migration gives the publicity roles the bank, and nobody else."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from quiz.models import AudienceBand, Category

pytestmark = pytest.mark.django_db


def bank_codenames(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.filter(content_type__app_label="quiz").values_list("codename", flat=True))


@pytest.mark.parametrize("role", [roles.PUBLICITY_EDITOR, roles.PUBLICITY_APPROVER, roles.DISTRICT_ADMIN])
def test_publicity_roles_manage_the_bank(role):
    expected = {
        f"{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("question", "choice", "category")
    }
    assert expected <= bank_codenames(role)


@pytest.mark.parametrize("role", [roles.STUDENT, roles.TEACHER, roles.SCHOOL_ADMIN, roles.TEAM_LEADER])
def test_other_roles_get_nothing_in_the_bank(role):
    assert bank_codenames(role) == set()


def test_migration_seeds_categories_and_bands():
    assert list(AudienceBand.objects.values_list("name", flat=True)) == ["小学", "初中", "高中职高", "大学", "社会"]
    assert Category.objects.filter(name__in=["禁毒方针政策", "新精神活性物质", "6·27工程"]).count() == 3
