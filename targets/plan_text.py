"""The plan's full text, and where in it a quotation sits."""

import re
from functools import cache
from pathlib import Path

from django.conf import settings

PLAN_DIR = Path(settings.BASE_DIR) / "fixtures" / "plan"
_SENTENCE_END = re.compile(r"[。；\n]")


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
