"""An app's model permissions per role, and the one way to grant them.

Each campaign app lists what its roles may do in its ``permissions.py``; the
data migration grants that with historical models, and tests (after a
transactional flush) and seed_demo grant it again with the live ones.
"""


class RolePermissions:
    """``codenames_by_role`` maps a role (a group name) to codenames of ``app_label``'s permissions."""

    def __init__(self, app_label: str, codenames_by_role: dict[str, list[str]]):
        self.app_label = app_label
        self.codenames_by_role = codenames_by_role

    def grant(self, Group, Permission):
        """Add the permissions to the role groups (creating a missing group).

        Takes the model classes so a data migration can pass its historical models.
        """
        for role, codenames in self.codenames_by_role.items():
            group, _ = Group.objects.get_or_create(name=role)
            perms = Permission.objects.filter(content_type__app_label=self.app_label, codename__in=codenames)
            group.permissions.add(*perms)

    def ensure(self):
        """Grant with the live models."""
        from django.contrib.auth.models import Group, Permission

        self.grant(Group, Permission)
