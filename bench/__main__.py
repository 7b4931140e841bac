"""Run every benchmark: ``python -m bench`` (or ``make bench``)."""

from __future__ import annotations

from bench import route_latency


def main() -> int:
    route_latency.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
