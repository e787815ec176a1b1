"""Measuring helpers: child processes with their peak RSS, percentiles, machine facts."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Measured:
    """One finished child process."""

    argv: list[str]
    returncode: int
    wall_s: float
    start_wall: float  # time.time() taken just before the spawn
    maxrss_mb: float  # peak resident set size of the child itself (see run_measured)
    stdout: str
    stderr: str


_CHILD_ENV: dict[str, str] | None = None


def child_env() -> dict[str, str]:
    """The environment of every measured child: Python's bytecode cache on.

    A user's install has ``__pycache__`` files after its first run (pip writes
    them at install time), but a session with ``PYTHONDONTWRITEBYTECODE=1``
    would make every ``tracker`` process compile the project from source
    (about 40 ms a process, measured), which no user pays. The cache goes to a
    temporary ``PYTHONPYCACHEPREFIX`` so that the working tree stays clean;
    :func:`warm_bytecode` fills it before anything is timed.
    """
    global _CHILD_ENV
    if _CHILD_ENV is None:
        prefix = tempfile.mkdtemp(prefix="tracker-bench-pycache-")
        atexit.register(shutil.rmtree, prefix, True)
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = prefix
        _CHILD_ENV = env
    return _CHILD_ENV


def warm_bytecode(root: Path) -> None:
    """Compile the project into the children's bytecode cache (see :func:`child_env`)."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(root / "tracker"), str(root / "benchmarks")],
        env=child_env(),
        check=True,
    )


def run_measured(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
) -> Measured:
    """Run ``argv`` to completion; wall time from just before the spawn to its exit.

    Peak RSS: on Linux, ``VmHWM`` of ``/proc/PID/status``, read every few
    milliseconds while the child runs. Not ``ru_maxrss``: Linux carries the
    peak of the process image a child was forked from across ``exec``, so a
    child of a 600 MB parent reports at least 600 MB even for ``python -c
    pass`` (measured). Elsewhere ``os.wait4``'s ``ru_maxrss``.
    Output goes to temporary files, so a chatty child never blocks on a pipe.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start_wall = time.time()
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), stdout=out, stderr=err, env=child_env() if env is None else env, cwd=cwd
        )
        deadline = None if timeout is None else start + timeout
        status_file = Path(f"/proc/{proc.pid}/status")
        hwm_kib = 0
        while True:
            hwm_kib = max(hwm_kib, _vm_hwm_kib(status_file))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            argv=list(argv),
            returncode=proc.returncode,
            wall_s=wall,
            start_wall=start_wall,
            maxrss_mb=(hwm_kib or usage.ru_maxrss) / 1024,  # KiB on Linux
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def _vm_hwm_kib(status_file: Path) -> int:
    """The peak RSS (KiB) a running process reports for itself; 0 if unknown."""
    try:
        for line in status_file.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def vm_hwm_mb() -> float | None:
    """This process's own peak RSS in MB (Linux), or None."""
    kib = _vm_hwm_kib(Path("/proc/self/status"))
    return kib / 1024 if kib else None


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0-100), linear between closest ranks (numpy's default)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def _meminfo_mb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024, 0)
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


CPU_PROBE_LOOPS = 1_000_000


def cpu_probe_ms() -> float:
    """The machine's speed now: ``sum(range(1_000_000))`` in this process, best of 5, in ms.

    The 2-core reference machine is a VM whose speed moves by a fifth or more
    between minutes, and in bursts of seconds (other guests on its host;
    2026-12-05: the median keystroke of 35 consecutive keys went from 3.2 to
    5.3 ms and back within one run). Printed beside the figures, so that two
    runs can be compared knowing how fast the machine was for each.
    """
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        sum(range(CPU_PROBE_LOOPS))
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 2)


def machine_info() -> dict[str, object]:
    """Facts about the machine the numbers were measured on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 0
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "ram_mb": _meminfo_mb(),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "textual": _version("textual"),
        "rapidfuzz": _version("rapidfuzz"),
        "orjson": _version("orjson"),
        "paper_tracker": _version("paper-tracker"),
    }
