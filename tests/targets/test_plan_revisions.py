"""An edit in the admin is a plan revision (reason and 文号 required, recorded per field), and load_plan does not
silently undo it: it keeps the revised value, lists the conflict and exits non-zero unless told to overwrite."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from targets.models import PlanRevision, Target


def _post_data(response) -> dict:
    """Everything the admin change form would send back unchanged: the main form and every inline's forms."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            key = form.add_prefix(name)
            if isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[formset.management_form.add_prefix(name)] = str(value)
        for form in formset.initial_forms:
            add(form)
    return data


@pytest.fixture
def admin_client_for(client, admin_user):
    client.force_login(admin_user)
    return client


def _revise(client, target, **changes):
    url = reverse("admin:targets_target_change", args=[target.pk])
    data = {**_post_data(client.get(url)), **changes}
    return client.post(url, data)


def test_an_admin_edit_needs_a_reason_and_a_document_number(admin_client_for, plan):
    target = Target.objects.get(code="1-02")
    response = _revise(admin_client_for, target, value="33")
    assert response.status_code == 200  # the form comes back with its errors
    assert "revision_reason" in response.context["adminform"].form.errors
    response = _revise(
        admin_client_for, target, value="33", revision_reason="太短", revision_document="辽政发〔2024〕1号"
    )
    assert "revision_reason" in response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.value == 34
    assert not PlanRevision.objects.exists()


def test_an_admin_revision_survives_load_plan_which_reports_the_conflict(admin_client_for, plan, admin_user):
    target = Target.objects.get(code="1-02")
    reason = "国家下达辽宁省PM2.5目标调整为33微克/立方米，据此修订。"
    response = _revise(
        admin_client_for, target, value="33", revision_reason=reason, revision_document="辽政办发〔2024〕7号"
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    revision = PlanRevision.objects.get()
    assert (revision.object_key, revision.field, revision.old_value, revision.new_value) == (
        "1-02",
        "value",
        34.0,
        33.0,
    )
    assert (revision.reason, revision.document_number, revision.revised_by) == (
        reason,
        "辽政办发〔2024〕7号",
        admin_user,
    )
    assert target.history.latest().history_change_reason == f"{reason}（辽政办发〔2024〕7号）"

    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("load_plan", stdout=out, stderr=err)
    assert exit_.value.code == 1
    assert "1-02" in err.getvalue() and "辽政办发〔2024〕7号" in err.getvalue() and "34" in err.getvalue()
    target.refresh_from_db()
    assert target.value == 33

    call_command("load_plan", "--overwrite-revisions", stdout=out, stderr=err)
    target.refresh_from_db()
    assert target.value == 34
    overwrite = PlanRevision.objects.filter(source=PlanRevision.Source.FIXTURE_OVERWRITE).get()
    assert (overwrite.old_value, overwrite.new_value) == (33.0, 34.0)
    call_command("load_plan", stdout=out, stderr=err)  # agreed again: no conflict, exit 0


def test_a_per_area_value_revised_inline_is_kept_too(admin_client_for, plan):
    target = Target.objects.filter(area_values__area__code="210100").first()
    value = target.area_values.get(area__code="210100")
    url = reverse("admin:targets_target_change", args=[target.pk])
    data = _post_data(admin_client_for.get(url))
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == str(value.pk)).removesuffix("-id")
    data.update(
        {
            f"{prefix}-value": str(value.value + 1),
            "revision_reason": "市政府来函调整本市分解目标，经省厅同意。",
            "revision_document": "沈政函〔2024〕3号",
        }
    )
    assert admin_client_for.post(url, data).status_code == 302
    assert PlanRevision.objects.filter(object_key=f"{target.code}@210100", field="value").exists()
    with pytest.raises(SystemExit):
        call_command("load_plan", stdout=io.StringIO(), stderr=io.StringIO())
    value.refresh_from_db()
    assert value.value == target.area_values.get(area__code="210100").value
    assert PlanRevision.objects.get().new_value == value.value


def test_a_yearly_duty_is_revised_like_any_field_and_keeps_its_rules(admin_client_for, plan):
    target = Target.objects.get(code="2.2.1-04")  # 每年9月底前完成应急减排措施清单制（修）订
    why = {"revision_reason": "省政府决定清单修订期限提前至每年8月底。", "revision_document": "辽政办发〔2024〕9号"}
    response = _revise(admin_client_for, target, deadline_in_year="02-29", **why)
    assert "deadline_in_year" in response.context["adminform"].form.errors
    response = _revise(admin_client_for, target, deadline_in_year="08-31", **why)  # the deadline left at 2025-09-30
    assert "deadline" in response.context["adminform"].form.errors
    response = _revise(admin_client_for, target, deadline_in_year="08-31", deadline="2025-08-31", **why)
    assert response.status_code == 302, response.context["adminform"].form.errors
    changed = set(PlanRevision.objects.values_list("field", "old_value", "new_value"))
    assert changed == {("deadline_in_year", "09-30", "08-31"), ("deadline", "2025-09-30", "2025-08-31")}
    with pytest.raises(SystemExit):  # load_plan keeps the revision and lists the conflict
        call_command("load_plan", stdout=io.StringIO(), stderr=io.StringIO())
    target.refresh_from_db()
    assert (target.deadline_in_year, target.value_display) == ("08-31", "✓ 08-31（每年）")
