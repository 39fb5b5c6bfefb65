"""Pages paint at once: the stylesheet is in each page's head, allowed by its hash, never linked."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.management import call_command

from memorial import page_styles
from tests.support.factories import CandleEventFactory, MemorialFactory
from tributes.management.commands.make_page_styles import bootstrap_used

pytestmark = pytest.mark.django_db


def test_the_bootstrap_we_serve_is_cut_from_bootstrap_for_the_classes_our_pages_use():
    # When this fails a template uses a Bootstrap class not used before: run
    # `manage.py make_page_styles` and commit static/css/bootstrap-used.css.
    assert page_styles.BOOTSTRAP_USED.read_text(encoding="utf-8") == bootstrap_used()
    served = page_styles.inline_css("/static/", True)
    for used in [".btn-primary", ".form-control", ".visually-hidden", ".d-flex"]:
        assert used + "{" in served or used + "," in served
    for unused in [".carousel", ".offcanvas", ".navbar-toggler", ".tooltip"]:
        assert unused not in served


@pytest.mark.parametrize("page", ["home", "memorial", "event"])
def test_each_page_carries_its_stylesheet_and_the_policy_allows_exactly_that(client, page):
    memorial = MemorialFactory(name="Teddy Ashby")
    url = {
        "home": "/",
        "memorial": memorial.get_absolute_url(),
        "event": CandleEventFactory(memorial=memorial).get_absolute_url(),
    }[page]
    response = client.get(url)
    html = response.text
    [style] = re.findall(r"<style>(.*?)</style>", html, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response["Content-Security-Policy"]
    # Nothing holds back the first paint: the only linked stylesheet is for printing.
    links = re.findall(r'<link rel="stylesheet"[^>]*>', html)
    assert all('media="print"' in link for link in links)
    # The drawings the stylesheet uses are linked by their static address (a relative one would
    # be read against the page's), and exist.
    assert "../img/" not in style
    drawings = re.findall(r'url\("/static/([^"]+)"\)', style)
    assert "img/emblems/candle.svg" in drawings
    assert all(finders.find(name) for name in drawings)


def test_in_production_the_stylesheet_links_its_drawings_by_the_names_collectstatic_gives_them():
    storage = ManifestStaticFilesStorage(location=page_styles.STATIC)
    style = page_styles.inline_css("/static/", True)
    drawings = re.findall(r'url\("/static/([^"]+)"\)', style)
    assert drawings
    for name in drawings:
        original = re.sub(r"\.[0-9a-f]{12}\.svg$", ".svg", name)
        assert name == storage.hashed_name(original)
    # Bootstrap's marks that forms show are ours, linked too.
    assert any(name.startswith("img/forms/check.") for name in drawings)


def test_make_page_styles_writes_the_file_it_checks(tmp_path, monkeypatch):
    target = tmp_path / "bootstrap-used.css"
    monkeypatch.setattr(page_styles, "BOOTSTRAP_USED", target)
    call_command("make_page_styles")
    assert target.read_text(encoding="utf-8") == bootstrap_used()


def _rules(css: str) -> list[tuple]:
    """Every rule of `css` as (enclosing at-rules, selector, declarations), spaces normalised
    only where they never mean anything."""
    import tinycss2

    def plain(tokens) -> str:
        text = re.sub(r"\s+", " ", tinycss2.serialize(tokens))
        return re.sub(r" ?([,>]) ?", r"\1", text).strip()

    found = []

    def walk(rules, within: tuple) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":
                declarations = tinycss2.parse_declaration_list(
                    rule.content, skip_comments=True, skip_whitespace=True
                )
                found.append(
                    (
                        within,
                        plain(rule.prelude),
                        [(d.lower_name, plain(d.value), d.important) for d in declarations],
                    )
                )
            elif rule.type == "at-rule":
                inner = tinycss2.parse_rule_list(
                    rule.content or [], skip_comments=True, skip_whitespace=True
                )
                walk(inner, (*within, rule.lower_at_keyword, plain(rule.prelude)))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), ())
    return found


@pytest.mark.parametrize("path", page_styles.PAGE_STYLESHEETS, ids=lambda path: path.name)
def test_the_page_carries_each_stylesheet_smaller_with_every_rule_unchanged(path):
    source = path.read_text(encoding="utf-8")
    served = page_styles.minified(source)
    assert _rules(served) == _rules(source)
    assert len(served) < len(source)
    # Bootstrap's licence stays with it; our notes stay in the source.
    assert served.count("/*") == source.count("/*!")


def test_the_minifier_keeps_the_spaces_that_mean_something():
    css = ".a :hover, .b > .c + .d { width: calc(100% - 2rem); margin: 0 auto; }"
    assert (
        page_styles.minified(css) == ".a :hover,.b>.c + .d{width:calc(100% - 2rem);margin:0 auto}"
    )
