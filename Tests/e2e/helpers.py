"""Shared by the end-to-end tests and the benchmarks: build a site with the waymark binary, serve a folder
over HTTP on a free loopback port, drive Debian's headless Chromium, and run `waymark search`."""
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import threading

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WAYMARK = os.environ.get("WAYMARK", os.path.join(ROOT, ".build", "release", "waymark"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A static file server for a folder; `requests` records every path fetched."""

    def __init__(self, directory):
        self.directory = directory
        self.requests = []
        recorder = self.requests

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                recorder.append(self.path)
                return super().do_GET()

            def log_message(self, *args):
                pass

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


def make_driver(width=1280, height=900, language="en-US"):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                f"--lang={language}"):
        options.add_argument(arg)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver


def waymark_search(site, lang, query, *extra):
    result = subprocess.run([WAYMARK, "search", "--site", site, "--lang", lang, "--json", *extra, "--", query],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
