"""The one place that hides personal data on public pages and exports.

Public boards show 张*明, never a minor's full name; phone numbers appear as
138****5678 outside the volunteer's own team leader and staff.
"""


def mask_name(name: str) -> str:
    """Mask a personal name, keeping the first and (for 3+ characters) last character.

    张三 -> 张*, 张小明 -> 张*明, 欧阳小明 -> 欧**明, Tom -> T*m.
    """
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """Mask a phone number as 138****5678; anything shorter than 7 characters is hidden whole."""
    phone = (phone or "").strip()
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "****" + phone[-4:]
