"""The plan's frames every page reads outlive a recompute (a burst of uploads must not make every web worker
rebuild them at once) and are rebuilt when the plan changes, in the admin or by load_plan."""

from dashboards.cache import forget_memo, memoised
from dashboards.views import _meta
from progress.services import bump_version
from targets.models import Target
from targets.signals import plan_changed


def test_a_recompute_keeps_the_plans_frames_and_a_plan_edit_renews_them(plan):
    built = []

    def build():
        built.append(len(built) + 1)
        return built[-1]

    assert memoised("frames", (), build, plan_only=True) == 1
    bump_version()  # what every recompute does
    forget_memo()  # another web worker: it reads the shared cache
    assert memoised("frames", (), build, plan_only=True) == 1 and built == [1]

    target = Target.objects.get(code="1-02")
    target.value = 33
    target.save()
    assert memoised("frames", (), build, plan_only=True) == 2
    plan_changed.send(sender=Target, indicator_ids=None)  # load_plan's announcement
    assert memoised("frames", (), build, plan_only=True) == 3


def test_an_edited_target_value_reaches_the_pages_frames(plan):
    before = _meta().targets.set_index("code").at["1-02", "value"]
    target = Target.objects.get(code="1-02")
    target.value = before - 1
    target.save()
    assert _meta().targets.set_index("code").at["1-02", "value"] == before - 1
