"""Sampling profiles of running processes with py-spy, and a plain-text summary of where the time went."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

PY_SPY = Path(sys.executable).parent / "py-spy"
RAW_DIR = Path(__file__).resolve().parent / "results" / "raw" / "profiles"
RATE_HZ = 100
# "function (path/to/file.py:123)" -> "function (file.py)": lines differ between samples of one function.
_FRAME = re.compile(r"^(?P<func>.*?) \((?P<path>[^()]*?)(?::\d+)?\)$")


def available() -> bool:
    """py-spy is installed next to this interpreter (``pip install py-spy`` into .venv)."""
    return PY_SPY.exists() or shutil.which("py-spy") is not None


class PySpy:
    """Record every named process while the block runs: <prefix>-<name>.summary.txt, collapsed stacks in raw/."""

    def __init__(self, pids: dict[str, int], prefix: Path) -> None:
        self._pids = pids
        self._prefix = prefix
        # Collapsed stacks are large and change every run: they go to the git-ignored results/raw/.
        self._raw_dir = RAW_DIR
        self._procs: dict[str, subprocess.Popen[bytes]] = {}

    def __enter__(self) -> PySpy:
        if not available():
            return self
        self._prefix.parent.mkdir(parents=True, exist_ok=True)
        self._raw_dir.mkdir(parents=True, exist_ok=True)
        for name, pid in self._pids.items():
            out = self._raw(name)
            cmd = [str(PY_SPY), "record", "--pid", str(pid), "--rate", str(RATE_HZ), "--format", "raw"]
            cmd += ["--nonblocking", "--output", str(out)]
            self._procs[name] = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def __exit__(self, *_exc: object) -> None:
        for proc in self._procs.values():
            proc.send_signal(signal.SIGINT)  # py-spy writes its output when interrupted
        for name, proc in self._procs.items():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
            raw = self._raw(name)
            if raw.exists():
                summary = self._prefix.with_name(f"{self._prefix.name}-{name}.summary.txt")
                summary.write_text(summarise(raw.read_text()))

    def _raw(self, name: str) -> Path:
        return self._raw_dir / f"{self._prefix.name}-{name}.txt"


def _short(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    return f"{match['func']} ({Path(match['path']).name})"


def summarise(collapsed: str, top: int = 150) -> str:
    """Inclusive and self sample shares per function from py-spy's collapsed stacks."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";")]
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    if total == 0:
        return "no samples\n"
    lines = [f"{total} active samples at {RATE_HZ} Hz (idle threads excluded)", "", "inclusive:"]
    lines += [f"  {100 * n / total:5.1f} %  {frame}" for frame, n in inclusive.most_common(top)]
    lines += ["", "self:"]
    lines += [f"  {100 * n / total:5.1f} %  {frame}" for frame, n in own.most_common(top)]
    return "\n".join(lines) + "\n"
