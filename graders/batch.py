"""Grade many files of one exercise: read the inputs safely, grade in parallel, build the records.

Produces the batch records of docs/catalog.md ("The batch grading command"): one dict per
file, in the order given, whatever order they finish in. Inputs are files, folders (walked in
sorted order) and zip archives (read in memory, never extracted). Entries of a folder or archive
that are not submissions (not ``.py``, too large, unsafe, duplicated) are skipped and reported,
never graded and never written anywhere. Pure Python: the batches app and the ``grade`` command
build on this; nothing here knows about Django.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graders.bundle import Bundle
from graders.runtime import SandboxPool
from graders.sandbox import SandboxUnavailable
from graders.verdict import NOT_GRADABLE, PLATFORM_ERROR, Verdict, platform_error

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 1 << 20
# Archive limits: what a course export needs, far below what would hurt the machine.
MAX_ARCHIVE_ENTRIES = 10_000
MAX_ARCHIVE_TOTAL_BYTES = 256 << 20  # uncompressed bytes of the entries read
MAX_PATH_DEPTH = 32
ARCHIVE_SUFFIXES = (".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".whl", ".jar", ".egg")
SKIPPED_FOLDERS = ("__pycache__", "__MACOSX")


@dataclass(frozen=True)
class BatchInput:
    """One submission to grade: its name in the records and its source (None when unreadable)."""

    name: str
    source: str | None
    problem: str = ""  # why the source could not be read, shown as the record's message


@dataclass(frozen=True)
class Skipped:
    """An entry of a folder or archive that is not graded, and why."""

    name: str
    reason: str


@dataclass
class Collected:
    inputs: list[BatchInput] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def extend(self, other: Collected) -> None:
        self.inputs.extend(other.inputs)
        self.skipped.extend(other.skipped)


class InputError(ValueError):
    """An input that cannot be used at all (missing path, not a zip archive): a usage error."""


# -- records ---------------------------------------------------------------------------------


def verdict_record(file: str, verdict: Verdict) -> dict[str, Any]:
    """The catalog's JSON object for one graded file."""
    if verdict.outcome == PLATFORM_ERROR:
        return {
            "file": file,
            "exercise": verdict.exercise,
            "status": "error",
            "score": 0.0,
            "passed": 0,
            "total": verdict.total,
            "cases": [],
            "message": verdict.message,
        }
    # A hidden case says only what the trusted side wrote about it, whatever the verdict's age.
    cases = [{"name": case.name, "status": case.status, "message": case.public().message} for case in verdict.cases]
    record = {
        "file": file,
        "exercise": verdict.exercise,
        "status": "graded",
        "score": verdict.score,
        "passed": verdict.passed,
        "total": verdict.total,
        "cases": cases,
    }
    if verdict.outcome == NOT_GRADABLE:
        record["message"] = verdict.message
    if verdict.mistakes:
        record["mistakes"] = [m.key for m in verdict.mistakes]
    return record


RECORD_KEYS = ("file", "exercise", "status", "score", "passed", "total", "cases", "message", "mistakes")
CASE_KEYS = ("name", "status", "message")


def record_in_order(record: dict[str, Any]) -> dict[str, Any]:
    """The record with its keys in the catalog's order (a database may hand JSON back re-ordered)."""
    ordered = {key: record[key] for key in RECORD_KEYS if key in record}
    ordered.update((key, value) for key, value in record.items() if key not in ordered)
    if "cases" in record:
        ordered["cases"] = [
            {key: case[key] for key in CASE_KEYS if key in case} | {k: v for k, v in case.items() if k not in CASE_KEYS}
            for case in record["cases"]
        ]
    return ordered


def unreadable_record(bundle: Bundle, file: str, problem: str) -> dict[str, Any]:
    """The record of a file whose bytes cannot be a submission (too large, not UTF-8): not gradable."""
    # An instructor's bundle (untrusted) has its cases only in the worker's sandbox: none listed here.
    cases = () if bundle.untrusted else bundle.cases
    verdict = Verdict(
        outcome=NOT_GRADABLE,
        score=0.0,
        passed=0,
        total=len(cases),
        exercise=bundle.slug,
        message=problem,
        cases=(),
    )
    record = verdict_record(file, verdict)
    record["cases"] = [{"name": c.name, "status": "error", "message": ""} for c in cases]
    return record


CSV_FIXED_COLUMNS = ("file", "exercise", "status", "score", "passed", "total", "message", "mistakes")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_header(case_names: Sequence[str]) -> list[str]:
    """Columns of the CSV report: the record's fields, then one column per case holding its status."""
    return [*CSV_FIXED_COLUMNS, *(f"case:{name}" for name in case_names)]


def csv_row(record: dict[str, Any], case_names: Sequence[str]) -> list[Any]:
    statuses = {case["name"]: case["status"] for case in record.get("cases", ())}
    row = [
        _csv_text(record["file"]),
        record["exercise"],
        record["status"],
        record["score"],
        record["passed"],
        record["total"],
        _csv_text(record.get("message", "")),
        ";".join(record.get("mistakes", ())),
    ]
    return row + [statuses.get(name, "") for name in case_names]


def _csv_text(value: str) -> str:
    # A spreadsheet would run a cell starting with "=" as a formula; file names come from students.
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_text(records: Iterable[dict[str, Any]], case_names: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_header(case_names))
    for record in records:
        writer.writerow(csv_row(record, case_names))
    return buffer.getvalue()


# -- reading inputs --------------------------------------------------------------------------


def decode_source(data: bytes, max_bytes: int = MAX_FILE_BYTES) -> tuple[str | None, str]:
    """Return (source, "") or (None, why it cannot be a submission)."""
    if len(data) > max_bytes:
        return None, f"The file is larger than {max_bytes >> 10} KiB"
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        return None, f"The file is not UTF-8 text ({exc.reason} at byte {exc.start})"


def read_file(path: str, *, max_bytes: int = MAX_FILE_BYTES) -> BatchInput:
    """A file named on the command line: always a record, unreadable bytes included."""
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    source, problem = decode_source(data, max_bytes)
    return BatchInput(name=path, source=source, problem=problem)


def read_folder(path: str, *, max_bytes: int = MAX_FILE_BYTES) -> Collected:
    """Every ``.py`` file under ``path`` in sorted order; links are not followed, other files skipped."""
    collected = Collected()
    top = Path(path)
    for folder, subfolders, names in os.walk(top, followlinks=False):
        relative = Path(folder).relative_to(top).parts
        kept = []
        for sub in sorted(subfolders):
            label = os.path.join(path, *relative, sub)
            if sub.startswith(".") or sub in SKIPPED_FOLDERS:
                collected.skipped.append(Skipped(label + "/", "hidden or metadata folder"))
            elif os.path.islink(os.path.join(folder, sub)):
                collected.skipped.append(Skipped(label, "symbolic link (not followed)"))
            else:
                kept.append(sub)
        subfolders[:] = kept
        for name in sorted(names):
            full = os.path.join(folder, name)
            label = os.path.join(path, *relative, name)
            reason = _folder_entry_problem(full, name, max_bytes)
            if reason:
                collected.skipped.append(Skipped(label, reason))
                continue
            entry = read_file(full, max_bytes=max_bytes)
            collected.inputs.append(BatchInput(name=label, source=entry.source, problem=entry.problem))
    return collected


def _folder_entry_problem(full: str, name: str, max_bytes: int) -> str:
    info = os.lstat(full)
    if stat.S_ISLNK(info.st_mode):
        return "symbolic link (not followed)"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    return _name_problem(name) or _size_problem(info.st_size, max_bytes)


def _name_problem(basename: str) -> str:
    lowered = basename.lower()
    if basename.startswith("._") or basename == ".DS_Store":
        return "macOS metadata"
    if basename.startswith("."):
        return "hidden file"
    if lowered.endswith(ARCHIVE_SUFFIXES):
        return "nested archive (not opened)"
    if not lowered.endswith(".py"):
        return "not a Python file"
    return ""


def _size_problem(size: int, max_bytes: int) -> str:
    return f"larger than {max_bytes >> 10} KiB" if size > max_bytes else ""


def read_zip(
    archive: str | os.PathLike | IO[bytes],
    *,
    label: str = "",
    max_bytes: int = MAX_FILE_BYTES,
    max_entries: int = MAX_ARCHIVE_ENTRIES,
    max_total_bytes: int = MAX_ARCHIVE_TOTAL_BYTES,
) -> Collected:
    """The ``.py`` entries of a zip archive, read in memory in the archive's order.

    Nothing is extracted. Skipped and reported: absolute paths, ``..`` components, symbolic links
    and other special entries, hidden and macOS metadata files, nested archives, non-Python files,
    entries over ``max_bytes`` (checked on the bytes actually inflated, not only the header),
    encrypted or corrupt entries, and a second entry with the same normalized path. Folders inside
    the archive are kept in the names (``alice/relu.py``). ``label`` prefixes every name
    (``export.zip/alice/relu.py``). Raises InputError when ``archive`` is not a zip archive.
    """
    try:
        opened = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(f"not a valid zip archive: {label or archive} ({exc})") from None
    collected = Collected()
    seen: set[str] = set()
    total = 0
    with opened:
        entries = opened.infolist()
        for index, info in enumerate(entries):
            shown = _printable(info.filename)
            if index >= max_entries:
                collected.skipped.append(
                    Skipped(_join(label, shown), f"and {len(entries) - index} more entries: over {max_entries}")
                )
                break
            if info.is_dir():
                continue
            parts, reason = _safe_parts(info)
            if reason:
                collected.skipped.append(Skipped(_join(label, shown), reason))
                continue
            name = "/".join(parts)
            reason = (
                _name_problem(parts[-1])
                or _hidden_problem(parts)
                or ("encrypted" if info.flag_bits & 0x1 else "")
                or ("duplicate of an earlier entry with the same path" if name in seen else "")
                or _size_problem(info.file_size, max_bytes)
            )
            if reason:
                collected.skipped.append(Skipped(_join(label, name), reason))
                continue
            seen.add(name)
            try:
                with opened.open(info) as handle:
                    data = handle.read(max_bytes + 1)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, zlib.error) as exc:
                collected.skipped.append(Skipped(_join(label, name), f"could not be read ({exc})"))
                continue
            if len(data) > max_bytes:
                collected.skipped.append(Skipped(_join(label, name), _size_problem(len(data), max_bytes)))
                continue
            total += len(data)
            if total > max_total_bytes:
                collected.skipped.append(
                    Skipped(_join(label, name), f"and the entries after it: over {max_total_bytes >> 20} MiB in all")
                )
                break
            source, problem = decode_source(data, max_bytes)
            collected.inputs.append(BatchInput(name=_join(label, name), source=source, problem=problem))
    return collected


def _join(label: str, name: str) -> str:
    return f"{label}/{name}" if label else name


def _printable(name: str) -> str:
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in name)


def _safe_parts(info: zipfile.ZipInfo) -> tuple[list[str], str]:
    """The entry's path components, or why the entry must not be used."""
    raw = info.filename
    if any(not ch.isprintable() for ch in raw):
        return [], "control characters in the name"
    name = unicodedata.normalize("NFC", raw.replace("\\", "/"))
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return [], "absolute path"
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        return [], "path goes outside the archive (..)"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return [], "symbolic link"
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        return [], "not a regular file"
    if not parts:
        return [], "empty name"
    if len(parts) > MAX_PATH_DEPTH:
        return [], f"nested deeper than {MAX_PATH_DEPTH} folders"
    return parts, ""


def _hidden_problem(parts: list[str]) -> str:
    for part in parts[:-1]:
        if part in SKIPPED_FOLDERS:
            return "macOS metadata" if part == "__MACOSX" else "cache folder"
        if part.startswith("."):
            return "in a hidden folder"
    return ""


def is_archive_path(path: str) -> bool:
    return path.lower().endswith(".zip")


def collect_inputs(paths: Sequence[str], *, max_bytes: int = MAX_FILE_BYTES) -> Collected:
    """Files, folders and zip archives, in the order given. Raises InputError for a missing path."""
    collected = Collected()
    for path in paths:
        if os.path.isdir(path):
            collected.extend(read_folder(path, max_bytes=max_bytes))
        elif os.path.isfile(path) and is_archive_path(path):
            with open(path, "rb") as handle:
                collected.extend(read_zip(handle, label=path, max_bytes=max_bytes))
        elif os.path.isfile(path):
            collected.inputs.append(read_file(path, max_bytes=max_bytes))
        else:
            raise InputError(f"no such file: {path}")
    return collected


# -- grading ---------------------------------------------------------------------------------


def grade_source(bundle: Bundle, source: str, pool: SandboxPool, attempts: int = 2) -> Verdict:
    """Grade with retries on platform failure; a sandbox that keeps failing yields a platform error."""
    last = ""
    for _ in range(attempts):
        try:
            return pool.grade(bundle, source)
        except SandboxUnavailable as exc:
            last = str(exc)
        except Exception as exc:  # a fault of ours costs this file its score, never the batch its records
            log.exception("grading a batch file failed on the platform side")
            last = f"{type(exc).__name__}: {exc}"
    return platform_error(f"The grader could not run this file: {last}", exercise=bundle.slug, total=len(bundle.cases))


def grade_inputs(
    bundle: Bundle, inputs: Iterable[BatchInput], *, workers: int = 1, isolation: str = "auto"
) -> Iterator[dict[str, Any]]:
    """Grade each input with ``workers`` warm sandboxes; yield the records in input order."""
    pool = SandboxPool(isolation)

    def one(item: BatchInput) -> dict[str, Any]:
        if item.source is None:
            return unreadable_record(bundle, item.name, item.problem)
        return verdict_record(item.name, grade_source(bundle, item.source, pool))

    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as executor:
            yield from executor.map(one, inputs)
    finally:
        pool.close()
