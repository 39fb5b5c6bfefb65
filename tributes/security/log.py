"""Security-relevant events, logged without personal data.

Lines name ids, actions and reasons only: never a visitor's name, email, text, username or address.
Everything goes to the "tributes.security" logger.
"""

from __future__ import annotations

import logging

log = logging.getLogger("tributes.security")


def moderation_decided(item, *, status: str, by, reason: str = "") -> None:
    log.info(
        "moderation %s=%s status=%s by_user=%s reason=%s",
        item.kind,
        item.pk,
        status,
        getattr(by, "pk", None),
        reason or "-",
    )


def rate_limit_reached(*, action: str, scope: str, view: str) -> None:
    log.warning("rate limit reached action=%s scope=%s view=%s", action, scope, view)


def message_held(*, kind: str, reasons: list[str]) -> None:
    # The reasons are our own codes ("links", "blocked_word"), never the matched words.
    log.info("held for moderation kind=%s reasons=%s", kind, ",".join(reasons))


def candle_words_shown(*, count: int, by) -> None:
    log.info("candle words shown count=%s by_user=%s", count, getattr(by, "pk", None))


def memorial_exported(*, memorial_id: int, by) -> None:
    log.info("memorial exported memorial=%s by_user=%s", memorial_id, getattr(by, "pk", None))


def memorial_erased(*, memorial_id: int, files: int, by) -> None:
    log.info(
        "memorial erased memorial=%s files=%s by_user=%s",
        memorial_id,
        files,
        getattr(by, "pk", None),
    )


def user_logged_in(sender, request, user, **kwargs) -> None:
    log.info("login succeeded user=%s", user.pk)


def user_logged_out(sender, request, user, **kwargs) -> None:
    log.info("logout user=%s", getattr(user, "pk", None))


def user_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The username is not logged: people sometimes type their password into it.
    log.warning("login failed")


def user_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    log.warning("login locked out after repeated failures")


def connect() -> None:
    from axes.signals import user_locked_out as axes_locked_out
    from django.contrib.auth import signals

    signals.user_logged_in.connect(user_logged_in, dispatch_uid="security_log.login")
    signals.user_logged_out.connect(user_logged_out, dispatch_uid="security_log.logout")
    signals.user_login_failed.connect(user_login_failed, dispatch_uid="security_log.failed")
    axes_locked_out.connect(user_locked_out, dispatch_uid="security_log.locked_out")
