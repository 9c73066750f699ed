"""Ctrl-C or SIGTERM on `make run` in a terminal stops web, worker, beat, zygotes and sandbox children at once, saying so once."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _process_tree(root: int) -> dict[int, tuple[str, str]]:
    """{pid: (start time, command line)} of ``root`` and everything below it, from /proc."""
    parents, facts = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z":
            continue  # a zombie is gone, only not yet collected
        parents[int(entry.name)] = int(fields[1])
        facts[int(entry.name)] = (fields[19], command)
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in facts and pid not in tree:
            tree[pid] = facts[pid]
            todo.extend(child for child, parent in parents.items() if parent == pid)
    return tree


def _still_running(snapshot: dict[int, tuple[str, str]]) -> list[str]:
    left = []
    for pid, (started, command) in snapshot.items():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[19] == started and fields[0] != "Z":
            left.append(f"{pid} {command}")
    return left


class Terminal:
    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: a session of its own whose controlling terminal is the pty
            os.chdir(ROOT)
            os.execvpe(command[0], command, env)
        self.output = b""

    def read(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if select.select([self.fd], [], [], left)[0]:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.output += chunk

    def text(self) -> str:
        return self.output.decode(errors="replace")


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory) -> Path:
    """A migrated SQLite database, made once: migrating takes half as long as the rest of a test."""
    var = tmp_path_factory.mktemp("var")
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=_env(var), check=True)
    return var / "dlgrade.sqlite3"


def _env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "MAKEFLAGS", "MFLAGS"}}
    env.update(DLGRADE_VAR_DIR=str(var), DJANGO_DEBUG="1", DLGRADE_DEMO_PASSWORD="demo-pass-1")
    env["PYTHONPATH"] = f"{ROOT}:{ROOT / 'platform'}"
    return env


def _supervisor(tree: dict[int, tuple[str, str]]) -> int:
    return next(pid for pid, (_, command) in tree.items() if "config.serve" in command)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm-to-make", "supervisor-killed"])
def test_stopping_make_run_stops_everything_within_five_seconds(tmp_path, how, migrated_database):
    """Ctrl-C in the terminal, SIGTERM to make (a service manager), or the supervisor itself killed
    (its children must not stay behind as orphans)."""
    port = _free_port()
    env = _env(tmp_path)
    shutil.copyfile(migrated_database, tmp_path / "dlgrade.sqlite3")
    # `-o setup`: the environment is installed already; setup would re-install it and migrate the developer's database.
    terminal = Terminal(["make", "--no-print-directory", "-o", "setup", "run", f"PORT={port}"], env)
    try:
        deadline = time.monotonic() + 120
        answered = False
        while time.monotonic() < deadline:
            terminal.read(0.5)
            if not answered:
                try:
                    answered = (
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).status == 200
                    )
                except OSError:
                    pass
            tree = _process_tree(terminal.pid)
            zygotes = [command for _, command in tree.values() if "runner.py" in command]
            if answered and " ready." in terminal.text() and len(zygotes) >= 2:
                break
        else:
            pytest.fail(f"make run did not come up:\n{terminal.text()[-3000:]}")
        snapshot = _process_tree(terminal.pid)
        before = len(terminal.output)

        if how == "ctrl-c":
            os.write(terminal.fd, b"\x03")  # as typed
        elif how == "sigterm-to-make":
            os.kill(terminal.pid, signal.SIGTERM)
        else:
            os.kill(_supervisor(snapshot), signal.SIGKILL)
        pressed = time.monotonic()
        while time.monotonic() - pressed < 5 and _still_running(snapshot):
            terminal.read(0.1)
        left = _still_running(snapshot)
        elapsed = time.monotonic() - pressed
        terminal.read(0.5)
    finally:
        for pid in _process_tree(terminal.pid):
            os.kill(pid, 9)
        os.close(terminal.fd)
    after = terminal.output[before:].decode(errors="replace")
    assert not left, f"still running {elapsed:.1f} s after {how}:\n" + "\n".join(left)
    print(f"{how}: {len(snapshot)} processes, all gone {elapsed:.2f} s after")  # the figure, with -s
    # A worker still starting its last zygote may log it (INFO), and the web server may log this test's
    # own last request, just as the key is pressed: neither is a stop line.
    said = [
        line
        for line in after.replace("^C", "").splitlines()
        if line.strip() and not re.match(r"\d{4}-\d\d-\d\d [\d:,]+ INFO |\[\d\d/\w{3}/\d{4} [\d:]+\] \"", line)
    ]
    if how == "supervisor-killed":  # nobody left to say it; make may report its child's death
        assert all(re.match(r"make(\[\d+\])?: \*\*\*", line) for line in said), after  # make[1] under make test
    else:
        assert said == ["stopping web and worker"], after
    assert "Segmentation fault" not in after and "Traceback" not in after and "Error " not in after, after
