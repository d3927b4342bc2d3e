"""Which indicators count things, and so take whole numbers only.

The rule, in one place: an indicator counts things when its unit is a bare Chinese counting word (量词) with no
multiplier, 家 enterprises, 台 kilns, 个 counties or points, 座 tailings ponds, 处 sites, 次 drills, 条 rivers, 套
sets …: 22.05 家 is a typing slip. A unit with a multiplier (万家, 万户, 万辆) or a measure (蒸吨, 公里, 亩, %) takes
fractions. The indicator's kind does not decide it: counts and cumulative counts use both kinds of unit.
"""

COUNTING_UNITS = frozenset({"个", "家", "台", "座", "处", "次", "条", "套", "艘", "辆", "户", "项", "所"})


def counts_whole(unit: str | None) -> bool:
    """True when values in `unit` must be whole numbers."""
    return (unit or "").strip() in COUNTING_UNITS
