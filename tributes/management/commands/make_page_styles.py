"""Write static/css/bootstrap-used.css: Bootstrap cut down to the rules our pages use (memorial/page_styles.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from memorial import page_styles


def package_dir(name: str) -> Path:
    return Path(importlib.util.find_spec(name).origin).parent


def class_sources() -> list[Path]:
    """Every file a class name on our pages can come from: our templates, scripts and Python (form
    widgets), and the packages whose templates render our forms and account pages."""
    base = Path(settings.BASE_DIR)
    roots = [
        (base / "templates", "*.html"),
        (base / "static" / "js", "*.js"),
        (base / "tributes", "*.py"),
        (package_dir("crispy_bootstrap5"), "*"),
        (package_dir("crispy_forms"), "*"),
        (package_dir("allauth") / "templates", "*.html"),
    ]
    return sorted(
        path
        for root, pattern in roots
        for path in root.rglob(pattern)
        if path.is_file() and path.suffix in {".html", ".js", ".py", ".txt"}
    )


def bootstrap_used() -> str:
    bootstrap = package_dir("bootstrap") / "static" / "bootstrap" / "css" / "bootstrap.min.css"
    css = bootstrap.read_text(encoding="utf-8")
    banner = css[css.index("/*!") : css.index("*/") + 2]
    used = page_styles.words_in(class_sources())
    return banner + "\n" + page_styles.used_rules(css, used) + "\n"


class Command(BaseCommand):
    help = "Write static/css/bootstrap-used.css from Bootstrap and the classes our pages use."

    def handle(self, *args, **options) -> None:
        page_styles.BOOTSTRAP_USED.write_text(bootstrap_used(), encoding="utf-8")
        self.stdout.write(f"Wrote {page_styles.BOOTSTRAP_USED}")
