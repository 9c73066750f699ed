"""Every attack class of the sandbox design (docs/sandbox.md, "Attack corpus") must fail closed.

Each test grades a hostile relu submission through the real engine and zygote, in both isolation
modes (bubblewrap and the plain fallback), and checks two things: the cheat scores below 1 or the
escape is blocked, and the same zygote then grades an honest submission with full marks.

Escape attempts follow one pattern: the student's function tries the escape and returns the right
answer only if it worked (so an escape would score 1.0), and raises "BLOCKED <error>" otherwise,
so the test can also check *why* it failed. ``_import`` is how an attacker gets around the import
guard, which is a courtesy message, not a security layer.
"""

from __future__ import annotations

import dataclasses
import os
import platform
import textwrap
import time

import numpy as np
import pytest

from graders.engine import grade
from graders.sandbox import Limits

pytestmark = pytest.mark.timeout(60)

X86_64 = platform.machine() == "x86_64"
FIRST_CASE = "x.ravel()[0] == -2.0"  # only relu's first case, "vector", starts with -2: keeps timeouts short


def escape(body: str, *, prelude: str = "") -> str:
    """A relu submission that returns the right answer only if ``body`` runs without an error."""
    return (
        "import numpy as np\n_import = __import__\n"
        + textwrap.dedent(prelude)
        + "\n\ndef relu(x):\n    try:\n"
        + textwrap.indent(textwrap.dedent(body), " " * 8)
        + "\n    except BaseException as exc:\n"
        + "        raise RuntimeError(f'BLOCKED {type(exc).__name__}: {exc}')\n"
        + "    return np.maximum(x, 0.0)\n"
    )


def cheat(body: str) -> str:
    """A relu submission whose function body is ``body`` (with ``_import`` available)."""
    return "import numpy as np\n_import = __import__\n\n\ndef relu(x):\n" + textwrap.indent(
        textwrap.dedent(body), "    "
    )


def assert_blocked(verdict, *errors: str) -> None:
    assert verdict.score < 1.0
    first = verdict.cases[0]
    assert first.status == "error", (first.status, first.message)
    assert "BLOCKED" in first.message, first.message
    if errors:
        assert any(error in first.message for error in errors), first.message


# ---------------------------------------------------------------------------------------------
# 1-2: time


def test_01_infinite_loop_is_killed_at_the_time_limit(sandbox, fast_relu, honest_still_passes):
    verdict = grade(fast_relu, cheat(f"while {FIRST_CASE}:\n    pass\nreturn np.maximum(x, 0.0)\n"), zygote=sandbox)
    assert verdict.cases[0].status == "timeout"
    assert verdict.cases[0].message == "Time limit of 0.5 s exceeded in case vector"
    assert verdict.score == 0.9  # the other cases still ran, each in a fresh child
    honest_still_passes(sandbox)


def test_02_sleep_is_killed_by_the_wall_clock(sandbox, fast_relu, honest_still_passes):
    source = cheat(f"""
        time = _import("time", {{}})
        if {FIRST_CASE}:
            time.sleep(1e9)
        return np.maximum(x, 0.0)
    """)
    verdict = grade(fast_relu, source, zygote=sandbox)
    assert verdict.cases[0].status == "timeout"
    assert verdict.cases[0].message == "Time limit of 0.5 s exceeded in case vector"
    assert verdict.score == 0.9
    honest_still_passes(sandbox)


# ---------------------------------------------------------------------------------------------
# 3-7: resources


def test_03_fork_bomb_is_denied(sandbox, relu, honest_still_passes):
    source = escape("""
        os = _import("os", {})
        for _ in range(1000):
            if os.fork() == 0:
                while True:
                    os.fork()
    """)
    verdict = grade(relu, source, zygote=sandbox)
    assert_blocked(verdict, "PermissionError")
    assert sandbox.settle() in (None, 0)
    honest_still_passes(sandbox)


def test_03_subprocess_is_denied(sandbox, relu, honest_still_passes):
    source = escape("""
        os = _import("os", {})
        os.posix_spawn("/bin/true", ["/bin/true"], {})
    """)
    assert_blocked(grade(relu, source, zygote=sandbox), "PermissionError", "FileNotFoundError")
    honest_still_passes(sandbox)


def test_04_thread_bomb_is_bounded(sandbox, relu, honest_still_passes):
    probe = textwrap.dedent("""
        import numpy as np
        _import = __import__

        def relu(x):
            threading = _import("threading", {})
            stop = threading.Event()
            started = 0
            try:
                while started < 10000:
                    threading.Thread(target=stop.wait).start()
                    started += 1
            except RuntimeError:
                pass
            return np.full(x.shape, float(started))
    """)
    run = sandbox.run(probe, "relu", [((np.zeros(1),), {})], relu.limits)
    assert run.cases[0].status == "ok"
    started = float(run.cases[0].output[0])
    assert 0 < started < 64, started  # address space, NPROC and pids.max all stop it early
    assert sandbox.settle() in (None, 0)  # the threads died with the child
    verdict = grade(relu, probe, zygote=sandbox)
    assert verdict.score < 1.0
    honest_still_passes(sandbox)


def test_05_memory_bomb_reports_the_memory_limit(sandbox, relu, honest_still_passes):
    verdict = grade(relu, cheat("return np.ones(10**9)\n"), zygote=sandbox)
    assert verdict.score == 0.0
    assert verdict.cases[0].status == "memory"
    assert verdict.cases[0].message == "Memory limit of 256 MiB exceeded in case vector"
    honest_still_passes(sandbox)


def test_05_touched_memory_is_stopped_by_the_cgroup_or_rlimit(sandbox, relu, honest_still_passes):
    small = dataclasses.replace(relu, limits=Limits(time_s=2.0, memory_mib=64))
    source = cheat("""
        keep = []
        if x.ravel()[0] == -2.0:
            while True:
                keep.append(np.ones(4 * 10**6))  # 32 MB each, touched
        return np.maximum(x, 0.0)
    """)
    before = sandbox.cgroups.oom_kills()
    verdict = grade(small, source, zygote=sandbox)
    assert verdict.cases[0].status == "memory"
    assert verdict.cases[0].message == "Memory limit of 64 MiB exceeded in case vector"
    assert verdict.score == 0.9
    if before is not None:
        assert sandbox.cgroups.oom_kills() > before  # the memory cgroup's OOM killer, mapped to "memory"
    honest_still_passes(sandbox)


def test_06_disk_fill_is_denied(sandbox, relu, honest_still_passes, tmp_path):
    source = escape("""
        with open("/tmp/fill", "wb") as handle:
            handle.write(b"x" * 10**8)
    """)
    assert_blocked(grade(relu, source, zygote=sandbox), "PermissionError")
    source = escape("""
        os = _import("os", {})
        fd = os.open("fill", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        os.write(fd, b"x" * 10**8)
    """)
    assert_blocked(grade(relu, source, zygote=sandbox), "PermissionError")
    assert not os.path.exists("/fill") and not os.path.exists("/tmp/fill")
    honest_still_passes(sandbox)


def test_07_output_flood_is_capped(sandbox, fast_relu, honest_still_passes):
    verdict = grade(fast_relu, cheat("while True:\n    print('x' * 10**6)\n"), zygote=sandbox)
    assert verdict.score == 0.0
    message = verdict.cases[0].message
    assert message.startswith("Your code printed ") and message.endswith("; output is capped at 64 KiB")
    honest_still_passes(sandbox)


# ---------------------------------------------------------------------------------------------
# 8-11: the outside world


def test_08_network_is_unreachable(sandbox, relu, honest_still_passes):
    source = escape("""
        socket = _import("socket", {})
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        client.settimeout(0.5)
        client.connect(("1.1.1.1", 80))
    """)
    assert_blocked(grade(relu, source, zygote=sandbox), "PermissionError")
    honest_still_passes(sandbox)


@pytest.mark.parametrize("port", [6379, 5432])
def test_09_redis_and_postgres_tcp_are_unreachable(sandbox, relu, honest_still_passes, port):
    source = escape(f"""
        socket = _import("socket", {{}})
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        client.settimeout(0.5)
        client.connect(("127.0.0.1", {port}))
    """)
    assert_blocked(grade(relu, source, zygote=sandbox), "PermissionError")
    honest_still_passes(sandbox)


def test_09_unix_sockets_are_unreachable(sandbox, relu, honest_still_passes, tmp_path):
    import socket

    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # a stand-in database on the host
    path = tmp_path / "db.sock"
    server.bind(str(path))
    server.listen(1)
    os.chmod(tmp_path, 0o777)
    os.chmod(path, 0o777)
    try:
        for target in (str(path), "/run/postgresql/.s.PGSQL.5432", "/var/run/redis/redis-server.sock"):
            source = escape(f"""
                socket = _import("socket", {{}})
                client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                client.connect({target!r})
            """)
            assert_blocked(grade(relu, source, zygote=sandbox), "PermissionError")
        server.setblocking(False)
        with pytest.raises(BlockingIOError):
            server.accept()
    finally:
        server.close()
    honest_still_passes(sandbox)


def test_10_environment_secrets_are_not_inherited(sandbox, relu, honest_still_passes, monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "leak-me-if-you-can")
    monkeypatch.setenv("DATABASE_URL", "postgres://grader:pw@localhost/dlgrade")
    sandbox.restart("test: start with secrets in the worker's environment")
    source = escape("""
        os = _import("os", {})
        if "leak-me" not in str(dict(os.environ)):
            raise LookupError(sorted(os.environ))
    """)
    verdict = grade(relu, source, zygote=sandbox)
    assert_blocked(verdict, "LookupError")
    leaked = set(eval(verdict.cases[0].message.split("LookupError: ", 1)[1].split(" (at ")[0]))
    assert leaked <= {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "PATH", "LANG"} | {
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONHASHSEED",
        "OPENBLAS_CORETYPE",
        "OPENBLAS_L2_SIZE",
        "PWD",
    }
    for target in ("f'/proc/{os.getppid()}/environ'", "'/proc/1/environ'", "'/proc/self/environ'"):
        source = escape(f"""
            os = _import("os", {{}})
            with open({target}, "rb") as handle:
                if b"leak-me" not in handle.read():
                    raise LookupError("no secret there")
        """)
        assert_blocked(grade(relu, source, zygote=sandbox))
    honest_still_passes(sandbox)


def test_11_the_reference_and_app_files_are_unreadable(sandbox, relu, honest_still_passes):
    reference = relu.path / "reference.py"
    source = escape(f"""
        namespace = {{}}
        with open({str(reference)!r}) as handle:
            exec(handle.read(), namespace)
        return namespace["relu"](x)
    """)
    assert_blocked(grade(relu, source, zygote=sandbox), "FileNotFoundError", "PermissionError")
    for path in (relu.path / "cases.py", os.path.abspath("graders/bundle.py"), "/etc/shadow", "/etc/passwd"):
        source = escape(f"""
            open({str(path)!r}, "rb").read()
        """)
        assert_blocked(grade(relu, source, zygote=sandbox), "FileNotFoundError", "PermissionError")
    honest_still_passes(sandbox)


# ---------------------------------------------------------------------------------------------
# 12-18: the runner's own process


def test_12_zygote_memory_holds_no_answers(sandbox, relu, honest_still_passes):
    source = cheat("""
        gc = _import("gc", {})
        sys = _import("sys", {})
        want = np.maximum(x, 0.0)
        for name, module in list(sys.modules.items()):
            for key in ("HIDDEN", "EXPECTED", "expected", "reference"):
                if hasattr(module, key):
                    return getattr(module, key)
        for obj in gc.get_objects():
            if isinstance(obj, dict):
                values = obj.values()
            elif isinstance(obj, (list, tuple)):
                values = obj
            else:
                continue
            for value in values:
                if (
                    isinstance(value, np.ndarray)
                    and value.shape == x.shape
                    and not np.shares_memory(value, x)
                    and np.array_equal(value, want)
                    and (x < 0).any()
                ):
                    return value
        return np.zeros_like(x)
    """)
    verdict = grade(relu, source, zygote=sandbox)
    assert verdict.score < 0.5  # only inputs that have no negatives equal their own ReLU
    honest_still_passes(sandbox)


def test_13_stack_introspection_finds_nothing(sandbox, relu, honest_still_passes):
    source = cheat("""
        sys = _import("sys", {})
        inspect = _import("inspect", {})
        frame = sys._getframe(0)
        while frame is not None:
            for key in ("expected", "want", "reference", "answer"):
                if key in frame.f_locals:
                    return frame.f_locals[key]
            frame = frame.f_back
        for info in inspect.stack():
            if "expected" in info.frame.f_locals:
                return info.frame.f_locals["expected"]
        return x
    """)
    verdict = grade(relu, source, zygote=sandbox)
    assert verdict.score < 0.5
    honest_still_passes(sandbox)


def test_14_patching_numpy_comparisons_changes_nothing(sandbox, relu, honest_still_passes):
    source = cheat("""
        builtins = _import("builtins", {})
        np.allclose = lambda *args, **kwargs: True
        np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), bool)
        np.array_equal = lambda *args, **kwargs: True
        np.testing.assert_allclose = lambda *args, **kwargs: None
        builtins.abs = lambda value: 0
        return x
    """)
    verdict = grade(relu, source, zygote=sandbox)
    assert verdict.score < 0.5
    assert not np.allclose(np.zeros(3), np.ones(3))  # the trusted side's numpy is untouched
    honest_still_passes(sandbox)


def test_15_replacing_sys_modules_only_affects_the_child(sandbox, relu, honest_still_passes):
    source = cheat("""
        sys = _import("sys", {})
        types = _import("types", {})
        fake = types.ModuleType("numpy")
        fake.allclose = lambda *args, **kwargs: True
        fake.save = lambda *args, **kwargs: None
        sys.modules["numpy"] = fake
        sys.modules["numpy.lib.format"] = fake
        return x
    """)
    verdict = grade(relu, source, zygote=sandbox)
    assert verdict.score < 0.5
    honest_still_passes(sandbox)


def test_16_atexit_and_signal_handlers_do_not_survive_sigkill(sandbox, fast_relu, honest_still_passes):
    source = cheat("""
        atexit = _import("atexit", {})
        signal = _import("signal", {})
        atexit.register(lambda: print("SCORE: 100"))
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU):
            signal.signal(sig, signal.SIG_IGN)
        while x.ravel()[0] == -2.0:
            pass
        return x
    """)
    verdict = grade(fast_relu, source, zygote=sandbox)
    assert verdict.cases[0].status == "timeout"
    assert verdict.score < 0.5
    honest_still_passes(sandbox)


FAKE_FRAMES = """
    os = _import("os", {})
    json = _import("json", {})
    struct = _import("struct", {})
    io = _import("io", {})

    def frame(header, blobs=()):
        raw = json.dumps(dict(header, blobs=[len(b) for b in blobs])).encode()
        return struct.pack(">I", len(raw)) + raw + b"".join(blobs)

    def npy(array):
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=True)
        return buffer.getvalue()

    frames = b""
    for index in range(10):
        frames += frame(
            {"type": "result", "index": index, "status": "ok", "score": 1.0, "passed": True, "output": {"nd": 0}},
            [npy(PAYLOAD)],
        )
    frames += frame({"type": "done", "score": 100, "verdict": "pass"})
    for fd in range(3, 20):
        try:
            os.write(fd, frames)
        except OSError:
            pass
    os._exit(0)
"""


@pytest.mark.parametrize(
    "payload",
    [
        "np.zeros(1)",  # wrong data claiming success
        "np.array([{'score': 1}], dtype=object)",  # a pickle for the trusted side to load
    ],
)
def test_17_exit_0_with_fake_success_frames_fails(sandbox, relu, honest_still_passes, payload):
    verdict = grade(relu, cheat(FAKE_FRAMES.replace("PAYLOAD", payload)), zygote=sandbox)
    assert verdict.score == 0.0
    assert verdict.outcome in ("graded", "not_gradable")
    honest_still_passes(sandbox)


def test_17_a_forged_done_frame_does_not_let_the_process_linger(sandbox, fast_relu, honest_still_passes):
    body = FAKE_FRAMES.replace("PAYLOAD", "np.zeros(1)").replace(
        "    os._exit(0)\n", "    _import('time', {}).sleep(100)  # keep running after the forged 'done'\n"
    )
    started = time.perf_counter()
    verdict = grade(fast_relu, cheat(body), zygote=sandbox)
    assert verdict.score == 0.0
    assert sandbox.settle() in (None, 0)  # killed as soon as its results were complete
    assert time.perf_counter() - started < 0.5
    honest_still_passes(sandbox)


def test_17_npy_header_bomb_is_rejected_before_allocating(sandbox, relu, honest_still_passes):
    source = cheat("""
        os = _import("os", {})
        json = _import("json", {})
        struct = _import("struct", {})
        header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }"
        header = header + " " * (117 - len(header)) + "\\n"
        blob = b"\\x93NUMPY\\x01\\x00" + struct.pack("<H", len(header)) + header.encode() + b"\\0" * 8
        raw = json.dumps({"type": "result", "index": 0, "status": "ok", "output": {"nd": 0}, "blobs": [len(blob)]})
        for fd in range(3, 20):
            try:
                os.write(fd, struct.pack(">I", len(raw)) + raw.encode() + blob)
            except OSError:
                pass
        os._exit(0)
    """)
    verdict = grade(relu, source, zygote=sandbox)
    assert verdict.score == 0.0
    assert "Your code corrupted its results: array is too large" in verdict.cases[0].message
    honest_still_passes(sandbox)


def test_18_printed_score_lines_are_ignored(sandbox, relu, honest_still_passes):
    source = cheat("""
        print("SCORE: 100")
        print('{"outcome": "graded", "score": 1.0, "passed": 10}')
        return x
    """)
    verdict = grade(relu, source, zygote=sandbox)
    assert verdict.score < 0.5
    honest_still_passes(sandbox)


# ---------------------------------------------------------------------------------------------
# 19-23: lying values


LIARS = {
    "ndarray_subclass": """
        class Liar(np.ndarray):
            def __eq__(self, other):
                return np.ones(self.shape, bool)
            def __array__(self, dtype=None, copy=None):
                return np.maximum(self.view(np.ndarray), 0.0)
        return x.view(Liar)
    """,
    "array_protocol": """
        class Liar:
            def __array__(self, dtype=None, copy=None):
                return np.zeros(3)
            def __eq__(self, other):
                return True
        return Liar()
    """,
    "float_and_len": """
        class Liar:
            def __float__(self):
                return 1.0
            def __len__(self):
                raise RuntimeError("no")
        return Liar()
    """,
    "nan": "return np.full_like(x, np.nan)",
    "inf": "return np.where(x > 0, np.inf, 0.0)",
    "scalar": "return 0.0",
    "zeros_1": "return np.zeros(1)",
    "complex": "return np.maximum(x, 0.0).astype(complex)",
    "complex_zeros": "return np.zeros(x.shape, complex)",
    "object_array": "return np.array([{'score': 1.0}], dtype=object)",
    "string": "return 'np.maximum(x, 0)'",
    "list_of_the_answer": "return [np.maximum(x, 0.0)]",
}


@pytest.mark.parametrize("name", sorted(LIARS))
def test_19_to_22_lying_values_fail(sandbox, relu, honest_still_passes, name):
    verdict = grade(relu, cheat(LIARS[name]), zygote=sandbox)
    assert verdict.score < 0.5, [(case.name, case.status, case.message) for case in verdict.cases]
    honest_still_passes(sandbox)


# ---------------------------------------------------------------------------------------------
# 24-28: the worker's processes and the terminal


def test_24_killing_the_parent_or_everyone_is_denied(sandbox, relu, honest_still_passes):
    for target in ("os.getppid()", "-1", "1", "0"):
        source = escape(f"""
            os = _import("os", {{}})
            signal = _import("signal", {{}})
            os.kill({target}, signal.SIGKILL)
        """)
        assert_blocked(grade(relu, source, zygote=sandbox), "PermissionError")
    assert sandbox.alive
    honest_still_passes(sandbox)


def test_25_parent_memory_is_unreadable(sandbox, relu, honest_still_passes):
    source = escape("""
        os = _import("os", {})
        with open(f"/proc/{os.getppid()}/mem", "rb") as handle:
            handle.read(1)
    """)
    assert_blocked(grade(relu, source, zygote=sandbox), "FileNotFoundError", "PermissionError")
    source = escape("""
        ctypes = _import("ctypes", {})
        os = _import("os", {})
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.ptrace(16, os.getppid(), 0, 0) != 0:  # PTRACE_ATTACH
            raise PermissionError(ctypes.get_errno(), "ptrace")
    """)
    assert_blocked(grade(relu, source, zygote=sandbox), "PermissionError")
    honest_still_passes(sandbox)


def test_26_ctypes_null_read_is_a_crash_not_an_escape(sandbox, relu, honest_still_passes):
    source = cheat("""
        ctypes = _import("ctypes", {})
        return ctypes.string_at(0)  # strlen(NULL)
    """)
    verdict = grade(relu, source, zygote=sandbox)
    assert verdict.score == 0.0
    assert verdict.cases[0].message == "Your code crashed the Python interpreter (SIGSEGV)"
    honest_still_passes(sandbox)


def test_27_threads_and_grandchildren_do_not_outlive_the_job(sandbox, fast_relu, honest_still_passes):
    source = cheat("""
        threading = _import("threading", {})
        time = _import("time", {})
        os = _import("os", {})

        def late():
            time.sleep(1.5)  # after the kill at the end of the first window (0.5 s + loading): must never run
            for fd in range(1, 20):
                try:
                    os.write(fd, b"LATE")
                except OSError:
                    pass

        threading.Thread(target=late).start()  # not a daemon
        try:
            if os.fork() == 0:
                os.setsid()
                time.sleep(5)
        except OSError:
            pass
        while x.ravel()[0] == -2.0:
            pass
        return x
    """)
    verdict = grade(fast_relu, source, zygote=sandbox)
    assert verdict.cases[0].status == "timeout"
    assert verdict.score < 0.5
    assert sandbox.settle() in (None, 0)
    honest_still_passes(sandbox)


def test_28_tiocsti_terminal_injection_is_denied(sandbox, relu, honest_still_passes):
    source = escape("""
        ctypes = _import("ctypes", {})
        libc = ctypes.CDLL(None, use_errno=True)
        char = ctypes.c_char(b"x")
        for fd in (0, 1, 2):
            for request in (0x5412, 0x1_0000_5412):  # TIOCSTI, and with high bits set (CVE-2019-10063)
                if libc.ioctl(fd, ctypes.c_ulong(request), ctypes.byref(char)) == 0:
                    return np.maximum(x, 0.0)
        raise PermissionError(ctypes.get_errno(), "ioctl")
    """)
    assert_blocked(grade(relu, source, zygote=sandbox), "PermissionError")
    honest_still_passes(sandbox)


# ---------------------------------------------------------------------------------------------
# 31-32: planted paths and the kernel surface


def test_31_symlink_planting_is_denied(sandbox, relu, honest_still_passes):
    for call in (
        "os.symlink('/etc/cron.d/x', '/tmp/run.sh')",
        "os.symlink('/etc/cron.d/x', 'run.sh')",
        "os.link('/etc/passwd', '/tmp/passwd')",
        "os.mkdir('/tmp/planted')",
        "os.mkfifo('/tmp/fifo')",
    ):
        source = escape(f"""
            os = _import("os", {{}})
            {call}
        """)
        assert_blocked(grade(relu, source, zygote=sandbox), "PermissionError")
    honest_still_passes(sandbox)


@pytest.mark.skipif(not X86_64, reason="x86_64 syscall numbers")
def test_32_kernel_surface_is_denied(sandbox, relu, honest_still_passes):
    source = escape("""
        ctypes = _import("ctypes", {})
        socket = _import("socket", {})
        libc = ctypes.CDLL(None, use_errno=True)
        params = ctypes.create_string_buffer(256)
        calls = {
            "io_uring_setup": (425, 4, params),
            "keyctl": (250, 0, 0),
            "bpf": (321, 0, 0, 0),
            "unshare": (272, 0x10000000),
            "userfaultfd": (323, 0),
            "perf_event_open": (298, params, 0, -1, -1, 0),
            "process_vm_readv": (310, 1, 0, 0, 0, 0, 0),
            "memfd_create": (319, b"x", 0),
            "execve": (59, b"/bin/true", 0, 0),
            "mount": (165, b"none", b"/tmp", b"tmpfs", 0, 0),
            "setns": (308, 0, 0),
            "personality": (135, 0xFFFFFFFF),
        }
        for name, args in calls.items():
            if libc.syscall(*args) >= 0:
                return np.maximum(x, 0.0)
        try:
            socket.socket(40, socket.SOCK_STREAM)  # AF_VSOCK
            return np.maximum(x, 0.0)
        except OSError:
            pass
        raise PermissionError(ctypes.get_errno(), "kernel surface")
    """)
    assert_blocked(grade(relu, source, zygote=sandbox), "PermissionError")
    honest_still_passes(sandbox)


@pytest.mark.skipif(not X86_64, reason="x86_64 shellcode")
@pytest.mark.parametrize("abi", ["i386 int 0x80", "x32"])
def test_32_foreign_abi_kills_the_process(sandbox, relu, honest_still_passes, abi):
    if abi == "x32":
        body = """
            ctypes = _import("ctypes", {})
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.syscall(0x40000000 | 39) > 0:  # getpid through the x32 ABI
                return np.maximum(x, 0.0)
            return np.zeros_like(x)
        """
    else:
        body = """
            ctypes = _import("ctypes", {})
            libc = ctypes.CDLL(None, use_errno=True)
            libc.mmap.restype = ctypes.c_void_p
            libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
            page = libc.mmap(None, 4096, 7, 0x22, -1, 0)  # RWX, private anonymous
            code = bytes([0xB8, 20, 0, 0, 0, 0xCD, 0x80, 0xC3])  # mov eax, 20 (getpid); int 0x80; ret
            ctypes.memmove(page, code, len(code))
            if ctypes.CFUNCTYPE(ctypes.c_int)(page)() > 0:
                return np.maximum(x, 0.0)
            return np.zeros_like(x)
        """
    verdict = grade(relu, cheat(body), zygote=sandbox)
    assert verdict.score == 0.0
    assert verdict.cases[0].message == "Your code crashed the Python interpreter (SIGSYS)"
    honest_still_passes(sandbox)


# ---------------------------------------------------------------------------------------------
# messages and endurance


def test_forbidden_import_has_an_actionable_message(sandbox, relu, honest_still_passes):
    verdict = grade(
        relu, "import os\nimport numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0)\n", zygote=sandbox
    )
    assert verdict.outcome == "not_gradable"
    assert verdict.message.startswith("Import of `os` is refused for safety: it reaches outside the computation")
    assert "A submission may import `numpy` with its submodules" in verdict.message
    honest_still_passes(sandbox)


HOSTILE = [
    cheat("return np.ones(10**9)"),
    cheat("ctypes = _import('ctypes', {})\nreturn ctypes.string_at(0)"),
    cheat("os = _import('os', {})\nos.kill(os.getppid(), 9)\nreturn x"),
    cheat("os = _import('os', {})\nos.kill(-1, 9)\nreturn x"),
    cheat("os = _import('os', {})\nwhile True:\n    os.fork()"),
    cheat("os = _import('os', {})\nos._exit(0)"),
    cheat("os = _import('os', {})\nos.kill(os.getpid(), 9)"),
    cheat(
        "os = _import('os', {})\nfor fd in range(3, 20):\n    try:\n        os.write(fd, b'\\x00\\x00\\x00\\x05{}{}{')\n    except OSError:\n        pass\nreturn x"
    ),
    cheat(
        "os = _import('os', {})\nfor fd in range(0, 20):\n    try:\n        os.close(fd)\n    except OSError:\n        pass\nreturn x"
    ),
    cheat("print('x' * 200000)\nreturn x"),
    cheat("return np.full_like(x, np.nan)"),
    cheat("socket = _import('socket', {})\nsocket.create_connection(('127.0.0.1', 6379))"),
    cheat("open('/tmp/x', 'w').write('x' * 10**7)"),
    cheat("sys = _import('sys', {})\nsys.modules.clear()\nreturn x"),
    cheat("raise SystemExit(0)"),
    cheat("raise KeyboardInterrupt"),
    "def relu(x:\n",
    cheat("return relu(x)"),  # RecursionError
]


def test_zygote_survives_200_hostile_submissions_in_a_row(sandbox, relu, honest_still_passes, request):
    if "userns" in request.node.callspec.id:
        pytest.skip("same runner as bwrap; the soak runs in bwrap and plain (bench/ runs 1000)")
    restarts = sandbox.restarts
    for index in range(200):
        verdict = grade(relu, HOSTILE[index % len(HOSTILE)], zygote=sandbox)
        assert verdict.score < 1.0, index
        assert verdict.outcome in ("graded", "not_gradable")
    assert sandbox.restarts == restarts  # no attack needed a restart to recover
    honest_still_passes(sandbox)
