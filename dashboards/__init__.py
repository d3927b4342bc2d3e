"""The pages that show progress: the home page (the plan's text with each commitment's live status), the province
overview, city, league table, departments, target and map pages (Plotly, served locally), and the indicator pages.

Layers: ``selectors`` reads the Progress table and the plan into pandas frames in a fixed number of queries;
``figures`` turns lists into Plotly figure specs (plain dicts); ``pages`` (a package, one module per page) assembles
each page's charts with the table and CSV of exactly what each chart shows; ``views`` stay thin (access, filters,
cache, render or export). Status colours, symbols and order come from ``progress.choices``.

Access (decided here): provincial staff, auditors and administrators see every page. A city officer sees their own
city's page only: the city page of another city answers 403, and the cross-city pages (overview, league table,
departments, target, map) redirect a city officer to their own city's page, keeping the quarter (and the target, where
one was asked for), because each of them shows every city's figures side by side. The home page and the indicator
pages are for everyone: a city officer reads the plan with their own city's statuses, and an indicator's values and
uploads for their own city and its county-level areas.

Caching: each page's figures and tables are cached under a key made of the page, its filters, the language and
``progress.services.progress_version()``, which every recompute (and every status override made through
``override_status``) bumps, so a recompute invalidates every figure. The plan's metadata is cached the same way. The
two panels that do not come from the Progress table are fresher: a city's latest upload is read on every request (two
queries), the overview's submission completeness is cached for a minute. An indicator page's values come from the
observations and are cached under the same version: every accepted upload sets off the recompute that bumps it, so
new values appear when that recompute ends.
"""
