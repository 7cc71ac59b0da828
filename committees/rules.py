"""What each database constraint means to a user: the field it belongs to and a plain message.

Every model declares, next to its ``Meta.constraints``, a ``constraint_rules`` mapping from constraint name to
:class:`Rule`. :class:`RulesMixin` makes ``validate_constraints`` (called by every model form, the admin and
``full_clean``) report a violated constraint with that message on that field, never with the constraint's
name; :func:`integrity_message` does the same for an ``IntegrityError`` the database raised (the last guard,
e.g. when two saves race), for imports and any other writer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.utils.functional import Promise


@dataclass(frozen=True)
class Rule:
    """``field``: the field the message is shown beside (``None``: the form as a whole), or a function of the
    record that picks it. ``message``: the text, or a function of the record that writes it."""

    field: str | Callable[[Any], str | None] | None
    message: str | Promise | Callable[[Any], str]

    def field_for(self, obj: Any) -> str | None:
        return self.field(obj) if callable(self.field) else self.field

    def message_for(self, obj: Any) -> str:
        return self.message(obj) if callable(self.message) else str(self.message)


class RulesMixin(models.Model):
    """For models: constraint violations reported with their rule's message, beside their rule's field.

    The user acting (set by the forms as ``obj.acting_user``) lets a message say only what that user may see.
    """

    constraint_rules: ClassVar[Mapping[str, Rule]] = {}
    acting_user: Any = None

    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Any = None) -> None:
        using = router.db_for_write(type(self), instance=self)
        errors: dict[str, list[ValidationError]] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)  # type: ignore[attr-defined]
                except ValidationError as error:
                    rule = rule_for(constraint.name)
                    if rule is None:  # an undeclared constraint: Django's own report (a test forbids this)
                        for field, messages in error.update_error_dict({}).items():
                            errors.setdefault(field, []).extend(messages)
                        continue
                    field = rule.field_for(self) or NON_FIELD_ERRORS
                    errors.setdefault(field, []).append(ValidationError(rule.message_for(self), code="constraint"))
        if errors:
            raise ValidationError(errors)


@cache
def _index() -> dict[str, tuple[type[models.Model], Rule]]:
    index: dict[str, tuple[type[models.Model], Rule]] = {}
    for model in apps.get_models():
        for name, rule in getattr(model, "constraint_rules", {}).items():
            index[name] = (model, rule)
    return index


def rule_for(constraint_name: str) -> Rule | None:
    found = _index().get(constraint_name)
    return found[1] if found else None


def constraint_names() -> set[str]:
    """Every constraint name of every installed model."""
    return {c.name for model in apps.get_models() for c in model._meta.constraints if c.name}


@cache
def _unique_columns() -> dict[str, str]:
    """SQLite names a failed unique constraint by its columns ("UNIQUE constraint failed: table.a, table.b")."""
    found: dict[str, str] = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if isinstance(constraint, models.UniqueConstraint) and fields:
                columns = ", ".join(f"{model._meta.db_table}.{model._meta.get_field(f).column}" for f in fields)  # type: ignore[union-attr]
                found[columns] = constraint.name
    return found


def integrity_message(error: Exception, obj: Any = None) -> tuple[str | None, str] | None:
    """(field, message) for an ``IntegrityError`` that broke a declared constraint, else ``None``."""
    text = str(error)
    name = None
    match = re.search(r"UNIQUE constraint failed: (.+)$", text, re.MULTILINE)
    if match:
        name = _unique_columns().get(match.group(1).strip())
    if name is None:
        known = sorted(_index(), key=len, reverse=True)
        name = next((n for n in known if re.search(rf"\b{re.escape(n)}\b", text)), None)
    rule = rule_for(name) if name else None
    if rule is None:
        return None
    return rule.field_for(obj), rule.message_for(obj)
