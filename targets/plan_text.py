"""The plan's full text, where in it a quotation sits, where each section of the outline starts, and the text
paragraph by paragraph."""

import re
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

PLAN_DIR = Path(settings.BASE_DIR) / "fixtures" / "plan"
_SENTENCE_END = re.compile(r"[。；\n]")
# The plan's own title: plan.zh.txt begins with the publisher's lead (北极星大气网), which is not the plan's text.
DOCUMENT_TITLE = "中共辽宁省委 辽宁省人民政府关于深入打好污染防治攻坚战的实施方案"


@cache
def plan_text() -> str:
    return (PLAN_DIR / "plan.zh.txt").read_text(encoding="utf-8")


def sentence_around(offset: int, length: int) -> str:
    """The whole sentence of the plan that contains text[offset:offset + length]."""
    text = plan_text()
    start = offset
    while start > 0 and not _SENTENCE_END.match(text[start - 1]):
        start -= 1
    match = _SENTENCE_END.search(text, offset + length)
    end = match.end() if match and match.group() != "\n" else (match.start() if match else len(text))
    return text[start:end].strip()


def anchor_sections(text: str, sections: list[dict]) -> dict[str, int]:
    """Where each section starts in the text: its heading (or, without one, its title) looked for from where its
    parent starts, so that words met earlier in the text are not taken for it. A section not found starts where its
    parent does. `sections` are sections.yaml rows, parents before children."""
    starts: dict[str, int] = {}
    for section in sections:
        start = starts.get(section.get("parent"), 0)
        position = text.find(section.get("heading") or section["title"], start)
        starts[section["code"]] = position if position >= 0 else start
    return starts


@cache
def section_starts() -> dict[str, int]:
    """Where each section of fixtures/plan/sections.yaml starts in the plan's text, by section code."""
    sections = yaml.safe_load((PLAN_DIR / "sections.yaml").read_text(encoding="utf-8")) or []
    return anchor_sections(plan_text(), sections)


@cache
def plan_paragraphs() -> tuple[tuple[int, str], ...]:
    """The plan's own text from its title on, paragraph by paragraph: (offset in plan_text(), paragraph)."""
    text = plan_text()
    begin = max(text.find("\n" + DOCUMENT_TITLE), 0)
    return tuple(
        (match.start(), match.group())
        for match in re.finditer(r"[^\n]+", text)
        if match.start() >= begin and match.group().strip()
    )
