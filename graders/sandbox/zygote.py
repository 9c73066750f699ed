"""Trusted side of the sandbox: start a warm zygote, run one submission's cases in a forked child.

The trusted side never runs student code and never trusts what comes back: it enforces the wall
clock per case, caps printed output and result bytes, and attributes every way a child can end
(timeout, memory, crash, early exit, malformed data) to the case that was running.
"""

from __future__ import annotations

import contextlib
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

from graders.feedback import Phrase, phrase_from_untrusted, render, say
from graders.sandbox import launch
from graders.sandbox.cgroups import Cgroups
from graders.sandbox.protocol import FrameReader, ProtocolError, decode_output, encode_frame, encode_value

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 60.0
ZYGOTE_JOBS_BEFORE_RESTART = 1000
# Interpreter + NumPy with one BLAS thread reserve ~170 MiB of address space before the student
# allocates anything; RLIMIT_AS is the student's budget on top of that.
ADDRESS_SPACE_BASELINE = 320 << 20
# The memory cgroup holds the zygote and its child: the zygote's own usage, the student's budget,
# copy-on-write copies of zygote pages, the private /tmp and Python's own allocations.
CGROUP_HEADROOM = 96 << 20
PIDS_MAX = 64  # bwrap (2), the zygote, the child, its threads
NPROC_LIMIT = 24  # per dedicated uid: the zygote, the child and its threads
EXIT_SETUP_FAILED = 71  # runner.py: the child could not confine itself


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
    phrases: tuple[Phrase, ...] = ()  # the message as feedback phrases, when it has them
    output: Any = None
    ms: float = 0.0
    warnings: tuple[str, ...] = ()
    mutated: bool = False


@dataclass
class RunResult:
    cases: list[CaseRun] = field(default_factory=list)
    load_status: str = ""  # set when the file could not run at all: error | timeout | memory | forbidden
    load_message: str = ""
    load_phrases: tuple[Phrase, ...] = ()
    printed: bytes = b""


@dataclass
class _Attempt:
    frames: list[tuple[dict[str, Any], list[bytes]]] = field(default_factory=list)
    loaded: bool = False
    kill_reason: str = ""
    kill_message: str = ""
    exit_report: dict[str, Any] = field(default_factory=dict)
    armed: bool = False  # the child confined itself; from here on, what happens is the student's doing
    oom_killed: bool = False
    oom_known: bool = False  # a memory cgroup tells OOM kills apart from other SIGKILLs
    exit_pending: bool = False  # every result arrived: the child's exit is collected before the next job
    printed: bytearray = field(default_factory=bytearray)
    printed_total: int = 0


class Zygote:
    """One warm, sandboxed NumPy process; it forks a fresh child for every job.

    ``isolation`` is auto | bwrap | plain (default: the DLGRADE_SANDBOX environment variable, else
    auto). ``layers`` lists the isolation actually in force once started, ``missing`` what this
    host could not provide; both are logged at start-up.
    """

    def __init__(
        self,
        isolation: str | None = None,
        *,
        jobs_before_restart: int = ZYGOTE_JOBS_BEFORE_RESTART,
        use_cgroups: bool = True,
        dedicated_uid: bool = True,
        seccomp: bool = True,
    ) -> None:
        self.isolation = isolation
        self.jobs_before_restart = jobs_before_restart
        self.use_cgroups = use_cgroups
        self.dedicated_uid = dedicated_uid
        self.seccomp = seccomp  # False only to test that the self-test notices
        self.process: subprocess.Popen | None = None
        self.control: socket.socket | None = None
        self.jobs_done = 0
        self.restarts = 0  # after an anomaly (planned replacements every N jobs are counted in starts)
        self.starts = 0
        self.layers: tuple[str, ...] = ()
        self.missing: tuple[str, ...] = ()
        self.info: dict[str, Any] = {}
        self.plan: launch.Plan | None = None
        self.cgroups = Cgroups()
        self._slot: launch.SlotUid | None = None
        self._anomaly = ""
        self._tasks_baseline: int | None = None
        self._memory_baseline = 0
        self._oom_seen: int | None = None
        self._exit_pending = False
        self.last_exit: dict[str, Any] = {}  # the last exit report collected lazily (diagnostics)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        try:
            self._slot = launch.SlotUid.acquire() if self.dedicated_uid else None
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            self.plan = launch.plan(
                theirs.fileno(), self.isolation, uid=self._slot.uid if self._slot else None, seccomp=self.seccomp
            )
        except (OSError, RuntimeError, ValueError) as exc:
            self._release()
            raise SandboxUnavailable(f"cannot prepare the sandbox: {exc}") from exc
        if self.plan.uid is None and self._slot is not None:
            self._slot.release()
            self._slot = None
        self.cgroups = Cgroups.create(PIDS_MAX, 1 << 30) if self.use_cgroups else Cgroups(notes=["cgroups off"])
        try:
            self.process = subprocess.Popen(
                self.plan.command,
                env=self.plan.env,
                cwd=self.plan.cwd,
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                close_fds=True,
                start_new_session=True,
                preexec_fn=self.cgroups.join if (self.cgroups.memory or self.cgroups.pids) else None,
            )
        except OSError as exc:
            ours.close()
            self._release()
            raise SandboxUnavailable(f"cannot start the sandbox: {exc}") from exc
        finally:
            theirs.close()
        self.control = ours
        poller = select.poll()  # not select(): a busy worker may hold fds above 1024
        poller.register(ours, select.POLLIN)
        message = ours.recv(65536) if poller.poll(READY_TIMEOUT_S * 1000) else b""
        if not message:
            stderr = self._stderr_tail()
            self.close()
            raise SandboxUnavailable(f"the sandbox did not start: {stderr or 'no response'}")
        self.info = json.loads(message)
        seccomp = str(self.info.get("seccomp", "unavailable"))
        if seccomp.startswith("failed"):
            self.close()
            raise SandboxUnavailable(f"the sandbox's seccomp filter does not work here: {seccomp}")
        layers = list(self.plan.layers)
        missing = list(self.cgroups.notes)
        limits = "rlimits: CPU, address space, file size, open files, no core"
        layers.append(limits + (", processes (NPROC)" if self.plan.uid is not None else ""))
        if seccomp == "ok":
            layers.append(f"seccomp allowlist ({self.info.get('arch')}, {self.info.get('files')} files)")
        else:
            missing.append(f"seccomp {seccomp} on {self.info.get('arch')}")
        layers.append("no-dumpable, no-new-privs, parent-death signal")
        layers.extend(self.cgroups.layers())
        if self.plan.uid is None:
            missing.append("no dedicated uid (needs a root worker with CAP_SETUID): RLIMIT_NPROC does not apply")
        self.layers, self.missing = tuple(layers), tuple(missing)
        self._tasks_baseline = self.cgroups.tasks()
        self._memory_baseline = self.cgroups.usage() or 0
        self._oom_seen = self.cgroups.oom_kills()
        self._anomaly = ""
        log.info(
            "sandbox ready (%s): python %s, numpy %s, layers: %s%s",
            self.plan.mode,
            self.info.get("python"),
            self.info.get("numpy"),
            "; ".join(self.layers),
            f"; missing: {'; '.join(self.missing)}" if self.missing else "",
        )
        self.jobs_done = 0
        self.starts += 1

    def close(self) -> None:
        self._exit_pending = False
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.process is not None:
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            if self.process.stderr:
                self.process.stderr.close()
            self.process = None
        self._release()

    def _release(self) -> None:
        self.cgroups.close()
        if self._slot is not None:
            self._slot.release()
            self._slot = None

    def restart(self, reason: str) -> None:
        log.warning("restarting the sandbox: %s", reason)
        self.restarts += 1
        self.close()
        self.start()

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
        self._finish_previous()
        if self._anomaly:
            self.restart(self._anomaly)
        elif not self.alive:
            if self.process is not None:
                self.restart("the sandbox process was gone")
            else:
                self.close()
                self.start()
        elif self.jobs_done >= self.jobs_before_restart:
            self.close()
            self.start()
        self.cgroups.set_memory_limit(self._memory_baseline + (limits.memory_mib << 20) + CGROUP_HEADROOM)
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
        if not self._exit_pending:
            self._check_tasks()
        return result

    def settle(self) -> int | None:
        """Wait for the last job's process to exit (normally done lazily, before the next job).

        Returns how many processes or threads beyond bwrap, the zygote and its spare child are in
        the pids cgroup (0 when clean; None without a pids cgroup).
        """
        self._finish_previous()
        tasks = self.cgroups.tasks()
        if tasks is None or self._tasks_baseline is None:
            return None
        return tasks - self._tasks_baseline

    def _check_tasks(self) -> None:
        """Anything left in the pids cgroup besides bwrap, the zygote and its spare child outlived its job."""
        tasks = self.cgroups.tasks()
        if tasks is not None and self._tasks_baseline is not None and tasks > self._tasks_baseline:
            self._anomaly = f"{tasks - self._tasks_baseline} process(es) or thread(s) outlived a job"

    def _finish_previous(self) -> None:
        """Collect the exit of the last child, whose results were complete when its job returned.

        Its teardown (unmapping a NumPy process) overlaps with the trusted side's comparison
        instead of delaying the verdict; a child that does not exit promptly is killed.
        """
        if not self._exit_pending:
            return
        self._exit_pending = False
        report = self._wait_report(0.2)
        if report is None and self.alive:
            self._kill()
            report = self._wait_report(5.0)
        if report is None:
            if self.alive:
                self._anomaly = "a finished job's process did not exit"
            return
        self.last_exit = report
        if report.get("exit") == -signal.SIGKILL:
            self._oom_seen = self.cgroups.oom_kills()
        self._check_tasks()

    def _wait_report(self, timeout_s: float) -> dict[str, Any] | None:
        if self.control is None:
            return None
        poller = select.poll()
        poller.register(self.control, select.POLLIN)
        if not poller.poll(int(timeout_s * 1000)):
            return None
        try:
            message = self.control.recv(65536)
        except OSError:
            return None
        return json.loads(message) if message else None

    def _collect(self, attempt: _Attempt, start: int, total: int, limits: Limits, result: RunResult) -> int:
        """Fold one child's frames into ``result``; return the index of the next case to run."""
        if not attempt.armed:
            # Before the "armed" frame only our own code ran: never the student's fault.
            printed = bytes(attempt.printed[-1500:]).decode(errors="replace").strip()
            code = attempt.exit_report.get("exit")
            self.close()
            raise SandboxUnavailable(
                f"the sandbox failed to set up a job (exit {code}, {attempt.kill_reason or 'no kill'}): {printed}"
            )
        if len(result.printed) < 4096:
            result.printed += bytes(attempt.printed[: 4096 - len(result.printed)])
        next_index = start
        for header, blobs in attempt.frames:
            if next_index >= total:
                break  # anything after the last case is the student's forgery
            kind = header.get("type")
            if kind == "load_error":
                status = {"forbidden": "forbidden", "memory": "memory"}.get(header.get("kind"), "error")
                result.load_status = status
                result.load_message, result.load_phrases = _message_from_frame(header)
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
                phrase = say("unreadable_return", detail=str(exc))
                run = CaseRun(index=index, status="error", message=render([phrase]), phrases=(phrase,))
            result.cases.append(run)
            next_index += 1
        if next_index >= total:
            return total
        status, phrase = self._ending(attempt, limits)
        if not attempt.loaded and next_index == start and (start == 0 or status != "error"):
            loading = say("while_loading", problem=phrase)
            result.load_status, result.load_message, result.load_phrases = status, render([loading]), (loading,)
            return total
        result.cases.append(CaseRun(index=next_index, status=status, message=render([phrase]), phrases=(phrase,)))
        return next_index + 1

    @staticmethod
    def _case_from_frame(header: dict[str, Any], blobs: list[bytes]) -> CaseRun:
        status = header.get("status")
        if status not in ("ok", "error", "memory", "forbidden"):
            raise ProtocolError(f"unknown status {status!r}")
        message, phrases = _message_from_frame(header)
        run = CaseRun(
            index=int(header["index"]),
            status=status,
            message=message,
            phrases=phrases,
            ms=float(header.get("ms", 0.0)),
            warnings=tuple(str(w)[:200] for w in header.get("warnings", ())[:5]),
            mutated=bool(header.get("mutated", False)),
        )
        if status == "ok":
            run.output = decode_output(header.get("output"), blobs)
        return run

    @staticmethod
    def _ending(attempt: _Attempt, limits: Limits) -> tuple[str, Phrase]:
        """Explain why a child stopped before finishing its cases."""
        time_limit = ("timeout", say("time_limit", seconds=f"{limits.time_s:g}"))
        memory_limit = ("memory", say("memory_limit", mib=str(limits.memory_mib)))
        if attempt.oom_killed:
            return memory_limit
        if attempt.kill_reason == "timeout":
            return time_limit
        if attempt.kill_reason == "output":
            return "error", say(
                "printed_too_much", printed=_size(attempt.printed_total), cap=_size(limits.output_bytes)
            )
        if attempt.kill_reason == "protocol":
            return "error", say("corrupted_results", detail=attempt.kill_message)
        code = attempt.exit_report.get("exit")
        if code is None:
            return "error", say("stopped_unexpectedly")
        if code < 0:
            sig = -code
            if sig == signal.SIGKILL:
                if attempt.exit_report.get("cpu_s", 0.0) >= limits.time_s * 0.9:
                    return time_limit
                if attempt.oom_known:  # not the OOM killer: the code killed itself
                    return "error", say("killed_by_sigkill")
                return memory_limit
            if sig == signal.SIGXCPU:
                return time_limit
            return "error", say("crashed_interpreter", signal=signal.Signals(sig).name)
        if code == 70:
            return "error", say("broke_runner")
        if code == 0:
            return "error", say("ended_process")
        return "error", say("exit_code", code=str(code))

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
        if self.plan is not None and self.plan.uid is not None:
            child_limits["nproc"] = NPROC_LIMIT
        try:
            socket.send_fds(self.control, [json.dumps({"job": child_limits}).encode()], [job_r, res_w, out_w])
        except OSError as exc:
            for fd in (job_r, job_w, res_r, res_w, out_r, out_w):
                os.close(fd)
            self.close()
            raise SandboxUnavailable(f"the sandbox stopped answering: {exc}") from exc
        for fd in (job_r, res_w, out_w):
            os.close(fd)
        owned = [job_w, res_r, out_r]  # _pump closes job_w early and takes it off this list
        for fd in owned:
            os.set_blocking(fd, False)
        try:
            attempt = self._pump(payload, owned, total - start, limits)
            self._exit_pending = attempt.exit_pending
            if attempt.exit_report.get("exit") == -signal.SIGKILL and not attempt.exit_report.get("killed_by_zygote"):
                kills = self.cgroups.oom_kills()
                if kills is not None and self._oom_seen is not None:
                    attempt.oom_known = True
                    attempt.oom_killed = kills > self._oom_seen
                self._oom_seen = kills
            return attempt
        finally:
            for fd in owned:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def _pump(self, payload: bytes, owned: list[int], remaining: int, limits: Limits) -> _Attempt:
        assert self.control is not None
        job_w, res_r, out_r = owned
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
        results = 0
        complete = False
        while True:
            now = time.monotonic()
            if attempt.exit_report and not open_reads:
                return attempt
            if complete and kill_sent_at is None and not attempt.exit_report:
                if out_r in open_reads:  # what it printed before finishing is already in the pipe
                    self._drain_output(out_r, attempt, limits)
                # Nothing it does from here on counts: make sure it does not linger (a student's
                # thread, a forged "done"); the exit report is collected before the next job.
                self._kill()
                attempt.exit_pending = True
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
                        owned.remove(job_w)
                        os.close(job_w)
                        job_w = -1
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
                        frames = exc.frames  # keep what arrived intact before the garbage
                        if kill_sent_at is None:
                            attempt.kill_reason, attempt.kill_message = "protocol", str(exc)
                            kill_sent_at = self._kill()
                    for header, blobs in frames:
                        attempt.frames.append((header, blobs))
                        kind = header.get("type")
                        if kind == "armed":
                            attempt.armed = True
                        if kind == "loaded":
                            attempt.loaded = True
                        elif kind == "result":
                            results += 1
                        elif kind == "load_error" or (kind == "done" and results >= remaining):
                            complete = attempt.armed
                        if kind in ("loaded", "result") and kill_sent_at is None:
                            deadline = time.monotonic() + limits.time_s
            if kill_sent_at is None and any(h.get("type") in ("done", "load_error") for h, _ in attempt.frames[-1:]):
                deadline = time.monotonic() + 5.0  # finished: give it a moment to exit

    @staticmethod
    def _drain_output(out_r: int, attempt: _Attempt, limits: Limits) -> None:
        while True:
            data = _read_some(out_r)
            if not data:
                return
            attempt.printed_total += len(data)
            if len(attempt.printed) < limits.output_bytes:
                attempt.printed += data[: limits.output_bytes - len(attempt.printed)]

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


def _message_from_frame(header: dict[str, Any]) -> tuple[str, tuple[Phrase, ...]]:
    """A message the runner sent, in English, with its phrases when they are ones it may send."""
    phrase = phrase_from_untrusted(header.get("phrase"))
    if phrase is not None:
        return render([phrase])[:2000], (phrase,)
    return str(header.get("message", ""))[:2000], ()
