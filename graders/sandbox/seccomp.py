"""The seccomp allowlist of a sandboxed job, assembled on the trusted side as classic BPF.

The runner inside the sandbox receives the finished program (``Filter.to_option``), writes its
own pid where ``pid_offsets`` point and installs it before any student code runs. Building it
here keeps the untrusted side small and lets the tests read the program without starting a
sandbox.

The filter sees (nr, arch, ip, args[6]) for every system call. It kills the process for a
foreign ABI (i386 via int 0x80, x32), allows what a warm NumPy job needs, checks the arguments
of a few calls and answers everything else with EPERM, so the student sees a PermissionError.
"""

from __future__ import annotations

import base64
import os
import struct
from dataclasses import dataclass

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
    "readv", "writev", "poll", "ppoll", "getpid", "gettid", "getppid", "getuid", "geteuid",
    "getgid", "getegid", "uname", "getrandom", "clock_gettime", "clock_getres", "clock_nanosleep",
    "nanosleep", "gettimeofday", "getrusage", "times", "sysinfo", "sched_yield", "sched_getaffinity",
    "mbind", "get_mempolicy", "set_robust_list", "rseq", "close_range", "exit", "exit_group",
)  # fmt: skip
# Looking at (not writing) the filesystem: only where the filesystem view is already minimal. In
# the plain mode the host's filesystem is visible, and AT_EMPTY_PATH does not stop the kernel from
# resolving a non-empty path, so every call that takes a path is refused there.
READ_ONLY_FILES = (
    "newfstatat", "statx", "stat", "lstat", "access", "faccessat", "faccessat2", "getcwd", "readlink",
    "readlinkat", "getdents64",
)  # fmt: skip
FILE_POLICIES = ("readonly", "none")

SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000
EPERM, EACCES, ENOSYS = 1, 13, 38
O_WRITE_FLAGS = 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000 | 0o20000000  # WRONLY RDWR CREAT TRUNC APPEND TMPFILE
O_ASYNC = 0o20000
CLONE_THREAD = 0x00010000
CLONE_NAMESPACES = 0x7E020000  # NEWNS NEWCGROUP NEWUTS NEWIPC NEWUSER NEWPID NEWNET
TCGETS = 0x5401
# fcntl commands a NumPy job uses: duplicate, read and set the close-on-exec and status flags.
# Everything that makes the kernel send a signal (F_SETOWN, F_SETOWN_EX, F_SETSIG, F_NOTIFY,
# F_SETLEASE, O_ASYNC through F_SETFL) or takes locks is refused.
F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD_CLOEXEC = 0, 1, 2, 3, 4, 1030
FCNTL_ALLOWED = (F_GETFD, F_GETFL, F_SETFD, F_DUPFD_CLOEXEC, F_DUPFD)
_BPF_LD_ABS, _BPF_JEQ, _BPF_JGE, _BPF_JSET, _BPF_RET = 0x20, 0x15, 0x35, 0x45, 0x06
PID_PLACEHOLDER = 0x7FFFFFFE


@dataclass(frozen=True)
class Filter:
    program: bytes  # struct sock_filter[], little-endian (both supported ABIs are)
    pid_offsets: tuple[int, ...]  # where the child writes its own pid (kill/tgkill of itself only)

    def to_option(self) -> dict[str, object]:
        """The filter as the runner's start-up option (JSON)."""
        return {"program": base64.b64encode(self.program).decode(), "pid_offsets": list(self.pid_offsets)}


def _arg_low(index: int) -> int:
    """Offset of the low 32 bits of args[index] in struct seccomp_data."""
    return 16 + 8 * index


def build(arch: str, files: str) -> Filter:
    """The allowlist for ``arch``; ``files`` is "readonly" (read-only opens, stat, readlink,
    getdents: for the minimal bwrap filesystem) or "none" (no path lookups at all)."""
    if files not in FILE_POLICIES:
        raise ValueError(f"unknown file policy {files!r}")
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
        "fcntl": "fcntl",
        "kill": "own_pid_arg0",
        "tgkill": "own_pid_arg0",
        "prlimit64": "zero_arg0",
    }
    if files == "readonly":
        special["openat"] = "openat"
        special.update((name, "allow") for name in READ_ONLY_FILES if name in nr)
    else:
        special["openat"] = "eacces"
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
    label("fcntl")
    emit(_BPF_LD_ABS, _arg_low(1))
    for command in FCNTL_ALLOWED:
        emit(_BPF_JEQ, command, "allow", 0)
    emit(_BPF_JEQ, F_SETFL, 0, "eperm")
    emit(_BPF_LD_ABS, _arg_low(2))
    emit(_BPF_JSET, O_ASYNC, "eperm", "allow")
    label("own_pid_arg0")
    emit(_BPF_LD_ABS, _arg_low(0))
    pid_index = len(program)
    emit(_BPF_JEQ, PID_PLACEHOLDER, "allow", "eperm")
    label("zero_arg0")
    emit(_BPF_LD_ABS, _arg_low(0))
    emit(_BPF_JEQ, 0, "allow", "eperm")

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
    return Filter(bytes(raw), (pid_index * 8 + 4,))


def for_this_host(files: str) -> Filter | None:
    """The filter for this machine, or None where no syscall table is known (then reported missing)."""
    arch = os.uname().machine
    if arch not in SYSCALLS or struct.calcsize("P") != 8:
        return None
    return build(arch, files)
