"""The untrusted side: a zygote that imports NumPy once and forks one short-lived child per job.

This file is the only code the sandbox can see. It imports nothing from dlgrade (the folder it
lives in is bound alone into the sandbox), holds no reference code, expected values or secrets,
and never decides a grade: it only turns the student's return values into .npy bytes.

Protocol (see graders/sandbox/protocol.py for the trusted side):
- argv[1] is the fd of a SOCK_SEQPACKET control socket to the trusted side.
- The zygote sends {"ready": ...}. Each job arrives as a JSON message carrying three fds
  (job pipe to read, result pipe to write, output pipe for stdout/stderr). The zygote forks; the
  child reads the job, runs the cases in order and writes framed results. The zygote reports the
  child's exit and kills it when asked ({"kill": true}).
- A frame is a 4-byte big-endian header length, a JSON header, then the blobs it lists.
"""

import ctypes
import json
import os
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

_libc = ctypes.CDLL(None, use_errno=True)


class ForbiddenImport(ImportError):
    pass


def _warm_up() -> None:
    """Pay numpy's first-call costs once in the zygote, not in every child."""
    import collections  # noqa: F401
    import dataclasses  # noqa: F401
    import functools  # noqa: F401
    import itertools  # noqa: F401
    import math  # noqa: F401
    import typing  # noqa: F401

    import numpy.lib.stride_tricks
    import numpy.linalg
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


def _decode_value(node, blobs):
    kind, value = next(iter(node.items()))
    if kind == "nd":
        array = np.load(io.BytesIO(blobs[value]), allow_pickle=False)
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
        return {"bad": "nested more than 4 levels deep"}
    if isinstance(value, (list, tuple)) and not isinstance(value, np.ndarray):
        kind = "tuple" if isinstance(value, tuple) else "list"
        if len(value) > 64:
            return {"bad": f"a {kind} of {len(value)} items"}
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


def _student_lines(source: str, exc: BaseException) -> str:
    """Name where in the student's own code an exception happened (never the grader's frames)."""
    lines = source.splitlines()
    where = []
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == STUDENT_FILENAME:
            text = lines[frame.lineno - 1].strip() if 0 < frame.lineno <= len(lines) else ""
            where.append(f"line {frame.lineno}, in {frame.name}: {text}")
    return "; ".join(where[-3:])


def _describe(source: str, exc: BaseException) -> str:
    message = f"{type(exc).__name__}: {exc}"[:600]
    where = _student_lines(source, exc)
    return f"{message} (at {where})" if where else message


def _make_import(real_import):
    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if globals and globals.get("__name__") == STUDENT_MODULE:
            top = name.partition(".")[0]
            if level or top not in ALLOWED_IMPORTS:
                raise ForbiddenImport(f"Import of `{name}` is not allowed: use numpy and math only")
        return real_import(name, globals, locals, fromlist, level)

    return guarded_import


def _run_job(job: dict, blobs: list[bytes], result_fd: int) -> None:
    import builtins

    source = job["source"]
    function_name = job["function"]
    started = time.perf_counter()
    try:
        code = compile(source, STUDENT_FILENAME, "exec")
    except SyntaxError as exc:
        line = f" at line {exc.lineno}" if exc.lineno else ""
        text = f": {exc.text.strip()}" if exc.text else ""
        _send_frame(
            result_fd, {"type": "load_error", "kind": "syntax", "message": f"SyntaxError{line}: {exc.msg}{text}"}
        )
        return
    except (ValueError, MemoryError, RecursionError) as exc:
        _send_frame(
            result_fd, {"type": "load_error", "kind": "syntax", "message": f"Your file cannot be compiled: {exc}"}
        )
        return

    builtins.__import__ = _make_import(builtins.__import__)
    namespace = {"__name__": STUDENT_MODULE, "__file__": STUDENT_FILENAME, "__builtins__": builtins}
    try:
        exec(code, namespace)
    except ForbiddenImport as exc:
        _send_frame(result_fd, {"type": "load_error", "kind": "forbidden", "message": str(exc)})
        return
    except MemoryError:
        _send_frame(
            result_fd, {"type": "load_error", "kind": "memory", "message": "MemoryError while loading your file"}
        )
        return
    except BaseException as exc:
        _send_frame(
            result_fd,
            {
                "type": "load_error",
                "kind": "exception",
                "message": "Your file raised while loading: " + _describe(source, exc),
            },
        )
        return
    function = namespace.get(function_name)
    if not callable(function):
        found = "is not a function" if function_name in namespace else "is not defined"
        _send_frame(
            result_fd,
            {"type": "load_error", "kind": "missing_function", "message": f"`{function_name}` {found} in your file"},
        )
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
            header.update(status="forbidden", message=str(exc), ms=(time.perf_counter() - t0) * 1000)
        except MemoryError:
            header.update(status="memory", message="", ms=(time.perf_counter() - t0) * 1000)
        except RecursionError as exc:
            header.update(status="error", message=_describe(source, exc), ms=(time.perf_counter() - t0) * 1000)
        except BaseException as exc:
            header.update(status="error", message=_describe(source, exc), ms=(time.perf_counter() - t0) * 1000)
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


def _child(job_fd: int, result_fd: int, output_fd: int, control_fd: int, limits: dict) -> None:
    try:
        os.setsid()
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.close(control_fd)
        for fd in (devnull, output_fd):
            if fd > 2:
                os.close(fd)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)
        sys.stderr = sys.stdout
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
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
        _run_job(job, blobs, result_fd)
        os._exit(0)
    except BaseException:
        try:
            os.write(2, traceback.format_exc().encode()[-2000:])
        finally:
            os._exit(70)


def _serve(control: socket.socket) -> None:
    control.send(
        json.dumps(
            {"ready": True, "python": sys.version.split()[0], "numpy": np.__version__, "pid": os.getpid()}
        ).encode()
    )
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
        job_fd, result_fd, output_fd = fds
        pid = os.fork()
        if pid == 0:
            _child(job_fd, result_fd, output_fd, control.fileno(), request["job"])
        for fd in fds:
            os.close(fd)
        _supervise(control, pid)


def _kill_tree(pid: int) -> None:
    # The child may not have called setsid yet, so kill it by pid as well as by group.
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _supervise(control: socket.socket, pid: int) -> None:
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
                    report = {
                        "exit": os.waitstatus_to_exitcode(status),
                        "killed_by_zygote": killed,
                        "cpu_s": usage.ru_utime + usage.ru_stime,
                        "maxrss_kb": usage.ru_maxrss,
                    }
                    control.send(json.dumps(report).encode())
                    return
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
    control = socket.socket(fileno=int(sys.argv[1]))
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the worker, which closes us
    _warm_up()
    _serve(control)


if __name__ == "__main__":
    main()
