"""Onboarding progress that carries time, in a real browser: the old storage format is migrated, a second
tab sees ticks, route events fire once and in order, resets, moving progress to another browser by file,
and the optional beacon: batches reach a real collector with the documented schema, never under Do Not
Track or after the reader turns it off."""
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from helpers import Listener, ROOT, WAYMARK, Server, build, copy_content, free_port, make_driver, wait_for

ROUTE = "/en/segments/small-business/route/"
STEPS = ["01-define-the-first-win", "02-write-your-welcome-email", "03-run-a-kickoff-call", "04-deliver-the-first-result",
         "05-build-a-customer-checklist", "06-review-and-celebrate"]
EVENTS = ["route_started", "step_viewed", "item_ticked", "item_unticked", "step_completed", "stage_completed", "route_completed",
          "search_performed", "search_result_opened", "feedback_given", "fallback_shown"]
# Installed before any page script runs: every waymark:* event is kept across page loads.
RECORDER = "(" + json.dumps(EVENTS) + """).forEach(function (name) {
  document.addEventListener('waymark:' + name, function (e) {
    var all = JSON.parse(sessionStorage.getItem('recorded') || '[]');
    all.push(e.detail);
    sessionStorage.setItem('recorded', JSON.stringify(all));
  });
});"""


def step_url(n, lang="en"):
    return f"/{lang}/guides/small-business/{STEPS[n]}/"


def boxes(driver):
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".task-item.is-interactive input[type=checkbox]"))
    return driver.find_elements(By.CSS_SELECTOR, ".task-item.is-interactive input[type=checkbox]")


def recorded(driver):
    return json.loads(driver.execute_script("return sessionStorage.getItem('recorded') || '[]'"))


def stored_progress(driver):
    return json.loads(driver.execute_script("return localStorage.getItem('waymark:/:progress')") or "null")


def import_file(driver, path):
    """Loads a progress file with the route page's "Load progress from a file"; returns the status shown."""
    picker = driver.find_element(By.CSS_SELECTOR, "[data-import-progress] + input[type=file]")
    driver.execute_script("arguments[0].hidden = false", picker)
    picker.send_keys(str(path))
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-transfer-status]").text)
    return driver.find_element(By.CSS_SELECTOR, "[data-transfer-status]").text


@pytest.fixture
def recording_driver():
    d = make_driver()
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    yield d
    d.quit()


def test_progress_from_the_old_format_is_kept(server, driver):
    driver.get(server.url + step_url(0))
    driver.execute_script("localStorage.clear();"
                          "localStorage.setItem('waymark:/:task:guides/small-business/01-define-the-first-win#write-first-win', '1');"
                          "localStorage.setItem('waymark:/:visited:guides/small-business/06-review-and-celebrate', '1');")
    driver.refresh()
    assert boxes(driver)[0].is_selected() and not boxes(driver)[1].is_selected()
    progress = stored_progress(driver)
    assert progress["v"] == 2
    assert progress["items"]["guides/small-business/01-define-the-first-win#write-first-win"] == {"done": True, "at": 0}
    assert progress["steps"]["guides/small-business/06-review-and-celebrate"]["visited"] == 0
    keys = driver.execute_script("return Object.keys(localStorage)")
    assert not [k for k in keys if ":task:" in k or ":visited:" in k], "old keys are moved, not left behind"


def test_a_second_tab_sees_a_tick_without_reloading(server, driver):
    driver.get(server.url + step_url(0))
    driver.execute_script("localStorage.clear()")
    driver.refresh()
    first = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(server.url + step_url(0))
    boxes(driver)[1].click()
    driver.switch_to.window(first)
    WebDriverWait(driver, 5).until(lambda d: boxes(d)[1].is_selected())
    assert "1" in driver.find_element(By.CSS_SELECTOR, "[data-step-progress] [data-progress-text]").text


def test_route_events_fire_once_in_order_with_times(server, recording_driver):
    d = recording_driver
    d.get(server.url + step_url(0))
    d.execute_script("localStorage.clear(); sessionStorage.clear()")
    d.refresh()
    # The whole route, step by step; on the last step, untick and tick again.
    for n in range(len(STEPS)):
        if n:
            d.get(server.url + step_url(n))
        for box in boxes(d):
            box.click()
    last = boxes(d)[-1]
    last.click()
    last.click()
    events = recorded(d)
    names = [e["event"] for e in events]
    assert names[:2] == ["route_started", "step_viewed"]
    assert names.count("route_started") == 1 and names.count("route_completed") == 1
    assert names.count("stage_completed") == 4 and names.count("step_completed") == len(STEPS)
    # The final tick completes the step, its stage and the route, in that order, and only once.
    finishing = names.index("route_completed")
    assert names[finishing - 3:finishing + 1] == ["item_ticked", "step_completed", "stage_completed", "route_completed"]
    assert names[finishing + 1:] == ["item_unticked", "item_ticked"]
    stages = [e["stage"] for e in events if e["event"] == "stage_completed"]
    assert stages == ["welcome", "first-value", "adoption", "mastery"]
    tick = next(e for e in events if e["event"] == "item_ticked")
    assert tick["segment"] == "small-business" and tick["step"] == "guides/small-business/01-define-the-first-win"
    assert tick["item"].startswith(tick["step"] + "#") and tick["stage"] == "welcome" and tick["lang"] == "en" and tick["v"] == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", tick["time"]) and re.fullmatch(r"[0-9a-f]{32}", tick["reader"])
    # Times are kept: started ≤ each stage ≤ completed, and every item has when it was ticked.
    route = stored_progress(d)["routes"]["small-business"]
    assert route["started"] <= route["stages"]["welcome"] <= route["stages"]["mastery"] == route["completed"]
    assert all(item["done"] and item["at"] >= route["started"] for item in stored_progress(d)["items"].values())


def test_resetting_a_step_and_a_stage(server, driver):
    driver.get(server.url + step_url(0))
    driver.execute_script("localStorage.clear()")
    driver.refresh()
    for box in boxes(driver):
        box.click()
    driver.get(server.url + step_url(1))
    boxes(driver)[0].click()
    reset_step = driver.find_element(By.CSS_SELECTOR, "[data-reset-step]")
    assert reset_step.is_displayed()
    reset_step.click()
    assert not any(b.is_selected() for b in boxes(driver)) and not reset_step.is_displayed()
    driver.get(server.url + ROUTE)
    stage = driver.find_element(By.CSS_SELECTOR, "[data-reset-stage=welcome]")
    assert stage.is_displayed() and not driver.find_element(By.CSS_SELECTOR, "[data-reset-stage=adoption]").is_displayed()
    driver.execute_script("window.confirm = function () { return true; }")
    stage.click()
    assert stored_progress(driver)["items"] == {}
    assert not stage.is_displayed()


def test_progress_moves_to_another_browser_as_a_file(server, driver, tmp_path):
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    driver.get(server.url + step_url(0))
    driver.execute_script("localStorage.clear()")
    driver.refresh()
    boxes(driver)[0].click()
    boxes(driver)[2].click()
    driver.get(server.url + ROUTE)
    driver.find_element(By.CSS_SELECTOR, "[data-export-progress]").click()
    saved = tmp_path / "progress.json"
    WebDriverWait(driver, 10).until(lambda d: saved.exists() and saved.stat().st_size > 0)
    exported = json.loads(saved.read_text())
    assert exported["format"] == "waymark-progress" and exported["v"] == 2 and len(exported["progress"]["items"]) == 2

    # "Another browser": nothing stored; the file brings the ticks back.
    driver.execute_script("localStorage.clear()")
    driver.refresh()
    assert "2" in import_file(driver, saved)
    driver.get(server.url + step_url(0))
    assert [b.is_selected() for b in boxes(driver)] == [True, False, True]

    # Anything else is refused with a message, and changes nothing.
    bad = tmp_path / "other.json"
    bad.write_text('{"hello": 1}')
    driver.get(server.url + ROUTE)
    import_file(driver, bad)
    assert len(stored_progress(driver)["items"]) == 2


# Keys a JavaScript object treats specially, at every level of a progress document: written into an
# ordinary object, "__proto__" reaches Object.prototype and every record then looks started or completed.
HOSTILE_PROGRESS = {
    "v": 2,
    "items": {"__proto__": {"done": True, "at": 9}, "constructor": {"done": True, "at": 9}, "prototype": {"done": True, "at": 9},
              "guides/accountant/01-send-the-engagement-letter#kept": {"done": True, "at": 5}},
    "steps": {"__proto__": {"visited": 1, "completed": 1}, "constructor": {"completed": 1}, "prototype": {"completed": 1},
              step_url(0)[4:-1]: {"__proto__": {"completed": 1}, "constructor": {"completed": 1}}},
    "routes": {"__proto__": {"started": 1, "completed": 1, "stages": {"welcome": 1}}, "constructor": {"started": 1}, "prototype": {"started": 1},
               "accountant": {"started": 3, "stages": {"__proto__": {"welcome": 1}, "constructor": 1, "prototype": 1}}},
}
POLLUTION = ("return ['started', 'completed', 'visited', 'stages', 'done', 'at', 'welcome'].filter(function (k) {"
             " return ({})[k] !== undefined || Object.prototype.hasOwnProperty(k); })")


def reserved_keys(value):
    """Every __proto__, constructor or prototype key anywhere in a JSON value."""
    if isinstance(value, dict):
        return [k for k in value if k in ("__proto__", "constructor", "prototype")] + [k for v in value.values() for k in reserved_keys(v)]
    return []


def test_a_hostile_progress_file_never_reaches_object_prototype(server, recording_driver, tmp_path):
    d = recording_driver
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps({"format": "waymark-progress", "v": 2, "progress": HOSTILE_PROGRESS}))
    d.get(server.url + ROUTE)
    d.execute_script("localStorage.clear(); sessionStorage.clear()")
    d.refresh()
    # The one ordinary item is merged; nothing lands on Object.prototype in the page that imported.
    assert "(1 items updated)" in import_file(d, hostile)
    assert d.execute_script(POLLUTION) == []
    stored = stored_progress(d)
    assert reserved_keys(stored) == [] and stored["items"] == {"guides/accountant/01-send-the-engagement-letter#kept": {"done": True, "at": 5}}
    assert stored["routes"]["accountant"] == {"started": 3, "stages": {}}
    # This route's records start empty: the route is not started, and every milestone still fires.
    assert d.find_element(By.CSS_SELECTOR, "[data-route-start]").text == "Start the route"
    d.get(server.url + step_url(0))
    for box in boxes(d):
        box.click()
    names = [e["event"] for e in recorded(d)]
    assert names[:2] == ["route_started", "step_viewed"] and "step_completed" in names and "stage_completed" not in names


def test_progress_from_storage_is_copied_into_clean_records(server, recording_driver):
    """Storage is input too: another page on the origin (or another tab, through the storage event) can write it."""
    d = recording_driver
    d.get(server.url + step_url(0))
    hostile = dict(HOSTILE_PROGRESS)
    # Fields of the wrong type are dropped, not taken as "done".
    hostile["steps"] = dict(hostile["steps"], **{step_url(0)[4:-1]: {"visited": "yes", "completed": "yes"}})
    hostile["routes"] = dict(hostile["routes"], **{"small-business": {"started": "yes", "completed": True, "stages": {"welcome": "yes"}}})
    d.execute_script("localStorage.clear(); sessionStorage.clear(); localStorage.setItem('waymark:/:progress', arguments[0])", json.dumps(hostile))
    d.refresh()
    assert d.execute_script(POLLUTION) == []
    for box in boxes(d):
        box.click()
    names = [e["event"] for e in recorded(d)]
    assert names[:2] == ["route_started", "step_viewed"] and "step_completed" in names
    assert reserved_keys(stored_progress(d)) == []

    # The same document written by another tab reaches this one through the storage event.
    first = d.current_window_handle
    d.switch_to.new_window("tab")
    d.get(server.url + ROUTE)
    d.execute_script("localStorage.setItem('waymark:/:progress', arguments[0])", json.dumps(HOSTILE_PROGRESS))
    d.switch_to.window(first)
    WebDriverWait(d, 5).until(lambda d: not boxes(d)[0].is_selected())
    assert d.execute_script(POLLUTION) == []
    d.execute_script("sessionStorage.clear()")
    boxes(d)[0].click()
    # That document has no record of this route: ticking starts it anew.
    assert [e["event"] for e in recorded(d)] == ["route_started", "item_ticked"]


@pytest.fixture(scope="module")
def analytics_site(collector):
    tmp = tempfile.mkdtemp(prefix="waymark-analytics-")
    content = copy_content(tmp, f"analytics: {{ endpoint: {collector.url} }}\nfeedback: {{ endpoint: {collector.url} }}")
    server = Server(build(content, os.path.join(tmp, "site")))
    server.content = content
    yield server
    server.close()
    shutil.rmtree(tmp, ignore_errors=True)


def test_beacons_reach_the_collector_with_the_documented_schema(analytics_site, collector, driver):
    # A fresh reader: the home page sends nothing, so the collector sees this reader's events only.
    driver.get(analytics_site.url + "/en/")
    driver.execute_script("localStorage.clear()")
    collector.bodies.clear()
    driver.get(analytics_site.url + step_url(0))
    assert "Anonymous usage statistics" in driver.find_element(By.CSS_SELECTOR, "[data-analytics]").text
    boxes(driver)[0].click()
    # Leaving the page sends the batch.
    driver.get(analytics_site.url + "/en/search/?q=churn")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-search-results] li"))
    driver.find_element(By.CSS_SELECTOR, "[data-search-results] li a.result-title").click()
    assert wait_for(lambda: "search_result_opened" in [e["event"] for e in collector.events()])
    events = collector.events()
    names = [e["event"] for e in events]
    assert names[:3] == ["route_started", "step_viewed", "item_ticked"]
    assert "search_performed" in names
    searched = next(e for e in events if e["event"] == "search_performed")
    assert searched["query"] == "churn" and searched["results"] > 0 and searched["filters"] == {}
    opened = next(e for e in events if e["event"] == "search_result_opened")
    assert opened["rank"] == 1 and opened["query"] == "churn" and opened["target"].startswith("/en/")
    for e in events:
        assert e["v"] == 1 and e["lang"] == "en" and re.fullmatch(r"[0-9a-f]{32}", e["reader"]) and e["page"].startswith("/en/")
    assert len({e["reader"] for e in events}) == 1
    # JSON lines in a text/plain body: a "simple" request, no preflight, no cookies.
    assert all(kind.startswith("text/plain") for kind, _ in collector.bodies)

    # What the collector stored is what `waymark report --events` reads: the reader is in the funnel.
    log = os.path.join(os.path.dirname(analytics_site.content), "events.jsonl")
    with open(log, "w") as f:
        f.write("".join(body for _, body in collector.bodies))
    report = subprocess.run([WAYMARK, "report", "--content", analytics_site.content, "--templates", os.path.join(ROOT, "templates"),
                             "--format", "json", "--events", log], capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
    onboarding = json.loads(report.stdout)["onboarding"]
    assert onboarding["badLines"] == 0 and onboarding["events"] == len(events)
    route = next(r for r in onboarding["routes"] if r["segment"] == "small-business" and r["language"] == "en")
    assert route["started"] == 1 and route["steps"][0]["reached"] == 1
    searched = next(s for s in onboarding["searches"] if s["language"] == "en")
    assert searched["top"][0]["query"] == "churn" and searched["top"][0]["opened"] == 1

    # "Was this helpful?" goes to feedback.endpoint in its own shape, and as an event.
    collector.bodies.clear()
    driver.get(analytics_site.url + "/en/articles/basics/the-aha-moment/")
    driver.find_element(By.CSS_SELECTOR, "[data-helpful=yes]").click()
    driver.get(analytics_site.url + "/en/")
    assert wait_for(lambda: len(collector.bodies) >= 2)
    votes = [json.loads(body) for _, body in collector.bodies if body.startswith('{"page"')]
    assert votes == [{"page": "/en/articles/basics/the-aha-moment/", "language": "en", "title": votes[0]["title"], "helpful": True}]
    assert [e["helpful"] for e in collector.events() if e.get("event") == "feedback_given"] == [True]

    # The reader turns it off: nothing more is sent.
    collector.bodies.clear()
    driver.get(analytics_site.url + step_url(0))
    driver.find_element(By.CSS_SELECTOR, "[data-analytics-toggle]").click()
    assert "off" in driver.find_element(By.CSS_SELECTOR, "[data-analytics-state]").text
    boxes(driver)[1].click()
    driver.get(analytics_site.url + "/en/")
    time.sleep(1)
    assert collector.events() == []


def test_do_not_track_and_global_privacy_control_send_nothing(analytics_site, collector):
    for signal in ("Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: function () { return '1'; } });",
                   "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: function () { return true; } });"):
        d = make_driver()
        try:
            d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": signal})
            collector.bodies.clear()
            d.get(analytics_site.url + step_url(0))
            assert "not to track" in d.find_element(By.CSS_SELECTOR, "[data-analytics]").text
            assert not d.find_element(By.CSS_SELECTOR, "[data-analytics-toggle]").is_displayed()
            boxes(d)[0].click()
            d.get(analytics_site.url + "/en/")
            time.sleep(1)
            assert collector.events() == []
        finally:
            d.quit()


def test_without_an_endpoint_nothing_leaves_the_browser(server, recording_driver):
    d = recording_driver
    d.get(server.url + step_url(0))
    assert not d.find_elements(By.CSS_SELECTOR, "[data-analytics]")
    d.execute_script("localStorage.clear(); sessionStorage.clear()")
    d.refresh()
    boxes(d)[0].click()
    # The events are still there for an embedding product, in the page.
    assert [e["event"] for e in recorded(d)][:3] == ["route_started", "step_viewed", "item_ticked"]
    sent = d.execute_script("return performance.getEntriesByType('resource').filter(function (r) {"
                            " return r.initiatorType === 'beacon' || r.initiatorType === 'fetch' && r.name.indexOf('/search/') < 0; }).length")
    assert sent == 0


class SiteWithCollector(Server):
    """The site and a collector on one origin (analytics.endpoint: /collect): records the Referer and Origin
    of every POST to /collect and of every page fetched."""

    def __init__(self, directory):
        self.posts, self.pages = [], []
        posts, pages = self.posts, self.pages

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                if self.path.endswith("/") or self.path.split("?")[0].endswith("/"):
                    pages.append((self.path, self.headers.get("Referer")))
                return super().do_GET()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                posts.append({"path": self.path, "referer": self.headers.get("Referer"), "origin": self.headers.get("Origin"), "body": body})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.directory = directory
        self.requests = []
        self.port = free_port()
        self.httpd = Listener(("127.0.0.1", self.port), functools.partial(Handler, directory=directory))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}"


def test_requests_from_a_page_carry_no_path_or_query_string_in_referer(driver, tmp_path):
    """Under strict-origin-when-cross-origin a same-origin beacon carries the whole page URL, query string
    included (?utm_source=…&email=…); the pages' policy keeps every Referer to the origin."""
    content = tmp_path / "content"
    shutil.copytree(os.path.join(ROOT, "content"), content)
    with open(content / "site.yml", "a") as f:
        f.write("\nanalytics: { endpoint: /collect }\nfeedback: { endpoint: /collect }\n")
    site = SiteWithCollector(build(str(content), str(tmp_path / "site")))
    try:
        query = "?utm_source=x&email=a%40b.example"
        driver.get(site.url + step_url(0) + query)
        boxes(driver)[0].click()
        driver.get(site.url + "/en/articles/basics/the-aha-moment/" + query)
        driver.find_element(By.CSS_SELECTOR, "[data-helpful=yes]").click()
        # A link followed from a page with a query string.
        driver.execute_script("document.querySelector('main a[href^=\"/en/articles/\"]').click()")
        assert wait_for(lambda: len([p for p in site.posts if '"event"' in p["body"]]) >= 2 and any('"helpful"' in p["body"] for p in site.posts))
        assert wait_for(lambda: len(site.pages) >= 3)
        origin = site.url + "/"
        # sendBeacon (events) and fetch (the vote) both: the origin alone, and an Origin header for a
        # collector that checks it (no-referrer would send "Origin: null").
        assert site.posts and all(p["referer"] == origin and p["origin"] == site.url for p in site.posts), site.posts
        assert [referer for path, referer in site.pages[2:]] and all(referer == origin for path, referer in site.pages[2:]), site.pages
    finally:
        site.close()
