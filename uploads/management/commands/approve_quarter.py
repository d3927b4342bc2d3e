from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from indicators.models import Area
from uploads.approval import ApprovalRefused, current_approval, take_action
from uploads.models import QuarterApproval


class Command(BaseCommand):
    help = (
        "季度数据审核：按用户角色提交审核或审核通过；--return 退回，--unlock 解锁（均须说明理由）。"
        "Submit (a city officer) or approve (provincial staff) an area's quarter; --return or --unlock with a reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="区划代码 area code, e.g. 210100")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--user", required=True, help="操作人用户名")
        steps = parser.add_mutually_exclusive_group()
        steps.add_argument("--return", dest="return_reason", metavar="REASON", help="退回，并写明理由")
        steps.add_argument("--unlock", dest="unlock_reason", metavar="REASON", help="解锁已审核通过的季度，并写明理由")

    def handle(self, *args, area, year, quarter, user, return_reason, unlock_reason, **options):
        person = get_user_model().objects.filter(username=user).first()
        if person is None:
            raise CommandError(f"用户“{user}”不存在。")
        area_obj = Area.objects.filter(code=area).first()
        if area_obj is None:
            raise CommandError(f"地区代码“{area}”不存在。")
        existing = current_approval(area_obj, year, quarter)
        if return_reason is not None:
            action, reason = "return", return_reason
        elif unlock_reason is not None:
            action, reason = "unlock", unlock_reason
        elif existing and existing.status == QuarterApproval.Status.SUBMITTED and person.role != person.Role.CITY:
            action, reason = "approve", ""
        else:
            action, reason = "submit", ""
        try:
            approval = take_action(action, area=area_obj, year=year, quarter=quarter, user=person, reason=reason)
        except ApprovalRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"{area_obj.name}{year}年第{quarter}季度：{approval.get_status_display()}")
