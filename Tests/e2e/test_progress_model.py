"""One progress model, seen as a reader sees it: on the route page, a step's header and the segment landing
page, every bar fills the fraction its label states (read from the pixels), the main action names what
comes next or offers a review once all is done, and milestones are congratulated where the reader ticked."""
import json
import os
import re
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from helpers import make_driver, png_pixels

PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def route_json(server, lang, segment):
    with open(os.path.join(server.directory, lang, "segments", segment, "route.json"), encoding="utf-8") as f:
        return json.load(f)


def page(lang, segment, kind, route=None):
    if kind == "landing":
        return f"/{lang}/segments/{segment}/"
    if kind == "route":
        return f"/{lang}/segments/{segment}/route/"
    return route["steps"][0]["path"]


def seed(driver, server, progress):
    """Puts a progress document in the site's storage (as the route script keeps it) and reloads."""
    driver.get(server.url + "/en/")
    driver.execute_script("localStorage.clear(); localStorage.setItem('waymark:/:progress', arguments[0]);", json.dumps(progress))


def all_done(routes, but=0, started=None):
    """Every item and step of the given routes done, except the last `but` items of the last route."""
    progress = {"v": 2, "items": {}, "steps": {}, "routes": {}}
    for route in routes:
        for step in route["steps"]:
            progress["steps"][step["id"]] = {"visited": 1}
            for item in step["checklist"]:
                progress["items"][item["id"]] = {"done": True, "at": 1}
    if but:
        last = [i for s in routes[-1]["steps"] for i in s["checklist"]][-but:]
        for item in last:
            progress["items"][item["id"]] = {"done": False, "at": 1}
    if started:
        progress["routes"][routes[-1]["segment"]["id"]] = {"started": started, "stages": {}}
    return progress


def numbers(text):
    return [int(n) for n in re.findall(r"\d+", text.translate(PERSIAN_DIGITS))]


def filled_fraction(bar, rtl):
    """The share of a progress bar's track that is filled, from the pixels: the row through the middle
    splits into two runs of colour (fill and track, lighter or darker depending on the scheme), and the
    fill is the run that touches the start of the line."""
    rows = png_pixels(bar.screenshot_as_png)
    inner = rows[len(rows) // 2][3:-3]  # the rounded ends blend into the page
    light = [sum(p) for p in inner]
    high, low = max(light), min(light)
    if high - low < 60:  # one colour: empty or full
        return 1.0 if float(bar.get_attribute("value")) >= 50 else 0.0
    middle = (high + low) / 2
    fill_is_light = (light[-1] if rtl else light[0]) > middle
    return sum(1 for v in light if (v > middle) == fill_is_light) / len(light)


def assert_bar_matches_label(driver, box_selector):
    box = driver.find_element(By.CSS_SELECTOR, box_selector)
    WebDriverWait(driver, 5).until(lambda d: box.is_displayed())
    label = box.find_element(By.CSS_SELECTOR, "[data-progress-text]").text
    done, total = numbers(label)[:2]
    bar = box.find_element(By.CSS_SELECTOR, "progress")
    value = float(bar.get_attribute("value")) / float(bar.get_attribute("max"))
    assert abs(value - done / total) < 0.005, (box_selector, label, value)
    # What the reader sees: the coloured share of the track (dark mode swaps the colours, the split stays).
    seen = filled_fraction(bar, driver.execute_script("return document.documentElement.dir") == "rtl")
    assert abs(seen - done / total) < 0.06, (box_selector, label, seen)
    assert bar.get_attribute("aria-valuetext") == label
    return label


@pytest.mark.parametrize("lang,segment", [("en", "small-business"), ("fa", "accountant")])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_bar_fills_the_fraction_its_label_states(lang, segment, scheme, server):
    driver = make_driver(390, 844)
    try:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        route = route_json(server, lang, segment)
        # Two items of the first step and the whole second step: items and steps tell different fractions.
        first, second = route["steps"][0], route["steps"][1]
        progress = {"v": 2, "items": {}, "steps": {first["id"]: {"visited": 1}, second["id"]: {"visited": 1}}, "routes": {}}
        for item in first["checklist"][:2] + second["checklist"]:
            progress["items"][item["id"]] = {"done": True, "at": 1}
        seed(driver, server, progress)
        units = sum(max(1, len(s["checklist"])) for s in route["steps"])
        done = 2 + max(1, len(second["checklist"]))
        labels = {}
        for kind in ("route", "landing", "step"):
            driver.get(server.url + page(lang, segment, kind, route))
            labels[kind] = assert_bar_matches_label(driver, "[data-route-progress]")
            assert numbers(labels[kind])[:4] == [done, units, 1, len(route["steps"])], labels[kind]
        # Every place states the same thing.
        assert labels["route"] == labels["landing"] == labels["step"]
        # The step's own bar counts the step's items.
        label = assert_bar_matches_label(driver, "[data-step-progress]")
        assert numbers(label)[:2] == [2, len(first["checklist"])]
        # Stage bars carry their numbers, and the route page's main action names the next step.
        driver.get(server.url + page(lang, segment, "route"))
        stage_label = assert_bar_matches_label(driver, f'[data-stage-progress="{route["stages"][0]["id"]}"]')
        assert numbers(stage_label)[1] == sum(max(1, len(route["steps"][n - 1]["checklist"])) for n in route["stages"][0]["steps"])
        start = driver.find_element(By.CSS_SELECTOR, "[data-route-start]")
        assert first["title"] in start.text and start.get_attribute("href").endswith(first["path"])
        current = driver.find_element(By.CSS_SELECTOR, '.step[data-step="%s"] .step-link' % first["id"])
        assert current.get_attribute("aria-current") == "step"
    finally:
        driver.quit()


def test_landing_page_shows_real_progress_and_what_comes_next(driver, server):
    route = route_json(server, "en", "small-business")
    seed(driver, server, {"v": 2, "items": {}, "steps": {}, "routes": {}})
    driver.get(server.url + "/en/segments/small-business/")
    # Nothing done: no empty track, and the writer's own button text.
    assert not driver.find_element(By.CSS_SELECTOR, "[data-route-progress]").is_displayed()
    start = driver.find_element(By.CSS_SELECTOR, "[data-route-start]")
    assert start.get_attribute("href").endswith(route["steps"][0]["path"])
    fresh = start.text
    # Step 1 done: the action continues at step 2, by number and title.
    first = route["steps"][0]
    progress = {"v": 2, "items": {i["id"]: {"done": True, "at": 1} for i in first["checklist"]}, "steps": {first["id"]: {"visited": 1}}, "routes": {}}
    seed(driver, server, progress)
    driver.get(server.url + "/en/segments/small-business/")
    assert_bar_matches_label(driver, "[data-route-progress]")
    start = driver.find_element(By.CSS_SELECTOR, "[data-route-start]")
    assert start.text == "Continue: 2 · " + route["steps"][1]["title"] and start.text != fresh
    assert start.get_attribute("href").endswith(route["steps"][1]["path"])
    # Everything done: review, on the landing page and on the route page, with a full bar.
    seed(driver, server, all_done([route]))
    for url in ("/en/segments/small-business/", "/en/segments/small-business/route/"):
        driver.get(server.url + url)
        label = assert_bar_matches_label(driver, "[data-route-progress]")
        assert numbers(label)[2:4] == [len(route["steps"])] * 2
        start = driver.find_element(By.CSS_SELECTOR, "[data-route-start]")
        assert start.text == "Review the route", url
        assert "Start the route" not in driver.find_element(By.CSS_SELECTOR, "main").text


def test_finishing_a_step_is_confirmed_right_after_its_checklist_on_a_phone(server):
    driver = make_driver(390, 844)
    try:
        route = route_json(server, "en", "small-business")
        seed(driver, server, {"v": 2, "items": {}, "steps": {}, "routes": {}})
        driver.get(server.url + route["steps"][0]["path"])
        boxes = WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".task-item.is-interactive input"))
        for b in boxes:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", b)
            b.click()
        box = driver.find_element(By.CSS_SELECTOR, "[data-celebration]")
        WebDriverWait(driver, 5).until(lambda d: box.is_displayed())
        assert box.get_attribute("aria-live") == "polite"
        # Right after the list holding the last tick, and on screen.
        assert driver.execute_script("return arguments[0].previousElementSibling === arguments[1].closest('ul, ol')", box, boxes[-1])
        time.sleep(0.6)  # a smooth scroll may still be moving
        top, bottom = driver.execute_script("var r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom]", box)
        assert 0 <= top and bottom <= 844
        link = box.find_element(By.TAG_NAME, "a")
        assert link.get_attribute("href").endswith(route["steps"][1]["path"])
    finally:
        driver.quit()


def test_finishing_the_route_gets_its_own_moment(driver, server):
    route = route_json(server, "fa", "accountant")
    started = int(time.time() * 1000) - 3 * 86400 * 1000
    seed(driver, server, all_done([route], but=1, started=started))
    last = route["steps"][-1]
    driver.get(server.url + last["path"])
    boxes = WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".task-item.is-interactive input"))
    unticked = [b for b in boxes if not b.is_selected()]
    assert len(unticked) == 1
    unticked[0].click()
    box = driver.find_element(By.CSS_SELECTOR, "[data-celebration]")
    WebDriverWait(driver, 5).until(lambda d: box.is_displayed())
    assert "is-route" in box.get_attribute("class")
    heading = box.find_element(By.TAG_NAME, "h2").text
    assert route["segment"]["title"] in heading
    text = box.text
    items = sum(len(s["checklist"]) for s in route["steps"])
    # What was done and in how long, in Persian digits.
    assert str(len(route["steps"])).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in text
    assert str(items).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in text
    assert "۳ روز" in text
    links = [a.get_attribute("href") for a in box.find_elements(By.TAG_NAME, "a")]
    assert any(h.endswith("/fa/segments/accountant/") for h in links)
    # The finish is recorded, after the start the time was counted from.
    assert driver.execute_script("return JSON.parse(localStorage.getItem('waymark:/:progress')).routes.accountant.completed") > started
