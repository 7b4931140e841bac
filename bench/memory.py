"""Peak resident memory (RSS) of named processes and their children, sampled with psutil in a thread."""

from __future__ import annotations

import threading

import psutil

INTERVAL_S = 0.25


def tree_rss(pid: int) -> int:
    """RSS in bytes of a process and all its descendants (0 when it has gone)."""
    try:
        root = psutil.Process(pid)
        family = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for proc in family:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            continue  # a child that exited between listing and reading
    return total


class PeakMemory:
    """Samples every ``INTERVAL_S`` while running; ``peaks_mb`` is the highest tree RSS seen per name."""

    def __init__(self, pids: dict[str, int]) -> None:
        self._pids = dict(pids)
        self._peaks = dict.fromkeys(pids, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(INTERVAL_S)

    def sample(self) -> None:
        """Take one sample now."""
        for name, pid in self._pids.items():
            self._peaks[name] = max(self._peaks[name], tree_rss(pid))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sample()

    @property
    def peaks_mb(self) -> dict[str, float]:
        return {name: round(value / 2**20, 1) for name, value in self._peaks.items()}
