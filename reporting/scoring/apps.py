from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "reporting.scoring"
    label = "scoring"
    verbose_name = _("Quantified scoring")

    def ready(self) -> None:
        from committees.access import Scope, register_scope
        from committees.demo import register_extension

        from .demo import load_scoring_demo
        from .models import Category, GradeBand, Item, LadderStep, Scheme, Sheet

        register_scope(Scheme, Scope(committee="committee"))
        register_scope(Category, Scope(committee="scheme__committee"))
        register_scope(Item, Scope(committee="scheme__committee"))
        register_scope(GradeBand, Scope(committee="scheme__committee"))
        register_scope(LadderStep, Scope(committee="item__scheme__committee"))
        register_scope(Sheet, Scope(committee="branch__committee", branches=("branch",)))
        register_extension(load_scoring_demo)
