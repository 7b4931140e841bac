"""Run the benchmarks: ``python -m bench [part ...]`` (or ``make bench``); results go to bench/results/.

Parts: route, e2e, nlu, training, and three optional ones: cv (cross-validation alone; nlu runs it too),
whatif (Veiviser end to end with two outside fixes, see bench/whatif/; needs an
e2e result first) and scale (the production shape at 50 and 200 conversations, one and two Rasa
instances; needs PostgreSQL, Redis and nginx).
``nlu`` (old name ``heldout``) scores every held-out set through the whole stack, per language, then
cross-validates the NLU (``--no-cv`` leaves that out). ``--profile`` adds py-spy passes (Rasa, actions,
catalogue) to e2e and route.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bench import e2e_load, nlu, route_latency, scale_load, targets, training

DEFAULT_PARTS = ["route", "e2e", "nlu", "training"]
OPTIONAL_PARTS = ["cv", "whatif", "scale", "heldout"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("parts", nargs="*", metavar="part", help="route, e2e, nlu, training, cv, whatif, scale")
    parser.add_argument("--profile", action="store_true", help="record py-spy profiles in results/profiles/")
    parser.add_argument("--no-cv", action="store_true", help="nlu without the cross-validation")
    args = parser.parse_args(argv)
    parts: list[str] = args.parts or DEFAULT_PARTS
    unknown = sorted(set(parts) - {*DEFAULT_PARTS, *OPTIONAL_PARTS})
    if unknown:
        parser.error(f"unknown part(s): {', '.join(unknown)}")
    # One after the other, never at once: they share the same two cores.
    runners: dict[str, Callable[[], object]] = {
        "route": lambda: route_latency.main(profile=args.profile),
        "e2e": lambda: e2e_load.main(profile=args.profile),
        "nlu": lambda: nlu.main(cv=not args.no_cv),
        "heldout": lambda: nlu.main(cv=not args.no_cv),
        "training": training.main,
        "cv": nlu.cross_validation,
        "whatif": e2e_load.whatif,
        "scale": scale_load.main,
    }
    for part in parts:
        sys.stdout.write(f"== {part}\n")
        sys.stdout.flush()
        runners[part]()
    sys.stdout.write(targets.main())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
