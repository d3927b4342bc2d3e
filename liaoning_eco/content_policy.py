"""The hashes that let plotly.js draw under a Content-Security-Policy that forbids inline <style> blocks.

plotly.min.js adds two kinds of <style> element as it loads and draws: empty ones it then fills through the CSSOM
(insertRule, which CSP does not restrict), allowed by the hash of the empty string; and the maplibre-gl stylesheet,
written as a fixed string, allowed by the hash of that string, read here from the bundle this site serves. The style
attributes it sets on SVG nodes are allowed by style-src-attr. docs/deployment.md says why."""

import base64
import hashlib
import re
from pathlib import Path

import plotly

BUNDLE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# In the bundle: var e=document.createElement("style");e.id="…",e.textContent='…css…'
STYLE_TEXT = re.compile(r"""createElement\("style"\);[^;]{0,120}?\.textContent='([^'\\]*)'""")


def style_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def plotly_style_hashes(bundle: Path = BUNDLE) -> list[str]:
    """CSP sources for the <style> elements plotly.js writes: the empty one, and each fixed stylesheet it carries."""
    texts = STYLE_TEXT.findall(bundle.read_text(encoding="utf-8")) if bundle.exists() else []
    return [style_hash(""), *(style_hash(text) for text in texts)]
