"""Computed figures, kept under the version of the records they were counted from.

The records version (``committees.models.versioning``) changes, in the writing transaction, on every write to
a counted table, so a cached result is only ever served for exactly the records it was computed from; the
key also carries a fingerprint of the metric definitions, so a deployment that changes a metric does not
serve figures of the old definition. Results grouped by member (one entry per member of the scope) are not
kept: they are large and only the member table asks for them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

from committees.models import records_version

from . import catalogue, engine
from .engine import Group, Request, Result

DEFINITIONS = hashlib.sha256(Path(engine.__file__).read_bytes() + Path(catalogue.__file__).read_bytes()).hexdigest()[
    :16
]
UNCACHED_GROUPS = {"member"}


def _key(version: str, requests: list[Request], group: Group, branches: tuple[int, ...] | None) -> str:
    described = repr(
        [(code, s.committee.pk, s.committee.path, s.start.isoformat(), s.end.isoformat()) for code, s in requests]
    )
    digest = hashlib.sha256(f"{version}|{group}|{branches}|{described}".encode()).hexdigest()
    return f"metrics:{DEFINITIONS}:{digest}"


def cached(
    run: Callable[[list[Request], Group], Result],
    requests: Iterable[Request],
    group: Group,
    branches: tuple[int, ...] | None = None,
) -> Result:
    """``run(requests, group)``, or its result kept from an earlier call on the same records."""
    requests = list(dict.fromkeys(requests))
    timeout = getattr(settings, "METRICS_CACHE_SECONDS", 86400)
    if not timeout or group in UNCACHED_GROUPS:
        return run(requests, group)
    version = records_version()
    if version is None:
        return run(requests, group)
    store = caches[getattr(settings, "METRICS_CACHE", "default")]
    key = _key(version, requests, group, branches)
    kept = store.get(key)
    if kept is not None:
        return dict(zip(requests, kept, strict=True))
    result = run(requests, group)
    store.set(key, [result[request] for request in requests], timeout)
    return result
