"""Start-up confinement self-test: run probe jobs through the real zygote; any escape is a problem.

Call it once per worker process after starting its zygote, and refuse to grade if it returns
anything (see docs/sandbox.md):

    zygote = Zygote(settings.DLGRADE_SANDBOX)
    zygote.start()
    problems = confinement_selftest(zygote)
    if problems:
        log.critical("sandbox self-test failed, refusing to grade: %s", "; ".join(problems))
        ...

The probes run as a normal submission would (same child, limits and seccomp filter) and do what an
attacker would: bypass the import guard, open a TCP socket to a listener the trusted side opened
on 127.0.0.1 (and to Redis/PostgreSQL ports), connect to a unix socket in the host's /tmp, read
a canary file in the host's /tmp and files of this app, /etc/shadow and /proc/*/environ, write
outside the sandbox's /tmp, fork, signal the zygote, and look for inherited environment
variables. An honest job must still compute correctly. The whole test costs one job (~10-30 ms).
"""

from __future__ import annotations

import shutil
import socket
import tempfile
from pathlib import Path

import numpy as np

from graders.sandbox.zygote import Limits, SandboxUnavailable, Zygote

ESCAPED, BLOCKED = 1.0, 0.0
CANARY = "dlgrade-canary-7c1f"
APP_FILE = Path(__file__).resolve()  # any file of the app folder must be invisible
ALLOWED_ENV = {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "PATH", "LANG", "PYTHONDONTWRITEBYTECODE"}
ALLOWED_ENV |= {"PYTHONHASHSEED", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "PWD", "LC_CTYPE"}

PROBE_SOURCE = """
import numpy as np

_import = __import__  # the import guard only looks at the student's globals; an attacker passes others


def probe(kind, target):
    os = _import("os", {})
    try:
        if kind == "honest":
            return np.maximum(np.asarray(target, dtype=float), 0.0)
        if kind == "tcp":
            socket = _import("socket", {})
            host, port = target.rsplit(":", 1)
            connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            connection.settimeout(0.2)
            try:
                connection.connect((host, int(port)))
            except OSError:
                return np.array([0.5])  # a socket opened, nothing reachable
            return np.array([1.0])
        if kind == "unix":
            socket = _import("socket", {})
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                connection.connect(target)
            except OSError:
                return np.array([0.5])
            return np.array([1.0])
        if kind == "read":
            target = target.replace("PPID", str(os.getppid()))
            with open(target, "rb") as handle:
                handle.read(64)
            return np.array([1.0])
        if kind == "write":
            with open(target, "w") as handle:
                handle.write("escaped")
            return np.array([1.0])
        if kind == "fork":
            pid = os.fork()
            if pid == 0:
                os._exit(0)
            os.waitpid(pid, 0)
            return np.array([1.0])
        if kind == "kill":
            os.kill(os.getppid(), 0)  # signal 0: permission check only
            return np.array([1.0])
        if kind == "env":
            allowed = set(target.split(","))
            return np.array([float(len([name for name in os.environ if name not in allowed]))])
    except Exception:
        return np.array([0.0])
    return np.array([-1.0])
"""


def _probes(port: int, unix_path: str, canary: str, outside: str) -> list[tuple[str, str, str]]:
    """(kind, target, what it means when it escapes)."""
    return [
        ("honest", "", "an honest job did not compute correctly"),
        ("tcp", f"127.0.0.1:{port}", "connected to a TCP listener on the host's 127.0.0.1"),
        ("tcp", "127.0.0.1:6379", "connected to 127.0.0.1:6379 (Redis)"),
        ("tcp", "127.0.0.1:5432", "connected to 127.0.0.1:5432 (PostgreSQL)"),
        ("unix", unix_path, "connected to a unix socket in the host's temp folder"),
        ("read", canary, "read a file in the host's temp folder"),
        ("read", str(APP_FILE), "read a file of the app folder"),
        ("read", "/etc/shadow", "read /etc/shadow"),
        ("read", "/proc/1/environ", "read /proc/1/environ"),
        ("read", "/proc/PPID/environ", "read the zygote's /proc/<pid>/environ"),
        ("read", "/proc/PPID/mem", "opened the zygote's /proc/<pid>/mem"),
        ("write", outside, "wrote a file into the host's temp folder"),
        ("write", "/var/tmp/dlgrade-selftest", "wrote /var/tmp"),
        ("fork", "", "forked a process"),
        ("kill", "", "could signal its parent (the zygote)"),
        ("env", ",".join(sorted(ALLOWED_ENV)), "environment variables leaked into the sandbox"),
    ]


def confinement_selftest(zygote: Zygote) -> list[str]:
    """Run the probes through ``zygote`` (started if needed); return the problems found, [] if none."""
    folder = Path(tempfile.mkdtemp(prefix="dlgrade-selftest-"))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    unix_listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    problems: list[str] = []
    try:
        folder.chmod(0o777)  # writable for any uid: only the sandbox's view may stop the write
        canary = folder / "canary.txt"
        canary.write_text(CANARY)
        canary.chmod(0o644)
        outside = folder / "written-from-sandbox.txt"
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        unix_path = folder / "s.sock"
        unix_listener.bind(str(unix_path))
        unix_path.chmod(0o777)
        unix_listener.listen(8)
        probes = _probes(listener.getsockname()[1], str(unix_path), str(canary), str(outside))
        cases = [((kind, target), {}) for kind, target, _ in probes]
        honest_input = np.array([-1.5, 0.0, 2.0])
        cases[0] = (("honest", honest_input), {})
        try:
            run = zygote.run(PROBE_SOURCE, "probe", cases, Limits(time_s=2.0, memory_mib=128))
        except SandboxUnavailable as exc:
            return [f"the sandbox could not run the self-test: {exc}"]
        if run.load_status:
            return [f"the self-test probe did not load: {run.load_status} {run.load_message}"]
        for index, (kind, _target, meaning) in enumerate(probes):
            case = run.cases[index] if index < len(run.cases) else None
            if case is None or case.status != "ok":
                if kind == "honest":
                    problems.append(meaning)
                continue  # a probe that crashed or was killed did not escape
            value = case.output
            if kind == "honest":
                if not (isinstance(value, np.ndarray) and np.array_equal(value, np.maximum(honest_input, 0.0))):
                    problems.append(meaning)
                continue
            score = float(value[0]) if isinstance(value, np.ndarray) and value.size else 0.0
            if kind in ("tcp", "unix") and score == 0.5:
                problems.append(f"opened a socket ({kind})")
            elif score >= 1.0:
                problems.append(meaning + (f" ({int(score)})" if kind == "env" else ""))
            elif score < 0:
                problems.append(f"probe {kind} gave no answer")
        if outside.exists():
            problems.append("a file appeared in the host's temp folder")
        if _written_by_probe():
            problems.append("a file appeared in /var/tmp")
            Path("/var/tmp/dlgrade-selftest").unlink()
        if _accepted(listener) or _accepted(unix_listener):
            problems.append("a listener on the host accepted a connection from the sandbox")
        return sorted(set(problems))
    finally:
        listener.close()
        unix_listener.close()
        shutil.rmtree(folder, ignore_errors=True)


def _accepted(listener: socket.socket) -> bool:
    listener.setblocking(False)
    try:
        connection, _ = listener.accept()
    except (BlockingIOError, OSError):
        return False
    connection.close()
    return True


def _written_by_probe() -> bool:
    try:
        return Path("/var/tmp/dlgrade-selftest").read_text() == "escaped"
    except OSError:
        return False
