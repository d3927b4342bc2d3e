from django.urls import reverse

from targets.models import Target


def test_plan_page_shows_targets_with_their_sentence_and_departments(client, province_user):
    client.force_login(province_user)
    page = client.get(reverse("plan_outline")).content.decode()
    target = Target.objects.select_related("measure").first()
    assert target.code in page
    assert target.source_text in page
    assert "<mark>" in page


def test_filter_by_department_keeps_only_its_targets(client, province_user):
    client.force_login(province_user)
    page = client.get(reverse("plan_outline"), {"department": "forestry"}).content.decode()
    forestry = set(
        Target.objects.filter(measure__responsibilities__department__code="forestry").values_list("code", flat=True)
    )
    others = set(Target.objects.values_list("code", flat=True)) - forestry
    assert forestry and all(f'id="t{code}"' in page for code in forestry)
    assert not any(f'id="t{code}"' in page for code in others)


def test_filter_by_section(client, province_user):
    client.force_login(province_user)
    page = client.get(reverse("plan_outline"), {"section": "2.2"}).content.decode()
    shown = {t.code for t in Target.objects.all() if f'id="t{t.code}"' in page}
    assert shown == set(Target.objects.filter(section__code__startswith="2.2.").values_list("code", flat=True))


def test_plan_page_query_count_is_bounded(client, province_user, django_assert_max_num_queries):
    client.force_login(province_user)
    with django_assert_max_num_queries(15):
        client.get(reverse("plan_outline"))


def test_the_plan_page_shows_a_yearly_duty_as_due_every_year(client, province_user):
    client.force_login(province_user)
    page = client.get(reverse("plan_outline")).content.decode()
    row = page[page.index('<tr id="t2.5.6-08">') :].split("</tr>")[0]
    assert "≥ 2 次（每年）" in row and "<td>2022—2025</td>" in row
