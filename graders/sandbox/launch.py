"""Build the command that starts a zygote, with every isolation layer this host allows.

``bwrap``: user, pid, net, ipc, uts and mount namespaces; only /usr, the interpreter, NumPy and the
runner are visible, read-only; no /proc, no /run, no host /tmp, no app folder; cleared environment.
``plain``: the fallback for hosts without user namespaces: a separate process with a cleared
environment and the per-job rlimits the runner applies. Each mode reports its layers.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy

INSIDE = Path(__file__).resolve().parent / "inside"
RUNNER = INSIDE / "runner.py"
SANDBOX_UID = 65534
TMPFS_BYTES = 16 << 20
PASSED_THROUGH = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")  # hosts set these to keep OpenBLAS correct


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


@functools.cache
def bwrap_works() -> bool:
    """Whether bubblewrap exists and may create the namespaces here (not in every container)."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return False
    probe = [
        bwrap,
        "--unshare-all",
        "--die-with-parent",
        "--ro-bind",
        "/usr",
        "/usr",
        "--symlink",
        "usr/lib64",
        "/lib64",
        "--symlink",
        "usr/lib",
        "/lib",
        "--",
        "/usr/bin/true",
    ]
    try:
        return subprocess.run(probe, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def resolve_isolation(isolation: str) -> str:
    if isolation == "auto":
        return "bwrap" if bwrap_works() else "plain"
    if isolation == "bwrap" and not bwrap_works():
        raise RuntimeError("DLGRADE_SANDBOX=bwrap but bubblewrap is missing or cannot create namespaces here")
    if isolation not in ("bwrap", "plain"):
        raise ValueError(f"unknown sandbox isolation {isolation!r}")
    return isolation


def zygote_command(control_fd: int, isolation: str = "auto") -> tuple[list[str], dict[str, str], tuple[str, ...]]:
    mode = resolve_isolation(isolation)
    env = _environment()
    python = _interpreter()
    if mode == "plain":
        site = str(Path(numpy.__file__).resolve().parent.parent)
        command = [str(python), "-I", "-S", str(RUNNER), str(control_fd), site]
        return command, env, ("process", "cleared-env", "rlimits", "no-dumpable")
    prefix = Path(os.path.realpath(sys.base_prefix))
    args = [
        shutil.which("bwrap") or "bwrap",
        "--unshare-all",
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
        "--dev",
        "/dev",
        "--size",
        str(TMPFS_BYTES),
        "--tmpfs",
        "/tmp",
        "--ro-bind",
        str(INSIDE),
        "/opt/dlgrade",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--chdir",
        "/tmp",
    ]
    if not str(prefix).startswith("/usr/"):
        args += ["--ro-bind", str(prefix), str(prefix)]
    for path in _numpy_dirs():
        args += ["--ro-bind", str(path), f"/opt/site/{path.name}"]
    for name, value in env.items():
        args += ["--setenv", name, value]
    args += ["--", str(python), "-I", "-S", "/opt/dlgrade/runner.py", str(control_fd), "/opt/site"]
    return (
        args,
        env,
        (
            "bwrap",
            "user-ns",
            "pid-ns",
            "net-ns",
            "mount-ns",
            "minimal-ro-binds",
            "cleared-env",
            "rlimits",
            "no-dumpable",
        ),
    )
