"""Opening an uploaded workbook, refusing bad files, finding the table and streaming its rows.

Refusals (:class:`FileRefused`) happen before any row is parsed: a file too large, not an .xlsx (an old .xls,
a renamed document), a corrupt zip, a password-protected workbook (Office wraps those in an encrypted OLE
container), a zip that would expand beyond reason, no visible sheet with the required columns. Hidden sheets
are never read. The row limit is checked while streaming; the caller runs inside a transaction, so exceeding
it leaves nothing behind either.

An upload is untrusted: a few hundred kilobytes of zip can unpack to gigabytes of XML (millions of tiny
shared strings, hundreds of megabytes of comments, a million empty rows). Reading is bounded by
:class:`Limits`, each far above what a real roster needs and far below what would hold a worker: the bytes
inflated from the zip are counted as they are read (over every part and every reading of it), a part read
whole (workbook, styles) is small, the shared strings are counted, each row or string holds a bounded
number of XML elements, and the reading has a time budget. The worksheet and the shared strings are parsed
with libxml2 (lxml) as a stream, every element freed once handled; libxml2 refuses oversized text nodes and
attributes by itself and, unlike expat, does not rescan a long token quadratically.
"""

from __future__ import annotations

import re
import time
import unicodedata
import zipfile
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Final, overload

from django.utils.translation import gettext as _
from lxml import etree
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import _cast_number
from openpyxl.xml.constants import ARC_STYLE, SHEET_MAIN_NS

from .columns import Field

OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC: Final = b"PK\x03\x04"
ENCRYPTION_STREAM: Final = "EncryptionInfo".encode("utf-16-le")
EXPANSION_LIMIT: Final = 40
"""A workbook's parts may declare at most this many times the upload limit in all (a zip bomb does not)."""
HEADER_SCAN_ROWS: Final = 10
MAX_COLUMNS: Final = 200
MAX_SHEET_ROW: Final = 1_048_576
MiB: Final = 2**20
_SI: Final = f"{{{SHEET_MAIN_NS}}}si"
_T: Final = f"{{{SHEET_MAIN_NS}}}t"
_RUN: Final = f"{{{SHEET_MAIN_NS}}}r"
_ROW: Final = f"{{{SHEET_MAIN_NS}}}row"
_CELL: Final = f"{{{SHEET_MAIN_NS}}}c"
_VALUE: Final = f"{{{SHEET_MAIN_NS}}}v"
_FORMULA: Final = f"{{{SHEET_MAIN_NS}}}f"
_INLINE: Final = f"{{{SHEET_MAIN_NS}}}is"
_SHEET_DATA: Final = f"{{{SHEET_MAIN_NS}}}sheetData"
_NUMBER_FORMATS: Final = f"{{{SHEET_MAIN_NS}}}numFmts"
_NUMBER_FORMAT: Final = f"{{{SHEET_MAIN_NS}}}numFmt"
_CELL_XFS: Final = f"{{{SHEET_MAIN_NS}}}cellXfs"
_XF: Final = f"{{{SHEET_MAIN_NS}}}xf"
_DIGITS: Final = "0123456789"
FREE_EVERY: Final = 16_384
"""Tags read between two freeings of what the parser has built."""
MAX_CELL_CHARS: Final = 32_767
"""Excel's limit on the text of one cell."""


class FileRefused(Exception):
    """The file as a whole cannot be imported; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def megabytes(size: int) -> str:
    return f"{size / 2**20:.1f}"


def damaged() -> FileRefused:
    return FileRefused(_("The file is damaged (not a readable .xlsx). Save it again in Excel and retry."))


@dataclass(frozen=True)
class Limits:
    """How much reading one upload may take.

    A 20,000-row roster of 13 columns as Excel saves it is 1.2 MB; it unpacks to 10.5 MB (8.3 MB of sheet,
    2.2 MB of 60,000 shared strings) and reads in about 1.5 s. Every bound below is several times what the
    widest real roster within the row limit needs, and low enough that no upload grows a worker by more
    than about 150 MB or keeps it reading for more than ``seconds``. Parsing runs at some 20–50 MB/s, so the
    bound on inflated bytes is also what keeps the worst upload to a few seconds: a sheet padded with all
    1,048,576 rows formatted (73 MB) is refused, with advice to copy the table without them.
    """

    inflated: int = 64 * MiB
    """Bytes inflated from the zip, over every part and every reading of it."""
    part: int = 4 * MiB
    """A part read whole and parsed into a tree at once (content types, the workbook's sheet list and its
    relationships); the styles are streamed."""
    strings: int = 500_000
    """Entries in the shared-string table: Excel keeps each distinct text once (some 100,000 for the widest
    roster of 20,000 rows); a writer that does not would need 25 text columns to come near."""
    string_chars: int = 8_000_000
    """Characters in the shared-string table."""
    elements: int = 200_000
    """XML tags read before the next row or shared string is complete (a row of all 16,384 columns Excel
    allows takes 65,536): what the parser holds at any time."""
    seconds: float = 20.0
    """Wall-clock seconds spent reading (opening, finding the header, streaming the rows)."""


class Budget:
    """What reading one workbook has used so far: bytes inflated and seconds spent reading. The clock runs
    only while the reader works, not while the caller handles the rows it was given."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.inflated = 0
        self.spent = 0.0
        self.since: float | None = None

    def start(self) -> None:
        if self.since is None:
            self.since = time.monotonic()

    def stop(self) -> None:
        if self.since is not None:
            self.spent += time.monotonic() - self.since
            self.since = None

    def take(self, size: int) -> None:
        self.inflated += size
        if self.inflated > self.limits.inflated:
            raise too_large(self.limits)
        elapsed = self.spent + (time.monotonic() - self.since if self.since is not None else 0.0)
        if elapsed > self.limits.seconds:
            raise FileRefused(
                _(
                    "Reading the workbook took more than %(seconds)s seconds and was stopped. Copy the table "
                    "into a new workbook, save it and upload that."
                )
                % {"seconds": f"{self.limits.seconds:g}"}
            )


def too_large(limits: Limits) -> FileRefused:
    return FileRefused(
        _(
            "The workbook unpacks to more than %(size)s MB, far more than a roster needs; it cannot be imported. "
            "Copy the table into a new workbook (without empty formatted rows), save it and upload that."
        )
        % {"size": f"{limits.inflated // MiB}"}
    )


class _Counted:
    """A part of the zip as it is inflated, every byte counted against the budget. A part read whole is
    refused past ``limits.part`` before it is held in memory."""

    CHUNK: Final = MiB

    def __init__(self, raw: IO[bytes], budget: Budget) -> None:
        self.raw = raw
        self.budget = budget

    def read(self, size: int | None = -1) -> bytes:
        if size is not None and size >= 0:
            data = self.raw.read(size)
            self.budget.take(len(data))
            return data
        chunks: list[bytes] = []
        total = 0
        while chunk := self.raw.read(self.CHUNK):
            self.budget.take(len(chunk))
            total += len(chunk)
            if total > self.budget.limits.part:
                raise FileRefused(
                    _(
                        "A part of the workbook (its list of sheets or of names) unpacks to more than %(size)s MB, "
                        "far more than a roster needs; it cannot be imported. Copy the table into a new workbook, "
                        "save it and upload that."
                    )
                    % {"size": f"{self.budget.limits.part // MiB}"}
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> _Counted:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _GuardedZip(zipfile.ZipFile):
    """The upload's zip, each part opened for reading through :class:`_Counted`."""

    budget: Budget

    def open(self, name: Any, mode: str = "r", pwd: bytes | None = None, **kwargs: Any) -> Any:
        raw = super().open(name, mode, pwd, **kwargs)
        return _Counted(raw, self.budget) if mode == "r" else raw


def open_workbook(stream: IO[bytes], *, size: int, max_bytes: int, limits: Limits | None = None) -> Any:
    """The workbook in ``stream`` opened read-only (formulas kept as formulas), or :class:`FileRefused`."""
    limits = limits or Limits()
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
        archive = _GuardedZip(stream)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError):
        raise damaged() from None
    archive.budget = budget = Budget(limits)
    entries = archive.infolist()
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        archive.close()
        raise FileRefused(_("This is not an Excel workbook (.xlsx). Download the template and fill it in."))
    if sum(entry.file_size for entry in entries) > EXPANSION_LIMIT * max_bytes:
        archive.close()
        raise FileRefused(_("The workbook expands to an implausible size; it cannot be imported."))
    if any(entry.file_size > limits.inflated for entry in entries if entry.filename.endswith((".xml", ".rels"))):
        archive.close()
        raise too_large(limits)
    budget.start()
    try:
        reader = _WorkbookReader(archive)
        reader.read()
        return reader.wb
    except FileRefused:
        archive.close()
        raise
    except Exception:  # openpyxl and the zip module raise many kinds of errors on malformed parts
        archive.close()
        raise damaged() from None
    finally:
        budget.stop()


class SharedStrings(Sequence[str]):
    """The shared-string table held compactly: blocks of strings joined into one text each, with the offsets
    where each string starts. A list of separate strings costs some 60 bytes per string besides its text,
    and a large roster's table is most of what reading it holds in memory."""

    BLOCK: Final = 4096
    LONG: Final = 256

    def __init__(self, strings: Iterable[str]) -> None:
        self._long: dict[int, str] = {}
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
        start, end = offsets[at], offsets[at + 1]
        if end - start <= self.LONG:
            return self._texts[block][start:end]
        # A long text is handed out as one object however many cells refer to it (a slice would copy it).
        found = self._long.get(index)
        if found is None:
            found = self._long[index] = self._texts[block][start:end]
        return found


class _Tags:
    """A source as the XML parser reads it, its tags counted (every ``<``): past ``limit`` tags since the
    reader last made progress (finished a row or a shared string, and freed it) the file is refused. The
    parser builds what it reads into a tree until then, so this bounds what it holds at any time, whatever
    a part holds between its rows — without a Python call per element."""

    def __init__(self, source: Any, limit: int) -> None:
        self.source = source
        self.limit = limit
        self.tags = 0

    def read(self, size: int) -> bytes:
        data: bytes = self.source.read(size)
        self.tags += data.count(b"<")
        if self.tags > self.limit:
            raise FileRefused(_("The workbook expands to an implausible size; it cannot be imported."))
        return data

    def progress(self) -> None:
        self.tags = 0


def _items(source: Any, tags: tuple[str, ...], limits: Limits) -> Iterator[Any]:
    """The elements named ``tags`` in the XML of ``source``, each once parsed whole. Once the caller has
    seen them, they are freed with everything parsed before them under the same parent (every few thousand
    tags: freeing each one costs more time than it saves memory). Comments and processing instructions are
    dropped by the parser, entities are not resolved, nothing is fetched."""
    counted = _Tags(source, limits.elements)
    events = etree.iterparse(
        counted,
        events=("end",),
        tag=tags,
        remove_comments=True,
        remove_pis=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    for _event, element in events:
        yield element
        if counted.tags > FREE_EVERY:
            parent = element.getparent()
            if parent is not None:
                del parent[:]
            counted.progress()


def _string_items(source: Any, limits: Limits) -> Iterator[str]:
    count = chars = 0
    for node in _items(source, (_SI,), limits):
        plain = ""
        runs: list[str] = []
        for child in node:
            if child.tag == _T:
                plain = child.text or ""
            elif child.tag == _RUN:
                text = child.find(_T)
                if text is not None and text.text is not None:
                    runs.append(text.text)
        value = (plain + "".join(runs)).replace("x005F_", "")
        count += 1
        chars += len(value)
        if count > limits.strings or chars > limits.string_chars:
            raise FileRefused(
                _(
                    "The workbook holds more than %(count)s texts (or %(chars)s characters of text), far more "
                    "than a roster needs; it cannot be imported. Copy the table into a new workbook, save it "
                    "and upload that."
                )
                % {"count": f"{limits.strings:,}", "chars": f"{limits.string_chars:,}"}
            )
        if len(value) > MAX_CELL_CHARS:
            raise too_long()
        yield value


def read_shared_strings(source: Any, limits: Limits | None = None) -> SharedStrings:
    """The workbook's shared-string table, as openpyxl's ``read_string_table`` reads it (a string's plain text
    followed by the text of its formatted runs, phonetic guides left out, ``_x005F`` escapes undone the way
    openpyxl does), without building an openpyxl object per string first — which was most of the time to
    open a large roster —, held compactly and bounded by ``limits``."""
    return SharedStrings(_string_items(source, limits or Limits()))


class _Sheet(ReadOnlyWorksheet):
    """A worksheet of the upload: its rows are read by :func:`sheet_rows`, so its size is not looked up
    (openpyxl would parse the sheet's start once more for it)."""

    def _get_size(self) -> None:
        return None


class _WorkbookReader(ExcelReader):
    """openpyxl's reader over the guarded zip, reading only what an import needs: the manifest, the
    shared strings (quicker and bounded, above), the workbook's sheet list and the styles (which cells hold
    dates). Document properties, the theme, charts and defined names are not read."""

    def __init__(self, archive: _GuardedZip) -> None:
        self.archive = archive
        self.valid_files = archive.namelist()
        self.read_only = True
        self.keep_vba = False
        self.data_only = False
        self.keep_links = False
        self.rich_text = False
        self.shared_strings: Any = []

    def read(self) -> None:
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        self.read_date_styles()
        self.read_worksheets()

    def read_date_styles(self) -> None:
        """Which cell styles show a date or a duration, as openpyxl's stylesheet finds them, read as a stream:
        openpyxl would build an object for every font, fill and style (a workbook bloated to Excel's 64,000
        styles took 17 s and 290 MB)."""
        if ARC_STYLE not in self.valid_files:
            return
        custom: dict[int, str] = {}
        dates: set[int] = set()
        durations: set[int] = set()
        index = 0
        with self.archive.open(ARC_STYLE) as source:
            for element in _items(source, (_NUMBER_FORMAT, _XF), self.archive.budget.limits):
                parent = element.getparent()
                container = parent.tag if parent is not None else ""
                if element.tag == _NUMBER_FORMAT and container == _NUMBER_FORMATS:
                    custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
                elif element.tag == _XF and container == _CELL_XFS:
                    number = int(element.get("numFmtId", "0"))
                    code = custom[number] if number in custom else builtin_format_code(number)
                    if code and is_date_format(code):
                        dates.add(index)
                    if code and is_timedelta_format(code):
                        durations.add(index)
                    index += 1
        self.wb._date_formats = dates
        self.wb._timedelta_formats = durations

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = read_shared_strings(source, self.archive.budget.limits)

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            ws = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


def _column(reference: str, cache: dict[str, int] = {}) -> int:  # noqa: B006 - a cache shared by every call
    letters = reference.rstrip(_DIGITS)
    found = cache.get(letters)
    if found is None:
        found = cache[letters] = column_index_from_string(letters)
    return found


@dataclass(slots=True)
class Cell:
    value: object
    formula: bool  # an ``<f>`` element: ``value`` is the formula's text, not a value


def too_long() -> FileRefused:
    return FileRefused(
        _("A cell holds more than %(max)s characters, more than Excel allows; the file cannot be imported.")
        % {"max": f"{MAX_CELL_CHARS:,}"}
    )


def _inline_text(element: Any) -> str:
    """An inline string's text (``<is>``): its plain text and its runs' text, phonetic guides left out."""
    parts: list[str] = []
    for child in element:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            text = child.find(_T)
            if text is not None and text.text is not None:
                parts.append(text.text)
    return "".join(parts)


def _converter(book: Any, shared: Sequence[str]) -> Any:
    """A function from a ``<c>`` element to its :class:`Cell`, as openpyxl's worksheet reader converts cells
    (numbers, dates by the cell's number format, shared and inline strings, booleans, ISO dates); a cell
    with a formula gives the formula's text."""
    dates, durations, epoch = book._date_formats, book._timedelta_formats, book.epoch

    def convert(element: Any) -> Cell | None:
        kind = element.get("t", "n")
        text: str | None = None
        for child in element:
            tag = child.tag
            if tag == _FORMULA:
                return Cell("=" + (child.text or ""), True)
            if tag == _VALUE:
                text = child.text
            elif tag == _INLINE and kind == "inlineStr":
                text = _inline_text(child)
                if len(text) > MAX_CELL_CHARS:
                    raise too_long()
                return Cell(text, False)
        if not text:
            return None
        if len(text) > MAX_CELL_CHARS:
            raise too_long()
        value: object
        if kind == "n":
            value = _cast_number(text)
            style = element.get("s")
            if style and int(style) in dates:
                try:
                    value = from_excel(value, epoch, timedelta=int(style) in durations)
                except (OverflowError, ValueError):
                    value = "#VALUE!"
        elif kind == "s":
            value = shared[int(text)]
        elif kind == "b":
            value = bool(int(text))
        elif kind == "d":
            value = from_ISO8601(text)
        else:  # "str" (a formula's cached text, here without its formula), "e" (an error such as #N/A)
            value = text
        return Cell(value, False)

    return convert


def sheet_rows(
    sheet: Any, *, columns: int, first: int = 1, last: int = MAX_SHEET_ROW
) -> Iterator[tuple[int, dict[int, Cell]]]:
    """The rows ``first``…``last`` of ``sheet`` that hold a value in their first ``columns`` columns: the
    row number and the cells by 0-based column. A cell with a formula is told from text by its type (an
    ``<f>`` element), not by its text. Empty rows — a million formatted ones — cost next to nothing; the
    reading stops at the end of the sheet's data."""
    book = sheet.parent
    budget: Budget = book._archive.budget
    convert = _converter(book, sheet._shared_strings)
    budget.start()
    try:
        with book._archive.open(sheet._worksheet_path) as source:
            number = 0
            for row in _items(source, (_ROW, _SHEET_DATA), budget.limits):
                if row.tag == _SHEET_DATA:
                    return
                reference = row.get("r")
                following = int(reference) if reference else number + 1
                if not number < following <= MAX_SHEET_ROW:
                    raise damaged()  # rows come in order, each once (a row twice would be two rows with one number)
                number = following
                if number > last:
                    return
                if number < first or not len(row):
                    continue
                cells: dict[int, Cell] = {}
                column = 0
                for element in row:
                    if element.tag != _CELL:
                        continue
                    reference = element.get("r")
                    column = _column(reference) if reference else column + 1
                    if column > columns or not len(element):
                        continue  # beyond the table, or no value (a formatted empty cell)
                    cell = convert(element)
                    if cell is not None:
                        cells[column - 1] = cell
                if cells:
                    budget.stop()
                    yield number, cells
                    budget.start()
    finally:
        budget.stop()


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
            for number, found in sheet_rows(sheet, columns=MAX_COLUMNS, last=HEADER_SCAN_ROWS):
                cells = [found[i].value if i in found else None for i in range(max(found) + 1)]
                matched, unknown = _match_header(cells, lookup)
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
        raise damaged() from None
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

    A formula cell (told by its type, not by an ``=`` at the start of its text) is not trusted: openpyxl
    hands over the formula, not a value; the importer reports it. Text that starts with ``=`` — a name or a
    unit typed that way, or written so by our own roster download — is text like any other.
    """
    columns = sorted(table.columns.items())
    last = max(index for index, _f in columns) + 1
    count = 0
    blanks = " \u3000\t\r\n\u00a0"
    try:
        for number, cells in sheet_rows(table.sheet, columns=last, first=table.header_row + 1):
            values: dict[str, object] = {}
            formulas: dict[str, str] = {}
            for index, f in columns:
                cell = cells.get(index)
                if cell is None:
                    continue
                value = cell.value
                if cell.formula:
                    formulas[f.key] = value if type(value) is str else str(getattr(value, "text", None) or value)
                    continue
                if type(value) is str and not value.strip(blanks):
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
        raise damaged() from None
