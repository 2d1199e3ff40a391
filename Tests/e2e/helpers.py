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
import time
import urllib.request
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WAYMARK = os.environ.get("WAYMARK", os.path.join(ROOT, ".build", "release", "waymark"))

# One page of every kind in the default site, by language: what the accessibility, layout and look
# passes visit.
PAGES = {
    "home": "/{lang}/",
    "articles": "/{lang}/articles/",
    "category": "/{lang}/articles/metrics/",
    "article": "/{lang}/articles/metrics/onboarding-metrics/",
    "landing": "/{lang}/segments/accountant/",
    "route": "/{lang}/segments/accountant/route/",
    "route-all": "/{lang}/segments/accountant/route/all/",
    "step": "/{lang}/guides/accountant/03-set-up-the-client-ledger/",
    "search": "/{lang}/search/?q=onboarding",
    "404": "/{lang}/404.html",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Listener(http.server.ThreadingHTTPServer):
    """Python's server accepts a backlog of 5 connections; a search page fetches its index files at once,
    and on a busy machine the sixth was refused, which the page can only show as "no results". Real hosts
    keep far longer queues."""
    request_queue_size = 128
    daemon_threads = True


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
        self.httpd = Listener(("127.0.0.1", self.port), functools.partial(Handler, directory=directory))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def copy_content(tmp, site_yml=""):
    """A copy of the default site's content in `tmp`, with `site_yml` appended to its site.yml."""
    content = os.path.join(tmp, "content")
    shutil.copytree(os.path.join(ROOT, "content"), content)
    if site_yml:
        with open(os.path.join(content, "site.yml"), "a") as f:
            f.write("\n" + site_yml + "\n")
    return content


def start_nginx(tmp, www, port):
    """Runs a real nginx with the documented configuration (docs/nginx/waymark.conf) on a loopback port,
    serving `www` (the site built into `www`/help, everything in `tmp` made readable to nginx's
    workers); returns the process once it answers."""
    os.chmod(tmp, 0o755)
    for folder, dirs, files in os.walk(tmp):
        for name in dirs + files:
            os.chmod(os.path.join(folder, name), 0o755 if name in dirs else 0o644)
    site = open(os.path.join(ROOT, "docs", "nginx", "waymark.conf")).read()
    site = site.replace("listen 8080;", f"listen 127.0.0.1:{port};").replace("root /srv/www;", f"root {www};").replace("/srv/www/", www + "/")
    open(os.path.join(tmp, "waymark.conf"), "w").write(site)
    conf = os.path.join(tmp, "nginx.conf")
    open(conf, "w").write(f"""
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/waymark.conf;
}}
""")
    check = subprocess.run(["nginx", "-t", "-c", conf], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(["nginx", "-c", conf], stderr=subprocess.PIPE, text=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/help/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return proc


class Collector:
    """A stand-in for an analytics collector on another origin: records each POSTed body."""

    def __init__(self):
        self.bodies = []
        bodies = self.bodies

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                bodies.append((self.headers.get("Content-Type"), self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()))
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.httpd = Listener(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}/collect"

    def events(self):
        return [json.loads(line) for _, body in self.bodies for line in body.splitlines() if line]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def wait_for(predicate, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


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
    set_viewport(driver, width, height)
    return driver


def set_viewport(driver, width, height):
    """The exact viewport a reader has: headless Chromium's window is never narrower than 500 px (and its
    height loses the window's frame), so a phone's 390×844 is emulated, as a mobile viewport."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def waymark_search(site, lang, query, *extra):
    result = subprocess.run([WAYMARK, "search", "--site", site, "--lang", lang, "--json", *extra, "--", query],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def png_pixels(data):
    """Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's screenshots are) into rows of
    (r, g, b) tuples: enough to check what a reader sees without an image library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[0:4], "big"), int.from_bytes(body[4:8], "big")
            assert body[8] == 8 and body[12] == 0, "8-bit, non-interlaced only"
            channels = {2: 3, 6: 4}[body[9]]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        previous = line
    return rows
