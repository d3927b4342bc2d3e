"""Names and quarters in the request's language. Every object the pages name carries its curated English beside the
Chinese (name_en, title_en, unit_en); in English the English field is shown, and the Chinese where it is left empty."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def english() -> bool:
    return (get_language() or "").startswith("en")


def localized(obj, field: str = "name") -> str:
    """obj.<field>_en in English when it is filled, obj.<field> otherwise; obj is a model instance, a dict or a
    pandas row."""
    if obj is None:
        return ""
    read = obj.get if isinstance(obj, dict) else lambda name, default=None: getattr(obj, name, default)
    if english():
        translated = read(f"{field}_en", "")
        if translated:
            return translated
    return read(field, "") or ""


def quarter_name(year: int | None, quarter: int | None) -> str:
    """2024年第4季度 · 2024 Q4."""
    if not year or not quarter:
        return ""
    return _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter}


YTD_NAMES = {1: "1—3月", 2: "1—6月", 3: "1—9月", 4: "全年"}


def period_name(year: int, quarter: int) -> str:
    """A reporting period with the months its year-to-date values cover: 2024年第1季度（1—3月） · 2024 Q1 (Jan–Mar)."""
    return _("%(quarter)s（%(months)s）") % {"quarter": quarter_name(year, quarter), "months": _(YTD_NAMES[quarter])}


def area_names_en() -> dict[str, str]:
    """{area code: English name}: for records that keep an area by its code and Chinese name (the audit trail).
    Areas come from the plan's fixture alone, so a few minutes in the cache is safe."""
    from django.core.cache import cache

    from .models import Area

    return cache.get_or_set(
        "indicators:area-names-en", lambda: dict(Area.objects.exclude(name_en="").values_list("code", "name_en")), 600
    )


def area_name_of(code: str, name: str) -> str:
    """The name of the area with this code in the page's language; `name` (as recorded) in Chinese or when unknown."""
    if code and english():
        return area_names_en().get(code, name)
    return name
