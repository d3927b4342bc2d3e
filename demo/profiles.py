"""Who is ahead and who is behind, and on what: a profile per reporting unit × theme of the plan.

Each city has a character a person who knows Liaoning would expect (`LEANINGS`): 鞍山 and 本溪 make steel and are weak
on air, 阜新 and 朝阳 in the dry, poorer west struggle on most fronts, 大连 and 沈抚示范区 lead. A seeded draw turns the
leanings into profiles — how many themes each city is behind on, which ones, and which two cities slide backwards on
one — and every series then draws its own profile from its theme's mix, so even a strong theme has a laggard target
and a weak one a target met.
"""

import zlib

import numpy as np

PROVINCE = "210000"
PILOT_ZONE = "219900"

# The 15 units that upload their own spreadsheets (areas.yaml): 14 prefecture-level cities and 沈抚示范区.
REPORTING_UNITS = (
    "210100",
    "210200",
    "210300",
    "210400",
    "210500",
    "210600",
    "210700",
    "210800",
    "210900",
    "211000",
    "211100",
    "211200",
    "211300",
    "211400",
    "219900",
)
COASTAL = ("210200", "210600", "210700", "210800", "211100", "211400")  # 大连 丹东 锦州 营口 盘锦 葫芦岛

FIRST_YEAR = 2020  # the baseline year; 2020 Q4 is 2020 全年
PROFILES = ("ahead", "on_track", "behind", "regressing")

# Section.Theme values. Cities are assessed on the first five; 治理能力 holds provincial targets only.
THEMES = ("low_carbon", "blue_sky", "clear_water", "clean_soil", "eco_security", "governance")
CITY_THEMES = THEMES[:5]
# 总体目标 and 保障措施 have no theme of their own: their indicators belong where the battles they sum up belong.
OVERALL_THEMES = {
    "pm25": "blue_sky",
    "good_air_days_ratio": "blue_sky",
    "heavy_pollution_elimination_completion": "blue_sky",
    "surface_water_good_share": "clear_water",
    "nearshore_good_share": "clear_water",
    "urban_black_odorous_elimination_completion": "clear_water",
    "co2_intensity_national_requirement_completion": "low_carbon",
}
# Sea water of the coastal cities, which goes its own way inside 碧水 (half of them behind on it).
SEA_INDICATORS = ("sea_river_tn_concentration", "oil_spill_depot_count")

# strength (overall, −2 … +2) and leanings by theme (−2 weak … +2 strong).
LEANINGS: dict[str, tuple[float, dict[str, float]]] = {
    "210100": (
        0.4,
        {"blue_sky": -1, "clear_water": 1, "low_carbon": 0.5},
    ),  # 沈阳: the capital, district heating; coal smog in winter
    "210200": (1.2, {"blue_sky": 1.5, "low_carbon": 0.5}),  # 大连: sea air, services economy
    "210300": (-0.3, {"blue_sky": -2, "eco_security": -1, "clean_soil": -0.5}),  # 鞍山: steel, magnesite, tailings
    "210400": (-0.3, {"blue_sky": -1, "eco_security": -1, "low_carbon": -1}),  # 抚顺: coal, petrochemicals
    "210500": (0.0, {"blue_sky": -2, "clear_water": 1, "eco_security": 1}),  # 本溪: steel in a valley; forests
    "210600": (0.3, {"blue_sky": 1, "eco_security": 1, "clean_soil": -1}),  # 丹东: clean air, farming
    "210700": (0.0, {"low_carbon": -1, "clear_water": -0.5}),  # 锦州: petrochemicals, the coast
    "210800": (0.0, {"blue_sky": -1, "clear_water": -1}),  # 营口: steel and magnesite; 辽河口
    "210900": (-1.5, {"blue_sky": -1, "clear_water": -1, "clean_soil": -0.5}),  # 阜新: coal run out, sand, dry
    "211000": (0.0, {"low_carbon": -1, "blue_sky": -0.5}),  # 辽阳: petrochemicals and fibres
    "211100": (0.3, {"eco_security": 1, "low_carbon": -1, "clear_water": -0.5}),  # 盘锦: oil field, wetlands
    "211200": (0.0, {"clean_soil": -1, "clear_water": -0.5}),  # 铁岭: farming, livestock, rural sewage
    "211300": (-1.2, {"clean_soil": -1, "clear_water": -1, "blue_sky": -0.5}),  # 朝阳: dry west, soil erosion
    "211400": (-0.5, {"eco_security": -1.5, "clear_water": -0.5}),  # 葫芦岛: zinc smelting, heavy metals
    "219900": (1.4, {"low_carbon": 1}),  # 沈抚示范区: a new zone with new plants
}
MARKED = -1.5  # a leaning at or below this is always behind
STRUGGLING, LEADING = -1.0, 1.0  # strength at or beyond which a city is behind on four themes, or on one
SPREAD = 0.25  # how much a theme many cities are already behind on is spared for the next
N_REGRESSING = 2  # cities that slide backwards on one theme

# How a series draws its own profile from its theme's.
SERIES_MIX = {
    "ahead": {"ahead": 0.55, "on_track": 0.42, "behind": 0.03},
    "on_track": {"ahead": 0.1, "on_track": 0.82, "behind": 0.08},
    "behind": {"on_track": 0.2, "behind": 0.8},
    "regressing": {"regressing": 0.7, "behind": 0.25, "on_track": 0.05},
}
SEA_MIX = {"on_track": 0.5, "behind": 0.5}

# Pace against the straight line to the target (1 = exactly on it), by profile.
PACE = {"ahead": (1.15, 1.3), "on_track": (1.03, 1.12), "behind": (0.5, 0.72), "regressing": (0.85, 1.0)}
CURVE = {"ahead": (0.8, 0.95), "on_track": (0.9, 1.0), "behind": (1.0, 1.3), "regressing": (0.9, 1.0)}


def crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def rng_for(seed: int, *keys: str) -> np.random.Generator:
    return np.random.default_rng([seed, *(crc(k) for k in keys)])


def theme_profiles(seed: int = 2022, codes: tuple[str, ...] = REPORTING_UNITS) -> dict[tuple[str, str], str]:
    """(unit code, theme) → profile. A struggling city is behind on four themes, a leading one on one, the others on
    one to three (more the weaker they are); the themes it is behind on are its weakest after a seeded shake, and
    two cities that are neither leading nor struggling regress on their weakest."""
    profiles, weakest, middle = {}, {}, []
    already = np.zeros(len(CITY_THEMES))  # cities behind on each theme so far: spread the story over the themes
    for code in sorted(codes, key=lambda c: (LEANINGS.get(c, (0.0, {}))[0], c)):
        strength, leanings = LEANINGS.get(code, (0.0, {}))
        rng = rng_for(seed, "themes", code)
        lean = np.array([leanings.get(t, 0.0) for t in CITY_THEMES])
        score = lean + rng.normal(0, 0.35, len(CITY_THEMES)) + SPREAD * already
        score[lean <= MARKED] -= 10  # a marked weakness is always among the themes behind
        if strength <= STRUGGLING:
            n_behind = 4
        elif strength >= LEADING:
            n_behind = 1
        else:
            n_behind = int(rng.choice([1, 2, 3], p=[0.3, 0.45, 0.25] if strength >= 0 else [0.15, 0.45, 0.4]))
            middle.append(code)
        n_behind = max(n_behind, int((lean <= MARKED).sum()))
        order = np.argsort(score, kind="stable")
        for rank, i in enumerate(order):
            if rank < n_behind:
                profile = "behind"
            elif score[i] > 0.9 or (strength >= LEADING and rank >= len(order) - 2):
                profile = "ahead"
            else:
                profile = "on_track"
            profiles[(code, CITY_THEMES[i])] = profile
        profiles[(code, "governance")] = "on_track"
        weakest[code] = CITY_THEMES[order[0]]
        already[order[:n_behind]] += 1
    rng = rng_for(seed, "regressing")
    for code in sorted(rng.choice(middle, size=min(N_REGRESSING, len(middle)), replace=False)):
        profiles[(code, weakest[code])] = "regressing"
    return profiles


def series_profile(seed: int, theme_profile: str, indicator_code: str, area: str, *, coastal_sea: bool) -> str:
    """One series' own profile, drawn from its theme's mix (or the sea's, for a coastal city's sea water)."""
    mix = SEA_MIX if coastal_sea else SERIES_MIX[theme_profile]
    draw = rng_for(seed, "series-profile", indicator_code, area).random()
    for profile, share in mix.items():
        draw -= share
        if draw < 0:
            return profile
    return theme_profile


def province_profile(seed: int, indicator_code: str) -> str:
    """The province's own indicators (energy, emissions, sea areas): mostly on track, some ahead, a few behind."""
    draw = rng_for(seed, "province-profile", indicator_code).random()
    return "ahead" if draw < 0.2 else "behind" if draw > 0.85 else "on_track"


def indicator_themes() -> dict[str, str]:
    """Indicator code → theme, from the chapter (二(一)…(六)) of the targets that use it."""
    from targets.models import Section, Target

    sections = {
        code: (parent, theme) for code, parent, theme in Section.objects.values_list("code", "parent__code", "theme")
    }

    def theme_of(code):
        while code is not None:
            parent, theme = sections[code]
            if theme:
                return theme
            code = parent
        return None

    themes = {}
    for indicator, section in Target.objects.order_by("order", "code").values_list("indicator__code", "section__code"):
        themes.setdefault(indicator, OVERALL_THEMES.get(indicator) or theme_of(section) or "governance")
    return themes
