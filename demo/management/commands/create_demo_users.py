from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from demo.accounts import DEMO_PASSWORD, create_demo_accounts


class Command(BaseCommand):
    help = "创建演示账户（仅 DEMO_MODE=1 时可用）。Create one demo account per role (demo mode only)."

    def handle(self, *args, **options):
        try:
            users = create_demo_accounts()
        except ImproperlyConfigured as error:
            raise CommandError(f"{error} 生产环境不创建演示账户。") from error
        self.stdout.write(self.style.SUCCESS("演示账户 (demo accounts), 密码 password: " + DEMO_PASSWORD))
        for user in users:
            area = f" · {user.area.name}" if user.area else ""
            self.stdout.write(f"  {user.username:<15} {user.get_role_display()}{area}")
