"""The untrusted side: a zygote that imports NumPy once and forks one short-lived child per job.

This file is the only code the sandbox can see. It imports nothing from dlgrade (the folder it
lives in is bound alone into the sandbox), holds no reference code, expected values or secrets,
and decides nothing: it turns the student's return values, and the inputs as they were after
each call, into .npy bytes, and reports which floating-point events NumPy saw. The trusted side
compares, times and grades (graders/sandbox/zygote.py, protocol.py).

Protocol:
- argv[1] is the fd of a SOCK_SEQPACKET control socket to the trusted side; argv[2] the folder
  holding numpy; argv[3] JSON start-up options: ``uid`` and ``child_uid`` (root workers: the
  zygote runs as ``uid`` and each job's child as ``child_uid``, so a child can never signal the
  zygote), ``seccomp`` (the finished BPF program and where to write the child's pid, built on
  the trusted side by graders/sandbox/seccomp.py; null where the host has no syscall table).
- The zygote warms NumPy, checks the seccomp filter in a throw-away child, forks a spare child
  and sends {"ready": ...}. Each job arrives as a JSON message carrying three fds (job pipe to
  read, result pipe to write, output pipe for stdout/stderr); the zygote hands them to the
  waiting spare, supervises it (SIGKILL to its process group on {"kill": true}), forks the next
  spare once it has exited, then sends its exit report.
- Per job the child confines itself, in this order, before any student code runs: new session,
  its own uid, parent-death signal, not dumpable, stdin /dev/null, every other inherited fd
  closed, rlimits, then the seccomp filter. It then sends an "armed" frame: a failure before it
  is the platform's, anything after it the student's.
- A frame is a 4-byte big-endian header length, a JSON header, then the blobs it lists.
"""

import base64
import builtins
import ctypes
import fcntl
import gc
import json
import os
import re
import resource
import select
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

import importlib
import io
import threading
import traceback
import warnings

import numpy as np

STUDENT_FILENAME = "solution.py"
STUDENT_MODULE = "solution"
# What a submission may import (docs/sandbox.md, "What a submission may import"): modules for
# computing, plus the headers course code carries (`from builtins import range`, `from __future__
# import division`). The top-level name decides. This guard is a courtesy message, not a security
# layer: most of these modules reach `sys` in an attribute or two, and `sys.modules` holds what
# this runner imported itself (os, socket, ctypes). What stops a process, a socket or a file write
# is the confinement below (seccomp, namespaces, rlimits), which the attack corpus tests with the
# guard bypassed. Everything listed here is imported in _warm_up: after its seccomp filter loads,
# a child cannot open a module's file (plain mode) or sees only a minimal filesystem (bwrap).
ALLOWED_IMPORTS = frozenset(
    {
        "numpy",
        "math",
        "cmath",
        "random",
        "copy",
        "functools",
        "itertools",
        "collections",
        "operator",
        "numbers",
        "typing",
        "dataclasses",
        "enum",
        "abc",
        "heapq",
        "bisect",
        "builtins",  # the names every module already has: `from builtins import range`
        "__future__",
    }
)
# Refused for safety, and the message says so: modules whose purpose is to reach outside the
# computation (files, processes, the network, raw memory, the interpreter the runner lives in).
# A name refuses its submodules too (os.path, numpy.f2py.crackfortran).
UNSAFE_IMPORTS = frozenset(
    {
        "os",
        "sys",
        "posix",
        "io",
        "pathlib",
        "shutil",
        "tempfile",
        "glob",
        "subprocess",
        "multiprocessing",
        "threading",
        "_thread",
        "concurrent",
        "asyncio",
        "signal",
        "resource",
        "socket",
        "ssl",
        "select",
        "selectors",
        "urllib",
        "http",
        "ctypes",
        "mmap",
        "fcntl",
        "pickle",
        "marshal",
        "shelve",
        "importlib",
        "inspect",
        "gc",
        "code",
        "runpy",
        "numpy.ctypeslib",  # ctypes: C calls and raw memory
        "numpy.f2py",  # compiles and runs other programs
        "numpy.distutils",
        "numpy.testing.extbuild",  # compiles and loads C extensions
    }
)
# NumPy's lazily loaded submodules among the unsafe ones: `from numpy import *` must not bind
# them, and `np.ctypeslib` says what `import numpy.ctypeslib` says.
UNSAFE_NUMPY_ATTRIBUTES = frozenset(name.split(".")[1] for name in UNSAFE_IMPORTS if name.count(".") == 1)
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_KEEPCAPS = 8
PR_SET_SECCOMP = 22
PR_CAPBSET_READ = 23
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2
CAP_SETGID, CAP_SETUID = 6, 7
LINUX_CAPABILITY_VERSION_3 = 0x20080522
EXIT_SETUP_FAILED = 71  # the child could not confine itself: a platform failure, never the student's
EXIT_RUNNER_BROKEN = 70  # the runner failed after student code ran: the student's doing
MAX_NUMBERS_DIMS = 8  # a list of numbers nested deeper than this travels item by item (and is refused)

_libc = ctypes.CDLL(None, use_errno=True)


def _prctl(option: int, arg2: int = 0, arg3: int = 0, arg4: int = 0, arg5: int = 0) -> None:
    args = [ctypes.c_ulong(arg) for arg in (arg2, arg3, arg4, arg5)]
    if _libc.prctl(ctypes.c_int(option), *args) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl({option}) failed: {os.strerror(errno)}")


# ---------------------------------------------------------------------------------------------
# identities: the zygote keeps only the right to hand each child its own uid


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _set_capabilities(mask: int) -> None:
    """Make ``mask`` this process's effective and permitted capabilities (none inheritable)."""
    header = _CapHeader(LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)((mask, mask, 0), (0, 0, 0))
    if _libc.capset(ctypes.byref(header), data) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"capset failed: {os.strerror(errno)}")


def _limit_bounding_set(keep: set[int]) -> None:
    for cap in range(64):
        if cap in keep:
            continue
        try:
            _prctl(PR_CAPBSET_DROP, cap)
        except OSError as exc:
            if exc.errno == 22:  # EINVAL: past the kernel's last capability
                return
            if _libc.prctl(PR_CAPBSET_READ, ctypes.c_ulong(cap), 0, 0, 0) == 1:
                raise


def _become_zygote_user(uid: int, keep_setuid: bool) -> None:
    """Drop root for ``uid`` for good; with ``keep_setuid``, keep only CAP_SETUID/CAP_SETGID."""
    if keep_setuid:
        _limit_bounding_set({CAP_SETUID, CAP_SETGID})
        _prctl(PR_SET_KEEPCAPS, 1)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (uid, uid, uid):
        raise RuntimeError("could not drop to the sandbox uid")
    if keep_setuid:
        _prctl(PR_SET_KEEPCAPS, 0)
        _set_capabilities((1 << CAP_SETUID) | (1 << CAP_SETGID))
    else:
        try:
            os.setuid(0)
        except PermissionError:
            return
        raise RuntimeError("root could be regained after dropping privileges")


def _become_child_user(child_uid: int, zygote_uid: int) -> None:
    """The job's own uid, with the zygote's as saved uid only: the zygote can kill the child (its
    uid matches the child's saved uid), the child cannot signal the zygote (neither of its ids is
    the zygote's real or saved uid), and seccomp stops it from switching to its saved uid."""
    os.setgroups([])
    os.setresgid(child_uid, child_uid, child_uid)
    os.setresuid(child_uid, child_uid, zygote_uid)
    _set_capabilities(0)
    if os.getresuid() != (child_uid, child_uid, zygote_uid):
        raise RuntimeError("could not switch to the job's uid")


# ---------------------------------------------------------------------------------------------
# seccomp: the program arrives finished from the trusted side


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


_SECCOMP: tuple[bytes, list[int]] | None = None  # set in main(), patched per child


def _prepare_seccomp(pid: int) -> tuple:
    """The filter for process ``pid`` (it may signal itself only), ready to install."""
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


# ---------------------------------------------------------------------------------------------
# floating-point events


_FP_EVENT = {"overflow": "overflow", "invalid value": "invalid", "divide by zero": "divide", "underflow": "underflow"}
_MODE_KEYS = {"overflow": "over", "invalid value": "invalid", "divide by zero": "divide", "underflow": "under"}
_MODES = ("ignore", "warn", "raise", "call", "print", "log")


class _FloatingPointRecorder:
    """Sees every floating-point event NumPy reports, whatever handling the student's code asks for.

    NumPy's real error state stays "call" into this recorder. ``np.seterr``, ``np.errstate`` and
    ``np.seterrcall`` are replaced by versions that change what the student's code experiences
    (ignore, warn, raise, call, print, log: emulated here) without switching the recording off,
    and the recording does not go through the warnings module, so its filters do not hide it.
    """

    def __init__(self) -> None:
        self.events: set[str] = set()
        self.modes = {"divide": "warn", "over": "warn", "under": "ignore", "invalid": "warn"}
        self.callback = None

    def __call__(self, kind: str, flag: int) -> None:
        self.events.add(_FP_EVENT.get(kind, "invalid"))
        mode = self.modes.get(_MODE_KEYS.get(kind, "invalid"), "warn")
        text = f"{kind} encountered in a NumPy operation"
        if mode == "warn":
            warnings.warn(text, RuntimeWarning, stacklevel=2)
        elif mode == "raise":
            raise FloatingPointError(text)
        elif mode == "print":
            print(f"Warning: {text}")
        elif mode == "call" and callable(self.callback):
            self.callback(kind, flag)
        elif mode == "log" and hasattr(self.callback, "write"):
            self.callback.write(f"Warning: {text}\n")

    # the public NumPy API, as the student's code sees it

    def seterr(self, all=None, divide=None, over=None, under=None, invalid=None):
        old = dict(self.modes)
        for key, value in (("divide", divide), ("over", over), ("under", under), ("invalid", invalid)):
            chosen = value if value is not None else all
            if chosen is not None:
                if chosen not in _MODES:
                    raise ValueError(f"invalid error mode {chosen!r}")
                self.modes[key] = chosen
        return old

    def geterr(self):
        return dict(self.modes)

    def seterrcall(self, func):
        if func is not None and not callable(func) and not hasattr(func, "write"):
            raise ValueError("Only callable can be used as callback")
        old, self.callback = self.callback, func
        return old

    def geterrcall(self):
        return self.callback


def _errstate_class(recorder: _FloatingPointRecorder):
    class errstate:
        def __init__(self, *, call=_MISSING, all=None, divide=None, over=None, under=None, invalid=None):
            self._call = call
            self._settings = {"all": all, "divide": divide, "over": over, "under": under, "invalid": invalid}
            self._saved = []

        def __enter__(self):
            self._saved.append((dict(recorder.modes), recorder.callback))
            recorder.seterr(**self._settings)
            if self._call is not _MISSING:
                recorder.seterrcall(self._call)

        def __exit__(self, *exc):
            recorder.modes, recorder.callback = self._saved.pop()

        def __call__(self, func):
            def wrapper(*args, **kwargs):
                with self:
                    return func(*args, **kwargs)

            return wrapper

    return errstate


_MISSING = object()
_FP = _FloatingPointRecorder()
_REAL_SETERR, _REAL_SETERRCALL = np.seterr, np.seterrcall


def _install_fp_recorder() -> None:
    import numpy._core as core
    import numpy._core._ufunc_config as ufunc_config

    replacements = {
        "seterr": _FP.seterr,
        "geterr": _FP.geterr,
        "seterrcall": _FP.seterrcall,
        "geterrcall": _FP.geterrcall,
        "errstate": _errstate_class(_FP),
    }
    for module in (np, core, ufunc_config):
        for name, replacement in replacements.items():
            setattr(module, name, replacement)


def _arm_fp_recorder() -> None:
    """Before each call: NumPy reports every event to the recorder, which starts empty."""
    _REAL_SETERRCALL(_FP)
    _REAL_SETERR(all="call")
    _FP.events.clear()


# ---------------------------------------------------------------------------------------------
# warm-up


class ForbiddenImport(ImportError):
    def __init__(self, module: str) -> None:
        super().__init__(f"Import of `{module}` is not allowed")
        code = "forbidden_import_unsafe" if _is_unsafe(module) else "forbidden_import"
        self.phrase = _phrase(code, module=module, allowed=_phrase("allowed_imports"))


def _is_unsafe(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in UNSAFE_IMPORTS)


def _refused(name: str, fromlist, level: int) -> str | None:
    """The module an import statement of the student's may not import, or None when it may.

    ``from numpy import ctypeslib`` asks for numpy.ctypeslib as much as ``import numpy.ctypeslib``.
    """
    if level:  # a submission is one file: there is no package to import from
        return name or "."
    requested = [name] + [f"{name}.{item}" for item in fromlist or () if isinstance(item, str) and item != "*"]
    for module in requested:
        if _is_unsafe(module):
            return module
    return None if name.partition(".")[0] in ALLOWED_IMPORTS else name


NUMPY_SUBMODULES = (
    "numpy.char",
    "numpy.core",
    "numpy.dtypes",
    "numpy.exceptions",
    "numpy.fft",
    "numpy.lib.array_utils",
    "numpy.lib.format",
    "numpy.lib.introspect",
    "numpy.lib.mixins",
    "numpy.lib.npyio",
    "numpy.lib.recfunctions",
    "numpy.lib.scimath",
    "numpy.lib.stride_tricks",
    "numpy.lib.user_array",
    "numpy.linalg",
    "numpy.ma",
    "numpy.matlib",
    "numpy.polynomial",
    "numpy.random",
    "numpy.rec",
    "numpy.strings",
    "numpy.testing",
    "numpy.typing",
)
STDLIB_MODULES = ("abc", "bisect", "cmath", "collections.abc", "copy", "dataclasses", "enum", "functools", "heapq")
STDLIB_MODULES += ("itertools", "math", "numbers", "operator", "random", "typing", "__future__")


def _warm_up() -> None:
    """Import everything a student may import, and pay numpy's first-call costs once in the zygote.

    After the seccomp filter is loaded a child cannot open files (plain mode) or only sees a
    minimal filesystem (bwrap mode), so a module not imported here would not import in a child.
    """
    # `from numpy import *` binds every name in numpy.__all__, importing lazy submodules on the way:
    # leave the unsafe ones out first (numpy.matlib runs that star import when it loads).
    np.__all__ = [name for name in np.__all__ if name not in UNSAFE_NUMPY_ATTRIBUTES]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy.core and numpy.matlib announce their deprecation
        for module in STDLIB_MODULES + NUMPY_SUBMODULES:
            importlib.import_module(module)
    _refuse_unsafe_numpy_attributes()

    rng = np.random.default_rng(0)
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


def _refuse_unsafe_numpy_attributes() -> None:
    """`np.ctypeslib` (a lazy submodule) is refused like `import numpy.ctypeslib`, in every mode."""
    lazy = np.__getattr__

    def __getattr__(name: str):
        if name in UNSAFE_NUMPY_ATTRIBUTES:
            raise ForbiddenImport(f"numpy.{name}")
        return lazy(name)

    np.__getattr__ = __getattr__


# ---------------------------------------------------------------------------------------------
# framing


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exact(fd: int, count: int) -> bytes | None:
    chunks, missing = [], count
    while missing:
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _read_job(fd: int) -> tuple[dict, list[bytes]] | None:
    """The next part of the job from the trusted side, or None once it has closed the pipe."""
    prefix = _read_exact(fd, 4)
    if prefix is None:
        return None
    (header_len,) = struct.unpack(">I", prefix)
    job = json.loads(_read_exact(fd, header_len))
    return job, [_read_exact(fd, size) for size in job["blobs"]]


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


def _encode_array(array: np.ndarray, blobs: list[bytes]) -> dict:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    blobs.append(buffer.getvalue())
    return {"nd": len(blobs) - 1}


def _encode_output(value, blobs: list[bytes], depth: int = 0):
    """Turn whatever the student returned into plain arrays; only data crosses the boundary.

    A list or tuple that NumPy turns into one array of numbers (what ``.tolist()`` gives, or a
    list of equally shaped arrays) travels as that array, tagged with its kind: the trusted side
    reads it as an array where one is expected, and splits it along its first axis where a list
    is (docs/sandbox.md). Any other list travels item by item.
    """
    if depth > 4:
        return {"bad": "value nested more than 4 levels deep"}
    if isinstance(value, (list, tuple)) and not isinstance(value, np.ndarray):
        kind = "tuple" if isinstance(value, tuple) else "list"
        numbers = _numbers_array(value)
        if numbers is not None:
            return {f"{kind}_of_numbers": _encode_array(numbers, blobs)["nd"]}
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
        return {"bad": f"{type(value).__name__} that NumPy cannot convert ({str(exc)[:100]})"}
    if array.dtype.kind not in "biufc":
        return {"bad": f"{type(value).__name__} with dtype {array.dtype}"}
    return _encode_array(array, blobs)


def _numbers_array(value):
    """The array NumPy makes of a (nested) list or tuple of numbers, or None when it is ragged or holds
    anything else (None, text, objects)."""
    try:
        array = np.array(value, copy=True, order="C")
    except MemoryError:
        raise
    except Exception:  # ragged, or an item whose __array__ or __len__ raises: sent item by item
        return None
    return array if array.dtype.kind in "biufc" and 1 <= array.ndim <= MAX_NUMBERS_DIMS else None


def _encode_after(value, blobs: list[bytes], depth: int = 0):
    """The inputs as they are after the call: arrays and the lists holding them (scalars cannot change)."""
    if isinstance(value, np.ndarray) and depth <= 4:
        return _encode_array(np.array(value.view(np.ndarray), copy=True, order="C"), blobs)
    if isinstance(value, (list, tuple)) and depth <= 4 and len(value) <= 64:
        return {("tuple" if isinstance(value, tuple) else "list"): [_encode_after(v, blobs, depth + 1) for v in value]}
    if isinstance(value, (list, tuple)):  # grown past what the trusted side reads: it sees a change
        return {"bad": "changed input"}
    return {"none": True}


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
    fields = {"message": described} if isinstance(described, str) else {"phrase": described}
    return dict(fields, error_type=type(exc).__name__)


def _make_import(real_import):
    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if globals and globals.get("__name__") == STUDENT_MODULE:
            refused = _refused(name, fromlist, level)
            if refused is not None:
                raise ForbiddenImport(refused)
        return real_import(name, globals, locals, fromlist, level)

    return guarded_import


def _load_error(result_fd: int, kind: str, phrase: dict) -> None:
    """The file could not run; the trusted side renders ``phrase`` (graders/feedback.py)."""
    _send_frame(result_fd, {"type": "load_error", "kind": kind, "phrase": phrase})


def _run_job(job: dict, blobs: list[bytes], result_fd: int, job_fd: int = -1) -> None:
    """Load the student's file, run the job's cases, then any further cases the trusted side sends.

    The hidden cases arrive as such a second part, once every visible result has been read: what
    the student sees of the visible cases is final before this process holds a hidden input.
    """
    source = job["source"]
    function_name = job["function"]
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
    _send_frame(result_fd, {"type": "loaded"})

    # Written to stdout after each case so that the trusted side can tell the cases' output apart.
    case_end = str(job.get("case_end", "")).encode()
    part = (job, blobs)
    while part is not None:
        _run_cases(function, source, *part, result_fd, case_end)
        part = _read_job(job_fd) if job_fd >= 0 else None
    _send_frame(result_fd, {"type": "done"})


def _run_cases(function, source: str, job: dict, blobs: list[bytes], result_fd: int, case_end: bytes = b"") -> None:
    for case in job["cases"]:
        args = _decode_value(case["args"], blobs)
        kwargs = _decode_value(case["kwargs"], blobs)
        header = {"type": "result", "index": case["index"], "status": "ok"}
        out_blobs: list[bytes] = []
        try:
            _arm_fp_recorder()
            value = function(*args, **kwargs)
            header["fp"] = sorted(_FP.events)
            header["output"] = _encode_output(value, out_blobs)
            header["after"] = _encode_after((args, tuple(kwargs.values())), out_blobs)
        except ForbiddenImport as exc:
            header.update(status="forbidden", phrase=exc.phrase)
            out_blobs = []
        except MemoryError:
            header.update(status="memory")
            out_blobs = []
        except BaseException as exc:
            header.update(status="error", **_exception_fields(source, exc))
            out_blobs = []
        if case_end:
            try:
                _write_all(1, case_end)
            except OSError:  # the code closed or filled its stdout: its output is its own affair
                pass
        _send_frame(result_fd, header, out_blobs)


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


_OPTIONS: dict = {}


def _spare(sock: socket.socket) -> None:
    """A child forked ahead of its job: confine what does not depend on the job, wait, run it.

    Forking (copying the page tables of a NumPy process) and this set-up happen while the previous
    job runs, off the critical path. Never returns.
    """
    armed = False
    try:
        os.setsid()
        if _OPTIONS.get("child_uid") is not None:
            _become_child_user(int(_OPTIONS["child_uid"]), int(_OPTIONS["uid"]))
        # After any uid change, which resets both.
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
        job, blobs = _read_job(job_fd)
        if seccomp is not None:
            _install_seccomp(seccomp)
        _send_frame(result_fd, {"type": "armed", "seccomp": seccomp is not None})
        armed = True
        _run_job(job, blobs, result_fd, job_fd)
        os._exit(0)
    except BaseException:
        try:
            os.write(2, traceback.format_exc().encode()[-2000:])
        finally:
            os._exit(EXIT_RUNNER_BROKEN if armed else EXIT_SETUP_FAILED)


_PREFAULT_SOURCE = "import numpy as np\n\n\ndef f(x, scale=1.0):\n    return np.maximum(x, 0.0) * scale\n"


def _prefault() -> None:
    """Run a tiny job while waiting, so that the pages every job touches are already copied.

    Right after fork the child shares the zygote's memory copy-on-write; the first touch of each
    page (reference counts, allocator state, numpy's save path...) costs a page fault, ~700 of them
    for a warm relu job. Taking them here moves them off the critical path.
    """
    real_import = builtins.__import__
    blob = io.BytesIO()
    np.save(blob, np.arange(-3.0, 3.0).reshape(2, 3), allow_pickle=False)
    case = {"index": 0, "args": {"tuple": [{"nd": 0}]}, "kwargs": {"dict": {"scale": {"float": 1.0}}}}
    job = {"source": _PREFAULT_SOURCE, "function": "f", "cases": [case, dict(case, index=1)]}
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
            if _OPTIONS.get("child_uid") is not None:
                _become_child_user(int(_OPTIONS["child_uid"]), int(_OPTIONS["uid"]))
            reader, _writer = os.pipe()
            _install_seccomp(_prepare_seccomp(os.getpid()))
        except BaseException:
            os._exit(100)
        probes = (
            (1, lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM)),
            (2, lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)),
            (4, lambda: os.open(os.devnull, os.O_WRONLY)),
            (8, lambda: os.kill(os.getppid(), 0)),
            (16, os.fork),
            (64, lambda: fcntl.fcntl(reader, fcntl.F_SETOWN, os.getppid())),
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
    names[64] = "fcntl(F_SETOWN)"
    wrong = [name for bit, name in names.items() if code & bit]
    return "failed: " + ", ".join(f"{name} not as expected" for name in wrong)


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
    _OPTIONS.update(json.loads(sys.argv[3]) if len(sys.argv) > 3 else {})
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the worker, which closes us
    warm_up_started = time.perf_counter()
    _warm_up()
    warm_up_ms = (time.perf_counter() - warm_up_started) * 1000
    _install_fp_recorder()
    seccomp = _OPTIONS.get("seccomp")
    if seccomp:
        _SECCOMP = (base64.b64decode(seccomp["program"]), [int(offset) for offset in seccomp["pid_offsets"]])
    if _OPTIONS.get("uid") is not None:
        _become_zygote_user(int(_OPTIONS["uid"]), keep_setuid=_OPTIONS.get("child_uid") is not None)
    # After any uid change, which resets both: die with the trusted side; /proc/<pid>/mem and
    # ptrace stay closed to anything running as the same uid.
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    _prctl(PR_SET_DUMPABLE, 0)
    gc.collect()
    gc.freeze()  # the children's garbage collections skip the zygote's objects
    info = {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "pid": os.getpid(),
        "uid": os.getuid(),
        "arch": os.uname().machine,
        "seccomp": _check_seccomp(),
        "warm_up_ms": round(warm_up_ms, 1),  # what every zygote start pays for what students may import
    }
    _serve(control, info)


if __name__ == "__main__":
    main()
