"""Opening an uploaded workbook, refusing bad files, finding the table and streaming its rows.

Refusals (:class:`FileRefused`) happen before any row is parsed: a file too large, not an .xlsx (an old .xls,
a renamed document), a corrupt zip, a password-protected workbook (Office wraps those in an encrypted OLE
container), a zip that would expand beyond reason, no visible sheet with the required columns. Hidden sheets
are never read. The row limit is checked while streaming; the caller runs inside a transaction, so exceeding
it leaves nothing behind either.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Final, overload
from xml.etree.ElementTree import ParseError, iterparse

from django.utils.translation import gettext as _
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.constants import SHEET_MAIN_NS

from .columns import Field

OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC: Final = b"PK\x03\x04"
ENCRYPTION_STREAM: Final = "EncryptionInfo".encode("utf-16-le")
EXPANSION_LIMIT: Final = 40
"""A workbook may expand to at most this many times the upload limit (a zip bomb does not)."""
HEADER_SCAN_ROWS: Final = 10
MAX_COLUMNS: Final = 200
_SI: Final = f"{{{SHEET_MAIN_NS}}}si"
_T: Final = f"{{{SHEET_MAIN_NS}}}t"
_RUN: Final = f"{{{SHEET_MAIN_NS}}}r"


class FileRefused(Exception):
    """The file as a whole cannot be imported; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def megabytes(size: int) -> str:
    return f"{size / 2**20:.1f}"


def open_workbook(stream: IO[bytes], *, size: int, max_bytes: int) -> Any:
    """The workbook in ``stream`` opened read-only (formulas kept as formulas), or :class:`FileRefused`."""
    if size > max_bytes:
        raise FileRefused(
            _("The file is %(size)s MB; at most %(max)s MB can be imported. Split it into smaller files.")
            % {"size": megabytes(size), "max": megabytes(max_bytes)}
        )
    if size == 0:
        raise FileRefused(_("The file is empty."))
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(OLE_MAGIC):
        if ENCRYPTION_STREAM in stream.read():
            raise FileRefused(
                _("The workbook is protected with a password. Open it in Excel, remove the password and save it again.")
            )
        raise FileRefused(_("This is an old Excel 97–2003 (.xls) file. Save it as an Excel workbook (.xlsx)."))
    if not head.startswith(ZIP_MAGIC):
        raise FileRefused(_("This is not an Excel workbook (.xlsx). Download the template and fill it in."))
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError):
        raise FileRefused(_("The file is damaged (not a readable .xlsx). Save it again in Excel and retry.")) from None
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise FileRefused(_("This is not an Excel workbook (.xlsx). Download the template and fill it in."))
    if sum(entry.file_size for entry in entries) > EXPANSION_LIMIT * max_bytes:
        raise FileRefused(_("The workbook expands to an implausible size; it cannot be imported."))
    stream.seek(0)
    try:
        reader = _WorkbookReader(stream, read_only=True, data_only=False, keep_links=False)
        reader.read()
        return reader.wb
    except (InvalidFileException, zipfile.BadZipFile, zlib.error, KeyError, ParseError, ValueError, OSError, EOFError):
        raise FileRefused(_("The file is damaged (not a readable .xlsx). Save it again in Excel and retry.")) from None
    except Exception:  # openpyxl raises many kinds of errors on malformed parts
        raise FileRefused(_("The file is damaged (not a readable .xlsx). Save it again in Excel and retry.")) from None


class SharedStrings(Sequence[str]):
    """The shared-string table held compactly: blocks of strings joined into one text each, with the offsets
    where each string starts. A list of separate strings costs some 60 bytes per string besides its text,
    and a large roster's table is most of what reading it holds in memory."""

    BLOCK: Final = 4096

    def __init__(self, strings: Iterable[str]) -> None:
        self._texts: list[str] = []
        self._offsets: list[array[int]] = []
        self._length = 0
        pending: list[str] = []
        for text in strings:
            pending.append(text)
            if len(pending) == self.BLOCK:
                self._seal(pending)
                pending = []
        if pending:
            self._seal(pending)

    def _seal(self, block: list[str]) -> None:
        offsets = array("I", [0])
        end = 0
        for text in block:
            end += len(text)
            offsets.append(end)
        self._texts.append("".join(block))
        self._offsets.append(offsets)
        self._length += len(block)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("shared string index out of range")
        block, at = divmod(index, self.BLOCK)
        offsets = self._offsets[block]
        return self._texts[block][offsets[at] : offsets[at + 1]]


def _string_items(source: IO[bytes]) -> Iterator[str]:
    for _event, node in iterparse(source):
        if node.tag != _SI:
            continue
        plain = ""
        runs: list[str] = []
        for child in node:
            if child.tag == _T:
                plain = child.text or ""
            elif child.tag == _RUN:
                text = child.find(_T)
                if text is not None and text.text is not None:
                    runs.append(text.text)
        yield (plain + "".join(runs)).replace("x005F_", "")
        node.clear()


def read_shared_strings(source: IO[bytes]) -> SharedStrings:
    """The workbook's shared-string table, as openpyxl's ``read_string_table`` reads it (a string's plain text
    followed by the text of its formatted runs, phonetic guides left out, ``_x005F`` escapes undone the way
    openpyxl does) with the same XML parser, without building an openpyxl object per string first — which was
    most of the time to open a large roster — and held compactly."""
    return SharedStrings(_string_items(source))


class _WorkbookReader(ExcelReader):
    """openpyxl's reader with the quicker shared-string table above."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = read_shared_strings(source)


def header_key(text: object) -> str:
    """A header cell compared loosely: NFKC, no blanks, no required-marker ``*``, no ``（必填）``."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text))
    value = re.sub(r"[\s*＊]|\((必填|选填|required|optional)\)", "", value, flags=re.IGNORECASE)
    return value.casefold()


@dataclass
class Table:
    sheet: Any
    sheet_name: str
    header_row: int  # 1-based
    columns: dict[int, Field]  # 0-based column index → field
    unknown: list[str] = field(default_factory=list)

    @property
    def present(self) -> frozenset[str]:
        return frozenset(f.key for f in self.columns.values())


def _match_header(cells: Sequence[object], lookup: dict[str, Field]) -> tuple[dict[int, Field], list[str]]:
    matched: dict[int, Field] = {}
    unknown: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(cells[:MAX_COLUMNS]):
        key = header_key(cell)
        if not key:
            continue
        found = lookup.get(key)
        if found is None or found.key in seen:
            unknown.append(str(cell).strip())
        else:
            matched[index] = found
            seen.add(found.key)
    return matched, unknown


def locate_table(book: Any, fields: Sequence[Field]) -> Table:
    """The first visible sheet with a header row naming every required column (within its first rows)."""
    lookup: dict[str, Field] = {}
    for f in fields:
        for name in f.header_names():
            lookup.setdefault(header_key(name), f)
    required = [f for f in fields if f.required]
    best: tuple[int, list[Field]] | None = None
    try:
        for sheet in book.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            for number, cells in enumerate(
                sheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True), start=1
            ):
                matched, unknown = _match_header(list(cells), lookup)
                if not matched:
                    continue
                keys = {f.key for f in matched.values()}
                missing = [f for f in required if f.key not in keys]
                if not missing:
                    return Table(sheet, sheet.title, number, matched, unknown)
                if best is None or len(matched) > best[0]:
                    best = (len(matched), missing)
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(_("The file is damaged (not a readable .xlsx). Save it again in Excel and retry.")) from None
    names = "、".join(str(f.label) for f in (best[1] if best else required))
    raise FileRefused(
        _(
            "No visible sheet has the required columns: %(columns)s is missing. "
            "Use the template's header row; hidden sheets are not read."
        )
        % {"columns": names}
    )


@dataclass
class RawRow:
    number: int
    cells: dict[str, object]  # field key → raw cell value
    formulas: dict[str, str]  # field key → the formula text, for cells whose value cannot be trusted


def iter_rows(table: Table, *, max_rows: int) -> Iterator[RawRow]:
    """The non-blank data rows under the header, with their sheet row numbers.

    A cell whose value starts with ``=`` is taken for a formula (openpyxl hands formulas over as their text when
    the workbook is opened without cached values): its value is not trusted, the importer reports it. Text that
    really starts with ``=`` has no place in these templates, and refusing it also keeps formula injection out.
    """
    columns = sorted(table.columns.items())
    last = max(index for index, _f in columns) + 1
    count = 0
    blanks = " \u3000\t\r\n\u00a0"
    try:
        for number, cells in enumerate(
            table.sheet.iter_rows(min_row=table.header_row + 1, max_col=last, values_only=True),
            start=table.header_row + 1,
        ):
            values: dict[str, object] = {}
            formulas: dict[str, str] = {}
            width = len(cells)
            for index, f in columns:
                value = cells[index] if index < width else None
                if value is None:
                    continue
                if type(value) is str:
                    if value.startswith("="):
                        formulas[f.key] = value
                        continue
                    if not value.strip(blanks):
                        continue
                values[f.key] = value
            if not values and not formulas:
                continue
            count += 1
            if count > max_rows:
                raise FileRefused(
                    _("The sheet has more than %(max)s data rows. Split it into smaller files.")
                    % {"max": f"{max_rows:,}"}
                )
            yield RawRow(number, values, formulas)
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(_("The file is damaged (not a readable .xlsx). Save it again in Excel and retry.")) from None
