"""``make bench``: timings of the metric engine, the summary page and the exports on a national PostgreSQL dataset.

A benchmark, not a test: it prints a table with targets and PASS/FAIL per line, writes the same figures to
``artifacts/bench/latest.json`` and exits 0 either way. Start it with ``python bench/run.py``.
"""
