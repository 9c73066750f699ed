"""The untrusted side: a zygote that imports NumPy once and forks one short-lived child per job.

This file is the only code the sandbox can see. It imports nothing from dlgrade (the folder it
lives in is bound alone into the sandbox), holds no reference code, expected values or secrets,
and never decides a grade: it only turns the student's return values into .npy bytes.

Protocol (see graders/sandbox/protocol.py and zygote.py for the trusted side):
- argv[1] is the fd of a SOCK_SEQPACKET control socket to the trusted side; argv[2] the folder
  holding numpy; argv[3] JSON start-up options: ``uid`` (drop to this dedicated uid once NumPy is
  warm), ``files`` ("readonly": read-only opens allowed, the filesystem view being minimal;
  "none": no opens at all, for the plain fallback where the host filesystem is visible) and
  ``seccomp`` (false only in tests that prove the self-test notices).
- The zygote warms NumPy, checks its seccomp filter in a throw-away child, forks a spare child
  and sends {"ready": ...}. Each job arrives as a JSON message carrying three fds (job pipe to
  read, result pipe to write, output pipe for stdout/stderr); the zygote hands them to the
  waiting spare, supervises it (SIGKILL to its process group on {"kill": true}), forks the next
  spare once it has exited, then sends its exit report.
- Per job the child confines itself, in this order, before any student code runs: new session,
  parent-death signal, not dumpable, stdin /dev/null, every other inherited fd closed, rlimits,
  then the seccomp allowlist (NO_NEW_PRIVS + a classic BPF program built here with ctypes). It
  then sends an "armed" frame: a failure before it is the platform's, anything after it the
  student's.
- A frame is a 4-byte big-endian header length, a JSON header, then the blobs it lists.
"""

import ctypes
import json
import os
import re
import resource
import signal
import socket
import struct
import sys
import time

if len(sys.argv) > 2:  # the one folder holding numpy, bound read-only by the launcher
    sys.path.insert(0, sys.argv[2])
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import io
import traceback
import warnings

import numpy as np

STUDENT_FILENAME = "solution.py"
STUDENT_MODULE = "solution"
ALLOWED_IMPORTS = frozenset(
    {
        "numpy",
        "math",
        "cmath",
        "functools",
        "itertools",
        "collections",
        "typing",
        "dataclasses",
        "operator",
        "numbers",
        "enum",
        "abc",
        "__future__",
    }
)
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2
EXIT_SETUP_FAILED = 71  # the child could not confine itself: a platform failure, never the student's
NPROC_LIMIT = 24  # processes + threads of the dedicated uid: the zygote, the child and a few threads

_libc = ctypes.CDLL(None, use_errno=True)


def _prctl(option: int, arg2: int = 0, arg3: int = 0, arg4: int = 0, arg5: int = 0) -> None:
    args = [ctypes.c_ulong(arg) for arg in (arg2, arg3, arg4, arg5)]
    if _libc.prctl(ctypes.c_int(option), *args) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl({option}) failed: {os.strerror(errno)}")


# ---------------------------------------------------------------------------------------------
# seccomp: a default-deny allowlist, written as a classic BPF program
#
# The filter sees (nr, arch, ip, args[6]) for every system call. It kills the process for a
# foreign ABI (i386 via int 0x80, x32), allows what a warm NumPy job needs, checks arguments for
# a few calls and answers everything else with EPERM, so the student sees a PermissionError.

AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
X32_SYSCALL_BIT = 0x40000000
SYSCALLS = {
    "x86_64": {
        "read": 0, "write": 1, "open": 2, "close": 3, "stat": 4, "fstat": 5, "lstat": 6, "poll": 7,
        "lseek": 8, "mmap": 9, "mprotect": 10, "munmap": 11, "brk": 12, "rt_sigaction": 13,
        "rt_sigprocmask": 14, "rt_sigreturn": 15, "ioctl": 16, "pread64": 17, "readv": 19, "writev": 20,
        "access": 21, "sched_yield": 24, "mremap": 25, "madvise": 28, "nanosleep": 35, "getpid": 39,
        "clone": 56, "exit": 60, "kill": 62, "uname": 63, "fcntl": 72, "getcwd": 79, "readlink": 89,
        "gettimeofday": 96, "getrusage": 98, "sysinfo": 99, "times": 100, "getuid": 102, "getgid": 104,
        "geteuid": 107, "getegid": 108, "getppid": 110, "sigaltstack": 131, "gettid": 186, "futex": 202,
        "sched_getaffinity": 204, "getdents64": 217, "clock_gettime": 228, "clock_getres": 229,
        "clock_nanosleep": 230, "exit_group": 231, "tgkill": 234, "mbind": 237, "get_mempolicy": 239,
        "openat": 257, "newfstatat": 262, "readlinkat": 267, "faccessat": 269, "ppoll": 271,
        "set_robust_list": 273, "prlimit64": 302, "getrandom": 318, "statx": 332, "rseq": 334,
        "clone3": 435, "close_range": 436, "faccessat2": 439,
    },
    "aarch64": {
        "getcwd": 17, "fcntl": 25, "ioctl": 29, "faccessat": 48, "openat": 56, "close": 57,
        "getdents64": 61, "lseek": 62, "read": 63, "write": 64, "readv": 65, "writev": 66, "pread64": 67,
        "ppoll": 73, "readlinkat": 78, "newfstatat": 79, "fstat": 80, "exit": 93, "exit_group": 94,
        "futex": 98, "set_robust_list": 99, "nanosleep": 101, "clock_gettime": 113, "clock_getres": 114,
        "clock_nanosleep": 115, "sched_getaffinity": 123, "sched_yield": 124, "kill": 129, "tgkill": 131,
        "sigaltstack": 132, "rt_sigaction": 134, "rt_sigprocmask": 135, "rt_sigreturn": 139, "times": 153,
        "uname": 160, "getrusage": 165, "gettimeofday": 169, "getpid": 172, "getppid": 173, "getuid": 174,
        "geteuid": 175, "getgid": 176, "getegid": 177, "gettid": 178, "sysinfo": 179, "brk": 214,
        "munmap": 215, "mremap": 216, "clone": 220, "mmap": 222, "mprotect": 226, "madvise": 233,
        "mbind": 235, "get_mempolicy": 236, "prlimit64": 261, "getrandom": 278, "statx": 291, "rseq": 293,
        "clone3": 435, "close_range": 436, "faccessat2": 439,
    },
}  # fmt: skip
# Allowed with any arguments, most frequent first (the filter is a linear scan).
ALLOWED = (
    "futex", "read", "write", "mmap", "munmap", "madvise", "mremap", "mprotect", "brk", "close",
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "fstat", "lseek", "pread64",
    "readv", "writev", "fcntl", "poll", "ppoll", "getpid", "gettid", "getppid", "getuid", "geteuid",
    "getgid", "getegid", "uname", "getrandom", "clock_gettime", "clock_getres", "clock_nanosleep",
    "nanosleep", "gettimeofday", "getrusage", "times", "sysinfo", "sched_yield", "sched_getaffinity",
    "mbind", "get_mempolicy", "set_robust_list", "rseq", "close_range", "exit", "exit_group",
)  # fmt: skip
# Looking at (not writing) the filesystem: only where the filesystem view is already minimal.
READ_ONLY_FILES = (
    "newfstatat", "statx", "stat", "lstat", "access", "faccessat", "faccessat2", "getcwd", "readlink",
    "readlinkat", "getdents64",
)  # fmt: skip
SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000
EPERM, EACCES, ENOSYS = 1, 13, 38
O_WRITE_FLAGS = 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000 | 0o20000000  # WRONLY RDWR CREAT TRUNC APPEND TMPFILE
CLONE_THREAD = 0x00010000
CLONE_NAMESPACES = 0x7E020000  # NEWNS NEWCGROUP NEWUTS NEWIPC NEWUSER NEWPID NEWNET
TCGETS = 0x5401
AT_EMPTY_PATH = 0x1000
_BPF_LD_ABS, _BPF_JEQ, _BPF_JGE, _BPF_JSET, _BPF_RET = 0x20, 0x15, 0x35, 0x45, 0x06
PID_PLACEHOLDER = 0x7FFFFFFE


def _arg_low(index: int) -> int:
    """Offset of the low 32 bits of args[index] in struct seccomp_data (both ABIs are little-endian)."""
    return 16 + 8 * index


def build_seccomp_filter(arch: str, files: str) -> tuple[bytes, list[int]]:
    """Return the BPF program and the byte offsets where the child writes its own pid.

    ``files`` is "readonly" (openat without write/create/truncate/append flags, stat, readlink,
    getdents) or "none" (no path lookups at all; fstat only).
    """
    nr = SYSCALLS[arch]
    program: list[list] = []
    labels: dict[str, int] = {}

    def emit(code: int, k: int = 0, jt: int | str = 0, jf: int | str = 0) -> None:
        program.append([code, jt, jf, k])

    def label(name: str) -> None:
        labels[name] = len(program)

    emit(_BPF_LD_ABS, 4)  # arch
    emit(_BPF_JEQ, AUDIT_ARCH[arch], 0, "kill")
    emit(_BPF_LD_ABS, 0)  # syscall number
    if arch == "x86_64":
        emit(_BPF_JGE, X32_SYSCALL_BIT, "kill", 0)
    for name in ALLOWED:
        if name in nr:
            emit(_BPF_JEQ, nr[name], "allow", 0)
    special = {
        "clone": "clone",
        "clone3": "enosys",  # glibc then falls back to clone, whose flags we can see
        "ioctl": "ioctl",
        "kill": "own_pid_arg0",
        "tgkill": "own_pid_arg0",
        "prlimit64": "zero_arg0",
    }
    if files == "readonly":
        special["openat"] = "openat"
        for name in READ_ONLY_FILES:
            if name in nr:
                special[name] = "allow"
    else:
        special["openat"] = "eacces"
        special["newfstatat"] = "empty_path_arg3"  # fstat(fd) is newfstatat(fd, "", AT_EMPTY_PATH)
        special["statx"] = "empty_path_arg2"
    for name, target in special.items():
        if name in nr:
            emit(_BPF_JEQ, nr[name], target, 0)
    emit(_BPF_RET, SECCOMP_RET_ERRNO | EPERM)  # default
    label("openat")
    emit(_BPF_LD_ABS, _arg_low(2))
    emit(_BPF_JSET, O_WRITE_FLAGS, "eperm", "allow")
    label("clone")
    emit(_BPF_LD_ABS, _arg_low(0))
    emit(_BPF_JSET, CLONE_NAMESPACES, "eperm", 0)
    emit(_BPF_JSET, CLONE_THREAD, "allow", "eperm")  # threads yes, processes no
    label("ioctl")
    emit(_BPF_LD_ABS, _arg_low(1))  # the kernel uses the low 32 bits of the request only
    emit(_BPF_JEQ, TCGETS, "allow", "eperm")
    label("own_pid_arg0")
    emit(_BPF_LD_ABS, _arg_low(0))
    pid_index = len(program)
    emit(_BPF_JEQ, PID_PLACEHOLDER, "allow", "eperm")
    label("zero_arg0")
    emit(_BPF_LD_ABS, _arg_low(0))
    emit(_BPF_JEQ, 0, "allow", "eperm")
    label("empty_path_arg3")
    emit(_BPF_LD_ABS, _arg_low(3))
    emit(_BPF_JSET, AT_EMPTY_PATH, "allow", "eperm")
    label("empty_path_arg2")
    emit(_BPF_LD_ABS, _arg_low(2))
    emit(_BPF_JSET, AT_EMPTY_PATH, "allow", "eperm")

    # shared returns last: classic BPF only jumps forward
    label("eperm")
    emit(_BPF_RET, SECCOMP_RET_ERRNO | EPERM)
    label("allow")
    emit(_BPF_RET, SECCOMP_RET_ALLOW)
    label("kill")
    emit(_BPF_RET, SECCOMP_RET_KILL_PROCESS)
    label("eacces")
    emit(_BPF_RET, SECCOMP_RET_ERRNO | EACCES)
    label("enosys")
    emit(_BPF_RET, SECCOMP_RET_ERRNO | ENOSYS)

    raw = bytearray()
    for index, (code, jt, jf, k) in enumerate(program):
        offsets = []
        for target in (jt, jf):
            offset = labels[target] - index - 1 if isinstance(target, str) else target
            if not 0 <= offset <= 255:
                raise ValueError(f"seccomp jump out of range at {index}")
            offsets.append(offset)
        raw += struct.pack("<HBBI", code, offsets[0], offsets[1], k)
    return bytes(raw), [pid_index * 8 + 4]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _prepare_seccomp(pid: int) -> tuple:
    """The filter for process ``pid``, ready to install (kept alive until then)."""
    program, pid_offsets = _SECCOMP
    patched = bytearray(program)
    for offset in pid_offsets:
        struct.pack_into("<I", patched, offset, pid)
    buffer = ctypes.create_string_buffer(bytes(patched), len(patched))
    return buffer, _SockFprog(len(patched) // 8, ctypes.addressof(buffer))


def _install_seccomp(prepared: tuple) -> None:
    """Apply the filter to this (single-threaded) process for good: NO_NEW_PRIVS, then the program."""
    _buffer, fprog = prepared
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    _prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog))


_SECCOMP: tuple[bytes, list[int]] | None = None  # built once in the zygote, patched per child


class ForbiddenImport(ImportError):
    def __init__(self, module: str) -> None:
        super().__init__(f"Import of `{module}` is not allowed: use numpy and math only")
        self.phrase = _phrase("forbidden_import", module=module)


def _warm_up() -> None:
    """Pay numpy's first-call costs once in the zygote, not in every child.

    Everything a student may import is imported here: after the seccomp filter is loaded a child
    cannot open files (plain mode) or only sees a minimal filesystem (bwrap mode).
    """
    import __future__  # noqa: F401

    import abc  # noqa: F401
    import cmath  # noqa: F401
    import collections
    import collections.abc  # noqa: F401
    import dataclasses  # noqa: F401
    import enum  # noqa: F401
    import functools  # noqa: F401
    import itertools  # noqa: F401
    import math  # noqa: F401
    import numbers  # noqa: F401
    import operator  # noqa: F401
    import threading  # noqa: F401
    import typing  # noqa: F401

    import numpy.fft
    import numpy.lib.stride_tricks
    import numpy.linalg
    import numpy.ma
    import numpy.polynomial
    import numpy.random

    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((2, 3, 6, 6))
    w = rng.standard_normal((4, 3, 3, 3))
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    cols = np.lib.stride_tricks.sliding_window_view(xp, (3, 3), axis=(2, 3))
    np.einsum("nchwij,fcij->nfhw", cols, w, optimize=True)
    np.tensordot(cols, w, axes=([1, 4, 5], [1, 2, 3]))
    a = rng.standard_normal((8, 8))
    a @ a.T, np.tanh(a), np.exp(-a), np.maximum(a, 0), np.linalg.norm(a), np.clip(a, -1, 1)
    np.save(io.BytesIO(), a, allow_pickle=False)
    traceback.format_exception(ValueError, ValueError("warm"), None)


# ---------------------------------------------------------------------------------------------
# framing


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _send_frame(fd: int, header: dict, blobs: list[bytes] = ()) -> None:
    header = dict(header, blobs=[len(b) for b in blobs])
    raw = json.dumps(header).encode()
    _write_all(fd, struct.pack(">I", len(raw)) + raw + b"".join(blobs))


# ---------------------------------------------------------------------------------------------
# values in and out


_NPY_V1 = re.compile(
    rb"\x93NUMPY\x01\x00..\{'descr': '([<>|][biufc][0-9]{1,2})', 'fortran_order': False, "
    rb"'shape': \(((?:[0-9]+, )*(?:[0-9]+,?)?)\), \} *\n",
    re.DOTALL,
)


def _load_input(blob: bytes) -> np.ndarray:
    """Decode an input array (trusted data from our own encoder), skipping np.load's ast parsing."""
    match = _NPY_V1.match(blob)
    if match is None:
        return np.load(io.BytesIO(blob), allow_pickle=False)
    dims = match.group(2).replace(b" ", b"").rstrip(b",")
    shape = tuple(int(dim) for dim in dims.split(b",")) if dims else ()
    return np.frombuffer(blob, dtype=match.group(1).decode(), offset=match.end()).reshape(shape).copy()


def _decode_value(node, blobs):
    kind, value = next(iter(node.items()))
    if kind == "nd":
        array = _load_input(blobs[value])
        layout = node.get("layout", "C")
        if layout == "F":
            array = np.asfortranarray(array)
        elif layout == "strided":
            wide = np.zeros(array.shape[:-1] + (array.shape[-1] * 2,), dtype=array.dtype)
            wide[..., ::2] = array
            array = wide[..., ::2]
        if node.get("readonly"):
            array.flags.writeable = False
        return array
    if kind == "list":
        return [_decode_value(item, blobs) for item in value]
    if kind == "tuple":
        return tuple(_decode_value(item, blobs) for item in value)
    if kind == "dict":
        return {name: _decode_value(item, blobs) for name, item in value.items()}
    if kind in ("float", "int", "bool", "str"):
        return value
    if kind == "none":
        return None
    raise ValueError(f"unknown input node {kind}")


def _encode_output(value, blobs: list[bytes], depth: int = 0):
    """Turn whatever the student returned into plain arrays; only data crosses the boundary."""
    if depth > 4:
        return {"bad": "value nested more than 4 levels deep"}
    if isinstance(value, (list, tuple)) and not isinstance(value, np.ndarray):
        kind = "tuple" if isinstance(value, tuple) else "list"
        if len(value) > 64:
            return {"bad": f"{kind} of {len(value)} items (at most 64)"}
        return {kind: [_encode_output(item, blobs, depth + 1) for item in value]}
    if value is None:
        return {"none": True}
    try:
        if isinstance(value, np.ndarray):
            array = np.array(value.view(np.ndarray), copy=True, order="C")
        else:
            array = np.array(value, copy=True, order="C")
    except Exception as exc:  # a lying __array__ or an unconvertible object
        return {"bad": f"{type(value).__name__} that NumPy cannot convert ({exc})"}
    if array.dtype.kind not in "biufc":
        return {"bad": f"{type(value).__name__} with dtype {array.dtype}"}
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    blobs.append(buffer.getvalue())
    return {"nd": len(blobs) - 1}


def _snapshot(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple)):
        return type(value)(_snapshot(item) for item in value)
    return value


def _same(before, after) -> bool:
    if isinstance(before, np.ndarray):
        return (
            isinstance(after, np.ndarray)
            and after.shape == before.shape
            and bool(np.array_equal(before, after, equal_nan=True))
        )
    if isinstance(before, (list, tuple)):
        return (
            isinstance(after, (list, tuple))
            and len(after) == len(before)
            and all(_same(b, a) for b, a in zip(before, after, strict=False))
        )
    return True


# ---------------------------------------------------------------------------------------------
# student code


def _student_lines(source: str, exc: BaseException) -> list[dict]:
    """Where in the student's own code an exception happened (never the grader's frames), as phrases."""
    lines = source.splitlines()
    where = []
    frames = traceback.StackSummary.extract(traceback.walk_tb(exc.__traceback__), lookup_lines=False)
    for frame in frames:
        if frame.filename == STUDENT_FILENAME:
            text = lines[frame.lineno - 1].strip() if 0 < frame.lineno <= len(lines) else ""
            where.append(_phrase("student_line", line=str(frame.lineno), function=frame.name, source=text[:200]))
    return where[-3:]


def _phrase(code: str, **args) -> dict:
    """A feedback phrase (graders/feedback.py): the trusted side renders it in the student's language."""
    return {"code": code, "args": args}


def _describe(source: str, exc: BaseException):
    """The exception as a phrase argument: plain text, or a phrase naming the student's lines."""
    message = f"{type(exc).__name__}: {exc}"[:600]
    where = _student_lines(source, exc)
    return _phrase("exception_at", error=message, where=where) if where else message


def _exception_fields(source: str, exc: BaseException) -> dict:
    """Frame fields for an exception raised by the student's code."""
    described = _describe(source, exc)
    return {"message": described} if isinstance(described, str) else {"phrase": described}


def _make_import(real_import):
    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if globals and globals.get("__name__") == STUDENT_MODULE:
            top = name.partition(".")[0]
            if level or top not in ALLOWED_IMPORTS:
                raise ForbiddenImport(name)
        return real_import(name, globals, locals, fromlist, level)

    return guarded_import


def _load_error(result_fd: int, kind: str, phrase: dict) -> None:
    """The file could not run; the trusted side renders ``phrase`` (graders/feedback.py)."""
    _send_frame(result_fd, {"type": "load_error", "kind": kind, "phrase": phrase})


def _run_job(job: dict, blobs: list[bytes], result_fd: int) -> None:
    import builtins

    source = job["source"]
    function_name = job["function"]
    started = time.perf_counter()
    try:
        code = compile(source, STUDENT_FILENAME, "exec")
    except SyntaxError as exc:
        detail = exc.msg + (f": {exc.text.strip()}" if exc.text else "")
        phrase = _phrase("syntax_error_at", line=str(exc.lineno), detail=detail) if exc.lineno else None
        _load_error(result_fd, "syntax", phrase or _phrase("syntax_error", detail=detail))
        return
    except (ValueError, MemoryError, RecursionError) as exc:
        _load_error(result_fd, "syntax", _phrase("cannot_compile", detail=str(exc)))
        return

    builtins.__import__ = _make_import(builtins.__import__)
    namespace = {"__name__": STUDENT_MODULE, "__file__": STUDENT_FILENAME, "__builtins__": builtins}
    try:
        exec(code, namespace)
    except ForbiddenImport as exc:
        _load_error(result_fd, "forbidden", exc.phrase)
        return
    except MemoryError:
        _load_error(result_fd, "memory", _phrase("memory_error_loading"))
        return
    except BaseException as exc:
        _load_error(result_fd, "exception", _phrase("raised_while_loading", error=_describe(source, exc)))
        return
    function = namespace.get(function_name)
    if not callable(function):
        code = "not_a_function" if function_name in namespace else "not_defined"
        _load_error(result_fd, "missing_function", _phrase(code, function=function_name))
        return
    _send_frame(result_fd, {"type": "loaded", "ms": (time.perf_counter() - started) * 1000})

    for case in job["cases"][job.get("start", 0) :]:
        args = _decode_value(case["args"], blobs)
        kwargs = _decode_value(case["kwargs"], blobs)
        before = _snapshot((args, kwargs))
        header = {"type": "result", "index": case["index"], "status": "ok", "message": ""}
        out_blobs: list[bytes] = []
        t0 = time.perf_counter()
        try:
            with (
                warnings.catch_warnings(record=True) as caught,
                np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"),
            ):
                warnings.simplefilter("always")
                value = function(*args, **kwargs)
            header["ms"] = (time.perf_counter() - t0) * 1000
            header["warnings"] = sorted({str(w.message) for w in caught})[:5]
            header["output"] = _encode_output(value, out_blobs)
            header["mutated"] = not _same(before, (args, kwargs))
        except ForbiddenImport as exc:
            header.update(status="forbidden", phrase=exc.phrase, ms=(time.perf_counter() - t0) * 1000)
        except MemoryError:
            header.update(status="memory", message="", ms=(time.perf_counter() - t0) * 1000)
        except RecursionError as exc:
            header.update(status="error", **_exception_fields(source, exc), ms=(time.perf_counter() - t0) * 1000)
        except BaseException as exc:
            header.update(status="error", **_exception_fields(source, exc), ms=(time.perf_counter() - t0) * 1000)
            out_blobs = []
        _send_frame(result_fd, header, out_blobs)
    _send_frame(result_fd, {"type": "done"})


def _apply_limits(limits: dict) -> None:
    def cap(which, value):
        resource.setrlimit(which, (value, value))

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past FSIZE fail with EFBIG instead of killing
    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_CPU, int(limits["cpu_seconds"]))
    cap(resource.RLIMIT_FSIZE, int(limits.get("file_size_bytes", 1 << 20)))
    if limits.get("address_space_bytes"):
        cap(resource.RLIMIT_AS, int(limits["address_space_bytes"]))
    cap(resource.RLIMIT_NOFILE, int(limits.get("open_files", 32)))
    if limits.get("nproc"):  # only meaningful under a dedicated, non-root uid (root is exempt)
        cap(resource.RLIMIT_NPROC, int(limits["nproc"]))


def _close_inherited(keep: tuple[int, ...]) -> None:
    low = 3
    for fd in sorted(keep):
        if fd > low:
            os.closerange(low, fd)
        low = max(low, fd + 1)
    os.closerange(low, 1 << 16)


def _spare(sock: socket.socket) -> None:
    """A child forked ahead of its job: confine what does not depend on the job, wait, run it.

    Forking (copying the page tables of a NumPy process) and this set-up happen while the previous
    job runs, off the critical path. Never returns.
    """
    armed = False
    try:
        os.setsid()
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        _prctl(PR_SET_DUMPABLE, 0)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        _close_inherited((sock.fileno(),))  # the control socket, the previous spare's socket, stray fds
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        seccomp = _prepare_seccomp(os.getpid()) if _SECCOMP is not None else None
        _prefault()
        stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)  # fd 1 is swapped below
        message, fds, _flags, _addr = socket.recv_fds(sock, 65536, 3)
        if not message or len(fds) != 3:
            os._exit(0)  # the zygote is shutting down
        sock.close()
        job_fd, result_fd, output_fd = fds
        limits = json.loads(message)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.close(output_fd)
        sys.stdout = sys.stderr = stdout
        _apply_limits(limits)
        raw = _read_all(job_fd)
        os.close(job_fd)
        (header_len,) = struct.unpack(">I", raw[:4])
        job = json.loads(raw[4 : 4 + header_len])
        job["start"] = int(limits.get("start", 0))
        blobs, offset = [], 4 + header_len
        for size in job["blobs"]:
            blobs.append(raw[offset : offset + size])
            offset += size
        del raw
        if seccomp is not None:
            _install_seccomp(seccomp)
        _send_frame(result_fd, {"type": "armed", "seccomp": seccomp is not None})
        armed = True
        _run_job(job, blobs, result_fd)
        os._exit(0)
    except BaseException:
        try:
            os.write(2, traceback.format_exc().encode()[-2000:])
        finally:
            os._exit(70 if armed else EXIT_SETUP_FAILED)


_PREFAULT_SOURCE = "import numpy as np\n\n\ndef f(x, scale=1.0):\n    return np.maximum(x, 0.0) * scale\n"


def _prefault() -> None:
    """Run a tiny job while waiting, so that the pages every job touches are already copied.

    Right after fork the child shares the zygote's memory copy-on-write; the first touch of each
    page (reference counts, allocator state, numpy's save path...) costs a page fault, ~700 of them
    for a warm relu job. Taking them here moves them off the critical path.
    """
    import builtins

    real_import = builtins.__import__
    blob = io.BytesIO()
    np.save(blob, np.arange(-3.0, 3.0).reshape(2, 3), allow_pickle=False)
    case = {"index": 0, "args": {"tuple": [{"nd": 0}]}, "kwargs": {"dict": {"scale": {"float": 1.0}}}}
    job = {"source": _PREFAULT_SOURCE, "function": "f", "cases": [case, dict(case, index=1)], "start": 0}
    sink = os.open(os.devnull, os.O_WRONLY)
    try:
        _run_job(job, [blob.getvalue()], sink)
    finally:
        os.close(sink)
        builtins.__import__ = real_import


def _fork_spare() -> tuple[int, socket.socket]:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    pid = os.fork()
    if pid == 0:
        ours.close()
        _spare(theirs)
    theirs.close()
    return pid, ours


def _dispatch(spare: tuple[int, socket.socket], limits: dict, fds: list[int]) -> int | None:
    """Hand a job's three fds to the waiting spare; None if it is gone (then reaped)."""
    pid, sock = spare
    try:
        socket.send_fds(sock, [json.dumps(limits).encode()], fds)
        return pid
    except OSError:
        _kill_tree(pid)
        os.waitpid(pid, 0)
        return None
    finally:
        sock.close()


def _check_seccomp() -> str:
    """Fork once at start-up, load the filter and check that it blocks and allows what it should."""
    if _SECCOMP is None:
        return "unavailable"
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            _close_inherited(())
            _install_seccomp(_prepare_seccomp(os.getpid()))
        except BaseException:
            os._exit(100)
        probes = (
            (1, lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM)),
            (2, lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)),
            (4, lambda: os.open(os.devnull, os.O_WRONLY)),
            (8, lambda: os.kill(os.getppid(), 0)),
            (16, os.fork),
        )
        for bit, probe in probes:
            try:
                if probe() == 0:  # a forked grandchild
                    os._exit(0)
                code |= bit
            except PermissionError:
                pass
            except BaseException:
                code |= bit
        try:
            import threading

            box = []
            thread = threading.Thread(target=lambda: box.append(float((np.ones((40, 40)) @ np.ones((40, 40))).sum())))
            thread.start()
            thread.join()
            if box != [64000.0]:
                code |= 32
        except BaseException:
            code |= 32
        os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return "ok"
    if code == 100:
        return "failed: the filter could not be loaded"
    if code < 0:
        return f"failed: the probe died of signal {-code}"
    names = {1: "TCP socket", 2: "unix socket", 4: "write-mode open", 8: "kill(parent)", 16: "fork", 32: "threads"}
    wrong = [name for bit, name in names.items() if code & bit]
    return "failed: " + ", ".join(f"{name} not as expected" for name in wrong)


def _drop_privileges(uid: int) -> None:
    """Become the dedicated slot uid for good (RLIMIT_NPROC only works for a non-root uid)."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (uid, uid, uid):
        raise RuntimeError("could not drop to the sandbox uid")
    try:
        os.setuid(0)
    except PermissionError:
        return
    raise RuntimeError("root could be regained after dropping privileges")


def _serve(control: socket.socket, info: dict) -> None:
    spare = _fork_spare()
    control.send(json.dumps(dict(info, ready=True)).encode())
    while True:
        try:
            message, fds, _flags, _addr = socket.recv_fds(control, 65536, 3)
        except (ConnectionError, OSError):
            return
        if not message:
            return
        request = json.loads(message)
        if "job" not in request or len(fds) != 3:
            for fd in fds:
                os.close(fd)
            continue
        pid = _dispatch(spare, request["job"], fds)
        for fd in fds:
            os.close(fd)
        if pid is None:
            report = {"exit": EXIT_SETUP_FAILED, "killed_by_zygote": False, "cpu_s": 0.0, "maxrss_kb": 0}
        else:
            report = _supervise(control, pid)
        # The next job's child is forked now, while the trusted side compares this job's results
        # (it reads this report lazily) and before the report, so the pids cgroup count is exact.
        spare = _fork_spare()
        control.send(json.dumps(report).encode())


def _kill_tree(pid: int) -> None:
    # The child may not have called setsid yet, so kill it by pid as well as by group.
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _supervise(control: socket.socket, pid: int) -> dict:
    """Wait for the job's child to exit, killing it when the trusted side asks; return its report."""
    import select

    pidfd = os.pidfd_open(pid)
    poller = select.poll()
    poller.register(control.fileno(), select.POLLIN)
    poller.register(pidfd, select.POLLIN)
    killed = False
    try:
        while True:
            for fd, _event in poller.poll():
                if fd == pidfd:
                    _pid, status, usage = os.wait4(pid, 0)
                    return {
                        "exit": os.waitstatus_to_exitcode(status),
                        "killed_by_zygote": killed,
                        "cpu_s": usage.ru_utime + usage.ru_stime,
                        "sys_s": usage.ru_stime,
                        "maxrss_kb": usage.ru_maxrss,
                        "minflt": usage.ru_minflt,
                    }
                message = control.recv(65536)
                if not message:  # the trusted side went away: take the child with us
                    _kill_tree(pid)
                    os.wait4(pid, 0)
                    sys.exit(0)
                if json.loads(message).get("kill"):
                    killed = True
                    _kill_tree(pid)
    finally:
        os.close(pidfd)


def main() -> None:
    global _SECCOMP
    control = socket.socket(fileno=int(sys.argv[1]))
    options = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the worker, which closes us
    _warm_up()
    arch = os.uname().machine
    if arch in SYSCALLS and struct.calcsize("P") == 8 and options.get("seccomp", True):
        _SECCOMP = build_seccomp_filter(arch, options.get("files", "readonly"))
    if options.get("uid") is not None:
        _drop_privileges(int(options["uid"]))
    # After any uid change, which resets both: die with the trusted side; /proc/<pid>/mem and
    # ptrace stay closed to anything running as the same uid.
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    _prctl(PR_SET_DUMPABLE, 0)
    import gc

    gc.collect()
    gc.freeze()  # the children's garbage collections skip the zygote's objects
    info = {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "pid": os.getpid(),
        "uid": os.getuid(),
        "arch": arch,
        "seccomp": _check_seccomp(),
        "files": options.get("files", "readonly"),
    }
    _serve(control, info)


if __name__ == "__main__":
    main()
