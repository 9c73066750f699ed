"""Reading batch inputs safely (folders, zip archives) and building the catalog's records."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from pathlib import Path

import pytest

from graders.batch import (
    InputError,
    collect_inputs,
    csv_header,
    csv_row,
    csv_text,
    grade_inputs,
    read_folder,
    read_zip,
    record_in_order,
    unreadable_record,
)
from graders.bundle import load_bundle
from tests.conftest import EXERCISES

CORRECT = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"
WRONG = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"


@pytest.fixture(scope="module")
def relu():
    return load_bundle(EXERCISES / "relu")


def make_zip(entries: list[tuple[str | zipfile.ZipInfo, bytes | str]]) -> io.BytesIO:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names some tests write on purpose
        for name, data in entries:
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def symlink_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, str]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix
    info.external_attr = (0o120777) << 16  # S_IFLNK | 0777
    return info, target


def skipped_reasons(collected) -> dict[str, str]:
    return {entry.name: entry.reason for entry in collected.skipped}


def test_nested_folders_are_kept_in_the_names_in_archive_order():
    archive = make_zip([("export/alice/relu.py", CORRECT), ("export/bob/sub/relu.py", WRONG), ("carol.py", CORRECT)])
    collected = read_zip(archive, label="export.zip")
    assert [item.name for item in collected.inputs] == [
        "export.zip/export/alice/relu.py",
        "export.zip/export/bob/sub/relu.py",
        "export.zip/carol.py",
    ]
    assert collected.inputs[1].source == WRONG
    assert collected.skipped == []


def test_bad_entries_are_skipped_with_a_reason_and_the_good_ones_kept():
    archive = make_zip(
        [
            ("ok/relu.py", CORRECT),
            ("../evil.py", "import os"),
            ("ok/../../evil2.py", "import os"),
            ("..\\windows_evil.py", "import os"),
            ("/etc/abs.py", "x = 1"),
            ("C:/Users/abs.py", "x = 1"),
            ("\\\\server\\share\\unc.py", "x = 1"),
            symlink_entry("link.py", "/etc/passwd"),
            ("notes.txt", "hello"),
            ("data.npy", b"\x93NUMPY"),
            ("inner.zip", b"PK\x05\x06" + b"\x00" * 18),
            ("inner.tar.gz", b"\x1f\x8b"),
            ("__MACOSX/ok/._relu.py", b"\x00\x05\x16\x07"),
            ("ok/.hidden.py", "x = 1"),
            (".git/hooks/post.py", "x = 1"),
            ("ok/__pycache__/relu.py", "x = 1"),
            ("ok/relu.py", WRONG),  # the same path again
            ("ok/./relu.py", WRONG),  # the same path, spelled differently
        ]
    )
    collected = read_zip(archive)
    assert [(item.name, item.source) for item in collected.inputs] == [("ok/relu.py", CORRECT)]
    reasons = skipped_reasons(collected)
    assert reasons["../evil.py"] == "path goes outside the archive (..)"
    assert reasons["ok/../../evil2.py"] == "path goes outside the archive (..)"
    assert reasons["..\\windows_evil.py"] == "path goes outside the archive (..)"
    assert reasons["/etc/abs.py"] == "absolute path"
    assert reasons["C:/Users/abs.py"] == "absolute path"
    assert reasons["\\\\server\\share\\unc.py"] == "absolute path"
    assert reasons["link.py"] == "symbolic link"
    assert reasons["notes.txt"] == reasons["data.npy"] == "not a Python file"
    assert reasons["inner.zip"] == reasons["inner.tar.gz"] == "nested archive (not opened)"
    assert reasons["__MACOSX/ok/._relu.py"] == "macOS metadata"
    assert reasons["ok/.hidden.py"] == "hidden file"
    assert reasons[".git/hooks/post.py"] == "in a hidden folder"
    assert reasons["ok/__pycache__/relu.py"] == "cache folder"
    duplicates = [entry for entry in collected.skipped if entry.name == "ok/relu.py"]
    assert [entry.reason for entry in duplicates] == ["duplicate of an earlier entry with the same path"] * 2


def test_huge_entries_are_skipped_on_their_inflated_size_not_only_the_header():
    big = "#" * (3 << 20)  # 3 MiB of one byte: a few KiB compressed
    archive = make_zip([("big/relu.py", big), ("small/relu.py", CORRECT)])
    collected = read_zip(archive, max_bytes=64 * 1024)
    assert [item.name for item in collected.inputs] == ["small/relu.py"]
    assert skipped_reasons(collected) == {"big/relu.py": "larger than 64 KiB"}

    # A header that lies about the size: the bounded read still stops at the cap.
    raw = make_zip([("liar/relu.py", big)]).getvalue()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = archive.infolist()[0]
    lying = raw.replace(info.file_size.to_bytes(4, "little"), (100).to_bytes(4, "little"))
    collected = read_zip(io.BytesIO(lying), max_bytes=64 * 1024)
    assert collected.inputs == []
    assert collected.skipped[0].name == "liar/relu.py"
    assert collected.skipped[0].reason.startswith(("larger than", "could not be read"))


def test_archive_wide_limits_stop_reading_and_say_so():
    archive = make_zip([(f"s{i}/relu.py", CORRECT) for i in range(5)])
    collected = read_zip(archive, max_entries=3)
    assert len(collected.inputs) == 3
    assert collected.skipped[-1].reason == "and 2 more entries: over 3"

    archive = make_zip([(f"s{i}/relu.py", "#" * 1000) for i in range(5)])
    collected = read_zip(archive, max_total_bytes=2500)
    assert len(collected.inputs) == 2
    assert "in all" in collected.skipped[-1].reason


def test_encrypted_and_non_utf8_entries():
    raw = bytearray(
        make_zip([("locked/relu.py", CORRECT), ("latin/relu.py", "x = 'caf\xe9'\n".encode("latin-1"))]).getvalue()
    )
    # zipfile cannot write encrypted entries: set the "encrypted" flag of the first one by hand.
    raw[6] |= 0x1  # its local header
    central = raw.index(b"PK\x01\x02")
    raw[central + 8] |= 0x1  # its central directory record
    collected = read_zip(io.BytesIO(bytes(raw)))
    assert skipped_reasons(collected) == {"locked/relu.py": "encrypted"}
    (item,) = collected.inputs
    assert item.source is None and item.problem.startswith("The file is not UTF-8 text")


def test_not_a_zip_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not a valid zip archive: fake.zip"):
        read_zip(io.BytesIO(b"this is not a zip"), label="fake.zip")
    fake = tmp_path / "fake.zip"
    fake.write_text("nope")
    with pytest.raises(InputError):
        collect_inputs([str(fake)])
    with pytest.raises(InputError, match="no such file"):
        collect_inputs([str(tmp_path / "missing.py")])


def test_reading_an_archive_writes_nothing_anywhere(tmp_path, monkeypatch):
    job = tmp_path / "job"
    job.mkdir()
    monkeypatch.chdir(job)
    archive_path = tmp_path / "upload.zip"
    archive_path.write_bytes(
        make_zip(
            [("../escape.py", "x"), ("/tmp/abs_escape.py", "x"), symlink_entry("l.py", "/"), ("a/relu.py", CORRECT)]
        ).getvalue()
    )
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    collected = collect_inputs([str(archive_path)])
    assert [item.name for item in collected.inputs] == [f"{archive_path}/a/relu.py"]
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
    assert not Path("/tmp/abs_escape.py").exists()


def test_folders_are_walked_in_sorted_order_without_following_links(tmp_path):
    root = tmp_path / "subs"
    (root / "bob").mkdir(parents=True)
    (root / "alice").mkdir()
    (root / ".git").mkdir()
    (root / "__pycache__").mkdir()
    (root / "bob" / "relu.py").write_text(WRONG)
    (root / "alice" / "relu.py").write_text(CORRECT)
    (root / "alice" / "notes.md").write_text("hi")
    (root / ".git" / "x.py").write_text("x")
    (root / "__pycache__" / "relu.cpython-311.pyc").write_bytes(b"\x00")
    (root / "big.py").write_text("#" * 5000)
    (root / "link.py").symlink_to(root / "alice" / "relu.py")
    (root / "linked_folder").symlink_to(root / "alice", target_is_directory=True)

    collected = read_folder(str(root) + "/", max_bytes=4096)
    assert [item.name for item in collected.inputs] == [f"{root}/alice/relu.py", f"{root}/bob/relu.py"]
    reasons = skipped_reasons(collected)
    assert reasons[f"{root}/alice/notes.md"] == "not a Python file"
    assert reasons[f"{root}/.git/"] == reasons[f"{root}/__pycache__/"] == "hidden or metadata folder"
    assert reasons[f"{root}/big.py"] == "larger than 4 KiB"
    assert reasons[f"{root}/link.py"] == "symbolic link (not followed)"
    assert reasons[f"{root}/linked_folder"] == "symbolic link (not followed)"


def test_collect_keeps_the_order_given_across_files_folders_and_archives(tmp_path):
    (tmp_path / "one.py").write_text(CORRECT)
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "two.py").write_text(CORRECT)
    (tmp_path / "three.zip").write_bytes(make_zip([("three.py", CORRECT)]).getvalue())
    (tmp_path / "four.py").write_text(CORRECT)
    paths = [str(tmp_path / name) for name in ("one.py", "folder", "three.zip", "four.py")]
    names = [item.name for item in collect_inputs(paths).inputs]
    assert names == [paths[0], f"{paths[1]}/two.py", f"{paths[2]}/three.py", paths[3]]


def test_grading_a_zip_yields_records_in_input_order(relu):
    sources = [CORRECT, WRONG, "def relu(x)\n", CORRECT, WRONG]
    archive = make_zip([(f"s{i}/relu.py", source) for i, source in enumerate(sources)])
    collected = read_zip(archive, label="batch.zip")
    records = list(grade_inputs(relu, collected.inputs, workers=2))
    assert [r["file"] for r in records] == [f"batch.zip/s{i}/relu.py" for i in range(5)]
    assert [r["score"] for r in records] == [1.0, 0.3, 0.0, 1.0, 0.3]
    assert records[1]["mistakes"] == ["absolute_value"]
    assert records[2]["message"] == "SyntaxError at line 1: expected ':': def relu(x)"


def test_unreadable_record_gives_every_case_an_error(relu):
    record = unreadable_record(relu, "x.py", "The file is not UTF-8 text (invalid start byte at byte 3)")
    assert (record["status"], record["score"], record["total"]) == ("graded", 0.0, len(relu.cases))
    assert {case["status"] for case in record["cases"]} == {"error"}
    assert record["message"].startswith("The file is not UTF-8")


def test_record_keys_come_back_in_the_catalogs_order():
    record = {
        "file": "a.py",
        "exercise": "relu",
        "status": "graded",
        "score": 0.5,
        "passed": 1,
        "total": 2,
        "cases": [{"name": "v", "status": "pass", "message": ""}],
        "mistakes": ["absolute_value"],
    }
    shuffled = json.loads(json.dumps(dict(sorted(record.items(), key=lambda kv: len(kv[0])))))
    shuffled["cases"] = [dict(reversed(list(case.items()))) for case in shuffled["cases"]]
    assert json.dumps(record_in_order(shuffled)) == json.dumps(record)


def test_csv_has_one_column_per_case_and_defuses_formulas():
    names = ["vector", "matrix"]
    record = {
        "file": '=HYPERLINK("http://x")/relu.py',
        "exercise": "relu",
        "status": "graded",
        "score": 0.5,
        "passed": 1,
        "total": 2,
        "cases": [
            {"name": "vector", "status": "pass", "message": ""},
            {"name": "matrix", "status": "fail", "message": "x"},
        ],
        "mistakes": ["absolute_value", "other"],
    }
    assert csv_header(names)[-2:] == ["case:vector", "case:matrix"]
    row = csv_row(record, names)
    assert row[0].startswith("'=")
    assert row[-3:] == ["absolute_value;other", "pass", "fail"]
    text = csv_text([record], names)
    assert text.splitlines()[0].startswith("file,exercise,status,score,passed,total,message,mistakes,case:vector")
    assert text.count("\n") == 2
