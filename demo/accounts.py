"""Account set-up that the demo and the tests share."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from accounts.models import User
from indicators.models import Area

SHENYANG = "210100"
DEMO_PASSWORD = "demo"
DEMO_ACCOUNTS = [
    # username, role, area code, display name
    ("demo-province", User.Role.PROVINCE, None, "省厅演示用户"),
    ("demo-shenyang", User.Role.CITY, SHENYANG, "沈阳市填报演示用户"),
    ("demo-auditor", User.Role.AUDITOR, None, "审计演示用户"),
    ("demo-admin", User.Role.ADMIN, None, "管理员演示用户"),
]


def create_demo_accounts() -> list[User]:
    """One account per role, all with the password "demo". Refused unless settings.DEMO_MODE is on, so a production
    deployment never has them."""
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("Demo accounts are only created with DEMO_MODE=1.")
    users = []
    for username, role, area_code, display_name in DEMO_ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "area": Area.objects.get(code=area_code) if area_code else None,
                "last_name": display_name,
                "is_staff": role == User.Role.ADMIN,
                "is_superuser": role == User.Role.ADMIN,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        users.append(user)
    return users
