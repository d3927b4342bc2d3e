"""Each dashboard page's charts and tables, built from the selectors' frames: what a view caches, renders and exports.

One module per page — ``overview``, ``city``, ``league``, ``departments`` (the ranking and one department's page),
``target``, ``map``, ``indicator`` (an indicator's page and the index of them), ``plan`` (the home page: the plan's
text with the status of each commitment) — each with a ``*_page(meta, filters, …) -> Page`` builder, beside the
pieces they share:

* ``cells``: Page, Chart (a figure with the table of exactly its data: the page's table view and the chart's CSV
  download are the same rows) and Cell (text, css, tip, href, badge);
* ``formatting``: numbers as the tables and tips write them; ``labels``: translated names, status texts and tips;
* ``frames``: the Progress rows of a quarter and roll-ups of them; ``filter_bar``: the filter form;
* ``charts``: charts several pages show (progress bars, a target's trend, status counts, score bands).

Statuses are shown as the administrator's override where one exists (it replaces the computed status), always with
the computed status and the inputs beside it (status_tip), and always as text or a symbol as well as a colour; the
colours, symbols and order come from progress.choices.Status.
"""

from .cells import Cell, Chart, Page
from .city import city_page
from .departments import department_page, ranking_page
from .indicator import indicator_index_page, indicator_page
from .labels import Labels
from .league import league_page
from .map import map_indicators, map_page
from .overview import completeness_chart, overview_page
from .period import plan_period
from .plan import plan_page
from .target import target_page

__all__ = [
    "Cell",
    "Chart",
    "Labels",
    "Page",
    "city_page",
    "completeness_chart",
    "department_page",
    "indicator_index_page",
    "indicator_page",
    "league_page",
    "map_indicators",
    "map_page",
    "overview_page",
    "plan_page",
    "plan_period",
    "ranking_page",
    "target_page",
]
