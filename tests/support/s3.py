"""A real S3-compatible server on loopback (moto's, from the dev extra), for tests and benches.

`s3_server()` starts `python -m moto.server` on a free port in a process of its own, creates a
private bucket in it and stops it afterwards. The site talks to it over HTTP exactly as to any
provider (django-storages and boto3, signed addresses): nothing in the code under test is mocked.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

# moto accepts any credentials; these are the ones its documentation uses.
ACCESS_KEY = "testing"
SECRET_KEY = "testing"  # noqa: S105
REGION = "eu-west-1"


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    bucket: str

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def names(self, prefix: str = "") -> set[str]:
        """Every object name in the bucket that starts with `prefix`."""
        listing = self.client().list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return {item["Key"] for item in listing.get("Contents", [])}

    def read(self, name: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=name)["Body"].read()

    def environment(self) -> dict[str, str]:
        """The variables that put a deployment's photos in this bucket (see settings.py)."""
        return {
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):  # noqa: S310
            return True
    except OSError:
        return False


@contextlib.contextmanager
def s3_server(bucket: str = "memorial-photos") -> Iterator[S3Server]:
    """moto's S3 server on a free loopback port, with a private `bucket`; stopped afterwards."""
    port = _free_port()
    server = S3Server(endpoint=f"http://127.0.0.1:{port}", bucket=bucket)
    # moto logs every request: to a file, since a pipe nobody reads would fill and stop it.
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 30
            while not _answers(server.endpoint):
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    log.seek(0)
                    raise RuntimeError(f"moto's S3 server did not start: {log.read()[-2000:]}")
                time.sleep(0.1)
            server.client().create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
