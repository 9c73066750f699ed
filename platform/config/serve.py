"""`make run`'s supervisor: the development web server and a grading worker (with beat), stopped together.

    python -m config.serve --host 127.0.0.1 --port 8000 --concurrency 2 --queues grading,batch,lti

Each child runs in a session of its own, so the terminal's Ctrl-C reaches only this process, which
says so in one line (their output is relayed until then, and dropped after) and stops them once: SIGTERM to each child's process group, then SIGKILL to what is left after
``STOP_GRACE_S`` (a worker's warm shutdown would wait for a looping submission; acks-late grading
is redelivered on the next start). A shell trap of ``kill 0`` used to signal its own group again
from inside the trap (a burst of "Warm shutdown" lines, make's "Segmentation fault") and could
leave the worker behind as an orphan. The children also die with this process (parent-death
signal), as do the worker's pool processes, their zygotes and the zygotes' children (theirs).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from config.parent_death import die_with_parent

STOP_GRACE_S = 3.0  # then SIGKILL: everything is gone well within 5 s of Ctrl-C
_stop_requested: list[int] = []


def _child_setup(sig: int) -> Callable[[], None]:
    def setup() -> None:
        die_with_parent(sig)
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    return setup


# If this process dies without stopping them (SIGKILL, a crash), its children go at once: the worker
# by SIGKILL, since a warm shutdown waits for running gradings (and a worker was once seen to
# ignore SIGTERM for more than 10 s); its pool processes and beat follow it (config/celery.py).
DEATH_SIGNAL = {"worker": signal.SIGKILL, "web": signal.SIGTERM}


def _descendants(roots: set[int]) -> set[int]:
    """Every live process below ``roots`` (and the roots), from one scan of /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        found.add(pid)
        todo.extend(children.get(pid, ()))
    return found


def _on_signal(signum: int, frame: object) -> None:
    _stop_requested.append(signum)


def commands(args: argparse.Namespace) -> dict[str, list[str]]:
    python = sys.executable
    celery = str(Path(python).with_name("celery"))
    return {
        "worker": [
            *([celery] if os.access(celery, os.X_OK) else [python, "-m", "celery"]),
            "-A",
            "config",
            "worker",
            "--beat",
            "--loglevel=INFO",
            f"--concurrency={args.concurrency}",
            "-Q",
            args.queues,
            "--without-gossip",
            "--without-mingle",
        ],
        "web": [python, "manage.py", "runserver", f"{args.host}:{args.port}", "--noreload"],
    }


class Relay:
    """Copy a child's output to ours until the stop; then drop it, so that stopping says one line
    (a worker's warm shutdown and beat would add their own)."""

    muted = threading.Event()

    def __init__(self, stream) -> None:
        self.stream = stream
        self.thread = threading.Thread(target=self._copy, daemon=True)
        self.thread.start()

    def _copy(self) -> None:
        out = sys.stdout.buffer
        for line in iter(self.stream.readline, b""):
            if not self.muted.is_set():
                with contextlib.suppress(OSError, ValueError):
                    out.write(line)
                    out.flush()


def stop(processes: dict[str, subprocess.Popen]) -> None:
    """SIGTERM every child's group, wait up to STOP_GRACE_S, then SIGKILL whatever of them remains."""
    everything = _descendants({p.pid for p in processes.values()})
    for process in processes.values():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    while time.monotonic() < deadline and any(p.poll() is None for p in processes.values()):
        time.sleep(0.05)
    # Zygotes run in sessions of their own: kill by pid what was found below the children too.
    everything |= _descendants({p.pid for p in processes.values() if p.poll() is None})
    for process in processes.values():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    for pid in everything - {os.getpid()}:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    for process in processes.values():
        process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    parser.add_argument("--concurrency", default="2")
    parser.add_argument("--queues", default="grading,batch,lti")
    args = parser.parse_args(argv)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)
    processes: dict[str, subprocess.Popen] = {}
    relays: dict[str, Relay] = {}
    for name, command in commands(args).items():
        if _stop_requested:
            break
        processes[name] = subprocess.Popen(
            command,
            start_new_session=True,
            preexec_fn=_child_setup(DEATH_SIGNAL[name]),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        relays[name] = Relay(processes[name].stdout)
    stopped = ""
    while not _stop_requested and not stopped:
        stopped = next((name for name, p in processes.items() if p.poll() is not None), "")
        time.sleep(0.1)
    if stopped:
        relays[stopped].thread.join(timeout=1)  # what it said last tells why it stopped
        Relay.muted.set()
        print(f"the {stopped} process stopped: stopping web and worker", flush=True)
    else:
        Relay.muted.set()
        print("stopping web and worker", flush=True)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)  # one stop, however often Ctrl-C is pressed
    stop(processes)
    return 1 if stopped else 0


if __name__ == "__main__":
    sys.exit(main())
