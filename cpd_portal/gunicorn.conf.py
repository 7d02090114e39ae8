"""The production server's settings: `gunicorn -c cpd_portal/gunicorn.conf.py cpd_portal.wsgi`.

Each setting reads an environment variable first, so a deployment tunes it without a change
here. Pages spend most of their time in Python (templates, forms), so processes, not threads,
are what use the cores; a few threads per process keep a slow client or a file download from
holding a whole process.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Load the app once, before forking: workers share its memory and start at once.
preload_app = True
# Restart each worker now and then, so a slow leak in any library cannot grow without end.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Longer than the idle timeout of whatever keeps connections open in front (a load balancer's
# is often 60 s): a server that closes an idle connection first races the next request sent
# on it, which then fails with nothing received.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 75))
# Behind a proxy on the same host (nginx, a load balancer), trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# No control socket (for gunicornc, which nothing here uses): its default path in $HOME is one
# per user, fought over by two servers on one machine, and unwritable under systemd's
# ProtectHome. systemd (deploy/cpd-web.service) reloads with a signal.
control_socket_disable = True

# LOG_FORMAT=json (as for Django's own lines, cpd_portal/settings.py): gunicorn's lines as
# JSON objects too, the access line in "message". Not passed on to the root logger, which
# Django's handler writes as well.
if os.environ.get("LOG_FORMAT") == "json":
    logconfig_dict = {
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            }
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }
