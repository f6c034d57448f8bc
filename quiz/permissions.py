"""Which roles may work on the question bank in the Wagtail admin."""

from accounts import roles

# Publicity staff curate the bank; teachers and students never enter the admin for it.
BANK_ROLES = (roles.PUBLICITY_EDITOR, roles.PUBLICITY_APPROVER, roles.DISTRICT_ADMIN)
BANK_MODELS = ("question", "choice", "category")
ACTIONS = ("add", "change", "delete", "view")


def grant_bank_permissions(Group, Permission):
    """Give every bank role add/change/delete/view on the bank's models.

    Takes the model classes so the data migration (historical models) and
    the tests (after a transactional flush) share one definition.
    """
    perms = Permission.objects.filter(
        content_type__app_label="quiz",
        codename__in=[f"{action}_{model}" for model in BANK_MODELS for action in ACTIONS],
    )
    for name in BANK_ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)
