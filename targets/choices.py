"""The plan's vocabularies, importable without Django settings (the progress engine reads them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Comparator(models.TextChoices):
    """How a target's value is judged. The symbol is what the pages show; `lower_is_better` decides the direction
    of progress for every comparator but done_by (a deadline)."""

    LE = "le", _("不高于")
    LT = "lt", _("低于")
    GE = "ge", _("不低于")
    GT = "gt", _("高于")
    REDUCE_PCT = "reduce_pct", _("较基准年降低（%）")
    REDUCE_ABS = "reduce_abs", _("较基准年减少")
    DONE_BY = "done_by", _("期限前完成")

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def lower_is_better(self) -> bool:
        return self in (Comparator.LE, Comparator.LT, Comparator.REDUCE_PCT, Comparator.REDUCE_ABS)

    @property
    def is_reduction(self) -> bool:
        return self in (Comparator.REDUCE_PCT, Comparator.REDUCE_ABS)


_SYMBOLS = {
    Comparator.LE: "≤",
    Comparator.LT: "<",
    Comparator.GE: "≥",
    Comparator.GT: ">",
    Comparator.REDUCE_PCT: "↓%",
    Comparator.REDUCE_ABS: "↓",
    Comparator.DONE_BY: "✓",
}


class Recurrence(models.TextChoices):
    """Whether a commitment is judged once or again every year (每年…) between its first and last year."""

    ONCE = "once", _("一次性")
    YEARLY = "yearly", _("每年")


# The comparators a yearly duty may use: an at-least quantity of the year (每年至少…, 不低于…) or a task done by a
# date of the year (每年9月底前完成). Each year starts again from zero, so "at most" has no 序时进度 to follow.
YEARLY_COMPARATORS = (Comparator.GE, Comparator.DONE_BY)


class Scope(models.TextChoices):
    PROVINCE = "province", _("全省")
    EACH_CITY = "each_city", _("各市")
    AREAS = "areas", _("指定地区")
