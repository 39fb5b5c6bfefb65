"""gunicorn's settings for production: `gunicorn memorial.wsgi` reads this file from the checkout.

It runs behind nginx (deploy/nginx.conf), which reads every request and answer in full before
passing it on, so slow or stalled clients wait on nginx and never hold a gunicorn thread. gthread
workers then let one process serve a few requests at once while another waits on the database or
the mail server. The access log leaves out who asked (no client address, no user agent, no
referrer) and the secret part of author and reminder links (memorial/logs.py).

Every value can be changed through the environment, e.g. GUNICORN_WORKERS=4.
"""

from __future__ import annotations

import os

from gunicorn.glogging import Logger

from memorial.logs import private_path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes longer than this is stuck: its worker is restarted. Photos take about 1 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Workers are replaced now and then, so that memory a request once needed is given back.
max_requests = 2000
max_requests_jitter = 200
# Only nginx on this machine may say the original request was https.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn 25+ opens a control socket under $HOME by default: one path shared by every gunicorn
# of the user, and an interface this site does not use.
control_socket_disable = True
limit_request_line = 4094
limit_request_fields = 60

# GUNICORN_ACCESS_LOG= (empty) turns the access log off, as the benchmarks do.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Time, request line (path without its query string), status, bytes and milliseconds.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


# Header and environment atoms a format may use; every other one (addresses, cookies, referrers,
# redirect locations holding an author's token) is left out and prints as "-".
SAFE_HEADER_ATOMS = {"{content-type}o", "{content-length}o", "{host}i", "{x-forwarded-proto}i"}


class PrivateAccessLogger(Logger):
    """gunicorn's logger with the secret and personal parts of each request taken out.

    The format above names none of them, and the atoms are cleaned too, so that a format changed
    later through GUNICORN_CMD_ARGS cannot bring the address or a token back by accident.
    """

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = private_path(atoms.get("U") or "")
        atoms.update(h="-", u="-", U=path, q="", f="-", a="-")
        atoms["r"] = f"{atoms.get('m', '-')} {path} {atoms.get('H', '-')}"
        for key in [key for key in atoms if key.startswith("{") and key not in SAFE_HEADER_ATOMS]:
            del atoms[key]
        return atoms


logger_class = PrivateAccessLogger
