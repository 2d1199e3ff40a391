"""Code coloured at build time: colours without script, contrast of every colour in light and dark (axe),
code left to right in Persian pages, and the copy button (added by script) copying the code as written."""
import os
import re

import pytest
from axe_selenium_python import Axe

from test_accessibility import AXE_SCRIPT

STEP = "/{lang}/guides/developer/02-instrument-onboarding-events/"
CLASSES = ["keyword", "type", "string", "comment", "number", "function", "variable", "attribute", "meta", "inserted", "deleted"]


def source_blocks(lang):
    """The fenced blocks of the step's Markdown, as written: (language, code)."""
    path = os.path.join(os.path.dirname(__file__), "..", "..", "content", lang, "guides", "developer", "02-instrument-onboarding-events.md")
    return re.findall(r"^```(\w+)\n(.*?)^```$", open(path, encoding="utf-8").read(), re.S | re.M)


def test_colours_without_script(driver, server):
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    driver.get(server.url + STEP.format(lang="en"))
    blocks = driver.find_elements("css selector", ".prose pre > code")
    assert [b.get_attribute("class") for b in blocks] == [f"language-{lang}" for lang, _ in source_blocks("en")]
    # The text a reader sees (and selects) is the code as written.
    assert [b.get_attribute("textContent") for b in blocks] == [code for _, code in source_blocks("en")]
    colours = driver.execute_script(
        "var plain = getComputedStyle(document.querySelector('.prose pre code')).color;"
        "return Array.from(document.querySelectorAll('.prose pre [class^=hl-]')).map(function (s) {"
        "  return [s.className, getComputedStyle(s).color, plain]; });")
    kinds = {c for c, _, _ in colours}
    assert {"hl-attribute", "hl-string", "hl-number", "hl-keyword"} <= kinds, kinds
    assert all(colour != plain for _, colour, plain in colours), colours
    # Nothing of the script's: no copy buttons without it.
    assert not driver.find_elements("css selector", ".code-copy")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "fa"])
def test_every_colour_has_contrast(driver, server, lang, scheme):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    driver.get(server.url + STEP.format(lang=lang))
    # Every class the highlighter writes, in a real code block of the page, beside what the page has.
    driver.execute_script(
        "var code = document.querySelector('.prose pre code');"
        "arguments[0].forEach(function (c) { var s = document.createElement('span'); s.className = 'hl-' + c;"
        "  s.textContent = 'sample_' + c; code.appendChild(s); code.appendChild(document.createTextNode('\\n')); });", CLASSES)
    axe = Axe(driver, script_url=AXE_SCRIPT)
    axe.inject()
    results = axe.run(options="{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}")
    assert not results["violations"], axe.report(results["violations"])
    checked = driver.execute_script("return document.querySelectorAll('.prose pre [class^=hl-]').length")
    assert checked > len(CLASSES)


def test_persian_page_keeps_code_left_to_right(driver, server):
    looks = {}
    for lang in ("en", "fa"):
        driver.get(server.url + STEP.format(lang=lang))
        looks[lang] = driver.execute_script(
            "var pre = document.querySelectorAll('.prose pre')[1], code = pre.querySelector('code'), first = code.firstChild;"
            "var r = document.createRange(); r.setStart(first, 0); r.setEnd(first, 4);"
            "var box = pre.getBoundingClientRect(), text = r.getBoundingClientRect(), button = pre.parentNode.querySelector('.code-copy').getBoundingClientRect();"
            "return {dir: document.documentElement.dir, direction: getComputedStyle(code).direction,"
            "  textFromLeft: text.left - box.left, buttonFromRight: box.right - button.right, buttonTop: button.top - box.top,"
            "  textBelowButton: text.top - button.bottom, buttonHeight: button.height};")
    assert looks["fa"]["dir"] == "rtl" and looks["en"]["dir"] == "ltr"
    for lang, look in looks.items():
        assert look["direction"] == "ltr", look
        # `curl` starts at the left padding, and the copy button sits in the top right corner, in both.
        assert 8 <= look["textFromLeft"] <= 24, (lang, look)
        assert 0 <= look["buttonFromRight"] <= 12 and 0 <= look["buttonTop"] <= 12, (lang, look)
        # It covers no code, and is a 24 px target at least.
        assert look["textBelowButton"] >= 0 and look["buttonHeight"] >= 24, (lang, look)


@pytest.mark.parametrize("lang,copied", [("en", "Copied"), ("fa", "کپی شد")])
def test_copy_button_copies_the_code(driver, server, lang, copied):
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": server.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    driver.get(server.url + STEP.format(lang=lang))
    buttons = driver.find_elements("css selector", ".code-copy")
    assert len(buttons) == len(source_blocks(lang))
    buttons[1].click()
    text = driver.execute_async_script("var done = arguments[0]; navigator.clipboard.readText().then(done, function () { done(null); });")
    assert text == source_blocks(lang)[1][1] and text.startswith("curl -sS")
    assert buttons[1].text == copied
    assert driver.find_element("id", "waymark-status").get_attribute("textContent") == copied
    # The button is reachable from the keyboard and named by its text.
    assert buttons[1].tag_name == "button" and buttons[1].get_attribute("type") == "button"
