"""``pip install ./sdk/python`` works with no package index: the wheel builds from the in-tree backend alone."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import unittest
import zipfile
from pathlib import Path

SDK = Path(__file__).resolve().parents[1]


class PackagingTests(unittest.TestCase):
    @unittest.skipUnless(importlib.util.find_spec("pip"), "pip is not installed for this python")
    def test_the_wheel_builds_without_an_index(self):
        with tempfile.TemporaryDirectory() as out:
            built = subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "--no-index", "--no-deps", "--no-cache-dir", "-q", "-w", out, str(SDK)],
                capture_output=True, text=True, timeout=120,
            )
            self.assertEqual(built.returncode, 0, built.stdout + built.stderr)
            (wheel,) = Path(out).glob("airlock_sdk-*-py3-none-any.whl")
            names = zipfile.ZipFile(wheel).namelist()
        self.assertIn("airlock/client.py", names)
        self.assertIn("airlock/py.typed", names)
        self.assertFalse([n for n in names if "__pycache__" in n or n.startswith("tests/")], names)
