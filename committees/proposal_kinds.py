"""Which fields of a proposal belong to which kind: the one declaration the admin form, its script and its
validation read.

Fields listed nowhere here (kind, title, owner, date, serial number, category, how it was raised, research
topic, 优秀, summary) belong to every kind. A field listed here belongs only to the kinds that name it: a 社情民意信息
has no session, filing status or reply; a 大会发言 has a session but no filing or reply.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Proposal

Kind = Proposal.Kind

SESSION = ("occasion", "venue", "venue_level")
HANDLING = ("host_units", "co_units", "reply_number", "reply_result", "satisfaction")

KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.PROPOSAL: (*SESSION, "status", "is_key", *HANDLING),
    Kind.SUGGESTION: (*SESSION, "is_key", *HANDLING),
    Kind.SPEECH: SESSION,
    Kind.SOCIAL_INFO: (),
    Kind.RESEARCH_REPORT: (),
    Kind.THEORY_PAPER: (),
}

# Every field that some kind has and another has not.
KIND_SPECIFIC: tuple[str, ...] = tuple(dict.fromkeys(name for names in KIND_FIELDS.values() for name in names))


def fields_not_of_kind(kind: str, names: Iterable[str] | None = None) -> list[str]:
    """The kind-specific fields (of ``names``, default all) that ``kind`` does not have. An unknown or empty kind
    has them all: nothing is hidden or cleared before the kind is known."""
    own = KIND_FIELDS.get(kind)
    if own is None:
        return []
    return [name for name in (KIND_SPECIFIC if names is None else names) if name in KIND_SPECIFIC and name not in own]


def kind_fields_script_data() -> dict[str, object]:
    """What the form's script needs: the kind-specific fields and each kind's own."""
    return {"specific": list(KIND_SPECIFIC), "kinds": {str(kind): list(names) for kind, names in KIND_FIELDS.items()}}
