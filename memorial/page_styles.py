"""The site's stylesheet, written into each page's head instead of linked.

A linked stylesheet holds back the first paint for a round trip on a phone's network (Lighthouse's
render-blocking audit); ours is small once Bootstrap is cut down to the rules our pages use, so
every page carries all of it in one `<style>` element. The Content Security Policy allows that
one element by its SHA-256 hash (settings.SECURE_CSP), never 'unsafe-inline'. The print
stylesheet stays a link with media="print", which does not block rendering.

The drawings the stylesheet uses (emblems, the wall's candle, form marks) are linked by their static
address, not carried inside it as data: an SVG inside the stylesheet is parsed into its own
document during the page's first style calculation, which was most of a phone's blocking time;
linked, it loads in its own small task, once for every page.

static/css/bootstrap-used.css is written by `manage.py make_page_styles` (after a Bootstrap
upgrade, or when a template starts using a Bootstrap class not used before; a test says when).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
STATIC = BASE_DIR / "static"
BOOTSTRAP_USED = STATIC / "css" / "bootstrap-used.css"
# In the order the cascade needs: Bootstrap first, our own rules after it.
PAGE_STYLESHEETS = [BOOTSTRAP_USED, STATIC / "css" / "site.css", STATIC / "css" / "keepsake.css"]
# Class names made in templates from variables: `alert-{{ message.tags }}` (messages' levels).
DYNAMIC_CLASSES = {"alert-debug", "alert-info", "alert-success", "alert-warning", "alert-error"}

_RELATIVE_IMAGE = re.compile(r'url\("\.\./(img/[^"]+\.svg)"\)')
# Comments, but for licences (/*! ... */, which Bootstrap's must keep).
_COMMENT = re.compile(r"/\*(?!!).*?\*/", re.S)
_SPACES = re.compile(r"\s+")
# Where a space means nothing: around braces, semicolons, commas and the child combinator.
# Never around ":" (".a :hover" is not ".a:hover") nor "+" and "-" (calc() needs them).
_SPACE_AROUND = re.compile(r" ?([{};,>]) ?")
# The space after a property's colon (a property name follows "{" or ";"; a selector never does).
_AFTER_PROPERTY = re.compile(r"([{;][-\w]+): ")


def static_name(name: str, hashed: bool) -> str:
    """`name` as collectstatic's manifest storage names it (its content's MD5, 12 digits), or as is.

    The same rule as Django's HashedFilesMixin, for files it does not rewrite (images): worked out
    here because settings need the stylesheet's hash before the storage can be asked.
    """
    if not hashed:
        return name
    digest = hashlib.md5((STATIC / name).read_bytes(), usedforsecurity=False).hexdigest()[:12]
    root, dot, extension = name.rpartition(".")
    return f"{root}.{digest}{dot}{extension}"


@functools.cache
def inline_css(static_url: str, hashed: bool) -> str:
    """The text of the page's `<style>` element (read once per process).

    `static_url` is STATIC_URL as served ("/static/"); `hashed` says whether the static storage
    serves hashed names (production) or plain ones (development and tests).
    """
    parts = [minified(path.read_text(encoding="utf-8")) for path in PAGE_STYLESHEETS]
    text = "\n".join(parts)
    # A relative address would be read against the page's own address once inlined.
    return _RELATIVE_IMAGE.sub(
        lambda match: f'url("{static_url}{static_name(match.group(1), hashed)}")', text
    )


def minified(css: str) -> str:
    """`css` without its comments and the spaces nothing needs: the same rules, fewer bytes in
    every page (our own stylesheets keep their notes and layout in the source)."""
    text = _SPACES.sub(" ", _COMMENT.sub("", css))
    text = _SPACE_AROUND.sub(r"\1", text).replace(";}", "}")
    return _AFTER_PROPERTY.sub(r"\1:", text).strip()


def csp_hash(static_url: str, hashed: bool) -> str:
    """The CSP source that allows exactly the page's `<style>` element."""
    digest = hashlib.sha256(inline_css(static_url, hashed).encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def words_in(paths: Iterable[Path]) -> set[str]:
    """Every word that could be a class name in these files (generous: prose counts too)."""
    found = set(DYNAMIC_CLASSES)
    for path in paths:
        found.update(re.findall(r"[A-Za-z][A-Za-z0-9_-]*", path.read_text(encoding="utf-8")))
    return found


def _classes_of(selector: str) -> set[str]:
    # A class only inside :not(...) is not needed for the rule to apply.
    selector = re.sub(r":not\([^()]*\)", "", selector)
    return set(re.findall(r"\.(-?[A-Za-z_][\w-]*)", selector))


def _split_selectors(prelude: str) -> list[str]:
    selectors, depth, current = [], 0, ""
    for character in prelude:
        depth += character in "(["
        depth -= character in ")]"
        if character == "," and depth == 0:
            selectors.append(current)
            current = ""
        else:
            current += character
    return [*selectors, current]


def used_rules(css: str, used: set[str]) -> str:
    """`css` keeping only the selectors whose every class is in `used` (and at-rules around them)."""
    import tinycss2

    def kept(rules) -> list[str]:
        out = []
        for rule in rules:
            if rule.type == "qualified-rule":
                prelude = tinycss2.serialize(rule.prelude).strip()
                selectors = [s for s in _split_selectors(prelude) if _classes_of(s) <= used]
                if selectors:
                    body = tinycss2.serialize(rule.content).strip()
                    out.append(",".join(s.strip() for s in selectors) + "{" + body + "}")
            elif rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports"}:
                inner = kept(tinycss2.parse_rule_list(rule.content, skip_whitespace=True))
                if inner:
                    prelude = tinycss2.serialize(rule.prelude).strip()
                    out.append(f"@{rule.at_keyword} {prelude}{{{''.join(inner)}}}")
            elif rule.type == "at-rule" and rule.lower_at_keyword != "charset":
                out.append(tinycss2.serialize([rule]).strip())
        return out

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    text = "".join(kept(rules))
    # Keyframes no kept rule animates are dropped.
    for match in re.finditer(r"@keyframes ([\w-]+)\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", text):
        if text.count(match.group(1)) == 1:
            text = text.replace(match.group(0), "")
    return text
