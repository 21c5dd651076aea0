"""A PEP 517 build backend in the standard library only: a pure-Python wheel of src/airlock, and an sdist.

pip's build isolation would fetch setuptools from an index; this backend needs nothing, so the SDK installs offline.
The project's name and version are read from pyproject.toml (tomllib, Python 3.11+).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import tomllib
import zipfile
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
_PACKAGE = "airlock"


def _project() -> dict:
    with open(_ROOT / "pyproject.toml", "rb") as f:
        project = dict(tomllib.load(f)["project"])
    # The version is written once, in the package, where the client's User-Agent reads it too.
    text = (_ROOT / "src" / _PACKAGE / "_version.py").read_text(encoding="utf-8")
    project["version"] = re.search(r'__version__ = "([^"]+)"', text).group(1)
    return project


def _dist_name(project: dict) -> str:
    return project["name"].replace("-", "_")


def _metadata(project: dict) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project.get('description', '')}",
        f"Requires-Python: {project.get('requires-python', '>=3.11')}",
        "Description-Content-Type: text/markdown",
    ]
    readme = _ROOT / project.get("readme", "README.md")
    body = readme.read_text(encoding="utf-8") if readme.exists() else ""
    return "\n".join(lines) + "\n\n" + body


def _files() -> list[Path]:
    src = _ROOT / "src"
    return sorted(p for p in (src / _PACKAGE).rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix in (".py", ".typed"))


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _wheel(wheel_directory: str, editable: bool) -> str:
    project = _project()
    dist = _dist_name(project)
    version = project["version"]
    filename = f"{dist}-{version}-py3-none-any.whl"
    info = f"{dist}-{version}.dist-info"
    entries: list[tuple[str, bytes]] = []
    if editable:
        entries.append((f"{dist}.pth", (str(_ROOT / "src") + "\n").encode()))
    else:
        for path in _files():
            entries.append((path.relative_to(_ROOT / "src").as_posix(), path.read_bytes()))
    entries.append((f"{info}/METADATA", _metadata(project).encode()))
    entries.append((f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: airlock-backend\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    record = [_record_line(n, d) for n, d in entries] + [f"{info}/RECORD,,"]
    entries.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as whl:
        for name, data in entries:
            whl.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return filename


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, editable=False)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, editable=True)


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    base = f"{_dist_name(project)}-{project['version']}"
    filename = f"{base}.tar.gz"
    members = [_ROOT / "pyproject.toml", _ROOT / "README.md", _ROOT / "_build" / "backend.py", *_files()]
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as tar:
        for path in members:
            if path.exists():
                tar.add(path, arcname=f"{base}/{path.relative_to(_ROOT).as_posix()}")
        pkg_info = _metadata(project).encode()
        ti = tarfile.TarInfo(f"{base}/PKG-INFO")
        ti.size = len(pkg_info)
        tar.addfile(ti, io.BytesIO(pkg_info))
    return filename
