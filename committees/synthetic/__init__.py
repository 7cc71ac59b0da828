"""A deterministic national-scale dataset for benchmarks: ``manage.py generate_dataset``.

At scale 1.0: 民进中央, the 31 provincial committees, ~330 city committees, 10,000 branches, 200,000 members
and five years of records (≈1M proposals and 社情民意 items with authorships and outcomes, ≈300k
activities, training classes with ≈300k attendances, research topics, honours). Counts scale linearly
with ``scale``; the tree keeps all 31 provinces at any scale and fewer city committees below scale 1.

Rows are written in batches of 5,000 with ``bulk_create`` or, on PostgreSQL, with ``COPY`` while foreign keys
and secondary indexes are dropped and then rebuilt (``loader`` and ``fastload`` say why; ``--method
bulk_create`` gives the same rows the plain way). Neither calls ``save()`` or sends signals, so **no
simple-history rows** are written: the historical tables stay empty. Fields that ``save()`` would derive
(``committee_id`` from the branch or the member) are set explicitly, and the treebeard paths of the committee
tree (steplen 4, siblings ordered by code) are computed here. Everything runs in one transaction, followed by
ANALYZE on PostgreSQL.

Deterministic: one ``random.Random(seed)`` drawn from in a fixed order, dates derived from the years only.
"""

from __future__ import annotations

from .generator import Options, analyze, generate
from .reset import reset_records

__all__ = ["Options", "analyze", "generate", "reset_records"]
