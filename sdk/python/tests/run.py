"""Runs the SDK's tests (unittest) and, with --counts FILE, writes ``passed=N failed=N skipped=N`` for scripts/test.sh.

A run that breaks (an import error, a server that does not start, no test run at all) counts as failed, never as green.
Usage: python3 sdk/python/tests/run.py [--counts FILE] [unittest names...]
"""

from __future__ import annotations

import argparse
import re
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent


_CLASS_FIXTURE = re.compile(r"^(setUpClass|tearDownClass) \((.+)\)$")


def _tests(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from _tests(item)
        else:
            yield item


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parents[0]))  # sdk/python, so "tests" is a package
    loader = unittest.TestLoader()
    passed = failed = skipped = 0
    try:
        suite = loader.loadTestsFromNames(args.names) if args.names else loader.discover(str(HERE), top_level_dir=str(HERE.parent))
        # A class whose setUpClass breaks (or skips) is one entry in unittest's result; each of its tests is then counted
        # as failed (or skipped). Counted before the run: a suite lets go of its tests as it runs them.
        per_class: dict[str, int] = {}
        for test in _tests(suite):
            key = f"{type(test).__module__}.{type(test).__qualname__}"
            per_class[key] = per_class.get(key, 0) + 1
        result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
        failed = len(result.failures) + len(result.unexpectedSuccesses) + len(loader.errors)
        for test, _ in result.errors:
            holder = _CLASS_FIXTURE.match(str(test)) if not isinstance(test, unittest.TestCase) else None
            failed += per_class.get(holder.group(2), 1) if holder else 1
        skipped_tests = sum(1 for test, _ in result.skipped if isinstance(test, unittest.TestCase))
        skipped = skipped_tests
        for test, _ in result.skipped:
            holder = _CLASS_FIXTURE.match(str(test)) if not isinstance(test, unittest.TestCase) else None
            skipped += (per_class.get(holder.group(2), 1) if holder else 1) if not isinstance(test, unittest.TestCase) else 0
        passed = max(0, result.testsRun - len(result.failures) - sum(1 for t, _ in result.errors if isinstance(t, unittest.TestCase))
                     - skipped_tests - len(result.expectedFailures) - len(result.unexpectedSuccesses))
        if result.testsRun == 0:
            failed += 1
            print("no test ran", file=sys.stderr)
    except BaseException as e:  # noqa: BLE001: whatever broke the run is a failure to count
        print(f"the test run broke: {type(e).__name__}: {e}", file=sys.stderr)
        failed += 1
    if args.counts:
        Path(args.counts).write_text(f"passed={passed} failed={failed} skipped={skipped}\n")
    print(f"python sdk: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
