"""The production server's configuration (gunicorn.conf.py), run for real on a free port of
127.0.0.1: a plain-HTTP request saying `X-Forwarded-Proto: https` is not believed unless
BEHIND_HTTPS_PROXY is on and it comes from one of TRUSTED_PROXIES. (gunicorn's own default
trusts 127.0.0.1, so the request skipped the redirect to HTTPS and got secure cookies.)"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from accounts.testing import PRODUCTION

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in this environment")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(port: int, path: str, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.fixture
def serve(tmp_path):
    """Start gunicorn with the repository's configuration and the production settings."""
    servers = []

    def start(**environment):
        port = _free_port()
        env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **PRODUCTION,
               "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
               "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", **environment}
        server = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        servers.append(server)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return port
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stderr.read().decode())
                time.sleep(0.1)
        pytest.fail("gunicorn did not start")

    yield start
    for server in servers:
        server.terminate()
        server.wait(10)


FORGED = {"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on", "X-Forwarded-Protocol": "ssl"}


def test_a_forged_https_header_from_the_loopback_is_not_believed(serve):
    port = serve()
    status, headers = _get(port, "/accounts/login/", FORGED)
    # Plain HTTP: the production settings send it to HTTPS, header or not.
    assert status == 301 and headers["Location"].startswith("https://")


def test_behind_the_proxy_its_header_is_believed(serve):
    port = serve(BEHIND_HTTPS_PROXY="true", TRUSTED_PROXIES="127.0.0.1")
    status, headers = _get(port, "/accounts/login/", {"X-Forwarded-Proto": "https"})
    assert status == 200
    assert "Secure" in headers.get("Set-Cookie", "")  # the CSRF cookie, HTTPS-only


def test_the_configuration_sets_the_limits_it_promises():
    result = subprocess.run([str(GUNICORN), "--print-config", "-c", "gunicorn.conf.py"], cwd=ROOT,
                            env={**os.environ, "BEHIND_HTTPS_PROXY": "false", "TRUSTED_PROXIES": "10.0.0.2"},
                            capture_output=True, text=True, timeout=60)
    config = dict(line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line)
    config = {key.strip(): value.strip() for key, value in config.items()}
    assert config["forwarded_allow_ips"] == "[]" and config["proxy_allow_ips"] == "[]"
    assert config["timeout"] == "120" and config["graceful_timeout"] == "30"
    assert config["max_requests"] == "1000" and config["limit_request_line"] == "4094"
    assert config["bind"] == "['127.0.0.1:8000']"
