"""A template row tells a city officer that a yearly duty is due every year, not once by its last year."""

from indicators.models import Area, Indicator
from uploads.selectors import target_texts


def test_a_yearly_duty_reads_as_due_every_year_in_the_template(plan):
    shenyang = Area.objects.get(code="210100")
    pairs = [(shenyang, Indicator.objects.get(code=code)) for code in ("city_env_emergency_drills", "pm25")]
    lists = Indicator.objects.get(code="emergency_reduction_list_revision_completion")
    texts = target_texts([*pairs, (shenyang, lists)])
    assert texts[(shenyang.pk, pairs[0][1].pk)] == "每年≥2（2022—2025年）"
    assert texts[(shenyang.pk, lists.pk)] == "每年09-30前完成（2022—2025年）"
    assert texts[(shenyang.pk, pairs[1][1].pk)].startswith("≤34（2025年）")
