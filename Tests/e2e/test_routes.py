"""Onboarding routes in a real browser: checklists that remember progress, across reloads and languages,
progress bars, stage celebrations, reset, and right-to-left layout."""
import json
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from helpers import png_pixels

STEP1 = "/en/guides/small-business/01-define-the-first-win/"
STEP2 = "/en/guides/small-business/02-write-your-welcome-email/"


def boxes(driver):
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".task-item.is-interactive input[type=checkbox]"))
    return driver.find_elements(By.CSS_SELECTOR, ".task-item.is-interactive input[type=checkbox]")


def progress(driver, selector):
    return float(driver.find_element(By.CSS_SELECTOR, f"{selector} progress").get_attribute("value"))


def test_ticking_an_item_survives_a_reload_and_moves_the_bars(driver, server):
    driver.get(server.url + STEP1)
    items = boxes(driver)
    assert len(items) == 3 and not any(b.is_selected() for b in items)
    assert progress(driver, "[data-step-progress]") == 0
    route_before = progress(driver, "[data-route-progress]")
    items[0].click()
    assert progress(driver, "[data-step-progress]") > 0
    assert progress(driver, "[data-route-progress]") > route_before
    driver.refresh()
    items = boxes(driver)
    assert items[0].is_selected() and not items[1].is_selected()
    assert "1" in driver.find_element(By.CSS_SELECTOR, "[data-step-progress] [data-progress-text]").text


def test_progress_is_kept_when_switching_language(driver, server):
    driver.get(server.url + STEP1)
    boxes(driver)[1].click()
    driver.find_element(By.CSS_SELECTOR, ".language-switcher a[data-lang=vi]").click()
    WebDriverWait(driver, 10).until(lambda d: "/vi/guides/small-business/01-define-the-first-win/" in d.current_url)
    vi = boxes(driver)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    assert not vi[0].is_selected() and vi[1].is_selected()


def test_finishing_a_stage_is_celebrated_and_points_to_the_next(driver, server):
    driver.get(server.url + STEP1)
    for b in boxes(driver):
        if not b.is_selected():
            b.click()
    celebration = driver.find_element(By.CSS_SELECTOR, "[data-celebration]")
    # The step is confirmed; the welcome stage has a second step, so no stage message yet.
    assert celebration.is_displayed() and "is-stage" not in celebration.get_attribute("class")
    assert "Welcome" not in celebration.text
    driver.get(server.url + STEP2)
    for b in boxes(driver):
        b.click()
    celebration = driver.find_element(By.CSS_SELECTOR, "[data-celebration]")
    WebDriverWait(driver, 5).until(lambda d: celebration.is_displayed())
    assert "is-stage" in celebration.get_attribute("class") and "Welcome" in celebration.text
    link = celebration.find_element(By.TAG_NAME, "a")
    assert "/en/guides/small-business/03-run-a-kickoff-call/" in link.get_attribute("href")
    # The route page shows the stage as complete and offers to continue at the next open step.
    driver.get(server.url + "/en/segments/small-business/route/")
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, ".stage[data-stage=welcome]").get_attribute("class").find("is-complete") >= 0)
    start = driver.find_element(By.CSS_SELECTOR, "[data-route-start]")
    assert start.get_attribute("href").endswith("/en/guides/small-business/03-run-a-kickoff-call/")
    reset = driver.find_element(By.CSS_SELECTOR, "[data-reset-progress]")
    assert reset.is_displayed()
    reset.click()
    driver.switch_to.alert.accept()
    assert progress(driver, "[data-route-progress]") == 0
    driver.get(server.url + STEP1)
    assert not any(b.is_selected() for b in boxes(driver))


def test_persian_route_is_right_to_left(driver, server):
    driver.get(server.url + "/fa/segments/accountant/route/")
    html = driver.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("dir") == "rtl"
    assert driver.execute_script("return getComputedStyle(document.querySelector('.stages')).direction") == "rtl"
    # The stage rail sits on the right-hand (start) side in right-to-left layout.
    stage = driver.find_element(By.CSS_SELECTOR, ".stage")
    assert driver.execute_script("return parseFloat(getComputedStyle(arguments[0]).borderRightWidth)", stage) > 0
    assert driver.execute_script("return parseFloat(getComputedStyle(arguments[0]).borderLeftWidth)", stage) == 0


def filled_side(bar):
    """Which end of a progress bar the fill starts from, read from the pixels a reader sees: the fill is
    the darker colour."""
    rows = png_pixels(bar.screenshot_as_png)
    middle = rows[len(rows) // 2]
    def darkness(fraction):
        r, g, b = middle[int(len(middle) * fraction)]
        return 765 - (r + g + b)
    left, right = darkness(0.15), darkness(0.85)
    assert abs(left - right) > 60, "one end of a half-full bar should be filled"
    return "left" if left > right else "right"


def test_progress_bars_fill_from_the_start_of_the_line_in_both_directions(driver, server):
    for lang, start in (("en", "left"), ("fa", "right")):
        driver.get(server.url + STEP1.replace("/en/", f"/{lang}/"))
        driver.execute_script("localStorage.clear()")
        driver.refresh()
        items = boxes(driver)
        # About half of the step: the fill covers one end and not the other.
        for b in items[: (len(items) + 1) // 2]:
            b.click()
        bar = driver.find_element(By.CSS_SELECTOR, "[data-step-progress] progress")
        assert 30 <= float(bar.get_attribute("value")) <= 70
        assert filled_side(bar) == start, lang


def test_without_javascript_checklists_are_a_plain_list(server):
    from helpers import make_driver
    from selenium import webdriver  # noqa: F401
    d = make_driver()
    try:
        d.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        d.get(server.url + STEP1)
        assert not d.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")
        items = d.find_elements(By.CSS_SELECTOR, ".task-item[data-task]")
        assert len(items) == 3 and all(i.text.strip() for i in items)
    finally:
        d.quit()


def test_home_remembers_the_chosen_segment(driver, server):
    driver.get(server.url + "/en/")
    driver.find_element(By.CSS_SELECTOR, "[data-segment-choice=developer]").click()
    WebDriverWait(driver, 5).until(lambda d: "/en/segments/developer/" in d.current_url)
    driver.get(server.url + "/en/")
    card = driver.find_element(By.CSS_SELECTOR, ".segment-card[data-segment=developer]")
    assert "is-chosen" in card.get_attribute("class")
    continue_link = driver.find_element(By.CSS_SELECTOR, "[data-continue-route] a")
    assert continue_link.get_attribute("href").endswith("/en/segments/developer/")


def test_whole_route_page_prints_every_step_with_boxes_and_the_guides_folder_leads_to_the_route(driver, server):
    route = json.loads(open(os.path.join(server.directory, "fa", "segments", "accountant", "route.json"), encoding="utf-8").read())
    driver.get(server.url + "/fa/segments/accountant/route/")
    driver.find_element(By.CSS_SELECTOR, "a[href$='/fa/segments/accountant/route/all/']").click()
    WebDriverWait(driver, 5).until(lambda d: d.current_url.endswith("/route/all/"))
    steps = driver.find_elements(By.CSS_SELECTOR, ".route-step")
    titles = [s.find_element(By.CSS_SELECTOR, "h3").get_attribute("textContent").strip() for s in steps]
    assert len(titles) == len(route["steps"]) and all(t.endswith(s["title"]) for t, s in zip(titles, route["steps"])), titles
    assert len(driver.find_elements(By.CSS_SELECTOR, ".route-stage")) == len(route["stages"])
    ids = driver.execute_script("return Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
    assert len(ids) == len(set(ids))
    box = driver.execute_script("return getComputedStyle(document.querySelector('.route-document .task-item[data-task]'), '::before').content")
    assert box == '"☐"'
    button = driver.find_element(By.CSS_SELECTOR, "[data-print]")
    assert button.is_displayed()
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not button.is_displayed()
        assert not driver.find_element(By.CSS_SELECTOR, ".site-header").is_displayed()
        assert not driver.find_element(By.CSS_SELECTOR, ".breadcrumbs").is_displayed()
        assert all(s.is_displayed() for s in steps)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    # The folder of the steps is not a 404 or a listing: it leads to the route page.
    driver.get(server.url + "/fa/guides/accountant/")
    WebDriverWait(driver, 5).until(lambda d: d.current_url.endswith("/fa/segments/accountant/route/"))
