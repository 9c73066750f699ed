"""Trusted side of the sandbox: start a warm zygote, run one submission's cases in forked children.

The child owns its result pipe, so nothing it writes is believed: every frame is validated
(protocol.py) and carries data only. The trusted side keeps the clock (each case's window, the
submission's time budget, every duration shown), caps printed output and result bytes per
submission, and attributes every way a child can end (timeout, memory, crash, early exit,
malformed data) to the case that was running. Whatever a child sends, the job ends, the child is
killed, and the zygote is ready for the next job (or restarted).
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

from graders.feedback import Phrase, render, say
from graders.sandbox import launch
from graders.sandbox.cgroups import Cgroups
from graders.sandbox.protocol import (
    FrameReader,
    ProtocolError,
    ResultFrame,
    encode_frame,
    encode_value,
    read_load_error,
    read_result,
)

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
NPROC_LIMIT = 24  # per dedicated uid: the child and its threads
EXIT_SETUP_FAILED = 71  # runner.py: the child could not confine itself (the platform's failure)
EXIT_RUNNER_BROKEN = 70  # runner.py: the runner failed after student code ran (the student's doing)
# The first case's window also covers reading the job and running the file's top level.
LOAD_ALLOWANCE_S = 0.5
# A submission's wall-time budget over all its cases and children, as a multiple of the case limit.
BUDGET_FACTOR = 3.0
# Room for the frames that carry no data ("armed", "loaded", headers) beyond the result byte budget.
FRAMING_ALLOWANCE = 64 << 10
# The runner writes this to stdout after each case: the trusted side cuts the output there. Code
# that prints it itself only moves its own visible output between its own visible cases: what a
# child prints after it holds a hidden input is never cut up nor shown (printed_before_reveal).
CASE_END = "\x00\x1fdlgrade:case-end\x1f\x00"
KILL_GRACE_S = 10.0  # a child the zygote was told to kill and that has not exited by then: zygote broken


class SandboxUnavailable(Exception):
    """The platform could not run the job (zygote failed to start or died): retry, never score."""


@dataclass(frozen=True)
class Limits:
    time_s: float = 2.0  # per case
    memory_mib: int = 256
    output_bytes: int = 64 * 1024  # printed output, per submission
    result_bytes: int = 64 << 20  # returned data, per submission
    budget_s: float = 0.0  # the submission's wall time over all cases; 0: BUDGET_FACTOR x time_s

    @property
    def submission_budget_s(self) -> float:
        return self.budget_s or BUDGET_FACTOR * self.time_s


class Budget:
    """What one submission may still spend over all its children: wall time, result and output bytes."""

    def __init__(self, limits: Limits) -> None:
        self.seconds = limits.submission_budget_s
        self.deadline = time.monotonic() + self.seconds
        self.result_bytes = limits.result_bytes
        self.printed_bytes = limits.output_bytes

    @property
    def spent(self) -> bool:
        return time.monotonic() >= self.deadline


@dataclass
class CaseRun:
    """What happened in one case, as observed by the trusted side."""

    index: int
    status: str  # ok | error | timeout | memory | forbidden
    message: str = ""
    phrases: tuple[Phrase, ...] = ()  # the message as feedback phrases, when it has them
    output: Any = None
    after: Any = None  # the inputs as the child saw them after the call (checked on the trusted side)
    fp_events: frozenset[str] = frozenset()
    error_type: str = ""  # the exception's class name as the child reported it (unchecked text)
    ms: float = 0.0  # on the trusted side's clock
    budget_spent: bool = False  # stopped or never started because the submission's budget ran out
    reached: bool = True  # False: the trusted side never let the code run this case (a budget was spent)
    # What the code printed while this case ran (the first case of a child also holds what the
    # file's top level printed); always empty for cases from ``reveal_from`` on.
    printed: bytes = b""


@dataclass
class RunResult:
    cases: list[CaseRun] = field(default_factory=list)
    load_status: str = ""  # set when the file could not run at all: error | timeout | memory | forbidden
    load_message: str = ""
    load_phrases: tuple[Phrase, ...] = ()
    load_saw_hidden: bool = False  # the child that failed to load held cases from ``reveal_from`` on
    printed: bytes = b""  # what the cases before ``reveal_from`` printed


@dataclass
class _Attempt:
    started: float
    results: list[tuple[ResultFrame, float]] = field(default_factory=list)  # with the trusted arrival time
    loaded_at: float | None = None
    load_error: Any = None
    kill_reason: str = ""  # timeout | budget | output | protocol
    kill_message: str = ""
    exit_report: dict[str, Any] = field(default_factory=dict)
    armed: bool = False  # the child confined itself; from here on, what happens is the student's doing
    oom_killed: bool = False
    oom_known: bool = False  # a memory cgroup tells OOM kills apart from other SIGKILLs
    exit_pending: bool = False  # every result arrived: the child's exit is collected before the next job
    printed: bytearray = field(default_factory=bytearray)
    printed_total: int = 0
    printed_before_reveal: int | None = None  # len(printed) when the later cases were sent


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
            self.plan = launch.plan(theirs.fileno(), self.isolation, slot=self._slot, seccomp=self.seccomp)
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
            layers.append(f"seccomp allowlist ({self.info.get('arch')})")
        else:
            missing.append(f"seccomp {seccomp} on {self.info.get('arch')}")
        layers.append("no-dumpable, no-new-privs, parent-death signal")
        layers.extend(self.cgroups.layers())
        if self.plan.uid is None:
            missing.append(
                "no dedicated uids (needs a root worker with CAP_SETUID): RLIMIT_NPROC does not apply and a "
                "job shares its zygote's uid (seccomp alone keeps it from signalling the zygote)"
            )
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

    def _ready(self) -> None:
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

    # -- running -----------------------------------------------------------------------------

    def run(
        self,
        source: str,
        function: str,
        cases: list[tuple[tuple, dict]],
        limits: Limits,
        budget: Budget | None = None,
        *,
        reveal_from: int | None = None,
    ) -> RunResult:
        """Run ``function`` from ``source`` on each case's (args, kwargs); one child per attempt.

        Cases from ``reveal_from`` on (the hidden ones) reach a child only once it has returned a
        result for every case before them: what those earlier cases produced is final before the
        process holds a later case's inputs. ``budget`` is shared by every run of one submission;
        cases it leaves no time for are not run (status timeout, ``budget_spent``).
        """
        budget = budget or Budget(limits)
        reveal_from = len(cases) if reveal_from is None else reveal_from
        result = RunResult(cases=[])
        start = 0
        while start < len(cases):
            if budget.spent:
                self._budget_spent(result, start, len(cases), budget)
                break
            if budget.result_bytes <= 0:
                self._bytes_spent(result, start, len(cases), limits)
                break
            self._ready()
            self.cgroups.set_memory_limit(self._memory_baseline + (limits.memory_mib << 20) + CGROUP_HEADROOM)
            first_end = reveal_from if start < reveal_from else len(cases)
            parts = [
                _encode_part(cases, start, first_end, {"source": source, "function": function, "case_end": CASE_END})
            ]
            if first_end < len(cases):
                parts.append(_encode_part(cases, first_end, len(cases), {}))
            attempt = self._attempt(parts, start, first_end, len(cases), limits, budget)
            self.jobs_done += 1
            start = self._collect(attempt, start, len(cases), limits, budget, result, reveal_from=reveal_from)
        if not self._exit_pending:
            self._check_tasks()
        return result

    @staticmethod
    def _budget_spent(result: RunResult, start: int, total: int, budget: Budget) -> None:
        phrase = say("budget_not_run", seconds=f"{budget.seconds:g}")
        for index in range(start, total):
            result.cases.append(
                CaseRun(
                    index=index,
                    status="timeout",
                    message=render([phrase]),
                    phrases=(phrase,),
                    budget_spent=True,
                    reached=False,
                )
            )

    @staticmethod
    def _bytes_spent(result: RunResult, start: int, total: int, limits: Limits) -> None:
        phrase = say("result_bytes_spent", cap=_size(limits.result_bytes))
        for index in range(start, total):
            result.cases.append(
                CaseRun(index=index, status="error", message=render([phrase]), phrases=(phrase,), reached=False)
            )

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

    def _collect(
        self,
        attempt: _Attempt,
        start: int,
        total: int,
        limits: Limits,
        budget: Budget,
        result: RunResult,
        *,
        reveal_from: int | None = None,
    ) -> int:
        """Fold one child's results into ``result``; return the index of the next case to run."""
        reveal_from = total if reveal_from is None else reveal_from
        saw_hidden = start >= reveal_from
        if not attempt.armed and attempt.kill_reason == "budget":
            # The student's earlier cases spent the budget while this child was still setting up.
            self._budget_spent(result, start, total, budget)
            return total
        if not attempt.armed:
            # Before the "armed" frame only our own code ran: never the student's fault.
            printed = bytes(attempt.printed[-1500:]).decode(errors="replace").strip()
            code = attempt.exit_report.get("exit")
            self.close()
            raise SandboxUnavailable(
                f"the sandbox failed to set up a job (exit {code}, {attempt.kill_reason or 'no kill'}): {printed}"
            )
        if not saw_hidden:
            printed = bytes(attempt.printed[: attempt.printed_before_reveal]).replace(CASE_END.encode(), b"")
            result.printed += printed[: max(0, limits.output_bytes - len(result.printed))]
        result.load_saw_hidden = saw_hidden
        if attempt.load_error is not None:
            status = {"forbidden": "forbidden", "memory": "memory"}.get(attempt.load_error.kind, "error")
            result.load_status = status
            result.load_message, result.load_phrases = attempt.load_error.message, attempt.load_error.phrases
            return total
        previous = attempt.loaded_at or attempt.started
        shown = _printed_per_case(attempt, start, reveal_from)
        for position, (frame, arrived) in enumerate(attempt.results):
            result.cases.append(
                CaseRun(
                    index=frame.index,
                    status=frame.status,
                    message=frame.message,
                    phrases=frame.phrases,
                    output=frame.output,
                    after=frame.after,
                    fp_events=frame.fp_events,
                    error_type=frame.error_type,
                    ms=round((arrived - previous) * 1000, 1),
                    printed=shown[position],
                )
            )
            previous = arrived
        next_index = start + len(attempt.results)
        if next_index >= total:
            return total
        status, phrase = self._ending(attempt, limits, budget)
        if not attempt.loaded_at and next_index == start and (start == 0 or status != "error"):
            loading = say("while_loading", problem=phrase)
            result.load_status, result.load_message, result.load_phrases = status, render([loading]), (loading,)
            return total
        result.cases.append(
            CaseRun(
                index=next_index,
                status=status,
                message=render([phrase]),
                phrases=(phrase,),
                ms=round((time.monotonic() - previous) * 1000, 1),
                budget_spent=attempt.kill_reason == "budget",
                printed=shown[len(attempt.results)],
            )
        )
        return next_index + 1

    @staticmethod
    def _ending(attempt: _Attempt, limits: Limits, budget: Budget) -> tuple[str, Phrase]:
        """Explain why a child stopped before finishing its cases."""
        time_limit = ("timeout", say("time_limit", seconds=f"{limits.time_s:g}"))
        memory_limit = ("memory", say("memory_limit", mib=str(limits.memory_mib)))
        if attempt.oom_killed:
            return memory_limit
        if attempt.kill_reason == "budget":
            return "timeout", say("budget_spent", seconds=f"{budget.seconds:g}")
        if attempt.kill_reason == "timeout":
            return time_limit
        if attempt.kill_reason == "output":
            return "error", say(
                "printed_too_much", printed=_size(attempt.printed_total), cap=_size(limits.output_bytes)
            )
        if attempt.kill_reason == "protocol":
            return "error", say("corrupted_results", detail=attempt.kill_message)
        code = attempt.exit_report.get("exit")
        if type(code) is not int:
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
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            return "error", say("crashed_interpreter", signal=name)
        if code == EXIT_RUNNER_BROKEN:
            return "error", say("broke_runner")
        if code == 0:
            return "error", say("ended_process")
        return "error", say("exit_code", code=str(code))

    def _attempt(
        self, parts: list[bytes], start: int, first_end: int, total: int, limits: Limits, budget: Budget
    ) -> _Attempt:
        assert self.control is not None
        job_r, job_w = os.pipe()
        res_r, res_w = os.pipe()
        out_r, out_w = os.pipe()
        seconds_left = max(0.0, budget.deadline - time.monotonic())
        child_limits = {
            "start": start,
            "cpu_seconds": int(min(seconds_left, limits.time_s * (total - start + 1))) + 1,
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
        attempt = _Attempt(started=time.monotonic())
        reader = FrameReader(budget.result_bytes + FRAMING_ALLOWANCE)
        try:
            self._pump(parts, owned, attempt, start, first_end, total, limits, budget, reader)
        except SandboxUnavailable:
            raise
        except Exception:
            # A hostile frame must never crash the worker: whatever slipped past validation ends
            # this job as the student's corrupted result, and the zygote is replaced.
            log.exception("the trusted side failed while reading a job's results; restarting the sandbox")
            attempt.kill_reason, attempt.kill_message = "protocol", "unreadable results"
            attempt.exit_pending = False
            self.close()  # takes the child with it (parent-death signal); the next attempt starts afresh
        finally:
            for fd in owned:
                with contextlib.suppress(OSError):
                    os.close(fd)
            budget.result_bytes -= reader.total
            budget.printed_bytes -= min(attempt.printed_total, budget.printed_bytes)
        self._exit_pending = attempt.exit_pending
        if attempt.exit_report.get("exit") == -signal.SIGKILL and not attempt.exit_report.get("killed_by_zygote"):
            kills = self.cgroups.oom_kills()
            if kills is not None and self._oom_seen is not None:
                attempt.oom_known = True
                attempt.oom_killed = kills > self._oom_seen
            self._oom_seen = kills
        return attempt

    def _pump(
        self,
        parts: list[bytes],
        owned: list[int],
        attempt: _Attempt,
        start: int,
        first_end: int,
        total: int,
        limits: Limits,
        budget: Budget,
        reader: FrameReader,
    ) -> None:
        """Feed the job, read frames and output, and enforce the trusted deadlines until the child ends.

        Case k's window lasts ``limits.time_s`` and opens when case k-1's result arrives; the first
        one opens when the file has loaded, at the latest LOAD_ALLOWANCE_S after the attempt began
        (a "loaded" frame can open it earlier, never later). The submission's budget caps every
        window: nothing the child sends moves a deadline past it, and a result frame only ever
        closes the one case it answers.
        """
        assert self.control is not None
        job_w, res_r, out_r = owned
        poller = select.poll()
        poller.register(job_w, select.POLLOUT)
        poller.register(res_r, select.POLLIN)
        poller.register(out_r, select.POLLIN)
        poller.register(self.control.fileno(), select.POLLIN)
        payload, later = parts[0], parts[1:]
        sent = 0
        open_reads = {res_r, out_r}
        window_opened = attempt.started + LOAD_ALLOWANCE_S
        kill_sent_at = None
        remaining = total - start
        while True:
            now = time.monotonic()
            if attempt.exit_report and not open_reads:
                return
            complete = attempt.load_error is not None or len(attempt.results) >= remaining
            if complete and kill_sent_at is None and not attempt.exit_report:
                if out_r in open_reads:  # what it printed before finishing is already in the pipe
                    self._drain_output(out_r, attempt, budget)
                # Nothing it does from here on counts: make sure it does not linger (a student's
                # thread, a forged "done"); the exit report is collected before the next job.
                self._kill()
                attempt.exit_pending = True
                return
            deadline = min(budget.deadline, window_opened + limits.time_s)
            if kill_sent_at is None and now >= deadline and not attempt.exit_report:
                attempt.kill_reason = attempt.kill_reason or ("budget" if deadline == budget.deadline else "timeout")
                kill_sent_at = self._kill()
            if attempt.exit_report and now - attempt.exit_report["at"] > 2.0:
                return  # a leaked descendant holds a pipe open: stop waiting for it
            if kill_sent_at is not None and not attempt.exit_report and now - kill_sent_at > KILL_GRACE_S:
                self.close()
                raise SandboxUnavailable("the sandbox did not stop a job it was told to kill")
            timeout_ms = max(0, int((deadline - now) * 1000) + 1) if kill_sent_at is None else 200
            for fd, _events in poller.poll(min(timeout_ms, 1000)):
                if fd == job_w:
                    try:
                        sent += os.write(job_w, payload[sent : sent + (1 << 20)])
                    except BrokenPipeError:
                        sent = len(payload)
                    if sent >= len(payload):
                        poller.unregister(job_w)
                        if not later:  # the whole job is out: the child reads the end of the pipe
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
                        self._keep_output(data, attempt, budget)
                        if attempt.printed_total > budget.printed_bytes and kill_sent_at is None:
                            attempt.kill_reason = "output"
                            kill_sent_at = self._kill()
                        continue
                    if kill_sent_at is not None:
                        continue  # it is being killed: nothing more it says counts
                    try:
                        frames, problem = reader.feed(data), None
                    except ProtocolError as exc:
                        frames, problem = exc.frames, exc  # the frames before the garbage still count
                    try:
                        for header, blobs in frames:
                            taken = self._take_frame(header, blobs, attempt, start + len(attempt.results))
                            if taken == "result":
                                window_opened = time.monotonic()
                            elif taken == "loaded":  # loaded early: the first window opens early, never later
                                window_opened = min(window_opened, time.monotonic())
                        if later and start + len(attempt.results) >= first_end and sent >= len(payload):
                            # Every earlier result is in: only now may this child hold the later cases.
                            if out_r in open_reads:
                                self._drain_output(out_r, attempt, budget)
                            attempt.printed_before_reveal = len(attempt.printed)
                            payload, later, sent = later[0], later[1:], 0
                            poller.register(job_w, select.POLLOUT)
                    except ProtocolError as exc:
                        problem = exc
                    if problem is not None:
                        attempt.kill_reason, attempt.kill_message = "protocol", str(problem)
                        kill_sent_at = self._kill()

    @staticmethod
    def _take_frame(header: dict[str, Any], blobs: list[bytes], attempt: _Attempt, expected_index: int) -> str:
        """Validate one frame into ``attempt`` and return its type. Raises ProtocolError."""
        kind = header["type"]
        if kind == "armed":
            if attempt.armed:
                raise ProtocolError("unexpected frame")
            attempt.armed = True
            return kind
        if not attempt.armed:
            raise ProtocolError("results before the sandbox was set up")
        if attempt.load_error is not None:
            raise ProtocolError("unexpected frame")
        if kind == "loaded":
            if attempt.loaded_at is not None:
                raise ProtocolError("unexpected frame")
            attempt.loaded_at = time.monotonic()
            return kind
        if kind == "load_error":
            if attempt.loaded_at is not None:
                raise ProtocolError("unexpected frame")
            attempt.load_error = read_load_error(header)
            return kind
        if kind == "done":
            return kind
        frame = read_result(header, blobs)
        if frame.index != expected_index or attempt.loaded_at is None:
            raise ProtocolError("results arrived out of order")
        attempt.results.append((frame, time.monotonic()))
        return kind

    @staticmethod
    def _keep_output(data: bytes, attempt: _Attempt, budget: Budget) -> None:
        attempt.printed_total += len(data)
        room = max(0, budget.printed_bytes) - len(attempt.printed)
        if room > 0:
            attempt.printed += data[:room]

    def _drain_output(self, out_r: int, attempt: _Attempt, budget: Budget) -> None:
        while True:
            data = _read_some(out_r)
            if not data:
                return
            self._keep_output(data, attempt, budget)

    def _kill(self) -> float:
        assert self.control is not None
        try:
            self.control.send(json.dumps({"kill": True}).encode())
        except OSError:
            pass
        return time.monotonic()


def _encode_part(cases: list[tuple[tuple, dict]], start: int, end: int, header: dict[str, Any]) -> bytes:
    """Cases ``start`` to ``end`` as one part of a job (the first part also names the source and function)."""
    blobs: list[bytes] = []
    header = dict(
        header,
        cases=[
            {
                "index": i,
                "args": encode_value(tuple(cases[i][0]), blobs),
                "kwargs": encode_value(dict(cases[i][1]), blobs),
            }
            for i in range(start, end)
        ],
    )
    return encode_frame(header, blobs)


def _printed_per_case(attempt: _Attempt, start: int, reveal_from: int) -> list[bytes]:
    """What each case of this child printed, one entry per result and one for the case it ended on.

    Only output from before the child held a case from ``reveal_from`` on is ever cut up: a case
    from there on gets nothing.
    """
    count = len(attempt.results) + 1
    before_reveal = bytes(attempt.printed[: attempt.printed_before_reveal])
    pieces = before_reveal.split(CASE_END.encode())
    if len(pieces) > count:  # more ends than results (the code printed the marker): the rest is the last case's
        pieces = [*pieces[: count - 1], b"".join(pieces[count - 1 :])]
    pieces += [b""] * (count - len(pieces))
    return [piece if start + position < reveal_from else b"" for position, piece in enumerate(pieces)]


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
