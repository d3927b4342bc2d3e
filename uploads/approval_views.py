"""The approval buttons: submit, approve, return, unlock one area's quarter (uploads.approval does the work)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.localized import localized, quarter_name
from indicators.models import Area

from .approval import ACTIONS, ApprovalRefused, take_action


@require_POST
def quarter_approval(request, area_code: str, year: int, quarter: int):
    area = get_object_or_404(Area, code=area_code)
    action = request.POST.get("action", "")
    try:
        approval = take_action(
            action,
            area=area,
            year=year,
            quarter=quarter,
            user=request.user,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except ApprovalRefused as refusal:
        messages.error(request, str(refusal))
    else:
        done = _("%(area)s%(quarter)s：%(action)s完成（%(status)s）。") % {
            "area": localized(area),
            "quarter": quarter_name(year, quarter),
            "action": _(ACTIONS[action][0]),  # the button's own words, translated with it
            "status": approval.get_status_display(),
        }
        messages.success(request, done)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "completeness"
    return redirect(target)
