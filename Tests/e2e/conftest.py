"""End-to-end fixtures: build the default site with the release binary, serve it over HTTP on a free
loopback port, and drive it with Debian's headless Chromium through chromedriver."""
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WAYMARK = os.environ.get("WAYMARK", os.path.join(ROOT, ".build", "release", "waymark"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server:
    """A static file server for a built site; `requests` records every path fetched."""

    def __init__(self, directory):
        self.directory = directory
        self.requests = []
        recorder = self.requests

        class Handler(QuietHandler):
            def do_GET(self):
                recorder.append(self.path)
                return super().do_GET()

        self.port = free_port()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), functools.partial(Handler, directory=directory))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def build(content, output, *extra):
    result = subprocess.run([WAYMARK, "build", "--content", content, "--templates", os.path.join(ROOT, "templates"),
                             "--output", output, "--quiet", *extra], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="session")
def site_dir():
    tmp = tempfile.mkdtemp(prefix="waymark-e2e-")
    out = build(os.path.join(ROOT, "content"), os.path.join(tmp, "site"))
    yield out
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def server(site_dir):
    s = Server(site_dir)
    yield s
    s.close()


def make_driver(width=1280, height=900):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                "--lang=en-US"):
        options.add_argument(arg)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def driver():
    d = make_driver()
    yield d
    d.quit()


def waymark_search(site, lang, query, *extra):
    result = subprocess.run([WAYMARK, "search", "--site", site, "--lang", lang, "--json", *extra, "--", query],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
