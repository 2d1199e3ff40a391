"""`waymark serve`: live preview with rebuilds, reload events and an error overlay, on a free loopback port."""
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from helpers import ROOT, WAYMARK, free_port

PAGE = "/en/articles/basics/the-aha-moment/"
SOURCE = "en/articles/basics/the-aha-moment.md"


@pytest.fixture
def preview():
    tmp = tempfile.mkdtemp(prefix="waymark-serve-")
    content = os.path.join(tmp, "content")
    shutil.copytree(os.path.join(ROOT, "content"), content)
    shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(tmp, "templates"))
    port = free_port()
    proc = subprocess.Popen([WAYMARK, "serve", "--content", content, "--templates", os.path.join(tmp, "templates"), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + PAGE, timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield url, content, proc
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(tmp, ignore_errors=True)


def edit(content, transform):
    path = os.path.join(content, SOURCE)
    text = open(path, encoding="utf-8").read()
    open(path, "w", encoding="utf-8").write(transform(text))
    return text


def test_edit_reload_error_overlay_and_recovery(driver, preview):
    url, content, proc = preview
    html = urllib.request.urlopen(url + PAGE).read().decode()
    assert "/__waymark/live.js" in html
    # A published build never carries the live-reload script.
    assert "__waymark" not in open(os.path.join(ROOT, "templates", "base.mustache")).read().replace("{{site.root}}__waymark/live.js", "")

    driver.get(url + PAGE)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    time.sleep(0.5)  # let the page's WebSocket connect
    driver.execute_script("window.__notReloaded = true")
    original = edit(content, lambda t: t.replace("\n---\n", "\n---\n\nA sentence added while previewing.\n", 1))
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return !window.__notReloaded"))
    assert "A sentence added while previewing." in driver.page_source

    # A broken file keeps the last good page and shows the error where the writer is looking.
    edit(content, lambda t: t.replace('title: "', 'title: [unclosed "', 1))
    overlay = WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "waymark-error-overlay"))
    assert SOURCE + ":" in overlay.text and "error:" in overlay.text
    assert urllib.request.urlopen(url + PAGE).status == 200

    edit(content, lambda _: original)
    WebDriverWait(driver, 10).until(lambda d: not d.find_elements(By.ID, "waymark-error-overlay"))
    assert "A sentence added while previewing." not in driver.page_source

    proc.terminate()
    proc.wait(timeout=10)
    log = proc.stdout.read()
    assert "1 rendered" in log or "unchanged" in log
    assert SOURCE + ":" in log


def test_only_pages_that_changed_reload(driver, preview):
    url, content, proc = preview
    other = "/vi/articles/basics/time-to-value/"
    driver.get(url + other)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    time.sleep(0.5)  # let the page's WebSocket connect
    driver.execute_script("window.__notReloaded = true")
    edit(content, lambda t: t + "\nAn English sentence that no Vietnamese page shows.\n")
    deadline = time.time() + 10
    while "An English sentence" not in urllib.request.urlopen(url + PAGE).read().decode():
        assert time.time() < deadline, "the edit never showed"
        time.sleep(0.05)
    time.sleep(1.5)  # the rebuild of the rest of the site, and any reload it would cause
    assert driver.execute_script("return window.__notReloaded === true"), "a page the edit did not change reloaded"

    # The edited page itself reloads on its own.
    driver.get(url + PAGE)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    time.sleep(0.5)
    driver.execute_script("window.__notReloaded = true")
    edit(content, lambda t: t + "\nA second sentence.\n")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return !window.__notReloaded"))
    assert "A second sentence." in driver.page_source


def test_template_edit_shows_on_the_open_page_first(driver, preview):
    url, content, proc = preview
    driver.get(url + PAGE)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    time.sleep(0.5)  # the page's WebSocket connects and names the page
    driver.execute_script("window.__notReloaded = true")
    footer = os.path.join(os.path.dirname(content), "templates", "partials", "footer.mustache")
    open(footer, "a", encoding="utf-8").write("<p id=\"footer-edit\">Edited footer</p>\n")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return !window.__notReloaded"))
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "footer-edit"))
    proc.terminate()
    proc.wait(timeout=10)
    log = proc.stdout.read()
    # The open page was rendered with the new template before the whole site was.
    assert "Updated 1 page(s)" in log, log


def test_only_embed_js_and_route_json_are_open_to_other_origins(preview):
    url, _, _ = preview
    for path in ("/embed.js", "/fa/segments/accountant/route.json"):
        response = urllib.request.urlopen(url + path)
        assert response.headers["Access-Control-Allow-Origin"] == "*", path
    assert "customElements" in urllib.request.urlopen(url + "/embed.js").read().decode()
    for path in ("/en/", PAGE, "/search/en/meta.json", "/en/segments/accountant/route/"):
        assert urllib.request.urlopen(url + path).headers["Access-Control-Allow-Origin"] is None, path
