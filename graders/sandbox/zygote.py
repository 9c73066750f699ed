"""Trusted side of the sandbox: start a warm zygote, run one submission's cases in a forked child.

The trusted side never runs student code and never trusts what comes back: it enforces the wall
clock per case, caps printed output and result bytes, and attributes every way a child can end
(timeout, memory, crash, early exit, malformed data) to the case that was running.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import select
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

from graders.sandbox import launch
from graders.sandbox.protocol import FrameReader, ProtocolError, decode_output, encode_frame, encode_value

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 60.0
ZYGOTE_JOBS_BEFORE_RESTART = 1000
# Interpreter + NumPy with one BLAS thread reserve ~170 MiB of address space before the student
# allocates anything; RLIMIT_AS is the student's budget on top of that.
ADDRESS_SPACE_BASELINE = 320 << 20


class SandboxUnavailable(Exception):
    """The platform could not run the job (zygote failed to start or died): retry, never score."""


@dataclass(frozen=True)
class Limits:
    time_s: float = 2.0
    memory_mib: int = 256
    output_bytes: int = 64 * 1024
    result_bytes: int = 64 << 20


@dataclass
class CaseRun:
    """What happened in one case, as observed by the trusted side."""

    index: int
    status: str  # ok | error | timeout | memory | forbidden
    message: str = ""
    output: Any = None
    ms: float = 0.0
    warnings: tuple[str, ...] = ()
    mutated: bool = False


@dataclass
class RunResult:
    cases: list[CaseRun] = field(default_factory=list)
    load_status: str = ""  # set when the file could not run at all: error | timeout | memory | forbidden
    load_message: str = ""
    printed: bytes = b""


@dataclass
class _Attempt:
    frames: list[tuple[dict[str, Any], list[bytes]]] = field(default_factory=list)
    loaded: bool = False
    kill_reason: str = ""
    kill_message: str = ""
    exit_report: dict[str, Any] = field(default_factory=dict)
    printed: bytearray = field(default_factory=bytearray)
    printed_total: int = 0


class Zygote:
    """One warm, sandboxed NumPy process; it forks a fresh child for every job."""

    def __init__(self, isolation: str = "auto") -> None:
        self.isolation = isolation
        self.process: subprocess.Popen | None = None
        self.control: socket.socket | None = None
        self.jobs_done = 0
        self.layers: tuple[str, ...] = ()

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command, env, self.layers = launch.zygote_command(theirs.fileno(), self.isolation)
        try:
            self.process = subprocess.Popen(
                command,
                env=env,
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                close_fds=True,
                start_new_session=True,
            )
        except OSError as exc:
            raise SandboxUnavailable(f"cannot start the sandbox: {exc}") from exc
        finally:
            theirs.close()
        self.control = ours
        ready, _, _ = select.select([ours], [], [], READY_TIMEOUT_S)
        message = ours.recv(65536) if ready else b""
        if not message:
            stderr = self._stderr_tail()
            self.close()
            raise SandboxUnavailable(f"the sandbox did not start: {stderr or 'no response'}")
        info = json.loads(message)
        log.info(
            "sandbox ready: python %s, numpy %s, layers: %s", info["python"], info["numpy"], ", ".join(self.layers)
        )
        self.jobs_done = 0

    def close(self) -> None:
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.process is not None:
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            if self.process.stderr:
                self.process.stderr.close()
            self.process = None

    def _stderr_tail(self) -> str:
        if self.process is None or self.process.stderr is None:
            return ""
        if self.process.poll() is None:
            return ""
        return self.process.stderr.read()[-2000:].decode(errors="replace").strip()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None and self.control is not None

    def __enter__(self) -> Zygote:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- running -----------------------------------------------------------------------------

    def run(self, source: str, function: str, cases: list[tuple[tuple, dict]], limits: Limits) -> RunResult:
        """Run ``function`` from ``source`` on each case's (args, kwargs); one child per attempt."""
        if not self.alive or self.jobs_done >= ZYGOTE_JOBS_BEFORE_RESTART:
            self.close()
            self.start()
        blobs: list[bytes] = []
        header = {
            "source": source,
            "function": function,
            "cases": [
                {"index": i, "args": encode_value(tuple(args), blobs), "kwargs": encode_value(dict(kwargs), blobs)}
                for i, (args, kwargs) in enumerate(cases)
            ],
        }
        payload = encode_frame(header, blobs)
        result = RunResult(cases=[])
        start = 0
        while start < len(cases):
            attempt = self._attempt(payload, start, len(cases), limits)
            self.jobs_done += 1
            start = self._collect(attempt, start, len(cases), limits, result)
        return result

    def _collect(self, attempt: _Attempt, start: int, total: int, limits: Limits, result: RunResult) -> int:
        """Fold one child's frames into ``result``; return the index of the next case to run."""
        if len(result.printed) < 4096:
            result.printed += bytes(attempt.printed[: 4096 - len(result.printed)])
        next_index = start
        for header, blobs in attempt.frames:
            kind = header.get("type")
            if kind == "load_error":
                status = {"forbidden": "forbidden", "memory": "memory"}.get(header.get("kind"), "error")
                result.load_status, result.load_message = status, str(header.get("message", ""))[:2000]
                return total
            if kind != "result":
                continue
            index = header.get("index")
            if index != next_index:
                attempt.kill_reason, attempt.kill_message = "protocol", "results arrived out of order"
                break
            try:
                run = self._case_from_frame(header, blobs)
            except ProtocolError as exc:
                run = CaseRun(
                    index=index, status="error", message=f"Your function's return value could not be read: {exc}"
                )
            result.cases.append(run)
            next_index += 1
        if next_index >= total:
            return total
        status, message = self._ending(attempt, limits)
        if not attempt.loaded and next_index == start and (start == 0 or status != "error"):
            result.load_status, result.load_message = status, message + " while loading your file"
            return total
        result.cases.append(CaseRun(index=next_index, status=status, message=message))
        return next_index + 1

    @staticmethod
    def _case_from_frame(header: dict[str, Any], blobs: list[bytes]) -> CaseRun:
        status = header.get("status")
        if status not in ("ok", "error", "memory", "forbidden"):
            raise ProtocolError(f"unknown status {status!r}")
        run = CaseRun(
            index=int(header["index"]),
            status=status,
            message=str(header.get("message", ""))[:2000],
            ms=float(header.get("ms", 0.0)),
            warnings=tuple(str(w)[:200] for w in header.get("warnings", ())[:5]),
            mutated=bool(header.get("mutated", False)),
        )
        if status == "ok":
            run.output = decode_output(header.get("output"), blobs)
        return run

    @staticmethod
    def _ending(attempt: _Attempt, limits: Limits) -> tuple[str, str]:
        """Explain why a child stopped before finishing its cases."""
        if attempt.kill_reason == "timeout":
            return "timeout", f"Time limit of {limits.time_s:g} s exceeded"
        if attempt.kill_reason == "output":
            return "error", (
                f"Your code printed more than {_size(limits.output_bytes)}; output is capped at {_size(limits.output_bytes)}"
            )
        if attempt.kill_reason == "protocol":
            return "error", f"Your code corrupted its results: {attempt.kill_message}"
        code = attempt.exit_report.get("exit")
        if code is None:
            return "error", "Your code stopped unexpectedly"
        if code < 0:
            sig = -code
            if sig == signal.SIGKILL:
                if attempt.exit_report.get("cpu_s", 0.0) >= limits.time_s * 0.9:
                    return "timeout", f"Time limit of {limits.time_s:g} s exceeded"
                return "memory", f"Memory limit of {limits.memory_mib} MiB exceeded"
            if sig == signal.SIGXCPU:
                return "timeout", f"Time limit of {limits.time_s:g} s exceeded"
            return "error", f"Your code crashed the Python interpreter ({signal.Signals(sig).name})"
        if code == 70:
            return "error", "Your code broke the grader's runner (for example by closing its files)"
        if code == 0:
            return "error", "Your code ended the process before returning (os._exit or similar)"
        return "error", f"Your code ended the process with exit code {code}"

    def _attempt(self, payload: bytes, start: int, total: int, limits: Limits) -> _Attempt:
        assert self.control is not None
        job_r, job_w = os.pipe()
        res_r, res_w = os.pipe()
        out_r, out_w = os.pipe()
        child_limits = {
            "start": start,
            "cpu_seconds": int(limits.time_s * (total - start + 1)) + 1,
            "address_space_bytes": ADDRESS_SPACE_BASELINE + (limits.memory_mib << 20),
        }
        try:
            socket.send_fds(self.control, [json.dumps({"job": child_limits}).encode()], [job_r, res_w, out_w])
        except OSError as exc:
            for fd in (job_r, job_w, res_r, res_w, out_r, out_w):
                os.close(fd)
            self.close()
            raise SandboxUnavailable(f"the sandbox stopped answering: {exc}") from exc
        for fd in (job_r, res_w, out_w):
            os.close(fd)
        for fd in (job_w, res_r, out_r):
            os.set_blocking(fd, False)
        try:
            return self._pump(payload, job_w, res_r, out_r, total - start, limits)
        finally:
            for fd in (job_w, res_r, out_r):
                try:
                    os.close(fd)
                except OSError:
                    pass

    def _pump(self, payload: bytes, job_w: int, res_r: int, out_r: int, remaining: int, limits: Limits) -> _Attempt:
        assert self.control is not None
        attempt = _Attempt()
        reader = FrameReader(limits.result_bytes)
        poller = select.poll()
        poller.register(job_w, select.POLLOUT)
        poller.register(res_r, select.POLLIN)
        poller.register(out_r, select.POLLIN)
        poller.register(self.control.fileno(), select.POLLIN)
        sent = 0
        open_reads = {res_r, out_r}
        deadline = time.monotonic() + limits.time_s + 1.0  # + reading the job and loading the module
        kill_sent_at = None
        while True:
            now = time.monotonic()
            if attempt.exit_report and not open_reads:
                return attempt
            if kill_sent_at is None and now >= deadline and not attempt.exit_report:
                attempt.kill_reason = attempt.kill_reason or "timeout"
                kill_sent_at = self._kill()
            if attempt.exit_report and now - attempt.exit_report["at"] > 2.0:
                return attempt  # a leaked descendant holds a pipe open: stop waiting for it
            if kill_sent_at is not None and not attempt.exit_report and now - kill_sent_at > 10.0:
                self.close()
                raise SandboxUnavailable("the sandbox did not stop a job it was told to kill")
            timeout_ms = max(0, int((deadline - now) * 1000)) if kill_sent_at is None else 200
            for fd, _events in poller.poll(min(timeout_ms, 1000)):
                if fd == job_w:
                    try:
                        sent += os.write(job_w, payload[sent : sent + (1 << 20)])
                    except BrokenPipeError:
                        sent = len(payload)
                    if sent >= len(payload):
                        poller.unregister(job_w)
                        os.close(job_w)
                        job_w = os.open(os.devnull, os.O_RDONLY)  # keep the fd number valid for the finally
                elif fd == self.control.fileno():
                    message = self.control.recv(65536)
                    if not message:
                        self.close()
                        raise SandboxUnavailable("the sandbox process died")
                    attempt.exit_report = dict(json.loads(message), at=time.monotonic())
                    poller.unregister(fd)
                else:
                    data = _read_some(fd)
                    if data is None:
                        continue
                    if not data:
                        poller.unregister(fd)
                        open_reads.discard(fd)
                        continue
                    if fd == out_r:
                        attempt.printed_total += len(data)
                        if len(attempt.printed) < limits.output_bytes:
                            attempt.printed += data[: limits.output_bytes - len(attempt.printed)]
                        if attempt.printed_total > limits.output_bytes and kill_sent_at is None:
                            attempt.kill_reason = "output"
                            kill_sent_at = self._kill()
                        continue
                    try:
                        frames = reader.feed(data)
                    except ProtocolError as exc:
                        if kill_sent_at is None:
                            attempt.kill_reason, attempt.kill_message = "protocol", str(exc)
                            kill_sent_at = self._kill()
                        continue
                    for header, blobs in frames:
                        attempt.frames.append((header, blobs))
                        kind = header.get("type")
                        if kind == "loaded":
                            attempt.loaded = True
                        if kind in ("loaded", "result") and kill_sent_at is None:
                            deadline = time.monotonic() + limits.time_s
            if kill_sent_at is None and any(h.get("type") in ("done", "load_error") for h, _ in attempt.frames[-1:]):
                deadline = time.monotonic() + 5.0  # finished: give it a moment to exit

    def _kill(self) -> float:
        assert self.control is not None
        try:
            self.control.send(json.dumps({"kill": True}).encode())
        except OSError:
            pass
        return time.monotonic()


def _read_some(fd: int) -> bytes | None:
    try:
        return os.read(fd, 1 << 20)
    except BlockingIOError:
        return None
    except OSError as exc:
        if exc.errno == errno.EAGAIN:
            return None
        return b""


def _size(count: int) -> str:
    if count >= 1 << 20:
        return f"{count / (1 << 20):.0f} MiB"
    if count >= 1 << 10:
        return f"{count / (1 << 10):.0f} KiB"
    return f"{count} bytes"
