"""Who is ahead and who is behind: each reporting unit's profile."""

import zlib

import numpy as np

PROVINCE = "210000"
PILOT_ZONE = "219900"
REGRESSING_CITY = "211400"  # 葫芦岛市
ANCHOR_CITY = "210100"  # 沈阳市, comfortably on track

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

FIRST_YEAR = 2020  # the baseline year; 2020 Q4 is 2020 全年
PROFILES = ("ahead", "on_track", "behind", "regressing")


def crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def city_profiles(seed: int = 2022, codes: tuple[str, ...] = REPORTING_UNITS) -> dict[str, str]:
    """Each reporting unit's profile: 葫芦岛 regressing, 沈阳 on track, of the rest a fifth ahead, a fifth behind."""
    rng = np.random.default_rng([seed, crc("profiles")])
    codes = tuple(sorted(codes))
    others = [c for c in codes if c not in (REGRESSING_CITY, ANCHOR_CITY)]
    shuffled = [others[i] for i in rng.permutation(len(others))]
    n = max(1, round(len(others) / 4.5))
    profiles = {c: "on_track" for c in codes}
    profiles.update({c: "ahead" for c in shuffled[:n]})
    profiles.update({c: "behind" for c in shuffled[n : 2 * n]})
    if ANCHOR_CITY in profiles:
        profiles[ANCHOR_CITY] = "on_track"
    if REGRESSING_CITY in profiles:
        profiles[REGRESSING_CITY] = "regressing"
    return profiles


CITY_PROFILES: dict[str, str] = city_profiles()

# Pace against the straight line to the target (1 = exactly on it), by profile.
PACE = {"ahead": (1.15, 1.3), "on_track": (1.03, 1.12), "behind": (0.55, 0.75), "regressing": (0.85, 1.0)}
CURVE = {"ahead": (0.8, 0.95), "on_track": (0.9, 1.0), "behind": (1.0, 1.3), "regressing": (0.9, 1.0)}
