from django import template

from uploads.approval import available_actions, current_approval

register = template.Library()


@register.inclusion_tag("uploads/_approval.html", takes_context=True)
def quarter_approval(context, area, year, quarter):
    """The area's quarter approval and the buttons the person may press."""
    request = context["request"]
    approval = current_approval(area, year, quarter) if area and year and quarter else None
    return {
        "area": area,
        "year": year,
        "quarter": quarter,
        "approval": approval,
        "actions": available_actions(request.user, area, approval) if area and year else [],
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
