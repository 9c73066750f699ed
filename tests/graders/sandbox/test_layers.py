"""The isolation layers themselves: reported, in force, cleaned up, and checked by the self-test."""

from __future__ import annotations

import ast
import re
import struct
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from graders.engine import grade
from graders.sandbox import Limits, SandboxUnavailable, Zygote, launch, seccomp
from graders.sandbox import zygote as zygote_module
from graders.sandbox.selftest import confinement_selftest

ROOT = Path(__file__).resolve().parents[3]
HEADERS = {
    "x86_64": Path("/usr/include/x86_64-linux-gnu/asm/unistd_64.h"),
    "aarch64": Path("/usr/include/asm-generic/unistd.h"),
}


# ---------------------------------------------------------------------------------------------
# the runner stays self-contained


def test_runner_imports_only_the_standard_library_and_numpy():
    tree = ast.parse((ROOT / "graders/sandbox/inside/runner.py").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0
            imported.add(node.module.partition(".")[0])
    assert imported - set(sys.stdlib_module_names) == {"numpy"}


def test_the_runner_folder_holds_only_the_runner():
    assert sorted(path.name for path in launch.INSIDE.iterdir() if path.name != "__pycache__") == ["runner.py"]


# ---------------------------------------------------------------------------------------------
# seccomp filter


@pytest.mark.parametrize("arch", sorted(seccomp.SYSCALLS))
def test_syscall_numbers_match_the_kernel_headers(arch):
    header = HEADERS[arch]
    if not header.exists():
        pytest.skip(f"{header} not installed")
    text = header.read_text()
    aliases = {"fstat": "__NR3264_fstat", "newfstatat": "__NR3264_fstatat", "lseek": "__NR3264_lseek"}
    aliases |= {"mmap": "__NR3264_mmap", "fcntl": "__NR3264_fcntl"}
    for name, number in seccomp.SYSCALLS[arch].items():
        symbol = aliases[name] if arch == "aarch64" and name in aliases else f"__NR_{name}"
        match = re.search(rf"#define {symbol}\s+(\d+)", text)
        assert match, f"{name} missing from {header}"
        assert int(match.group(1)) == number, name


@pytest.mark.parametrize("arch", sorted(seccomp.SYSCALLS))
@pytest.mark.parametrize("files", ["readonly", "none"])
def test_filter_builds_for_every_arch_and_policy(arch, files):
    built = seccomp.build(arch, files)
    program, pid_offsets = built.program, built.pid_offsets
    assert len(program) % 8 == 0 and len(program) // 8 < 4096
    assert len(pid_offsets) == 1
    allowed = {seccomp.SYSCALLS[arch][name] for name in seccomp.ALLOWED if name in seccomp.SYSCALLS[arch]}
    dangerous = {"kill", "clone", "ioctl", "openat", "clone3", "fcntl"}
    assert not allowed & {seccomp.SYSCALLS[arch][name] for name in dangerous}


def test_filter_denies_socket_and_writes_but_keeps_numpy_and_threads_working(zygote):
    source = """
import numpy as np
_import = __import__

def probe(kind):
    os = _import("os", {})
    threading = _import("threading", {})
    if kind == "threads":
        box = []
        workers = [threading.Thread(target=lambda: box.append(np.linalg.svd(np.ones((60, 60)))[1][0])) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return np.array(box)
    if kind == "numpy":
        rng = np.random.default_rng()
        a = rng.standard_normal((200, 200))
        return np.array([np.fft.fft(a[0]).real.sum() * 0 + np.polynomial.polynomial.polyval(2.0, [1, 1]), np.linalg.det(a @ a.T) > 0])
    if kind == "socket":
        try:
            _import("socket", {}).socket()
        except PermissionError:
            return np.array([1.0])
        return np.array([0.0])
"""
    cases = [(("threads",), {}), (("numpy",), {}), (("socket",), {})]
    run = zygote.run(source, "probe", cases, Limits())
    assert [case.status for case in run.cases] == ["ok", "ok", "ok"], [case.message for case in run.cases]
    assert np.allclose(run.cases[0].output, 60.0)
    assert list(run.cases[1].output) == [3.0, 1.0]
    assert list(run.cases[2].output) == [1.0]


# ---------------------------------------------------------------------------------------------
# reporting


def test_layers_are_reported(zygote):
    layers = " | ".join(zygote.layers)
    assert "seccomp allowlist" in layers
    assert "rlimits" in layers and "no-dumpable" in layers and "cleared environment" in layers
    if zygote.plan.mode == "bwrap":
        assert "bwrap: pid, net, ipc, uts, mount namespaces" in layers
        assert "no /proc, /run, /etc, host /tmp or app folder" in layers
    if launch._can_switch_uid():
        assert re.search(r"dedicated uids: zygote \d+, jobs \d+", layers) and "NPROC" in layers
    for controller in ("memory", "pids"):
        if getattr(zygote.cgroups, controller) is not None:
            assert f"{controller} (" in layers
        else:  # not available here: said so at start-up
            assert any(controller in note for note in zygote.missing)


def test_plain_mode_reports_its_layers(plain_zygote):
    layers = " | ".join(plain_zygote.layers)
    assert "plain process" in layers and "no file access" in layers and "seccomp allowlist" in layers


def test_isolation_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DLGRADE_SANDBOX", "plain")
    assert launch.resolve_isolation(None) == "plain"
    monkeypatch.setenv("DLGRADE_SANDBOX", "chroot")
    with pytest.raises(ValueError):
        launch.resolve_isolation(None)


# ---------------------------------------------------------------------------------------------
# self-test


@pytest.mark.parametrize("mode", ["bwrap", "plain"])
def test_selftest_passes_on_a_confined_zygote(mode, zygote, plain_zygote):
    target = zygote if mode == "bwrap" else plain_zygote
    if mode == "bwrap" and target.plan.mode != "bwrap":
        pytest.skip("bubblewrap cannot create namespaces on this host")
    confinement_selftest(target)  # warm
    started = time.perf_counter()
    assert confinement_selftest(target) == []
    assert time.perf_counter() - started < 1.0  # ~10 ms here; the budget at start-up is 100 ms


def test_selftest_catches_a_sandbox_without_seccomp():
    with Zygote("plain", seccomp=False) as unconfined:
        assert any("seccomp" in note for note in unconfined.missing)
        problems = confinement_selftest(unconfined)
    assert "forked a process" in problems
    assert "read a file of the app folder" in problems
    assert "connected to a TCP listener on the host's 127.0.0.1" in problems
    assert "wrote a file into the host's temp folder" in problems


# ---------------------------------------------------------------------------------------------
# cgroups, uid and restarts


def test_cgroups_hold_the_zygote_and_are_removed_on_close():
    zygote = Zygote("plain")
    zygote.start()
    groups = [zygote.cgroups.memory, zygote.cgroups.pids]
    if not all(groups):
        zygote.close()
        pytest.skip(f"cgroups not available here: {zygote.cgroups.notes}")
    for group in groups:
        assert group.procs(), f"nothing joined {group.path}"
    if groups[0].version == 1:
        limit = int(groups[0].read("memory.limit_in_bytes"))
        swap = groups[0].path / "memory.memsw.limit_in_bytes"
        assert not swap.exists() or int(swap.read_text()) == limit
    zygote.close()
    assert not any(group.path.exists() for group in groups)


@pytest.mark.skipif(not launch._can_switch_uid(), reason="dedicated uids need a root worker with CAP_SETUID")
def test_each_zygote_gets_its_own_uid(zygote, plain_zygote):
    assert zygote.plan.uid is not None and plain_zygote.plan.uid is not None
    assert zygote.plan.uid != plain_zygote.plan.uid
    assert zygote.info["uid"] == zygote.plan.uid


def test_a_straggler_process_triggers_a_restart_and_is_killed(relu):
    # Without seccomp a daemonized grandchild can outlive its job: the pids cgroup notices and
    # the zygote is replaced (its group, with the straggler, is killed and removed).
    with Zygote("plain", seccomp=False) as unconfined:
        if unconfined.cgroups.pids is None:
            pytest.skip(f"no pids cgroup here: {unconfined.cgroups.notes}")
        source = (
            "import numpy as np\n_import = __import__\n\ndef relu(x):\n"
            "    os = _import('os', {})\n    time = _import('time', {})\n"
            "    if os.fork() == 0:\n        os.setsid()\n        time.sleep(30)\n        os._exit(0)\n"
            "    return np.maximum(x, 0.0)\n"
        )
        unconfined.run(source, "relu", [((np.zeros(2),), {})], Limits())
        group = unconfined.cgroups.pids.path
        assert unconfined.settle() > 0 and unconfined._anomaly
        verdict = grade(relu, "import numpy as np\ndef relu(x):\n    return np.maximum(x, 0)\n", zygote=unconfined)
        assert verdict.score == 1.0
        assert unconfined.restarts == 1
        assert not group.exists()


def test_a_setup_failure_is_a_platform_error_not_the_students(monkeypatch, relu):
    with Zygote("plain") as zygote:
        # A job the runner cannot read: our setup fails before the student's code runs.
        monkeypatch.setattr(zygote_module, "_encode_part", lambda *args: struct.pack(">I", 5) + b"{{{{{")
        with pytest.raises(SandboxUnavailable, match="failed to set up a job"):
            grade(relu, "import numpy as np\ndef relu(x):\n    return np.maximum(x, 0)\n", zygote=zygote)
        monkeypatch.undo()
        assert (
            grade(relu, "import numpy as np\ndef relu(x):\n    return np.maximum(x, 0)\n", zygote=zygote).score == 1.0
        )


def test_the_zygote_is_replaced_after_n_jobs(relu):
    with Zygote("plain", jobs_before_restart=3) as zygote:
        pids = set()
        for _ in range(7):
            zygote.run("def relu(x):\n    return x\n", "relu", [((np.zeros(1),), {})], Limits())
            pids.add(zygote.info["pid"])
        assert len(pids) == 3


def test_cgroup_paths_are_found_for_v1_v2_and_namespaced_mounts():
    from graders.sandbox import cgroups

    mountinfo = (
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
        "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
        "50 40 0:40 /docker/abc /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
        "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
    )
    mounts = cgroups._mounts(mountinfo)
    assert [(kind, root, point) for kind, root, point, _ in mounts] == [
        ("cgroup", "/", "/sys/fs/cgroup/memory"),
        ("cgroup", "/", "/sys/fs/cgroup/pids"),
        ("cgroup2", "/", "/sys/fs/cgroup/unified"),
        ("cgroup2", "/docker/abc", "/sys/fs/cgroup"),
    ]
    v1, v2 = cgroups._own_paths("4:memory:/worker/1\n8:pids:/\n0::/docker/abc/worker\n")
    assert v1 == {"memory": "/worker/1", "pids": "/"} and v2 == "/docker/abc/worker"
    assert cgroups._inside("/", "/sys/fs/cgroup/memory", "/worker/1") == Path("/sys/fs/cgroup/memory/worker/1")
    assert cgroups._inside("/docker/abc", "/sys/fs/cgroup", "/docker/abc/worker") == Path("/sys/fs/cgroup/worker")
    assert cgroups._inside("/docker/abc", "/sys/fs/cgroup", "/docker/other") is None


def test_the_runners_exit_codes_are_the_ones_the_trusted_side_reads():
    # The runner cannot be imported on the trusted side (it is a script for inside the sandbox).
    tree = ast.parse((ROOT / "graders/sandbox/inside/runner.py").read_text())
    codes = {
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "").startswith("EXIT_")
    }
    assert codes == {
        "EXIT_SETUP_FAILED": zygote_module.EXIT_SETUP_FAILED,
        "EXIT_RUNNER_BROKEN": zygote_module.EXIT_RUNNER_BROKEN,
    }
