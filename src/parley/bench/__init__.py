"""``parley bench``: speed and size against their references, with pass/fail lines.

Prints a table and writes ``<out>/bench.json``: a list of records ``{name, value, unit,
reference, ratio, target, pass}``. ``value`` (and ``reference``) are medians of repeated runs;
the table adds min, max and the number of runs. ``target`` is a ratio when ``reference`` is
set (``pass`` = ratio ≤ target), else an absolute bound in ``unit``; ``target`` and ``pass``
are null for figures recorded without a target. A figure that could not be measured is a
record with a null value and ``pass`` false, and the table says why.

Figures (issue 9); 1, 2 and 6 run on the bundled story and on seeded synthetic stories of
100, 1,000 and 10,000 events (:mod:`parley.bench.synth`), the rest on the bundled story:

1. load + validate, in a fresh process each time: cold (empty cache) and warm (the cache
   :mod:`parley.story.cache` keeps), and growth per event from 1,000 to 10,000 events;
2. chart builders, and the explorer's update latency in a kernel (filter change → figure
   data updated, 50 interactions), plus the timeline drawn and zoomed in Chromium;
3. each notebook executed from a cold kernel, against a floor kernel that only imports
   pandas, plotly and ipywidgets and loads the story; and their total;
4. each offline deck's bytes against nbconvert's own slides of the same notebook with
   plotly's HTML renderer (reveal.js pointed at the vendored copy, nothing else changed);
5. deck readiness in Chromium (``.reveal.ready`` and the first chart slide drawn) against the
   same deck with its charts removed;
6. the kernel's peak memory;
7. the exported timeline page against a Knight Lab TimelineJS 3 page of the same events,
   both from disk, alternating, network cut: its live chart drawn, and (issue 23) the page
   readable (text and the chart's static picture painted);
8. site mode (``parley export --site``): the gzip bytes each page after the first sends
   from a local static server, with plotly.js and the style sheet cached
   (:mod:`~parley.bench.site`).

Where each part lives: :mod:`~parley.bench.plan` (sizes, repeats), :mod:`~parley.bench.records`
(records, table, JSON), :mod:`~parley.bench.load` (1), :mod:`~parley.bench.kernel` (2, 3, 6),
:mod:`~parley.bench.browser` (Chromium, the scale part of 2), :mod:`~parley.bench.decks`
(4, 5, 7), :mod:`~parley.bench.timelinejs` (7's peer), :mod:`~parley.bench.synth` (synthetic
stories), :mod:`~parley.bench.main` (the run). Only the CLI imports this package, and its
development-only imports (nbclient, playwright, the npm registry) stay inside it.
"""
