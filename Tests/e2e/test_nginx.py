"""The documented nginx configuration (docs/nginx/waymark.conf), run by a real nginx on a loopback port,
serving a site built for a sub-path with precompressed files: pages, assets, cache headers, gzip,
Content-Security-Policy, search working in Chromium through it, and the redirect map made from hostile
aliases (spaces, Persian and Vietnamese letters, nginx's and HTML's metacharacters) passing `nginx -t`
and answering each old address with its 301."""
import gzip
import http.client
import os
import shutil
import subprocess
import tempfile
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from helpers import ROOT, WAYMARK, build, copy_content, free_port, png_pixels, start_nginx

# Old addresses of the metrics article in three languages, as writers put them in `aliases:` (YAML
# quoted where YAML needs it): what nginx must answer with a 301 to the article's page.
HOSTILE_ALIASES = {
    "en/articles/metrics/onboarding-metrics.md": [
        '"/en/old help/key metrics/"', '"/en/a;b{c}d/"', """'/en/say "hi"/'""", '"/en/$uri/"', "/en/c%23-sharp/", "/en/it's.html",
        "/en/%7Bencoded%7D%20form/", "/en/back%5Cslash/", "/en/100%25-done/", "/en/articles/metrics/key-metrics/",
    ],
    "fa/articles/metrics/onboarding-metrics.md": ["/fa/مقاله‌ها/شاخص‌های قدیمی/"],
    "vi/articles/metrics/onboarding-metrics.md": ["/vi/chỉ-số-cũ/", "/vi/Hướng dẫn/"],
}


def add_aliases(content, aliases):
    """Adds `aliases` entries (a YAML block list replacing any `aliases:` line) to each content file."""
    for path, entries in aliases.items():
        name = os.path.join(content, path)
        lines = [line for line in open(name, encoding="utf-8").read().split("\n") if not line.startswith("aliases:")]
        lines[1:1] = ["aliases:"] + [f"  - {entry}" for entry in entries]
        open(name, "w", encoding="utf-8").write("\n".join(lines))


def alias_path(entry):
    """The decoded site path an alias entry names (what nginx's $uri holds below the base path)."""
    return urllib.parse.unquote(entry[1:-1] if entry[0] in "\"'" else entry)


@pytest.fixture(scope="module")
def nginx():
    tmp = tempfile.mkdtemp(prefix="waymark-nginx-")
    port = free_port()
    www = os.path.join(tmp, "www")
    os.makedirs(www)
    content = copy_content(tmp)
    add_aliases(content, HOSTILE_ALIASES)
    build(content, os.path.join(www, "help"), "--base-url", f"http://127.0.0.1:{port}/help/", "--precompress")
    proc = start_nginx(tmp, www, port)
    url = f"http://127.0.0.1:{port}"
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


def test_hostile_aliases_pass_nginx_t_and_answer_301(nginx):
    """Every alias, decoded as nginx compares $uri, is in redirects.map (which `nginx -t` accepted in the
    fixture), and a request for its address, percent-encoded as a browser sends it, gets a 301 to the
    article's page in the alias's language, with and without the final slash; following it lands there.
    The published files the aliases could have shadowed still answer 200."""
    url, www = nginx
    host, port = url.replace("http://", "").split(":")
    keys = open(os.path.join(www, "help", "redirects.map"), encoding="utf-8").read()
    checked = 0
    for source, entries in HOSTILE_ALIASES.items():
        language = source.split("/")[0]
        page = f"/help/{language}/articles/metrics/onboarding-metrics/"
        for entry in entries:
            path = alias_path(entry)
            key = "/help" + path
            assert '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '" "' in keys, key
            for old in [key] + ([key[:-1]] if key.endswith("/") else []):
                connection = http.client.HTTPConnection(host, int(port), timeout=5)
                connection.request("GET", urllib.parse.quote(old))
                response = connection.getresponse()
                response.read()
                assert (response.status, response.getheader("Location", "").split(port, 1)[-1]) == (301, page), (entry, old)
                connection.close()
                checked += 1
            with urllib.request.urlopen(url + urllib.parse.quote(key)) as response:
                assert response.url.endswith(page) and b"<h1>" in response.read(), entry
    assert checked >= 20
    for published in ["/help/search/en/meta.json", "/help/en/", "/help/sitemap.xml"]:
        assert fetch(url + published).status == 200


def test_aliases_with_control_characters_or_at_published_paths_fail_the_build():
    """CR, LF and NUL in an alias (raw or percent-encoded), and an alias at a published file, fail the
    build with an error at the alias's entry; the output is not replaced."""
    tmp = tempfile.mkdtemp(prefix="waymark-aliases-")
    try:
        content = os.path.join(tmp, "content")
        shutil.copytree(os.path.join(ROOT, "content"), content)
        entries = ['"/en/a\\r\\nb/"', '"/en/c\\nd/"', "/en/e%0D%0ASet-Cookie:%20x=1/", "/en/f%00/", "/search/en/meta.json", "/en/"]
        add_aliases(content, {"en/articles/metrics/onboarding-metrics.md": entries})
        result = subprocess.run([WAYMARK, "build", "--content", content, "--templates", os.path.join(ROOT, "templates"),
                                 "--output", os.path.join(tmp, "out")], capture_output=True, text=True)
        assert result.returncode != 0
        report = result.stdout + result.stderr
        for line in range(3, 3 + len(entries)):
            assert f"en/articles/metrics/onboarding-metrics.md:{line}:5: error" in report, (line, report)
        assert not os.path.exists(os.path.join(tmp, "out", "en"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
