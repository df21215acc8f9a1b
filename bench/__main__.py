"""`python -m bench [NAME ...]`: run benchmarks, print one line per figure, and exit 1 when a
figure misses its target."""

from __future__ import annotations

import argparse
import importlib
import sys

from bench.results import Result

BENCHMARKS = (
    "echo",
    "parse",
    "replies",
    "roster",
    "planner",
    "summary",
    "broadcast",
    "webhook",
    "zalo",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"default all: {', '.join(BENCHMARKS)}"
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    results: list[Result] = []
    for name in args.names or BENCHMARKS:
        for result in importlib.import_module(f"bench.{name}").run():
            print(result.line(), flush=True)
            results.append(result)
    return 0 if all(result.met for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
