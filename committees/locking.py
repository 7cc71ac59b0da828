"""Optimistic locking: a form refuses to save over a record that changed since the form was opened.

A change form carries ``record_version``: for every column of the row as it was read when the form was opened,
a short keyed hash of its value. Saving reads the row again with ``SELECT … FOR UPDATE`` inside the save's
transaction and compares: any write in between — another form, an import's ``COPY``, a bulk action, raw SQL —
changes a hash, so nothing can be lost whatever path wrote. Who wrote and when comes from the record's latest
history row (django-simple-history), which every write path of the application leaves.

On a conflict the form keeps what the user typed, takes over the other person's changes in the fields the user
had not touched, names the fields both changed, and carries the current version: a second save, once the user
has looked, is deliberate.

Inline rows carry their own version (a row of an inline is a record of its own); a row deleted meanwhile is
caught by Django's formset ("the row no longer exists"), and a row added twice by the unique constraints.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

VERSION_FIELD = "record_version"
# Columns whose change is not an edit of the record: treebeard's child count moves when a child is added, a
# user's last login when the user logs in.
IGNORED = frozenset({"numchild", "last_login"})


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if f.attname not in IGNORED]


def _normal(value: Any) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    return repr(value)


def _digest(model: type[models.Model], attname: str, value: Any) -> str:
    # Keyed: the hashes of an ID number or a phone reveal nothing to a user who may not see them.
    key = f"committees.locking.{model._meta.label}.{attname}"
    return salted_hmac(key, _normal(value)).hexdigest()[:10]


def row_digests(model: type[models.Model], values: dict[str, Any]) -> dict[str, str]:
    return {f.attname: _digest(model, f.attname, values.get(f.attname)) for f in _columns(model)}


def encode(digests: dict[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(digests, separators=(",", ":")).encode()).decode()


def decode(token: str) -> dict[str, str] | None:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def version_of(obj: models.Model) -> str:
    """The version of a record as loaded (no query)."""
    return encode(row_digests(type(obj), {f.attname: getattr(obj, f.attname) for f in _columns(type(obj))}))


def locked_values(model: type[models.Model], pk: Any) -> dict[str, Any] | None:
    """The row as stored now, locked until the transaction ends (``None``: deleted)."""
    attnames = [f.attname for f in _columns(model)]
    return model._base_manager.select_for_update().filter(pk=pk).values(*attnames).first()


def person_name(user: Any) -> str:
    """A user as the history names them (``User.__str__``: 姓名, else the login name)."""
    return _("someone") if user is None else str(user)


def history_url(obj: models.Model) -> str | None:
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
    except NoReverseMatch:
        return None


def conflict_message(obj: models.Model, changed: list[str]) -> str:
    """该记录已被他人修改: who and when from the latest history row, the fields concerned, and a link."""
    latest = None
    history = getattr(type(obj), "history", None)
    if history is not None:
        latest = (
            history.model.objects.filter(**{obj._meta.pk.attname: obj.pk})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
            .first()
        )
    if latest is not None:
        when = date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT")
        who = _("%(user)s changed it at %(when)s.") % {"user": person_name(latest.history_user), "when": when}
    else:
        who = _("Who changed it was not recorded.")
    parts = [_("This record has been changed by someone else since you opened it."), who]
    if changed:
        parts.append(_("Fields changed: %(fields)s.") % {"fields": "、".join(changed)})
    parts.append(
        _(
            "Your input is still in the form; their changes are filled in where you had changed nothing. "
            "Check the form and save again."
        )
    )
    # Chinese sentences follow each other without a space.
    text = ("" if (get_language() or "").startswith("zh") else " ").join(parts)
    url = history_url(obj)
    if url:
        # A new tab: following the link must not throw away what the user typed.
        return format_html('{} <a href="{}" target="_blank" rel="noopener">{}</a>', text, url, _("See the changes"))
    return text


class VersionedFormMixin(forms.BaseForm):
    """For model forms: carries the version of the record it was opened at and refuses to save over a newer one.

    The check runs in ``clean``, inside the admin's save transaction (pages wrap theirs in one), with the row
    locked from then until the transaction ends.
    """

    instance: models.Model

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = forms.CharField(label=_("record version"), widget=forms.HiddenInput, required=False)
        self.fields[VERSION_FIELD] = field
        adding = self.instance.pk is None or self.instance._state.adding
        # A record not yet saved has the empty version: a page that finds it saved meanwhile refuses the save.
        self.initial[VERSION_FIELD] = encode({}) if adding else version_of(self.instance)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        obj = self.instance
        if obj.pk is None or obj._state.adding or not self.is_bound:
            return cleaned  # type: ignore[return-value]
        if self.prefix is not None and not self.has_changed():
            return cleaned  # type: ignore[return-value]  # an inline row the user left alone is not written
        opened = decode(self.data.get(self.add_prefix(VERSION_FIELD)) or "")
        model = type(obj)
        current = locked_values(model, obj.pk)
        if current is None:
            raise forms.ValidationError(_("This record has been deleted by someone else since you opened it."))
        now = row_digests(model, current)
        if opened is None:  # a form without a version (an old page still open): compare with what it posted
            return cleaned  # type: ignore[return-value]
        moved = [name for name, digest in now.items() if opened.get(name) != digest]
        if not moved:
            return cleaned  # type: ignore[return-value]
        self._take_over(model, current, opened, moved)
        raise forms.ValidationError(conflict_message(obj, self._labels(model, moved)), code="conflict")

    def _labels(self, model: type[models.Model], attnames: list[str]) -> list[str]:
        by_attname = {f.attname: f for f in _columns(model)}
        return [str(by_attname[a].verbose_name) for a in attnames if a in by_attname]

    @property
    def changed_data(self) -> list[str]:  # type: ignore[override]
        # The version is no field of the record: it changes no history message and makes no row "changed".
        return [name for name, bound in self._bound_items() if name != VERSION_FIELD and bound._has_changed()]  # type: ignore[attr-defined]

    def _take_over(
        self, model: type[models.Model], current: dict[str, Any], opened: dict[str, str], moved: list[str]
    ) -> None:
        """Where the user left a field as it was when opened, show the other person's value; carry the current
        version so that the next save, made knowingly, goes through."""
        data = self.data.copy()  # type: ignore[attr-defined]
        by_attname = {f.attname: f for f in _columns(model)}
        for attname in moved:
            field = by_attname[attname]
            name = field.name
            if name not in self.fields or name == VERSION_FIELD:
                continue
            if name not in self.cleaned_data:
                continue  # the user's input has an error of its own: it stays, to be corrected
            posted = self.cleaned_data[name]
            if _digest(model, attname, getattr(posted, "pk", posted)) != opened.get(attname):
                continue  # the user changed it too: theirs stays, the message names the field
            form_field = self.fields[name]
            value = current[attname]
            widget = form_field.widget
            key = self.add_prefix(name)
            if isinstance(widget, forms.CheckboxInput):
                if value:
                    data[key] = "on"
                else:
                    data.pop(key, None)
            elif not isinstance(widget, forms.MultiWidget):
                shown = widget.format_value(form_field.prepare_value(value))
                if isinstance(shown, list):
                    data.setlist(key, [str(v) for v in shown])
                else:
                    data[key] = "" if shown is None else str(shown)
        data[self.add_prefix(VERSION_FIELD)] = encode(row_digests(model, current))
        self.data = data
