from django.shortcuts import render

from .forms import PlanFilterForm
from .models import Section
from .plan_text import sentence_around
from .selectors import departments_by_role, targets_with_responsibility

CONTEXT = 40  # characters of the sentence shown either side of the quotation


def plan_outline(request):
    """The plan's outline with its targets, filterable by section, department, special column and year."""
    form = PlanFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    targets = list(
        targets_with_responsibility(
            section_code=filters["section"].code if filters.get("section") else None,
            department_code=filters["department"].code if filters.get("department") else None,
            special_column=filters["special_column"].number if filters.get("special_column") else None,
            target_year=filters.get("target_year"),
        )
    )
    by_section: dict[int, list] = {}
    for target in targets:
        target.lead, target.cooperating = departments_by_role(target)
        target.sentence = sentence_around(target.source_offset, len(target.source_text))
        before, quote, after = target.sentence.partition(target.source_text)
        # Long sentences are shown around the quotation; the whole sentence is in the tooltip.
        target.sentence_parts = (
            "…" + before[-CONTEXT:] if len(before) > CONTEXT else before,
            quote,
            after[:CONTEXT] + "…" if len(after) > CONTEXT else after,
        )
        by_section.setdefault(target.section_id, []).append(target)
    sections = [s for s in Section.objects.all() if s.pk in by_section or s.kind != Section.Kind.BATTLE]
    shown = {t.section.parent_id for t in targets} | set(by_section)
    outline = [
        {"section": s, "targets": by_section.get(s.pk, [])}
        for s in sections
        if s.pk in shown or s.kind == Section.Kind.PART
    ]
    return render(
        request,
        "targets/plan_outline.html",
        {
            "form": form,
            "outline": outline,
            "target_count": len(targets),
        },
    )
