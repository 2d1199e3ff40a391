"""Callouts and heading links as readers meet them: titled in the page's language, on the reading side in
right-to-left pages, plain in print; heading links reachable from the keyboard, named for screen readers,
and copying the section's address. (axe checks both on the article page in every language and scheme.)"""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ARTICLE = "/{lang}/articles/metrics/onboarding-metrics/"
TITLES = {"en": ("Tip", "Warning"), "fa": ("نکته", "هشدار"), "ru": ("Совет", "Предупреждение"), "vi": ("Mẹo", "Cảnh báo")}


def style(driver, element, prop):
    return driver.execute_script("return getComputedStyle(arguments[0]).getPropertyValue(arguments[1])", element, prop)


def test_callouts_are_titled_in_each_language_and_edged_on_the_reading_side(driver, server):
    for lang, titles in TITLES.items():
        driver.get(server.url + ARTICLE.format(lang=lang))
        callouts = driver.find_elements(By.CSS_SELECTOR, ".prose .callout")
        assert [c.find_element(By.CSS_SELECTOR, ".callout-title").text for c in callouts] == list(titles)
        assert [c.get_attribute("role") for c in callouts] == ["note", "note"]
        assert "[!" not in driver.find_element(By.CSS_SELECTOR, ".prose").text
        tip = callouts[0]
        left, right = style(driver, tip, "border-left-width"), style(driver, tip, "border-right-width")
        # The coloured edge is where reading starts: the left in English, the right in Persian.
        if lang == "fa":
            assert (left, right) == ("0px", "4px")
        else:
            assert (left, right) == ("4px", "0px")
        assert style(driver, tip, "background-color") != style(driver, callouts[1], "background-color")


def test_callouts_and_heading_links_in_print(driver, server):
    driver.get(server.url + ARTICLE.format(lang="en"))
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        tip = driver.find_element(By.CSS_SELECTOR, ".callout-tip")
        assert style(driver, tip, "background-color") in ("rgba(0, 0, 0, 0)", "transparent")
        assert style(driver, tip, "break-inside") == "avoid"
        assert style(driver, driver.find_element(By.CSS_SELECTOR, ".heading-anchor"), "display") == "none"
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_heading_links_are_named_focusable_and_copy_the_address(driver, server):
    url = server.url + ARTICLE.format(lang="en")
    driver.get(url)
    heading = driver.find_element(By.ID, "activation-rate")
    # The heading's own name is its text: the link sits beside it, not inside it.
    assert heading.text == "Activation rate" and not heading.find_elements(By.TAG_NAME, "a")
    anchor = heading.find_element(By.XPATH, "following-sibling::a[@class='heading-anchor']")
    assert anchor.get_attribute("aria-label") == "Link to this section: Activation rate"
    assert anchor.get_attribute("href") == url + "#activation-rate"
    driver.execute_script("arguments[0].focus()", anchor)
    assert driver.switch_to.active_element == anchor
    assert style(driver, anchor, "opacity") == "1"

    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": server.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    anchor.click()
    WebDriverWait(driver, 5).until(lambda d: "is-copied" in anchor.get_attribute("class"))
    copied = driver.execute_async_script("var done = arguments[0]; navigator.clipboard.readText().then(done, function () { done(null); });")
    assert copied == url + "#activation-rate"
    assert driver.execute_script("return location.hash") == "#activation-rate"
    assert driver.find_element(By.ID, "waymark-status").get_attribute("textContent") == "Link copied"


def test_heading_links_read_in_the_page_language(driver, server):
    driver.get(server.url + ARTICLE.format(lang="fa"))
    anchor = driver.find_element(By.CSS_SELECTOR, "#activation-rate + .heading-anchor")
    assert anchor.get_attribute("aria-label").startswith("پیوند به این بخش: ")
    assert anchor.get_attribute("data-copied") == "پیوند کپی شد"
