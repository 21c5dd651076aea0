"""The Python SDK against a real ``airlock serve`` on each engine (podman and Docker): one server, tenant and set of
keys per engine class, every sandbox, snapshot and the tenant removed at the end."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import sys
import tarfile
import tempfile
import threading
import time
import tracemalloc
import unittest
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from airlock import (  # noqa: E402
    AirlockClient,
    AirlockConnectionError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ExitEvent,
    FileInfo,
    Limits,
    Network,
    NotFoundError,
    PermissionDeniedError,
    StderrEvent,
    StdoutEvent,
)

from .serve import BASE_IMAGE, ServeProcess  # noqa: E402

SLEEP = ["sleep", "infinity"]


def _selected(engine: str) -> bool:
    return engine in os.environ.get("AIRLOCK_SDK_TEST_ENGINES", "podman,docker").split(",")


def _until(what, condition, seconds: float = 60.0):
    """Polls ``condition`` until it returns something true (a deadline, not a sleep standing in for an event)."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds} s")
        time.sleep(0.2)


class EngineSuite:
    """The tests; a subclass per engine sets ENGINE and is the unittest.TestCase."""

    ENGINE = ""
    serve: ServeProcess
    admin: AirlockClient
    op: AirlockClient
    viewer: AirlockClient
    tenant_admin: AirlockClient
    tenant: str

    @classmethod
    def setUpClass(cls) -> None:
        if not _selected(cls.ENGINE):
            raise unittest.SkipTest(f"{cls.ENGINE} is not in AIRLOCK_SDK_TEST_ENGINES")
        cls.serve = ServeProcess(cls.ENGINE)
        cls.tenant = f"pysdk-{cls.ENGINE}-{uuid.uuid4().hex[:8]}"
        try:
            cls.admin = AirlockClient(cls.serve.address, cls.serve.bootstrap_key)
            cls.admin.tenants.create(cls.tenant, display_name="python sdk tests")
            keys = {role: cls.admin.keys.create(cls.tenant, f"py-{role}", role).key for role in ("operator", "viewer", "admin")}
            cls.op_key = keys["operator"]
            cls.op = AirlockClient(cls.serve.address, keys["operator"])
            cls.viewer = AirlockClient(cls.serve.address, keys["viewer"])
            cls.tenant_admin = AirlockClient(cls.serve.address, keys["admin"])
        except BaseException:
            cls.serve.stop([cls.tenant])
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        try:
            for sandbox in list(cls.op.sandboxes.list()):
                cls.op.sandboxes.delete(sandbox.id)
            for snapshot in list(cls.op.snapshots.list()):
                cls.op.snapshots.delete(snapshot.id)
            cls.admin.tenants.delete(cls.tenant)
        finally:
            for client in (cls.admin, cls.op, cls.viewer, cls.tenant_admin):
                client.close()
            cls.serve.stop([cls.tenant])

    def _create(self, prefix: str, command=SLEEP, **kwargs):
        name = f"{prefix}-{uuid.uuid4().hex[:6]}"
        return self.op.sandboxes.create(name, BASE_IMAGE, command=command, **kwargs)

    # --- create, list, get, delete -----------------------------------------------------------------------------

    def test_create_get_list_delete(self):
        a = self._create("a", labels={"suite": "py", "which": "a"})
        b = self._create("b", labels={"suite": "py", "which": "b"})
        self.assertEqual(a.state, "running")
        self.assertEqual(a.tenant, self.tenant)
        self.assertEqual(a.image, BASE_IMAGE)

        got = self.viewer.sandboxes.get(a.id)
        self.assertEqual((got.id, got.name, got.labels["which"]), (a.id, a.name, "a"))

        one_by_one = [s.id for s in self.viewer.sandboxes.list(labels={"suite": "py"}, page_size=1)]
        self.assertIn(a.id, one_by_one)
        self.assertIn(b.id, one_by_one)
        self.assertEqual(len(one_by_one), len(set(one_by_one)), "a page repeated a sandbox")
        only_b = [s.id for s in self.viewer.sandboxes.list(labels={"which": "b"})]
        self.assertEqual(only_b, [b.id])
        self.assertIn(a.id, [s.id for s in self.viewer.sandboxes.list(state="running")])

        self.op.sandboxes.delete(a.id)
        self.op.sandboxes.delete(b.id)
        with self.assertRaises(NotFoundError):
            self.op.sandboxes.get(a.id)

    def test_create_sends_every_field(self):
        self.tenant_admin.secrets.set("PY_TOKEN", "s3cret-value", ["api.example.com"])
        box = self._create(
            "full",
            env={"GREETING": "hello"},
            labels={"team": "red"},
            working_directory="/tmp",
            limits=Limits(cpus=0.5, memory_bytes=256 * 1024 * 1024, pids=512),
            network=Network("allowlist", ("example.com",)),
            secrets=["PY_TOKEN"],
            isolation="container",
            timeout_seconds=3600,
            on_timeout="delete",
            idle_timeout_seconds=1800,
        )
        self.assertEqual(box.cpus, 0.5)
        self.assertEqual(box.memory_bytes, 256 * 1024 * 1024)
        self.assertEqual(box.network, Network("allowlist", ("example.com",)))
        self.assertEqual(box.secrets, ("PY_TOKEN",))
        self.assertEqual(box.isolation, "container")
        self.assertEqual(box.on_timeout, "delete")
        self.assertEqual(box.idle_timeout_seconds, 1800)
        self.assertIsNotNone(box.expires_at)
        result = self.op.sandboxes.exec(box.id, ["sh", "-c", 'echo "$GREETING $(pwd)"; test -n "$PY_TOKEN" && test "$PY_TOKEN" != s3cret-value'])
        self.assertEqual((result.exit_code, result.stdout), (0, "hello /tmp\n"), result.stderr)
        self.op.sandboxes.delete(box.id)
        self.tenant_admin.secrets.delete("PY_TOKEN")

    # --- exec ----------------------------------------------------------------------------------------------------

    def test_exec_buffered_keeps_streams_apart_with_exit_code_and_stdin(self):
        box = self._create("exec")
        result = self.op.sandboxes.exec(box.id, ["sh", "-c", "echo out; echo err >&2; exit 3"])
        self.assertEqual((result.exit_code, result.stdout, result.stderr, result.timed_out), (3, "out\n", "err\n", False))
        self.assertFalse(result.ok)
        fed = self.op.sandboxes.exec(box.id, ["cat"], stdin="from stdin\n", env={"X": "1"})
        self.assertEqual((fed.exit_code, fed.stdout), (0, "from stdin\n"))
        self.op.sandboxes.delete(box.id)

    def test_exec_stream_yields_each_line_while_the_command_runs(self):
        box = self._create("stream")
        go = f"/tmp/go-{uuid.uuid4().hex[:8]}"
        command = ["sh", "-c", f"echo ready; while [ ! -e {go} ]; do sleep 0.05; done; echo done; echo warn >&2; exit 7"]
        with self.op.sandboxes.exec_stream(box.id, command, timeout_seconds=120) as stream:
            first = next(stream)
            # The command cannot end before the file exists, and the file is made only now: the line came while it ran.
            self.assertEqual(first, StdoutEvent("ready\n"))
            self.assertEqual(self.op.sandboxes.exec(box.id, ["touch", go]).exit_code, 0)
            rest = list(stream)
        self.assertEqual("".join(e.data for e in rest if isinstance(e, StdoutEvent)), "done\n")
        self.assertEqual("".join(e.data for e in rest if isinstance(e, StderrEvent)), "warn\n")
        self.assertEqual(rest[-1], ExitEvent(exit_code=7, timed_out=False))
        self.assertEqual(stream.result, ExitEvent(exit_code=7, timed_out=False))
        self.op.sandboxes.delete(box.id)

    def test_exec_stream_past_its_time_limit_ends_timed_out(self):
        box = self._create("slow")
        events = list(self.op.sandboxes.exec_stream(box.id, ["sh", "-c", "echo started; sleep 600"], timeout_seconds=1))
        self.assertEqual(events[0], StdoutEvent("started\n"))
        self.assertEqual(events[-1], ExitEvent(exit_code=None, timed_out=True))
        buffered = self.op.sandboxes.exec(box.id, ["sleep", "600"], timeout_seconds=1)
        self.assertTrue(buffered.timed_out)
        self.assertIsNone(buffered.exit_code)
        self.op.sandboxes.delete(box.id)

    # --- lifetimes -----------------------------------------------------------------------------------------------

    def test_pause_refuses_exec_until_resume(self):
        box = self._create("pause")
        self.assertEqual(self.op.sandboxes.pause(box.id).state, "paused")
        with self.assertRaises(ConflictError) as refused:
            self.op.sandboxes.exec(box.id, ["true"])
        self.assertEqual(refused.exception.status, 409)
        self.assertEqual(self.op.sandboxes.resume(box.id).state, "running")
        self.assertEqual(self.op.sandboxes.exec(box.id, ["echo", "back"]).stdout, "back\n")
        self.op.sandboxes.delete(box.id)

    def test_set_timeout_moves_the_end_and_the_sandbox_stops_then(self):
        box = self._create("timeout")
        self.assertIsNone(box.expires_at)
        later = self.op.sandboxes.set_timeout(box.id, 3600)
        now = datetime.now(timezone.utc)
        self.assertIsNotNone(later.expires_at)
        self.assertLess(abs(later.expires_at - (now + timedelta(seconds=3600))), timedelta(seconds=60))
        self.assertEqual(later.on_timeout, "stop")
        self.op.sandboxes.set_timeout(box.id, 1)
        # Waits for the lifetime pass's own last write (stopped, with why in error): a GET made while that stop is under
        # way already sees the process gone and shows "exited", and a start in that window races the pass (a server
        # race: the engine may refuse the start, or the pass's write may record a restarted sandbox as stopped).
        ended = _until("the timeout's stop", lambda: (s := self.op.sandboxes.get(box.id)).state == "stopped" and s.error and s)
        self.assertIn("timeout", ended.error)
        self.assertIsNone(ended.expires_at)
        started = self.op.sandboxes.start(box.id)
        self.assertEqual(started.state, "running")
        self.op.sandboxes.stop(box.id)
        self.op.sandboxes.delete(box.id)

    # --- snapshots -----------------------------------------------------------------------------------------------

    def test_snapshot_restore_and_create_from_it(self):
        box = self._create("snap")
        self.op.sandboxes.exec(box.id, ["sh", "-c", "echo v1 > /tmp/marker"])
        snap = self.op.snapshots.create(box.id, f"before-{uuid.uuid4().hex[:6]}")
        self.assertEqual((snap.state, snap.sandbox_id), ("ready", box.id))
        self.assertEqual(self.viewer.snapshots.get(snap.id).name, snap.name)
        self.assertIn(snap.id, [s.id for s in self.viewer.snapshots.list(page_size=1)])

        self.op.sandboxes.exec(box.id, ["sh", "-c", "echo v2 > /tmp/marker"])
        restored = self.op.snapshots.restore(box.id, snap.id)
        self.assertEqual(restored.id, box.id)
        self.assertEqual(self.op.sandboxes.exec(box.id, ["cat", "/tmp/marker"]).stdout, "v1\n")

        copy = self.op.sandboxes.create(f"copy-{uuid.uuid4().hex[:6]}", snapshot=snap.id, command=SLEEP)
        self.assertEqual(self.op.sandboxes.exec(copy.id, ["cat", "/tmp/marker"]).stdout, "v1\n")
        with self.assertRaises(ConflictError):
            self.op.snapshots.delete(snap.id)
        self.op.sandboxes.delete(copy.id)
        self.op.sandboxes.delete(box.id)
        self.op.snapshots.delete(snap.id)
        with self.assertRaises(NotFoundError):
            self.op.snapshots.get(snap.id)

    # --- logs ----------------------------------------------------------------------------------------------------

    def test_logs_as_text_and_followed(self):
        go = f"/tmp/go-{uuid.uuid4().hex[:8]}"
        box = self._create("logs", command=["sh", "-c", f"echo first; echo oops >&2; while [ ! -e {go} ]; do sleep 0.05; done; echo second"])
        def both_lines():
            text = self.viewer.sandboxes.logs(box.id)
            return text if "first" in text and "oops" in text else None

        text = _until("the first log lines", both_lines)
        self.assertIn("first\n", text)
        with self.viewer.sandboxes.follow_logs(box.id, timeout=120) as follow:
            seen = ""
            for chunk in follow:
                seen += chunk
                if "first" in seen:
                    break
            self.assertEqual(self.op.sandboxes.exec(box.id, ["touch", go]).exit_code, 0)
            for chunk in follow:
                seen += chunk
        self.assertIn("second", seen)
        self.assertEqual(self.viewer.sandboxes.logs(box.id, tail=1), "second\n")
        self.op.sandboxes.delete(box.id)

    def test_the_readme_session_runs_as_written(self):
        readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
        code = readme.split("```python\n", 1)[1].split("```", 1)[0]
        code = code.replace('server="http://127.0.0.1:8470", token="alk_..."', f'server="{self.serve.address}", token="{self.op_key}"')
        code = code.replace('"build-1"', f'"readme-{uuid.uuid4().hex[:6]}"')
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            exec(compile(code, "README.md", "exec"), {})
        self.assertEqual(out.getvalue(), "1\n2\n3\nexit 0 \n")
        self.assertEqual(err.getvalue(), "done\n")

    # --- files ---------------------------------------------------------------------------------------------------

    def test_file_round_trip_upload_stat_list_download_move_delete(self):
        box = self._create("files")
        work = f"/tmp/work-{uuid.uuid4().hex[:8]}"
        made = self.op.files.mkdir(box.id, f"{work}/sub", parents=True)
        self.assertEqual((made.kind, made.path), ("directory", f"{work}/sub"))
        data = bytes([0, 1, 2, 255, 10, 13, 0x80, 0x7F])
        written = self.op.files.upload(box.id, f"{work}/sub/data.bin", data, mode=0o600)
        self.assertEqual((written.kind, written.size, written.mode), ("file", len(data), "0600"))
        self.assertEqual(self.viewer.files.download(box.id, f"{work}/sub/data.bin"), data)
        self.op.files.upload(box.id, f"{work}/hello.txt", "héllo\n")
        self.assertEqual(self.op.sandboxes.exec(box.id, ["cat", f"{work}/hello.txt"]).stdout, "héllo\n")
        self.op.files.upload(box.id, f"{work}/chunks.txt", iter([b"one ", b"two ", b"three\n"]))
        self.assertEqual(self.viewer.files.download(box.id, f"{work}/chunks.txt"), b"one two three\n")

        stat = self.viewer.files.stat(box.id, f"{work}/sub/data.bin")
        self.assertIsInstance(stat, FileInfo)
        self.assertEqual((stat.name, stat.kind, stat.size), ("data.bin", "file", 8))
        self.assertIsNotNone(stat.modified)
        entries = self.viewer.files.list(box.id, work)
        self.assertEqual([(e.name, e.kind) for e in entries], [("chunks.txt", "file"), ("hello.txt", "file"), ("sub", "directory")])

        moved = self.op.files.move(box.id, f"{work}/sub/data.bin", f"{work}/moved.bin")
        self.assertEqual(moved.path, f"{work}/moved.bin")
        with self.assertRaises(NotFoundError):
            self.viewer.files.stat(box.id, f"{work}/sub/data.bin")
        with self.assertRaises(ConflictError):
            self.op.files.delete(box.id, work)
        self.op.files.delete(box.id, f"{work}/moved.bin")
        self.op.files.delete(box.id, work, recursive=True)
        with self.assertRaises(NotFoundError):
            self.viewer.files.list(box.id, work)
        with self.assertRaises(PermissionDeniedError):
            self.viewer.files.upload(box.id, "/tmp/nope", b"x")
        self.op.sandboxes.delete(box.id)

    def test_a_20_mb_file_streams_in_and_out_of_a_local_path(self):
        box = self._create("bigfile")
        local = Path(tempfile.mkdtemp(prefix="pysdk-big-"))
        try:
            source, copy = local / "source.bin", local / "copy.bin"
            digest = hashlib.sha256()
            with open(source, "wb") as f:
                for _ in range(20):
                    part = os.urandom(1024 * 1024)
                    digest.update(part)
                    f.write(part)
            expected = digest.hexdigest()
            # Neither way holds the file: what Python allocates meanwhile stays far below its 20 MB.
            tracemalloc.start()
            try:
                written = self.op.files.upload_file(box.id, "/tmp/big.bin", source)
                count = self.viewer.files.download_file(box.id, "/tmp/big.bin", copy)
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            self.assertEqual((written.size, count), (20 * 1024 * 1024, 20 * 1024 * 1024))
            self.assertLess(peak, 6 * 1024 * 1024, f"the transfers allocated {peak} bytes at once")
            self.assertEqual(self.op.sandboxes.exec(box.id, ["sha256sum", "/tmp/big.bin"]).stdout.split()[0], expected)
            with open(copy, "rb") as f:
                self.assertEqual(hashlib.file_digest(f, "sha256").hexdigest(), expected)
            self.assertEqual(sorted(p.name for p in local.iterdir()), ["copy.bin", "source.bin"])
        finally:
            shutil.rmtree(local, ignore_errors=True)
        self.op.sandboxes.delete(box.id)

    def test_tar_round_trip_streamed_both_ways(self):
        box = self._create("tar")
        tar_bytes = io.BytesIO()
        with tarfile.open(fileobj=tar_bytes, mode="w") as tar:
            for name, text in (("a.txt", b"alpha\n"), ("nested/b.txt", b"beta\n")):
                info = tarfile.TarInfo(name)
                info.size = len(text)
                tar.addfile(info, io.BytesIO(text))
        tar_bytes.seek(0)
        self.op.files.mkdir(box.id, "/tmp/in", parents=True)
        self.op.files.upload_archive(box.id, "/tmp/in", tar_bytes)
        self.assertEqual(self.op.sandboxes.exec(box.id, ["cat", "/tmp/in/a.txt", "/tmp/in/nested/b.txt"]).stdout, "alpha\nbeta\n")

        with self.viewer.files.download_archive(box.id, "/tmp/in") as stream, tarfile.open(fileobj=stream, mode="r|") as tar:
            got = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}
        self.assertEqual(got, {"in/a.txt": b"alpha\n", "in/nested/b.txt": b"beta\n"})

        evil = io.BytesIO()
        with tarfile.open(fileobj=evil, mode="w") as tar:
            info = tarfile.TarInfo("../escape.txt")
            info.size = 1
            tar.addfile(info, io.BytesIO(b"x"))
        with self.assertRaises(BadRequestError) as refused:
            self.op.files.upload_archive(box.id, "/tmp/in", evil.getvalue())
        self.assertTrue(any(e.path.startswith("body.entries[") and ".." in e.message for e in refused.exception.errors), refused.exception.problem.raw)
        self.op.sandboxes.delete(box.id)

    def test_a_path_that_climbs_out_is_refused_naming_it(self):
        box = self._create("traverse")
        for call in (lambda: self.viewer.files.download(box.id, "/tmp/../etc/passwd"), lambda: self.op.files.upload(box.id, "/tmp/../etc/evil", b"x")):
            with self.assertRaises(BadRequestError) as refused:
                call()
            self.assertEqual(refused.exception.status, 400)
            fields = {e.path: e.message for e in refused.exception.errors}
            self.assertIn("query.path", fields, refused.exception.problem.raw)
            self.assertIn("/tmp/../etc/", fields["query.path"])
            self.assertIn("query.path", str(refused.exception))
        with self.assertRaises(NotFoundError) as missing:
            self.viewer.files.stat(box.id, "/tmp/not-there")
        self.assertIn("/tmp/not-there", str(missing.exception))
        self.op.sandboxes.delete(box.id)

    # --- errors --------------------------------------------------------------------------------------------------

    def test_invalid_create_is_a_400_naming_every_bad_field(self):
        with self.assertRaises(BadRequestError) as bad:
            self.op.sandboxes.create("Not A Name", BASE_IMAGE, command=SLEEP, limits=Limits(cpus=-1))
        problem = bad.exception.problem
        self.assertEqual(problem.status, 400)
        paths = [e.path for e in problem.errors]
        self.assertIn("sandbox.limits.cpus", paths)
        self.assertIn("sandbox.name", paths)
        self.assertTrue(problem.title)
        self.assertIn("sandbox.limits.cpus", str(bad.exception))

    def test_missing_sandbox_is_a_404_with_problem_details(self):
        with self.assertRaises(NotFoundError) as missing:
            self.viewer.sandboxes.get("sbnothere000")
        self.assertEqual(missing.exception.status, 404)
        self.assertTrue(missing.exception.detail)
        with self.assertRaises(NotFoundError):
            self.op.sandboxes.exec_stream("sbnothere000", ["true"])

    def test_viewer_may_read_but_not_create(self):
        with self.assertRaises(PermissionDeniedError) as denied:
            self.viewer.sandboxes.create("nope", BASE_IMAGE, command=SLEEP)
        self.assertEqual(denied.exception.status, 403)
        self.assertTrue(denied.exception.title)
        list(self.viewer.sandboxes.list())

    def test_wrong_token_is_a_401(self):
        with AirlockClient(self.serve.address, "alk_nope_nope") as stranger:
            with self.assertRaises(AuthenticationError) as refused:
                stranger.sandboxes.get("sbnothere000")
        self.assertEqual(refused.exception.status, 401)

    def test_secrets_are_set_listed_and_deleted_never_read_back(self):
        name = f"PY_{uuid.uuid4().hex[:6].upper()}"
        created = self.tenant_admin.secrets.set(name, "value-1", ["api.example.com"], inject="header:X-Key")
        self.assertEqual((created.name, created.variable, created.hosts), (name, name, ("api.example.com",)))
        self.assertIn(name, [s.name for s in self.tenant_admin.secrets.list()])
        self.assertEqual(self.admin.secrets.get(name, tenant=self.tenant).inject, created.inject)
        self.assertNotIn("value-1", repr(self.tenant_admin.secrets.get(name)))
        with self.assertRaises(PermissionDeniedError):
            self.op.secrets.list(tenant=self.tenant)
        self.tenant_admin.secrets.delete(name)
        with self.assertRaises(NotFoundError):
            self.tenant_admin.secrets.get(name)

    def test_calls_share_one_kept_alive_connection(self):
        with AirlockClient(self.serve.address, self.serve.bootstrap_key) as client:
            client.tenants.get(self.tenant)
            (first,) = client._http._idle
            socket_before = first.sock
            client.tenants.get(self.tenant)
            self.assertEqual(client._http._idle, [first])
            self.assertIs(first.sock, socket_before)

    def test_a_call_from_another_thread_does_not_wait_for_a_running_one(self):
        box = self._create("threads")
        tag = uuid.uuid4().hex[:8]
        started, go = f"/tmp/started-{tag}", f"/tmp/go-{tag}"
        waiting: list = []
        waiter = threading.Thread(target=lambda: waiting.append(self.op.sandboxes.exec(
            box.id, ["sh", "-c", f"touch {started}; while [ ! -e {go} ]; do sleep 0.05; done; echo released"], timeout_seconds=60)))
        waiter.start()
        # Once the first exec is running, the calls below, on the same client, must not queue behind it: it ends only
        # when they have run.
        _until("the first exec's start", lambda: self.op.sandboxes.exec(box.id, ["test", "-e", started]).exit_code == 0)
        self.assertEqual(self.op.sandboxes.exec(box.id, ["touch", go]).exit_code, 0)
        waiter.join(90)
        self.assertEqual(waiting[0].stdout, "released\n")
        self.assertFalse(waiting[0].timed_out)
        self.op.sandboxes.delete(box.id)


class PodmanTests(EngineSuite, unittest.TestCase):
    ENGINE = "podman"


class DockerTests(EngineSuite, unittest.TestCase):
    ENGINE = "docker"


class ConnectionTests(unittest.TestCase):
    def test_unreachable_server_is_a_connection_error_naming_it(self):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = f"http://127.0.0.1:{port}"
        with AirlockClient(server, "t") as client:
            with self.assertRaises(AirlockConnectionError) as failed:
                client.sandboxes.get("x")
        self.assertIn(server, str(failed.exception))
        self.assertIn("AIRLOCK_SERVER", str(failed.exception))

    def test_defaults_come_from_the_environment(self):
        old = {k: os.environ.get(k) for k in ("AIRLOCK_SERVER", "AIRLOCK_TOKEN")}
        os.environ["AIRLOCK_SERVER"] = "http://example.invalid:1234/"
        os.environ["AIRLOCK_TOKEN"] = "tok"
        try:
            client = AirlockClient()
            self.assertEqual(client.server, "http://example.invalid:1234")
            self.assertEqual(client._http._token, "tok")
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


if __name__ == "__main__":
    unittest.main()
