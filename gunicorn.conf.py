"""The production server's configuration: `gunicorn tiendo.wsgi` run from the repository's
root reads this file by itself (scripts/load.sh names it with -c as well).

Every value can be changed by an environment variable (README, "Production server"); the
defaults are for one small server of 2 cores with a TLS-terminating reverse proxy on the same
machine, or none at all.

gunicorn serves requests only: background jobs (official documents, …) are run by the job
worker, a second process beside it with the same environment, `python manage.py db_worker
--no-reload` (README, "Production server" and "Jobs").
"""

import multiprocessing
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tiendo.env import env_bool, env_int, env_list  # noqa: E402  (no Django here: only the env helpers)

wsgi_app = "tiendo.wsgi:application"
# Loopback by default: the reverse proxy on the same machine is the only one that talks to us.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, as the load test measured them (README, "Deadline rush"): 5 on 2 cores.
workers = env_int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# Documents are built by the job worker, not here; a large spreadsheet import still takes seconds.
# A worker stuck for 2 minutes is killed and replaced. A restart lets requests in progress finish for 30 s.
timeout = env_int("GUNICORN_TIMEOUT", 120)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# A worker is replaced after about a thousand requests, so that memory a large import kept
# (openpyxl) is given back; the jitter keeps workers from restarting together.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# No address of ours is longer than a few hundred characters, no request has many headers.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Which peers may say the request came over HTTPS (X-Forwarded-Proto) or through PROXY
# protocol: none unless BEHIND_HTTPS_PROXY is on, and then only TRUSTED_PROXIES (the same list
# Django uses for the client's address, tiendo/proxy.py). gunicorn's own default would trust
# 127.0.0.1, so anything on the machine could pass a plain-HTTP request off as HTTPS.
_behind_https_proxy = env_bool("BEHIND_HTTPS_PROXY", False)
forwarded_allow_ips = ",".join(env_list("TRUSTED_PROXIES", "")) if _behind_https_proxy else ""
proxy_allow_ips = forwarded_allow_ips

# The error log on stderr (the service manager keeps it); the access log only when asked for.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
