"""An import is a batch: who, when, which file, what each row did, and what undoing it needs."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committees.models import Committee


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        MEMBERS = "members", _("Member roster")
        PROPOSALS = "proposals", _("Proposals and social conditions reports")
        ATTENDANCE = "attendance", _("Training attendance")

    class State(models.TextChoices):
        CHECKED = "checked", _("Checked, not committed")
        COMMITTED = "committed", _("Committed")
        UNDONE = "undone", _("Undone")
        DISCARDED = "discarded", _("Discarded")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.CHECKED)
    committee = models.ForeignKey(
        Committee,
        models.PROTECT,
        related_name="+",
        verbose_name=_("committee"),
        help_text=_("The committee whose subtree the rows may land in: the importer's own."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(_("user name"), max_length=150)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveIntegerField(_("file size (bytes)"), default=0)
    sheet_name = models.CharField(_("sheet"), max_length=100, blank=True)
    unknown_columns = models.JSONField(_("unknown columns"), default=list, blank=True)
    created_at = models.DateTimeField(_("checked at"), auto_now_add=True, db_index=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.CharField(_("undone by"), max_length=150, blank=True)
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)
    discarded_by = models.CharField(_("discarded by"), max_length=150, blank=True)
    history_reason = models.CharField(_("history change reason"), max_length=300, blank=True)
    plan_basis = models.CharField(
        _("plan basis"),
        max_length=200,
        blank=True,
        help_text=_(
            "The records version and the importing user's reach the check planned against: while both are "
            "unchanged, the commit writes what the check decided instead of planning every row again."
        ),
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_new = models.PositiveIntegerField(_("new"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rows_error = models.PositiveIntegerField(_("errors"), default=0)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="committed") | Q(committed_at__isnull=False), name="import_committed_with_time"
            ),
            models.CheckConstraint(
                condition=~Q(state="undone") | Q(undone_at__isnull=False), name="import_undone_with_time"
            ),
            models.CheckConstraint(
                condition=~Q(state="discarded") | Q(discarded_at__isnull=False), name="import_discarded_with_time"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} · {self.file_name}"

    @property
    def may_commit(self) -> bool:
        return self.state == self.State.CHECKED and self.rows_error == 0 and (self.rows_new + self.rows_updated) > 0


class ImportRow(models.Model):
    """One data row of the file: what it says (parsed), what it does, and what undoing it takes."""

    class Action(models.TextChoices):
        NEW = "new", _("New")
        UPDATED = "updated", _("Updated")
        UNCHANGED = "unchanged", _("Unchanged")
        ERROR = "error", _("Error")

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="rows", verbose_name=_("import batch"))
    number = models.PositiveIntegerField(_("row"), help_text=_("The row number in the worksheet."))
    action = models.CharField(_("result"), max_length=20, choices=Action.choices)
    key = models.CharField(_("natural key"), max_length=300, blank=True)
    label = models.CharField(_("record"), max_length=300, blank=True)
    values = models.JSONField(_("values"), default=dict, encoder=DjangoJSONEncoder)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    changes = models.JSONField(_("changes"), default=list, blank=True, encoder=DjangoJSONEncoder)
    plan = models.JSONField(
        _("plan"),
        default=dict,
        blank=True,
        help_text=_("What the check decided beyond the values (where a new record goes), for the commit to reuse."),
    )
    object_id = models.BigIntegerField(
        _("record id"), null=True, blank=True, help_text=_("The record the row updates; new records: see the effects.")
    )

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["batch_id", "number"]
        indexes = [
            models.Index(fields=["batch", "key"]),
            models.Index(fields=["batch", "action", "number"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="import_row_once"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.number} {self.action}"


class ImportEffect(models.Model):
    """What the commit wrote for a run of rows (one chunk): the records each new row created and, for undo,
    every record created, the previous values of every record updated and the rows of every record replaced.

    Kept per chunk rather than per row so that committing does not rewrite the rows the dry run stored.
    """

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="effects", verbose_name=_("import batch"))
    first_number = models.PositiveIntegerField(_("first row"))
    last_number = models.PositiveIntegerField(_("last row"))
    objects_by_row = models.JSONField(_("records of new rows"), default=dict)
    created = models.JSONField(_("created"), default=dict, encoder=DjangoJSONEncoder)
    updated = models.JSONField(_("updated"), default=dict, encoder=DjangoJSONEncoder)
    deleted = models.JSONField(_("replaced"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("import effect")
        verbose_name_plural = _("import effects")
        ordering = ["batch_id", "first_number"]
        indexes = [models.Index(fields=["batch", "first_number", "last_number"])]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.first_number}-{self.last_number}"
