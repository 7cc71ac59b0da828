"""The columns of an import template: header, parser, whether required, drop-down list, help text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.utils import translation
from django.utils.functional import Promise

from .parsers import CellError, Choice, clean_text

Kind = Literal["text", "id", "date", "int", "choice", "bool", "names"]


@dataclass(frozen=True)
class Field:
    """One column of a template.

    ``label`` is the header written into the template (in the user's language); a file's header matches
    the label in Chinese or English, or one of ``aliases`` (other headers offices use, e.g. 公民身份号码).
    ``parse`` turns a raw cell into a value or raises :class:`~.parsers.CellError`. ``personal`` columns
    (ID number, phone, address) are masked on pages and left out of downloads for users who may not see
    personal data.
    """

    key: str
    label: Promise | str
    parse: Callable[[object], Any]
    kind: Kind = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: Promise | str = ""
    choice: Choice | None = None
    width: float | None = None
    personal: bool = False

    def header_names(self) -> list[str]:
        names = [str(self.label), self.key, *self.aliases]
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.append(str(self.label))
        return names

    def header(self) -> str:
        return f"{self.label}*" if self.required else str(self.label)

    # JSON round trip of parsed values (dates travel as ISO text).
    def to_json(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    def from_json(self, value: Any) -> Any:
        if self.kind == "date" and isinstance(value, str):
            return dt.date.fromisoformat(value)
        return value


def text(max_length: int) -> Callable[[object], str]:
    def parse(value: object) -> str:
        return clean_text(value, max_length=max_length)

    return parse


def choice_field(key: str, label: Promise | str, choice: Choice, **options: Any) -> Field:
    return Field(key, label, choice.parse, kind="choice", choice=choice, **options)


__all__ = ["CellError", "Field", "choice_field", "text"]
