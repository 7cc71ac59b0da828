"""The order of generation, and the statistics pass at the end."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models

from committees.models import (
    Activity,
    Attendance,
    Authorship,
    Branch,
    Committee,
    Honor,
    Member,
    MemberStatusChange,
    Outcome,
    Position,
    Proposal,
    ResearchTopic,
    TrainingEvent,
)

from .activities import build_activities, build_honours, build_training
from .fastload import deferred_keys_and_indexes
from .loader import DEFAULT_BATCH_SIZE, Loader
from .members import build_members
from .organisation import build_branches, build_committees
from .work import build_topics, build_work
from .world import World


@dataclass(frozen=True)
class Options:
    scale: float = 1.0
    years: range = range(2016, 2021)
    seed: int = 1
    batch_size: int = DEFAULT_BATCH_SIZE
    use_copy: bool | None = None
    """COPY with keys and indexes built after the load (PostgreSQL), or bulk_create; None: COPY on PostgreSQL."""


LOADED: list[type[models.Model]] = [
    Committee,
    Branch,
    Member,
    MemberStatusChange,
    Position,
    ResearchTopic,
    Proposal,
    Authorship,
    Outcome,
    TrainingEvent,
    Attendance,
    Activity,
    Honor,
]


def generate(options: Options, log: Callable[[str], None] | None = None) -> Loader:
    """Generate the whole dataset into an empty database; returns the loader with its row counts.

    Everything is drawn from one ``random.Random(seed)`` in a fixed order and every date is derived from
    ``years``, so the same options give the same rows.
    """
    loader = Loader(options.batch_size, log, options.use_copy)
    loader.log(f"writing with {loader.method}")
    world = World(random.Random(options.seed), options.scale, options.years, loader)
    if loader.use_copy:
        with deferred_keys_and_indexes(LOADED, loader):
            _build(world)
    else:
        _build(world)
    return loader


def _build(world: World) -> None:
    build_committees(world)
    build_branches(world)
    build_members(world)
    topics = build_topics(world)
    build_work(world, topics)
    build_training(world)
    build_activities(world)
    build_honours(world)


def analyze() -> None:
    """Do for the freshly loaded tables what autovacuum would do soon after: planner statistics (ANALYZE) and the
    visibility map that lets PostgreSQL answer from an index alone (VACUUM). Outside a transaction, VACUUM
    cannot run inside one: then statistics only."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(
        connection.ops.quote_name(model._meta.db_table) for model in apps.get_app_config("committees").get_models()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {tables}")
