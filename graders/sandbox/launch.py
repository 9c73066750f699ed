"""Build the command that starts a zygote, with every isolation layer this host allows.

Isolation (``DLGRADE_SANDBOX``: auto | bwrap | plain):

``bwrap``: pid, net, ipc, uts, mount (and cgroup) namespaces; only /usr, the interpreter, NumPy
and the runner are visible, read-only; no /proc, no /run, no host /tmp, no app folder; a private
16 MiB /tmp; cleared environment; a new session. As root, bwrap sets the namespaces up itself and
the runner then drops to a dedicated slot uid (RLIMIT_NPROC is ignored for root, and a real
unprivileged uid cannot read root's 0600 files even if one were visible). As a normal user, bwrap
uses a user namespace instead (uid 65534 inside).

``plain``: the fallback for hosts (or containers) without user namespaces: a separate process with
a cleared environment, the dedicated uid when the worker is root, per-job rlimits, no-dumpable and
a seccomp filter that also forbids opening any file, since the whole filesystem is visible.

The seccomp allowlist, rlimits and cgroups apply in both modes; see docs/sandbox.md.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy

from graders.sandbox import seccomp as seccomp_filter

INSIDE = Path(__file__).resolve().parent / "inside"
RUNNER = INSIDE / "runner.py"
SANDBOX_UID = 65534  # the uid seen inside a user namespace
TMPFS_BYTES = 16 << 20
PASSED_THROUGH = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")  # hosts set these to keep OpenBLAS correct
# Dedicated host uids when the worker runs as root: a pair per live zygote on the host, one for the
# zygote and one for its jobs' children, so that a child can never signal its zygote.
SLOT_UID_BASE = int(os.environ.get("DLGRADE_SANDBOX_UID_BASE", "64000"))
SLOT_UID_COUNT = int(os.environ.get("DLGRADE_SANDBOX_UID_COUNT", "1000"))
MODES = ("auto", "bwrap", "plain")


@dataclass(frozen=True)
class Plan:
    """How one zygote is started, and which layers that gives."""

    command: list[str]
    env: dict[str, str]
    layers: tuple[str, ...]
    mode: str  # bwrap | plain
    uid: int | None  # dedicated host uid the zygote drops to (root workers only)
    child_uid: int | None  # and the uid of each job's child
    cwd: str


def _environment() -> dict[str, str]:
    env = {
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    }
    env.update({name: os.environ[name] for name in PASSED_THROUGH if name in os.environ})
    return env


def _numpy_dirs() -> list[Path]:
    site = Path(numpy.__file__).resolve().parent.parent
    return [path for path in (site / "numpy", site / "numpy.libs") if path.exists()]


def _interpreter() -> Path:
    return Path(os.path.realpath(sys.executable))


CAP_SETGID, CAP_SETUID, CAP_SYS_ADMIN = 6, 7, 21


def _capabilities() -> int:
    """This process's effective capability set (a root user in a container may have none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    except (OSError, ValueError):
        pass
    return 0


def _can_switch_uid() -> bool:
    caps = _capabilities()
    return bool(caps & (1 << CAP_SETUID)) and bool(caps & (1 << CAP_SETGID))


def _privileged() -> bool:
    """Root with the capabilities to set up namespaces itself and hand the sandbox another uid."""
    return _can_switch_uid() and bool(_capabilities() & (1 << CAP_SYS_ADMIN))


# ---------------------------------------------------------------------------------------------
# dedicated uids


class SlotUid:
    """A pair of host uids reserved for one zygote (``uid``) and its children (``child_uid``), with an
    flock held for the zygote's lifetime."""

    def __init__(self, uid: int, fd: int) -> None:
        self.uid = uid
        self.child_uid = uid + 1
        self._fd = fd

    @classmethod
    def acquire(cls) -> SlotUid | None:
        """Reserve a free pair (needs CAP_SETUID/CAP_SETGID; None otherwise or when all are taken)."""
        if not _can_switch_uid() or SLOT_UID_COUNT <= 0:
            return None
        folder = Path(tempfile.gettempdir()) / "dlgrade-sandbox-slots"
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
            raise RuntimeError(f"{folder} is not a private directory owned by this user")
        for uid in range(SLOT_UID_BASE, SLOT_UID_BASE + SLOT_UID_COUNT - 1, 2):
            fd = os.open(folder / str(uid), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            return cls(uid, fd)
        return None

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


# ---------------------------------------------------------------------------------------------
# bubblewrap


def _bwrap_namespaces(privileged: bool) -> list[str]:
    if privileged:
        # Root sets up the namespaces without a user namespace; the runner keeps CAP_SETUID and
        # CAP_SETGID only long enough to drop to its slot uid.
        return [
            "--unshare-pid",
            "--unshare-net",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--cap-add",
            "CAP_SETUID",
            "--cap-add",
            "CAP_SETGID",
        ]
    return ["--unshare-all", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID)]


def _bwrap_base(privileged: bool) -> list[str]:
    return [
        shutil.which("bwrap") or "bwrap",
        *_bwrap_namespaces(privileged),
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        "--ro-bind",
        "/usr",
        "/usr",
        "--symlink",
        "usr/lib",
        "/lib",
        "--symlink",
        "usr/lib64",
        "/lib64",
        "--symlink",
        "usr/bin",
        "/bin",
    ]


@functools.cache
def _bwrap_probe(privileged: bool) -> bool:
    if not shutil.which("bwrap"):
        return False
    probe = [*_bwrap_base(privileged), "--", "/usr/bin/true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def bwrap_works() -> bool:
    """Whether bubblewrap exists and may create the namespaces here (not in every container)."""
    return (_privileged() and _bwrap_probe(True)) or _bwrap_probe(False)


def resolve_isolation(isolation: str | None) -> str:
    if isolation is None:
        isolation = os.environ.get("DLGRADE_SANDBOX", "auto")
    if isolation not in MODES:
        raise ValueError(f"unknown sandbox isolation {isolation!r}")
    if isolation == "auto":
        return "bwrap" if bwrap_works() else "plain"
    if isolation == "bwrap" and not bwrap_works():
        raise RuntimeError("DLGRADE_SANDBOX=bwrap but bubblewrap is missing or cannot create namespaces here")
    return isolation


def _runner_options(files: str, uid: int | None, child_uid: int | None, seccomp: bool) -> str:
    chosen = seccomp_filter.for_this_host(files) if seccomp else None
    options = {
        "files": files,
        "uid": uid,
        "child_uid": child_uid if uid is not None else None,
        "seccomp": chosen.to_option() if chosen else None,
    }
    return json.dumps(options)


def _uid_layer(uid: int | None, child_uid: int | None) -> list[str]:
    if uid is None:
        return []
    return [f"dedicated uids: zygote {uid}, jobs {child_uid} (a job cannot signal its zygote)"]


def plan(control_fd: int, isolation: str | None = "auto", *, slot: SlotUid | None = None, seccomp: bool = True) -> Plan:
    """The command starting a zygote that talks over ``control_fd`` (``slot``: reserved slot uids).

    ``seccomp=False`` exists to prove that the self-test notices a missing layer; never in production.
    """
    mode = resolve_isolation(isolation)
    env = _environment()
    python = _interpreter()
    uid, child_uid = (slot.uid, slot.child_uid) if slot is not None and _can_switch_uid() else (None, None)
    if mode == "plain":
        site = str(Path(numpy.__file__).resolve().parent.parent)
        options = _runner_options("none", uid, child_uid, seccomp)
        command = [str(python), "-I", "-S", str(RUNNER), str(control_fd), site, options]
        layers = ["plain process (no namespaces)", "cleared environment", "no file access after start-up (seccomp)"]
        layers += _uid_layer(uid, child_uid)
        return Plan(command, env, tuple(layers), mode, uid, child_uid, "/")

    # Root without a free slot uid (or where privileged bwrap fails) uses a user namespace instead.
    privileged = uid is not None and _privileged() and _bwrap_probe(True)
    if not privileged and not _bwrap_probe(False):
        raise RuntimeError("bubblewrap cannot create a user namespace here")
    prefix = Path(os.path.realpath(sys.base_prefix))
    args = [
        *_bwrap_base(privileged),
        "--dev",
        "/dev",
        "--size",
        str(TMPFS_BYTES),
        "--tmpfs",
        "/tmp",
        "--ro-bind",
        str(INSIDE),
        "/opt/dlgrade",
        "--chdir",
        "/tmp",
    ]
    if not str(prefix).startswith("/usr/"):
        args += ["--ro-bind", str(prefix), str(prefix)]
    for path in _numpy_dirs():
        args += ["--ro-bind", str(path), f"/opt/site/{path.name}"]
    for name, value in env.items():
        args += ["--setenv", name, value]
    if not privileged:
        uid = child_uid = None
    options = _runner_options("readonly", uid, child_uid, seccomp)
    args += ["--", str(python), "-I", "-S", "/opt/dlgrade/runner.py", str(control_fd), "/opt/site", options]
    layers = [
        "bwrap: pid, net, ipc, uts, mount namespaces" + ("" if privileged else ", user namespace (uid 65534)"),
        "minimal read-only binds (no /proc, /run, /etc, host /tmp or app folder)",
        f"private /tmp (tmpfs, {TMPFS_BYTES >> 20} MiB)",
        "cleared environment",
        "new session",
    ]
    layers += _uid_layer(uid, child_uid)
    return Plan(args, env, tuple(layers), mode, uid, child_uid, "/")
