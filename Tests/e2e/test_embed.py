"""The embeddable route widget (embed.js, docs/embed.md) on two real origins: the help center built for a
sub-path and served by real nginx with the documented config on 127.0.0.1, and a product's page on
localhost (another origin) with a strict Content-Security-Policy and its own hostile styles. Every step in
en and fa, progress kept across reloads, the progress event and `element.progress`, files moving between
the help center and the widget, events with source "embed", the beacon, milestones, short messages when
the route cannot be shown, hostile route.json and progress documents, style isolation, keyboard, axe."""
import functools
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request

import axe_core_python
import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from helpers import ROOT, WAYMARK, Listener, build, copy_content, free_port, make_driver, start_nginx, wait_for

AXE_SCRIPT = os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js")
EVENTS = ["route_started", "step_viewed", "item_ticked", "item_unticked", "step_completed", "stage_completed", "route_completed", "progress"]
# Installed before any page script: every waymark:* event that reaches the host page's document is kept.
RECORDER = "window.recorded = [];(" + json.dumps(EVENTS) + """).forEach(function (name) {
  document.addEventListener('waymark:' + name, function (e) { window.recorded.push([name, JSON.parse(JSON.stringify(e.detail))]); });
});"""
# A product's own styles that would break the widget if they reached it.
HOSTILE_CSS = """
body { font: 30px/3 serif; color: rgb(200, 0, 0); letter-spacing: 3px; text-align: right; }
li { list-style: square; color: rgb(200, 0, 0); }
h2 { color: rgb(0, 0, 200); font-size: 50px; }
summary, progress, label, input, details, section, .k, .t, .m { display: none !important; }
"""
HOSTILE_STEPS = [
    {"id": "guides/evil/01", "number": 1, "title": "<img src=x onerror=window.pwned=1>Step & <b>bold</b>", "path": "javascript:window.pwned=2",
     "stage": "welcome", "minutes": 5, "checklist": [{"id": "guides/evil/01#a", "key": "a", "text": "<script>window.pwned=3</script>tick"}]},
    {"id": "guides/evil/02", "number": 2, "title": "Elsewhere", "path": "//evil.example/steal", "stage": "welcome", "minutes": 5, "checklist": []},
    {"id": "guides/evil/03", "number": 3, "title": "Fine", "path": "/help/en/guides/accountant/02-collect-documents-and-access/",
     "stage": "welcome", "minutes": 5, "checklist": []},
]


class Help:
    pass


@pytest.fixture(scope="module")
def help_center(collector):
    """The default site with an analytics endpoint, at http://127.0.0.1:<port>/help/ behind real nginx."""
    tmp = tempfile.mkdtemp(prefix="waymark-embed-")
    port = free_port()
    www = os.path.join(tmp, "www")
    os.makedirs(www)
    content = copy_content(tmp, f"analytics: {{ endpoint: {collector.url} }}")
    site = os.path.join(www, "help")
    build(content, site, "--base-url", f"http://127.0.0.1:{port}/help/", "--precompress")
    # Two routes no build writes: markup and foreign links in every text field, and a prototype key.
    route = json.load(open(os.path.join(site, "en", "segments", "accountant", "route.json")))
    evil = dict(route, segment={"id": "evil", "title": "<i>Evil</i> & co"}, steps=HOSTILE_STEPS,
                stages=[{"id": "welcome", "title": "<u>Stage</u>", "minutes": 15, "steps": [1, 2, 3]}])
    proto = dict(route, steps=[dict(route["steps"][0], id="__proto__")] + route["steps"][1:])
    for name, data in (("evil", evil), ("proto", proto)):
        os.makedirs(os.path.join(site, "en", "segments", name))
        json.dump(data, open(os.path.join(site, "en", "segments", name, "route.json"), "w"))
    proc = start_nginx(tmp, www, port)
    h = Help()
    h.url, h.site, h.content, h.tmp = f"http://127.0.0.1:{port}/help/", site, content, tmp
    yield h
    proc.terminate()
    proc.wait(timeout=10)
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def host(help_center, collector):
    """The product's origin: http://localhost:<port>/, pages made by `page(...)`, under a strict CSP that
    allows scripts and requests to the help center and the collector only."""
    folder = tempfile.mkdtemp(prefix="waymark-host-")
    open(os.path.join(folder, "hostile.css"), "w").write(HOSTILE_CSS)
    open(os.path.join(folder, "host.js"), "w").write(
        "document.getElementById('host-button').addEventListener('click', function () { this.textContent = 'clicked'; });")
    site_origin = help_center.url.split("/help/")[0]
    policy = (f"default-src 'self'; script-src 'self' {site_origin}; connect-src 'self' {site_origin} http://127.0.0.1:{collector.port}; "
              "style-src 'self'; img-src 'self'")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):
            self.send_header("Content-Security-Policy", policy)
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, *args):
            pass

    port = free_port()
    httpd = Listener(("127.0.0.1", port), functools.partial(Handler, directory=folder))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    count = [0]

    def page(attrs='segment="accountant" lang="en"', inside="", css=True, script=None, lang="en"):
        count[0] += 1
        name = f"p{count[0]}.html"
        src = script or help_center.url + "embed.js"
        open(os.path.join(folder, name), "w").write(f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme: getting started</title>{'<link rel="stylesheet" href="/hostile.css">' if css else ''}</head>
<body><main><h1>Acme</h1>
<p class="c" id="own-paragraph">The product's own paragraph.</p>
<ol class="s" id="own-list"><li>The product's own list</li></ol>
<script src="{src}" async></script>
<waymark-route {attrs}>{inside}</waymark-route>
<button id="host-button" type="button">Host button</button>
<script src="/host.js"></script>
</main></body></html>""")
        return f"http://localhost:{port}/{name}"

    page.origin = f"http://localhost:{port}"
    yield page
    httpd.shutdown()
    httpd.server_close()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def driver():
    d = make_driver()
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    yield d
    d.quit()


def route_data(help_center, lang, segment="accountant"):
    return json.load(open(os.path.join(help_center.site, lang, "segments", segment, "route.json"), encoding="utf-8"))


def shadow(driver, index=0):
    return driver.execute_script("return document.querySelectorAll('waymark-route')[arguments[0]].shadowRoot", index)


def ready(driver, index=0):
    """Waits until the widget shows its route or its message; returns the shadow root."""
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "var r = document.querySelectorAll('waymark-route')[arguments[0]].shadowRoot; return !!r && !!r.querySelector('.w')", index))
    return shadow(driver, index)


def recorded(driver, name=None):
    return [d for n, d in driver.execute_script("return window.recorded") if name is None or n == name]


def boxes(root):
    return root.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")


def open_all(driver):
    driver.execute_script("document.querySelector('waymark-route').shadowRoot.querySelectorAll('details').forEach(function (d) { d.open = true; })")


def test_embed_js_and_route_json_are_the_only_files_other_origins_may_read(help_center):
    embed = urllib.request.urlopen(help_center.url + "embed.js")
    assert embed.headers["Access-Control-Allow-Origin"] == "*"
    assert embed.headers["Cache-Control"] == "public, max-age=300, must-revalidate"
    assert embed.headers["ETag"] and embed.headers["Content-Type"].startswith(("application/javascript", "text/javascript"))
    # A validator: an unchanged embed.js costs a 304, not the file.
    with pytest.raises(urllib.error.HTTPError) as again:
        urllib.request.urlopen(urllib.request.Request(help_center.url + "embed.js", headers={"If-None-Match": embed.headers["ETag"]}))
    assert again.value.code == 304
    route = urllib.request.urlopen(help_center.url + "fa/segments/accountant/route.json")
    assert route.headers["Access-Control-Allow-Origin"] == "*"
    assets = os.listdir(os.path.join(help_center.site, "assets"))
    others = ["", "en/", "en/segments/accountant/route/", "search/en/meta.json", "assets/" + next(a for a in assets if a.startswith("route."))]
    for path in others:
        assert urllib.request.urlopen(help_center.url + path).headers["Access-Control-Allow-Origin"] is None, path


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_every_step_renders_in_the_routes_language(help_center, host, driver, lang):
    data = route_data(help_center, lang)
    driver.get(host(f'segment="accountant" lang="{lang}"'))
    root = ready(driver)
    summaries = root.find_elements(By.CSS_SELECTOR, "summary")
    assert len(summaries) == len(data["steps"])
    open_all(driver)
    for summary, step in zip(summaries, data["steps"]):
        assert step["title"] in summary.text
    section = root.find_element(By.CSS_SELECTOR, "section")
    assert section.get_attribute("lang") == lang
    assert section.value_of_css_property("direction") == ("rtl" if lang == "fa" else "ltr")
    # Every checklist item is a real checkbox with its text; every step links to its page on the site.
    assert len(boxes(root)) == sum(len(s["checklist"]) for s in data["steps"])
    links = [a.get_attribute("href") for a in root.find_elements(By.CSS_SELECTOR, "a")]
    assert links == [help_center.url.split("/help/")[0] + s["path"] for s in data["steps"]]
    assert all(a.get_attribute("target") == "_blank" for a in root.find_elements(By.CSS_SELECTOR, "a"))
    # Nothing done yet: the whole route's time is left, in the language's own digits.
    total = data["totalMinutes"]
    left = root.find_element(By.CSS_SELECTOR, ".p .m").text
    if lang == "fa":
        assert any(c in left for c in "۰۱۲۳۴۵۶۷۸۹") and not any(c in left for c in "0123456789"), left
    else:
        assert left == f"about {total // 60} h {total % 60} min left"


def test_ticking_persists_and_fires_events_and_the_progress_document(help_center, host, driver):
    data = route_data(help_center, "en")
    driver.get(host())
    root = ready(driver)
    first = data["steps"][0]
    boxes(root)[0].click()
    assert wait_for(lambda: recorded(driver, "progress"))
    events = recorded(driver)
    names = [n for n, _ in driver.execute_script("return window.recorded")]
    assert names == ["route_started", "item_ticked", "progress"]
    ticked = events[1]
    assert ticked["source"] == "embed" and ticked["v"] == 1 and ticked["lang"] == "en" and ticked["segment"] == "accountant"
    assert ticked["step"] == first["id"] and ticked["item"] == first["checklist"][0]["id"] and ticked["page"] == data["path"]
    doc = events[2]
    assert doc["format"] == "waymark-progress" and doc["v"] == 2 and doc["site"] == help_center.url
    assert doc["progress"]["items"][first["checklist"][0]["id"]]["done"] is True
    assert doc["progress"]["routes"]["accountant"]["started"] > 0
    label = root.find_element(By.CSS_SELECTOR, ".p .t").text
    assert label.startswith("1 of ")
    driver.refresh()
    root = ready(driver)
    assert boxes(root)[0].is_selected() and not boxes(root)[1].is_selected()
    assert root.find_element(By.CSS_SELECTOR, ".p .t").text == label
    # The document lives in the host page's origin, named after the site.
    stored = json.loads(driver.execute_script("return localStorage.getItem(arguments[0])", f"waymark:{help_center.url}:progress"))
    assert stored["items"][first["checklist"][0]["id"]]["done"] is True


def test_setting_progress_restores_it_and_hostile_documents_change_nothing(help_center, host, driver):
    data = route_data(help_center, "en")
    driver.get(host())
    root = ready(driver)
    boxes(root)[0].click()
    boxes(root)[1].click()
    saved = driver.execute_script("return document.querySelector('waymark-route').progress")
    driver.execute_script("localStorage.clear()")
    driver.refresh()
    root = ready(driver)
    assert not any(b.is_selected() for b in boxes(root))
    driver.execute_script("document.querySelector('waymark-route').progress = arguments[0]", saved)
    assert boxes(root)[0].is_selected() and boxes(root)[1].is_selected() and not boxes(root)[2].is_selected()
    # Setting restores quietly: no route events for what the reader did elsewhere.
    assert recorded(driver) == []
    # A document with prototype keys and wrong types: ignored where it is wrong, no global harm.
    hostile = {"format": "waymark-progress", "v": 2, "progress": {
        "v": 2, "items": {"__proto__": {"done": True, "at": 1}, data["steps"][0]["checklist"][2]["id"]: {"done": "yes", "at": 1}},
        "steps": {"constructor": {"visited": 1}}, "routes": {"__proto__": {"started": 1, "completed": 2, "stages": {"welcome": 1}}}}}
    driver.execute_script("document.querySelector('waymark-route').progress = JSON.parse(arguments[0])", json.dumps(hostile))
    assert driver.execute_script("return ({}).done === undefined && ({}).started === undefined && ({}).completed === undefined")
    assert not any(b.is_selected() for b in boxes(root))
    for junk in ("null", "'text'", "[]", "{v: 3, items: {}, steps: {}, routes: {}}", "{format: 'waymark-progress', progress: 5}"):
        driver.execute_script(f"document.querySelector('waymark-route').progress = {junk}")
    # Still a working widget: ticking starts the route (the hostile route record never counted).
    boxes(root)[0].click()
    assert [e["event"] for e in recorded(driver) if "event" in e][:2] == ["route_started", "item_ticked"]


def test_progress_files_move_between_the_help_center_and_the_widget(help_center, host, driver, tmp_path):
    data = route_data(help_center, "en")
    steps = data["steps"]
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    driver.get(help_center.url + steps[0]["path"].split("/help/")[1])
    site_boxes = WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".task-item.is-interactive input"))
    site_boxes[0].click()
    driver.get(help_center.url + "en/segments/accountant/route/")
    driver.find_element(By.CSS_SELECTOR, "[data-export-progress]").click()
    saved = tmp_path / "progress.json"
    assert wait_for(lambda: saved.exists() and saved.stat().st_size > 0)
    exported = json.loads(saved.read_text())
    # Into the widget on the product's origin.
    driver.get(host())
    root = ready(driver)
    driver.execute_script("document.querySelector('waymark-route').progress = arguments[0]", exported)
    assert boxes(root)[0].is_selected() and not boxes(root)[1].is_selected()
    boxes(root)[1].click()
    back = tmp_path / "from-widget.json"
    back.write_text(json.dumps(driver.execute_script("return document.querySelector('waymark-route').progress")))
    # And back: the help center's "Load progress from a file" takes the widget's document.
    driver.get(help_center.url + "en/segments/accountant/route/")
    driver.execute_script("localStorage.clear()")
    driver.refresh()
    picker = driver.find_element(By.CSS_SELECTOR, "[data-import-progress] + input[type=file]")
    driver.execute_script("arguments[0].hidden = false", picker)
    picker.send_keys(str(back))
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-transfer-status]").text)
    assert "2" in driver.find_element(By.CSS_SELECTOR, "[data-transfer-status]").text
    stored = json.loads(driver.execute_script("return localStorage.getItem('waymark:/help/:progress')"))
    assert {k for k, v in stored["items"].items() if v["done"]} == {steps[0]["checklist"][0]["id"], steps[0]["checklist"][1]["id"]}


def test_milestones_are_congratulated_in_the_widget(help_center, host, driver):
    data = route_data(help_center, "en")
    steps = data["steps"]
    driver.get(host())
    root = ready(driver)
    first = [b for b in boxes(root)][:len(steps[0]["checklist"])]
    for b in first:
        b.click()
    box = root.find_element(By.CSS_SELECTOR, ".c")
    assert box.is_displayed() and box.get_attribute("role") == "status"
    assert box.text.startswith("Step done!") and steps[1]["title"] in box.text
    # It sits right after the checklist just finished.
    assert driver.execute_script("var c = arguments[0]; return c.previousElementSibling.tagName", box) == "UL"
    # The next step's button opens it and moves the focus there.
    box.find_element(By.CSS_SELECTOR, "button").click()
    assert driver.execute_script("var r = document.querySelector('waymark-route').shadowRoot; return r.activeElement.tagName") == "SUMMARY"
    # Everything but one item done: the last tick finishes the route.
    last = steps[-1]["checklist"][-1]["id"]
    now = driver.execute_script("return Date.now()")
    items = {i["id"]: {"done": True, "at": now} for s in steps for i in s["checklist"] if i["id"] != last}
    visited = {s["id"]: {"visited": now} for s in steps}
    driver.execute_script("document.querySelector('waymark-route').progress = arguments[0]",
                          {"format": "waymark-progress", "v": 2, "progress": {"v": 2, "items": items, "steps": visited,
                                                                              "routes": {"accountant": {"started": now - 3 * 86400000, "stages": {}}}}})
    open_all(driver)
    boxes(root)[-1].click()
    assert wait_for(lambda: "You finished the route: Accountant!" in box.text), box.get_attribute("outerHTML")
    assert "3 days" in box.text
    names = [e["event"] for e in recorded(driver) if "event" in e]
    assert names[-3:] == ["step_completed", "stage_completed", "route_completed"]
    assert root.find_element(By.CSS_SELECTOR, ".p .m").text == "You finished the whole route. Well done!"


def test_beacon_reaches_the_collector_and_the_report_counts_the_widget(help_center, host, collector, driver, tmp_path):
    collector.bodies.clear()
    driver.get(host())
    root = ready(driver)
    boxes(root)[0].click()
    driver.get("about:blank")  # leaving the page sends the batch
    assert wait_for(lambda: any(e.get("source") == "embed" and e["event"] == "item_ticked" for e in collector.events()))
    events = [e for e in collector.events() if e.get("source") == "embed"]
    assert all(e["v"] == 1 and e["lang"] == "en" and e["segment"] == "accountant" for e in events)
    log = tmp_path / "events.jsonl"
    log.write_text("".join(body for _, body in collector.bodies))
    report = subprocess.run([WAYMARK, "report", "--content", help_center.content, "--templates", os.path.join(ROOT, "templates"),
                             "--format", "json", "--events", str(log)], capture_output=True, text=True)
    assert report.returncode in (0, 1), report.stderr
    onboarding = json.loads(report.stdout)["onboarding"]
    assert onboarding["badLines"] == 0 and onboarding["embedEvents"] == len(events) >= 2
    route = next(r for r in onboarding["routes"] if r["segment"] == "accountant" and r["language"] == "en")
    assert route["started"] >= 1


def test_the_reader_can_refuse_the_beacon(help_center, host, collector, driver):
    collector.bodies.clear()
    driver.get(host('segment="accountant" lang="en" analytics="off"'))
    root = ready(driver)
    boxes(root)[0].click()
    assert recorded(driver, "item_ticked")
    driver.get("about:blank")
    assert not wait_for(lambda: collector.bodies, timeout=2)


def test_a_route_that_cannot_be_shown_leaves_a_short_message_and_the_page_working(help_center, host, driver):
    # A segment the site does not have; odd attribute values, which never reach a URL.
    for attrs in ('segment="no-such-segment" lang="en"', 'segment="../x" lang="en"', 'segment="accountant" lang="&lt;x&gt;"',
                  'segment="accountant" lang="xx"', ""):
        driver.get(host(attrs))
        root = ready(driver)
        assert root.find_element(By.CSS_SELECTOR, ".w").text == "The onboarding route could not be loaded."
        driver.find_element(By.ID, "host-button").click()
        assert driver.find_element(By.ID, "host-button").text == "clicked"
    fetched = driver.execute_script("return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    assert not [u for u in fetched if "route.json" in u], fetched
    # The product's own fallback content replaces the message.
    driver.get(host('segment="no-such-segment"', inside="<p id='fallback'>See the <a href='#'>help center</a>.</p>"))
    ready(driver)
    assert driver.find_element(By.ID, "fallback").is_displayed()
    # The help center is down: no embed.js at all; the element shows its fallback, the page works.
    dead = f"http://127.0.0.1:{free_port()}/embed.js"
    driver.get(host('segment="accountant"', inside="<p id='fallback'>Onboarding is in the help center.</p>", script=dead))
    assert driver.find_element(By.ID, "fallback").is_displayed()
    driver.find_element(By.ID, "host-button").click()
    assert driver.find_element(By.ID, "host-button").text == "clicked"


def test_hostile_route_json_is_shown_as_text_with_links_to_the_site_only(help_center, host, driver):
    driver.get(host('segment="evil" lang="en"'))
    root = ready(driver)
    open_all(driver)
    assert root.find_elements(By.CSS_SELECTOR, "img, script, b, i, u") == []
    assert "<img src=x onerror=window.pwned=1>Step & <b>bold</b>" in root.find_element(By.CSS_SELECTOR, "summary").text
    assert "<i>Evil</i> & co" in root.find_element(By.CSS_SELECTOR, "h2").text
    assert "<script>" in root.find_element(By.CSS_SELECTOR, "label").text
    links = [a.get_attribute("href") for a in root.find_elements(By.CSS_SELECTOR, "a")]
    assert links == [help_center.url + "en/guides/accountant/02-collect-documents-and-access/"]
    boxes(root)[0].click()
    assert driver.execute_script("return window.pwned === undefined")
    # A route with a prototype key for a step id is not shown at all.
    driver.get(host('segment="proto" lang="en"'))
    assert ready(driver).find_element(By.CSS_SELECTOR, ".w").text == "The onboarding route could not be loaded."


def test_styles_neither_leak_in_nor_out(host, driver):
    driver.get(host())
    root = ready(driver)
    section = root.find_element(By.CSS_SELECTOR, "section")
    assert section.is_displayed() and section.value_of_css_property("font-size") == "16px"
    assert section.value_of_css_property("letter-spacing") == "normal"
    assert section.value_of_css_property("text-align") in ("start", "left")
    assert root.find_element(By.CSS_SELECTOR, "h2").value_of_css_property("color") != "rgba(0, 0, 200, 1)"
    assert root.find_element(By.CSS_SELECTOR, "summary").is_displayed()
    assert root.find_element(By.CSS_SELECTOR, "li").value_of_css_property("list-style-type") == "none"
    # The widget's rules (.c, ol, p) never reach the product's own elements with the same names.
    own = driver.find_element(By.ID, "own-paragraph")
    assert own.value_of_css_property("padding-top") == "0px" and own.value_of_css_property("border-left-width") == "0px"
    assert driver.find_element(By.ID, "own-list").value_of_css_property("padding-left") == "40px"
    assert driver.find_element(By.CSS_SELECTOR, "#own-list li").value_of_css_property("list-style-type") == "square"


def test_keyboard_alone_ticks_and_folds(host, driver):
    driver.get(host())
    root = ready(driver)
    driver.find_element(By.TAG_NAME, "h1").click()
    active = "var r = document.querySelector('waymark-route').shadowRoot; var a = r.activeElement; return a ? a.tagName + ':' + (a.type || '') : ''"
    for _ in range(10):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.execute_script(active) == "INPUT:checkbox":
            break
    assert driver.execute_script(active) == "INPUT:checkbox"
    ActionChains(driver).send_keys(Keys.SPACE).perform()
    assert boxes(root)[0].is_selected()
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert driver.execute_script(active) == "SUMMARY:"
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert not driver.execute_script("return document.querySelector('waymark-route').shadowRoot.querySelector('details').open")


@pytest.mark.parametrize("lang", ["en", "fa"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_host_page(host, lang, scheme):
    d = make_driver()
    try:
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        d.get(host(f'segment="accountant" lang="{lang}"', css=False, lang=lang))
        root = ready(d)
        boxes(root)[0].click()
        open_all(d)
        axe = Axe(d, script_url=AXE_SCRIPT)
        axe.inject()
        results = axe.run(options="{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}")
        assert not results["violations"], axe.report(results["violations"])
    finally:
        d.quit()


def test_a_phone_shows_the_widget_without_sideways_scrolling(host):
    d = make_driver(390, 844)
    try:
        d.get(host('segment="accountant" lang="fa"', css=False, lang="fa"))
        root = ready(d)
        open_all(d)
        assert d.execute_script("return document.documentElement.scrollWidth") <= 390
        for target in root.find_elements(By.CSS_SELECTOR, "summary, label, a, button"):
            if target.is_displayed():
                assert target.rect["height"] >= 24, target.text
    finally:
        d.quit()
