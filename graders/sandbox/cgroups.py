"""Per-zygote memory and pids cgroups: the outer bound around one sandbox and everything it forks.

Each zygote gets its own group under the worker's own group (so the worker's limits still apply),
on cgroup v1 (``memory`` + ``pids`` hierarchies) or v2 (unified, where the controllers are
delegated). The zygote joins them before it execs, so bwrap, the runner and every child are
inside. Best effort: where /sys/fs/cgroup is read-only or not delegated the group is skipped and
the reason is kept for the start-up report.

- memory: limit = memsw (v1) or memory.max with memory.swap.max 0 (v2); set per job from the
  exercise's memory limit. An OOM kill shows up in memory.oom_control / memory.events
  (``oom_kill``), which the trusted side reads to report "Memory limit of N MiB exceeded".
- pids: pids.max bounds processes and threads; pids.current after a job tells whether anything
  outlived it (then the zygote is restarted).
- close(): SIGKILL whatever is left (cgroup.kill on v2) and remove the groups.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import re
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

PREFIX = "dlgrade-"
_counter = itertools.count()


@dataclass
class _Group:
    controller: str  # memory | pids
    version: int  # 1 | 2
    path: Path

    def write(self, name: str, value: str) -> None:
        (self.path / name).write_text(value)

    def read(self, name: str) -> str:
        return (self.path / name).read_text()

    def procs(self) -> list[int]:
        try:
            return [int(line) for line in self.read("cgroup.procs").split()]
        except OSError:
            return []


def _mounts(mountinfo: str) -> list[tuple[str, str, str, set[str]]]:
    """(fstype, mount root within the hierarchy, mount point, super options) of cgroup mounts."""
    found = []
    for line in mountinfo.splitlines():
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) < 5 or len(tail) < 3 or tail[0] not in ("cgroup", "cgroup2"):
            continue
        found.append((tail[0], fields[3], fields[4].replace("\\040", " "), set(tail[2].split(","))))
    return found


def _own_paths(proc_cgroup: str) -> tuple[dict[str, str], str | None]:
    """The worker's own cgroup per v1 controller, and its v2 path."""
    v1: dict[str, str] = {}
    v2 = None
    for line in proc_cgroup.splitlines():
        _hid, controllers, path = line.split(":", 2)
        if controllers == "":
            v2 = path
        for controller in controllers.split(","):
            if controller:
                v1[controller] = path
    return v1, v2


def _inside(mount_root: str, mount_point: str, path: str) -> Path | None:
    root = mount_root.rstrip("/")
    if path != root and not path.startswith(root + "/"):
        return None
    return Path(mount_point + path[len(root) :])


def _locate(controller: str) -> tuple[int, Path] | tuple[None, str]:
    """Where this worker's own group for ``controller`` lives, or why there is none."""
    try:
        mounts = _mounts(Path("/proc/self/mountinfo").read_text())
        v1_paths, v2_path = _own_paths(Path("/proc/self/cgroup").read_text())
    except OSError as exc:
        return None, f"cannot read /proc: {exc}"
    for fstype, root, point, options in mounts:
        if fstype == "cgroup" and controller in options and controller in v1_paths:
            base = _inside(root, point, v1_paths[controller])
            if base is not None:
                return 1, base
    for fstype, root, point, _options in mounts:
        if fstype == "cgroup2" and v2_path is not None:
            base = _inside(root, point, v2_path)
            if base is None:
                continue
            try:
                available = (base / "cgroup.controllers").read_text().split()
            except OSError:
                continue
            if controller not in available:
                continue
            try:
                enabled = (base / "cgroup.subtree_control").read_text().split()
                if controller not in enabled:
                    (base / "cgroup.subtree_control").write_text(f"+{controller}")
            except OSError as exc:
                return None, f"cgroup v2 {controller} not delegated to {base} ({exc.strerror})"
            return 2, base
    return None, f"no writable {controller} cgroup"


def _remove_stale(base: Path, version: int) -> None:
    """Remove groups left by workers that died without closing (their pid is gone)."""
    try:
        entries = list(base.iterdir())
    except OSError:
        return
    for entry in entries:
        match = re.fullmatch(rf"{PREFIX}(\d+)-\d+", entry.name)
        if not match or not entry.is_dir():
            continue
        owner = int(match.group(1))
        try:
            os.kill(owner, 0)
            continue  # still alive (or not ours to touch)
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        _empty_and_remove(entry, version)


def _empty_and_remove(path: Path, version: int) -> bool:
    kill_file = path / "cgroup.kill"
    deadline = time.monotonic() + 2.0
    while True:
        if version == 2 and kill_file.exists():
            with contextlib.suppress(OSError):
                kill_file.write_text("1")
        try:
            pids = [int(line) for line in (path / "cgroup.procs").read_text().split()]
        except OSError:
            pids = []
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        try:
            path.rmdir()
            return True
        except FileNotFoundError:
            return True
        except OSError:
            if time.monotonic() > deadline:
                log.warning("could not remove cgroup %s (processes still inside: %s)", path, pids)
                return False
            time.sleep(0.01)


@dataclass
class Cgroups:
    memory: _Group | None = None
    pids: _Group | None = None
    notes: list[str] = field(default_factory=list)
    _join_fds: list[int] = field(default_factory=list)
    _memory_limit: int = 0

    @classmethod
    def create(cls, pids_max: int, memory_bytes: int) -> Cgroups:
        groups = cls()
        name = f"{PREFIX}{os.getpid()}-{next(_counter)}"
        for controller in ("memory", "pids"):
            version, where = _locate(controller)
            if version is None:
                groups.notes.append(str(where))
                continue
            assert isinstance(where, Path)
            _remove_stale(where, version)
            path = where / name
            try:
                path.mkdir()
            except OSError as exc:
                groups.notes.append(f"cannot create a {controller} cgroup in {where} ({exc.strerror})")
                continue
            group = _Group(controller, version, path)
            try:
                if controller == "pids":
                    group.write("pids.max", str(pids_max))
                    groups.pids = group
                else:
                    groups.memory = group
                    if version == 2:
                        with contextlib.suppress(OSError):  # absent without swap accounting
                            group.write("memory.swap.max", "0")
                    groups.set_memory_limit(memory_bytes)
                groups._join_fds.append(os.open(path / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC))
            except OSError as exc:
                groups.notes.append(f"cannot set up the {controller} cgroup {path} ({exc.strerror})")
                if controller == "pids":
                    groups.pids = None
                else:
                    groups.memory = None
                _empty_and_remove(path, version)
        return groups

    # -- used by the launcher ------------------------------------------------------------------

    def join(self) -> None:
        """Move the calling process into every group. Runs in the child between fork and exec."""
        for fd in self._join_fds:
            os.write(fd, b"0")  # "0" is the writing process itself (v1 and v2)

    def layers(self) -> list[str]:
        found = []
        if self.memory is not None:
            swap = "memsw" if self.memory.version == 1 else "swap.max 0"
            found.append(f"cgroup v{self.memory.version} memory (limit = {swap}, per job)")
        if self.pids is not None:
            found.append(f"cgroup v{self.pids.version} pids (max {self.pids.read('pids.max').strip()})")
        return found

    # -- per job ---------------------------------------------------------------------------------

    def usage(self) -> int | None:
        if self.memory is None:
            return None
        name = "memory.usage_in_bytes" if self.memory.version == 1 else "memory.current"
        try:
            return int(self.memory.read(name))
        except (OSError, ValueError):
            return None

    def set_memory_limit(self, limit: int) -> None:
        group = self.memory
        if group is None or limit == self._memory_limit:
            return
        if group.version == 2:
            group.write("memory.max", str(limit))
        else:
            swap = group.path / "memory.memsw.limit_in_bytes"
            # memsw must stay >= limit at every step: raise memsw first, lower it last.
            order = ["memory.limit_in_bytes", "memory.memsw.limit_in_bytes"]
            if 0 < self._memory_limit < limit:
                order.reverse()
            for name in order:
                if name.endswith("memsw.limit_in_bytes") and not swap.exists():
                    continue
                group.write(name, str(limit))
        self._memory_limit = limit

    def oom_kills(self) -> int | None:
        """How many processes the kernel has OOM-killed in the memory group so far."""
        if self.memory is None:
            return None
        name = "memory.oom_control" if self.memory.version == 1 else "memory.events"
        try:
            match = re.search(r"^oom_kill (\d+)$", self.memory.read(name), re.MULTILINE)
        except OSError:
            return None
        return int(match.group(1)) if match else None

    def tasks(self) -> int | None:
        """Processes and threads now in the pids group."""
        if self.pids is None:
            return None
        try:
            return int(self.pids.read("pids.current"))
        except (OSError, ValueError):
            return None

    def close(self) -> None:
        for fd in self._join_fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._join_fds = []
        for group in (self.memory, self.pids):
            if group is not None:
                _empty_and_remove(group.path, group.version)
        self.memory = self.pids = None
