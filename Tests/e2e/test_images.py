"""Images in a real browser: the space is reserved before they load (no layout shift), images below the
first screen load lazily, and a phone picks the small copy from srcset while a desktop takes the image."""
import os

from helpers import make_driver

STAGES = "/{lang}/articles/basics/activation-and-adoption-stages/"
CHECKLISTS = "/en/articles/channels/onboarding-checklists/"

# Sums every layout shift the page has had (buffered: from the start of loading).
LAYOUT_SHIFT = """
const done = arguments[arguments.length - 1];
let total = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
  .observe({type: 'layout-shift', buffered: true});
setTimeout(() => done(total), 300);
"""


def image_facts(driver, selector):
    return driver.execute_script(
        """const img = document.querySelector(arguments[0]);
        const box = img.getBoundingClientRect();
        return {width: img.getAttribute('width'), height: img.getAttribute('height'), loading: img.getAttribute('loading'),
                decoding: img.getAttribute('decoding'), srcset: img.getAttribute('srcset'), src: img.getAttribute('src'),
                complete: img.complete, natural: img.naturalWidth, current: img.currentSrc, boxWidth: box.width, boxHeight: box.height,
                alt: img.alt};""", selector)


def scroll_to_image_and_wait(driver):
    """Brings the page's first image into view and returns once it has loaded."""
    driver.execute_script("document.querySelector('.prose img').scrollIntoView()")
    driver.execute_async_script("const d = arguments[0], img = document.querySelector('.prose img');"
                                "img.complete ? d() : img.addEventListener('load', () => d())")


def test_first_screen_image_has_its_size_and_loads_at_once(server, driver):
    for lang in ("en", "fa", "vi", "ru"):
        driver.get(server.url + STAGES.format(lang=lang))
        facts = image_facts(driver, ".prose img")
        assert (facts["width"], facts["height"]) == ("800", "120"), lang
        assert facts["loading"] is None and facts["decoding"] is None, "the first screen's image is not deferred"
        assert facts["src"].startswith(f"/{lang}/assets/onboarding-stages.") and facts["src"].endswith(".svg")
        assert facts["natural"] > 0 and facts["alt"]
        # Scaled to the column, it keeps the file's proportions.
        assert abs(facts["boxHeight"] - facts["boxWidth"] * 120 / 800) < 1.5, facts
        assert driver.execute_async_script(LAYOUT_SHIFT) < 0.01, lang


def test_space_is_reserved_before_a_lazy_image_arrives(server, driver):
    driver.get(server.url + CHECKLISTS)
    facts = image_facts(driver, ".prose img")
    assert facts["loading"] == "lazy" and facts["decoding"] == "async"
    width, height = int(facts["width"]), int(facts["height"])
    # Not loaded yet (far below the first screen), yet its box already has the image's proportions.
    assert facts["boxHeight"] > 100 and abs(facts["boxHeight"] - facts["boxWidth"] * height / width) < 1.5, facts
    scroll_to_image_and_wait(driver)
    loaded = image_facts(driver, ".prose img")
    assert loaded["complete"] and loaded["current"].endswith(loaded["src"])
    assert driver.execute_async_script(LAYOUT_SHIFT) < 0.01


def test_a_phone_downloads_the_small_copy(server):
    phone = make_driver(width=400, height=800)
    try:
        phone.get(server.url + CHECKLISTS)
        scroll_to_image_and_wait(phone)
        facts = image_facts(phone, ".prose img")
        assert " 480w" in facts["srcset"]
        assert "-480w." in os.path.basename(facts["current"]), facts["current"]
        # naturalWidth of a srcset image is in CSS pixels: the copy's 480 px over the slot `sizes` gives
        # (the viewport less 2rem, the phone's padding).
        assert facts["complete"] and facts["natural"] == phone.execute_script("return innerWidth") - 32
    finally:
        phone.quit()
    # A desktop column is wider than 480 px: it takes the image itself.
    desktop = make_driver(width=1280, height=900)
    try:
        desktop.get(server.url + CHECKLISTS)
        scroll_to_image_and_wait(desktop)
        facts = image_facts(desktop, ".prose img")
        assert "-480w." not in facts["current"] and facts["current"].endswith(facts["src"])
    finally:
        desktop.quit()
