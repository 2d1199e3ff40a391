"""The documented nginx configuration (docs/nginx/waymark.conf), run by a real nginx on a loopback port,
serving a site built for a sub-path with precompressed files: pages, assets, cache headers, gzip,
Content-Security-Policy, and search working in Chromium through it."""
import gzip
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from helpers import ROOT, build, free_port, png_pixels


@pytest.fixture(scope="module")
def nginx():
    tmp = tempfile.mkdtemp(prefix="waymark-nginx-")
    os.chmod(tmp, 0o755)
    port = free_port()
    www = os.path.join(tmp, "www")
    os.makedirs(www)
    build(os.path.join(ROOT, "content"), os.path.join(www, "help"), "--base-url", f"http://127.0.0.1:{port}/help/", "--precompress")
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
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/help/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url, www
    proc.terminate()
    proc.wait(timeout=10)
    shutil.rmtree(tmp, ignore_errors=True)


def fetch(url, **headers):
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers))


def test_pages_assets_and_headers(nginx):
    url, www = nginx
    home = fetch(url + "/help/en/")
    html = home.read().decode()
    assert home.status == 200
    assert 'href="/help/en/articles/' in html and f'rel="canonical" href="{url}/help/en/"' in html
    assert "script-src 'self'" in home.headers["Content-Security-Policy"]
    # One referrer policy, in the header and in the page (the preview and other servers send no header).
    assert home.headers["Referrer-Policy"] == "strict-origin" and '<meta name="referrer" content="strict-origin">' in html
    assert home.headers["Cache-Control"] == "public, max-age=300, must-revalidate"
    css = next(name for name in os.listdir(os.path.join(www, "help", "assets")) if name.startswith("style.") and name.endswith(".css"))
    asset = fetch(f"{url}/help/assets/{css}")
    assert "immutable" in asset.headers["Cache-Control"]
    # Content images carry a content hash too: cached for ever, with the right type.
    svg = next(name for name in os.listdir(os.path.join(www, "help", "en", "assets")) if name.startswith("onboarding-stages.") and name.endswith(".svg"))
    image = fetch(f"{url}/help/en/assets/{svg}")
    assert "immutable" in image.headers["Cache-Control"] and image.headers["Content-Type"] == "image/svg+xml"
    # Opened at its own address an SVG is a document: sandboxed, no script, only inline styles and pictures.
    policy = [p.strip() for p in image.headers["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy and "default-src 'none'" in policy and "style-src 'unsafe-inline'" in policy
    assert not any(p.startswith("script-src") for p in policy)
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" not in home.headers["Content-Security-Policy"]
    meta = fetch(url + "/help/search/en/meta.json")
    assert meta.headers["Cache-Control"] == "public, max-age=300"
    assert fetch(url + "/").geturl().endswith("/help/")


def test_precompressed_files_are_served(nginx):
    url, www = nginx
    response = fetch(url + "/help/en/articles/basics/the-aha-moment/", **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    body = gzip.decompress(response.read())
    assert body == open(os.path.join(www, "help", "en", "articles", "basics", "the-aha-moment", "index.html"), "rb").read()
    assert response.headers["Vary"] == "Accept-Encoding"


def test_missing_pages_get_the_404_page(nginx):
    url, _ = nginx
    with pytest.raises(urllib.error.HTTPError) as error:
        fetch(url + "/help/en/no-such-page/")
    assert error.value.code == 404
    assert "Page not found" in error.value.read().decode()


def test_search_and_checklists_work_under_the_csp(driver, nginx):
    url, _ = nginx
    driver.get(url + "/help/en/search/?q=welcome+email")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-search-results] li"))
    first = driver.find_element(By.CSS_SELECTOR, "[data-search-results] li")
    assert first.get_attribute("data-result-url").startswith("/help/en/")
    driver.get(url + "/help/en/guides/small-business/01-define-the-first-win/")
    box = WebDriverWait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, ".task-item.is-interactive input"))
    box.click()
    errors = [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"] or entry["level"] == "SEVERE"]
    assert not errors, errors


def test_svg_renders_under_its_sandbox_policy(driver, nginx):
    """Opened at its own address, the drawing still shows under `default-src 'none'; ... sandbox`."""
    url, www = nginx
    svg = next(name for name in os.listdir(os.path.join(www, "help", "en", "assets")) if name.startswith("onboarding-stages.") and name.endswith(".svg"))
    driver.get(f"{url}/help/en/assets/{svg}")
    rows = png_pixels(driver.get_screenshot_as_png())
    # The first stage's box is #dbeafe.
    assert any(pixel == (219, 234, 254) for row in rows for pixel in row)


def test_moved_pages_and_route_folders_answer_301(nginx):
    import http.client
    url, _ = nginx
    host, port = url.replace("http://", "").split(":")
    cases = {
        "/help/en/articles/metrics/key-metrics/": "/help/en/articles/metrics/onboarding-metrics/",
        "/help/en/articles/metrics/key-metrics": "/help/en/articles/metrics/onboarding-metrics/",
        "/help/fa/guides/accountant/": "/help/fa/segments/accountant/route/",
    }
    for old, new in cases.items():
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        connection.request("GET", old)
        response = connection.getresponse()
        assert (response.status, response.getheader("Location", "").split(port, 1)[-1]) == (301, new), old
        connection.close()
    # Following it lands on the page.
    with urllib.request.urlopen(url + "/help/en/articles/metrics/key-metrics/") as response:
        assert response.url.endswith("/help/en/articles/metrics/onboarding-metrics/") and b"<h1>" in response.read()
