"""The vocabularies of progress, each in one place: every status the engine can give, with its label and how the
pages show it (colour, symbol, rank from worst to best, whether it counts as behind).

The engine (pure pandas, tested without Django), the models, the figures, the pages and the CSV exports all read these
classes; none spells a status out again. Importable without Django settings: ``django.db.models`` and
``gettext_lazy`` need no configuration until a label is turned into text.

After netbox's ``ChoiceSet`` (value, label and colour together). A member is written ``NAME = code, Look(...),
label``; the English labels come from ``locale/en`` like every other Chinese message id.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class Look(NamedTuple):
    """How a value is shown beside its label (never by colour alone: a symbol or the label goes with it)."""

    colour: str
    symbol: str = ""
    rank: int = 0  # worst (0) to best: the heat map's ordinal scale, the order of stacks, legends and table columns
    behind: bool = False  # counts as behind (落后) where a page counts the targets falling behind
    dark: bool = False  # dark enough to take white text


class LookChoices(models.TextChoices):
    """TextChoices whose members also carry a Look: ``member.colour``, ``.symbol``, ``.rank``, ``.behind``,
    ``.dark``. The code and the label stay what Django stores and translates."""

    def __new__(cls, code: str, look: Look | None = None):
        member = str.__new__(cls, code)
        member._value_ = code
        look = look or Look(colour="")
        member.colour, member.symbol, member.rank = look.colour, look.symbol, look.rank
        member.behind, member.dark = look.behind, look.dark
        return member

    @classmethod
    def worst_first(cls) -> list:
        return sorted(cls, key=lambda member: member.rank)

    @classmethod
    def best_first(cls) -> list:
        return list(reversed(cls.worst_first()))


# Colours: Okabe–Ito based, told apart by lightness as well as hue (colour-blind safe).
BLUE, SKY, ORANGE, VERMILION, WINE, CHARCOAL, GREY, LIGHT_GREY = (
    "#0072B2",
    "#56B4E9",
    "#E69F00",
    "#D55E00",
    "#882255",
    "#3D3D3D",
    "#B0B0B0",
    "#E4E4E4",
)


class Status(LookChoices):
    """The Chinese reading (序时进度), docs/progress.md §6. The order of the members is the engine's order of
    categories (and so of the roll-up's count columns); ``rank`` is the order the pages show them in."""

    ACHIEVED = "achieved", Look(BLUE, "√", rank=7, dark=True), _("已达标")
    ON_TRACK = "on_track", Look(SKY, "○", rank=6), _("按序时推进")
    AT_RISK = "at_risk", Look(ORANGE, "△", rank=5, behind=True), _("有风险")
    OFF_TRACK = "off_track", Look(VERMILION, "▽", rank=4, behind=True, dark=True), _("明显滞后")
    REGRESSING = "regressing", Look(WINE, "×", rank=3, behind=True, dark=True), _("倒退")
    OVERDUE = "overdue", Look(CHARCOAL, "!", rank=2, behind=True, dark=True), _("逾期未完成")
    NO_BASELINE = "no_baseline", Look(GREY, "?", rank=1), _("缺少基准值")
    NO_DATA = "no_data", Look(LIGHT_GREY, "–", rank=0), _("无数据")


class SdgStatus(LookChoices):
    """The international reading (Open SDG's growth ratio R), docs/progress.md §9; its four progress classes are also
    the bands of a roll-up's mean score (§10), coloured like the statuses of the same standing."""

    ACHIEVED = "achieved", Look(BLUE, rank=5), _("已实现")
    SUBSTANTIAL = "substantial", Look(BLUE, rank=4), _("显著进展")
    MODERATE = "moderate", Look(SKY, rank=3), _("中等进展")
    LIMITED = "limited", Look(ORANGE, rank=2), _("进展有限")
    DETERIORATION = "deterioration", Look(VERMILION, rank=1), _("恶化")
    INSUFFICIENT_DATA = "insufficient_data", Look(LIGHT_GREY, rank=0), _("数据不足")


class YearState(LookChoices):
    """Where one year of a yearly duty (每年…) stands, docs/progress.md §15: the strip 2022 ✓ · 2023 ✗ · 2024 ✓ ·
    2025 …. A year whose deadline passed without a report counts as not met, like a missed one."""

    MET = "met", Look(BLUE, "✓", rank=3, dark=True), _("已完成")
    NOT_DUE = "not_due", Look(SKY, "…", rank=2), _("未到期")
    MISSED = "missed", Look(VERMILION, "✗", rank=1, behind=True, dark=True), _("未完成")
    NO_DATA = "no_data", Look(LIGHT_GREY, "–", rank=0, behind=True), _("未报送")


class ProjectionStatus(models.TextChoices):
    """Where the trend leads by the target year (the UNSD-style projection ratio), docs/progress.md §8."""

    LIKELY = "likely", _("有望实现")
    NEEDS_ACCELERATION = "needs_acceleration", _("需加快")
    STAGNATION = "stagnation", _("停滞")
    INSUFFICIENT_DATA = "insufficient_data", _("数据不足")


class BaselineSource(models.TextChoices):
    """Where a row's baseline came from, docs/progress.md §3."""

    PLAN = "plan", _("方案给定")
    OBSERVED = "observed", _("基准年观测值")
    ZERO = "zero", _("累计量起点为0")
    MISSING = "missing", _("缺失")
