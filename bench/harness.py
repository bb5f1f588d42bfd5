"""Shared pieces of the benchmarks: whole processes alternating A B A B, medians, one table row.

Each benchmark runs the Wegwijs measurement (A) and its baseline (B) as separate processes in turn,
so a busy moment on the shared machine hits both; it prints both medians and the ratio.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WEGWIJS = [PYTHON, "-m", "app"]
PASSPHRASE = "benchmark-wachtwoord"


KEYRING_BACKEND = "bench.bench_keyring.FileKeyring"  # the desktop case: a keyring, no Argon2id


def ensure_bytecode() -> None:
    """Compile app/ once, as an installation has it (pip and the bundle compile on install): a
    checkout run with PYTHONDONTWRITEBYTECODE would otherwise compile ~150 modules on every start
    (about 0.2 s), which the bare baseline, importing an installed PySide6, never pays."""
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(ROOT / "app")], check=True, stdout=subprocess.DEVNULL
    )


def other_tree(environment: dict[str, str], tree: Path) -> dict[str, str]:
    """The same environment running the Wegwijs of another checkout (`--before DIR`: the commit a
    change started from, measured in the same run). Its app/ is compiled as well."""
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(tree / "app")], check=True, stdout=subprocess.DEVNULL
    )
    return {**environment, "PYTHONPATH": str(tree)}


def bench_environment(**extra: str) -> dict[str, str]:
    """No keyring (the passphrase vault), Qt offscreen unless DISPLAY is asked for explicitly.
    `bench_environment(PYTHON_KEYRING_BACKEND=KEYRING_BACKEND)` measures with a keyring instead."""
    ensure_bytecode()
    environment = dict(os.environ)
    environment.setdefault("QT_QPA_PLATFORM", "offscreen")
    environment["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    environment["WEGWIJS_PASSPHRASE"] = PASSPHRASE
    environment["PYTHONPATH"] = str(ROOT)
    environment.update(extra)
    return environment


@dataclass(frozen=True)
class Run:
    seconds: float  # wall clock of the whole process
    cpu_seconds: float  # user + system time of the whole process: what a busy machine inflates less
    max_rss_mib: float
    stdout: str
    ready_rss_mib: float = 0.0  # resident memory when the process printed ready_ms= (0: not asked)
    ready_cpu_seconds: float = 0.0  # its CPU time up to that moment (not the closing that follows)


def _resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds(pid: int) -> float:
    """user + system time so far (fields 14 and 15 of /proc/PID/stat, after the command name)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_process(
    command: Sequence[str], environment: dict[str, str] | None = None, sample_at: str | None = None
) -> Run:
    """One whole process; its wall-clock time and peak resident memory (from wait4). With
    `sample_at`, also its resident memory at the moment it prints a line starting with that text
    (read from /proc while the process goes on: "memory at that point", not the peak)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=environment or bench_environment(),
        cwd=(environment or {}).get("PYTHONPATH", ROOT),
    )
    assert process.stdout is not None and process.stderr is not None
    ready_rss = ready_cpu = 0.0
    head = b""
    if sample_at is not None:
        for line in process.stdout:
            head += line
            if line.startswith(sample_at.encode()):
                try:
                    ready_rss, ready_cpu = _resident_mib(process.pid), _cpu_seconds(process.pid)
                except OSError:
                    pass
                break
    out = (head + process.stdout.read()).decode("utf-8", "replace")
    err = process.stderr.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err[-2000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out, ready_rss, ready_cpu)


def alternate(rounds: int, a: Callable[[], float], b: Callable[[], float]) -> tuple[list[float], list[float]]:
    """A B A B ...: the two measurements share whatever else the machine is doing."""
    first: list[float] = []
    second: list[float] = []
    for _ in range(rounds):
        first.append(a())
        second.append(b())
    return first, second


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def report(
    measure: str, wegwijs: float, baseline: float, unit: str, target: str, lower_is_better: bool = True
) -> None:
    """The table row: Wegwijs figure, the baseline of the same run, the ratio, the target."""
    ratio = wegwijs / baseline if lower_is_better else baseline / wegwijs
    print(f"| {measure} | {wegwijs:.3f} {unit} | {baseline:.3f} {unit} | {ratio:.2f}× | {target} |")


def parse_value(stdout: str, name: str) -> float:
    """`name=N` printed by a measured process."""
    for line in stdout.splitlines():
        if line.startswith(f"{name}="):
            return float(line.split("=", 1)[1])
    raise SystemExit(f"no {name}= in the output:\n{stdout[-2000:]}")


def work_folder() -> Path:
    """Profiles with demo data are kept between runs (making 10,000 clients takes a while)."""
    folder = Path(os.environ.get("WEGWIJS_BENCH_DIR", "/tmp/wegwijs-bench"))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def make_profile(
    folder: Path, clients: int, role: str = "klantmanager", environment: dict[str, str] | None = None
) -> Path:
    """A real profile with demo data, made by the real command line (kept for the next run). With
    the bench keyring in `environment`, a profile whose key is in that keyring (its own folder)."""
    keyring = environment is not None and environment.get("PYTHON_KEYRING_BACKEND") == KEYRING_BACKEND
    data_dir = folder / f"profiel-{role}-{clients}{'-sleutelbos' if keyring else ''}"
    if not (data_dir / "profile.json").exists():
        for args in (
            ["init", "--role", role, "--municipality", "Benchstad"],
            ["demo", "--clients", str(clients), "--seed", "1"],
        ):
            run_process([*WEGWIJS, "--data-dir", str(data_dir), *args], environment)
    return data_dir
