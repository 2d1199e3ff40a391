"""What a reader sees on every page kind, measured from layout boxes in Chromium (no pixel goldens): at a
phone's 390×844 and a desktop's 1280×900, in English and Persian, light and dark, with some progress made.
Nothing scrolls the page sideways, the phone header stays small, every control is big enough to tap
(WCAG 2.2, 2.5.8: 24×24 CSS px, links inside sentences excepted), buttons keep their label on one line,
prose stays under 80 characters a line, and the footer lines up with the content and ends the screen."""
import json
import os

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from helpers import PAGES, make_driver, set_viewport


# Everything measured in one pass of the page's own script, so each page costs one round trip.
MEASURE = r"""
const vw = window.innerWidth, vh = window.innerHeight;
function visible(e) {
  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && !e.closest(".visually-hidden, [hidden]");
}
function inSentence(a) {
  // A link in running text: its block holds more text than the link (WCAG's inline exception).
  const block = a.closest("p, li, td, th, dd, figcaption, blockquote");
  return !!block && !a.matches(".button, .button-quiet") && block.textContent.trim().length > a.textContent.trim().length + 2;
}
const small = [];
for (const e of document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])")) {
  if (!visible(e) || e.type === "hidden") continue;
  if (e.tagName === "A" && inSentence(e)) continue;
  if (e.closest(".prose, .search-popup")) { if (e.tagName === "A" || e.tagName === "INPUT") continue; }
  const r = e.getBoundingClientRect();
  if (r.width < 23.9 || r.height < 23.9) small.push(`${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
}
const wrapped = [];
for (const b of document.querySelectorAll(".button, .button-quiet, button")) {
  if (!visible(b)) continue;
  // The lines of its visible text (a visually hidden suffix for screen readers is not on screen).
  const tops = new Set();
  const walker = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || n.parentElement.closest(".visually-hidden")) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
  }
  if (tops.size > 1) wrapped.push(b.textContent.trim().slice(0, 40));
}
const canvas = document.createElement("canvas").getContext("2d");
let longest = 0, longestText = "";
for (const p of document.querySelectorAll("main p, main li")) {
  if (!visible(p) || p.closest("nav, .card-list, .search-popup, .cards, .toc")) continue;
  if (p.querySelector("p, div, ul, ol, h2, h3, h4, section, article")) continue;  // a container, not a line of text
  const text = p.textContent.replace(/\s+/g, " ").trim();
  if (text.length < 120) continue;
  const s = getComputedStyle(p);
  canvas.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  const perChar = canvas.measureText(text).width / text.length;
  const width = p.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  const chars = width / perChar;
  if (chars > longest) { longest = chars; longestText = text.slice(0, 50); }
}
const header = document.querySelector(".site-header").getBoundingClientRect();
const footer = document.querySelector(".site-footer");
const footerText = footer.querySelector("p");
const main = document.querySelector("main > *:not(script)");
const mainStyle = getComputedStyle(document.querySelector("main"));
const mainBox = document.querySelector("main").getBoundingClientRect();
const contentStart = document.dir === "rtl" || document.documentElement.dir === "rtl"
  ? vw - (mainBox.right - parseFloat(mainStyle.paddingRight))
  : mainBox.left + parseFloat(mainStyle.paddingLeft);
const footerRange = document.createRange(); footerRange.selectNodeContents(footerText);
const fr = footerText.getBoundingClientRect();
const footerStart = document.documentElement.dir === "rtl" ? vw - fr.right : fr.left;
return {
  overflow: document.documentElement.scrollWidth - vw,
  header: header.height, small, wrapped, longest, longestText,
  footerStart, contentStart,
  footerBottom: footer.getBoundingClientRect().bottom + window.scrollY,
  docHeight: document.documentElement.scrollHeight, vh,
};
"""


def seed_some_progress(driver, server):
    with open(os.path.join(server.directory, "en", "segments", "accountant", "route.json"), encoding="utf-8") as f:
        route = json.load(f)
    items = {i["id"]: {"done": True, "at": 1} for s in route["steps"][:2] for i in s["checklist"]}
    progress = {"v": 2, "items": items, "steps": {route["steps"][0]["id"]: {"visited": 1}}, "routes": {"accountant": {"started": 1, "stages": {}}}}
    driver.get(server.url + "/en/404.html")
    driver.execute_script("localStorage.clear(); localStorage.setItem('waymark:/:progress', arguments[0])", json.dumps(progress))


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
@pytest.mark.parametrize("lang", ["en", "fa"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_kind_fits_the_screen(server, width, height, lang, scheme):
    driver = make_driver(width, height)
    failures = []
    try:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        seed_some_progress(driver, server)
        for kind, path in PAGES.items():
            url = server.url + path.format(lang=lang)
            driver.get(url)
            if kind == "search":
                WebDriverWait(driver, 10).until(lambda d: d.find_elements("css selector", "[data-search-results] li"))
            m = driver.execute_script(MEASURE)
            where = f"{kind} {path.format(lang=lang)} at {width}px"
            if m["overflow"] > 0:
                failures.append(f"{where}: the page scrolls sideways by {m['overflow']} px")
            if width < 600 and m["header"] > 0.15 * height:
                failures.append(f"{where}: header {m['header']:.0f} px, over 15% of the screen")
            if m["small"]:
                failures.append(f"{where}: controls under 24×24 px: {m['small'][:5]}")
            if m["wrapped"]:
                failures.append(f"{where}: buttons over two lines: {m['wrapped']}")
            if m["longest"] > 80:
                failures.append(f"{where}: {m['longest']:.0f} characters a line in “{m['longestText']}”")
            if abs(m["footerStart"] - m["contentStart"]) > 2:
                failures.append(f"{where}: footer text starts at {m['footerStart']:.0f} px, content at {m['contentStart']:.0f} px")
            if m["docHeight"] <= m["vh"] + 1 and m["footerBottom"] < m["vh"] - 1:
                failures.append(f"{where}: the footer ends {m['vh'] - m['footerBottom']:.0f} px above the bottom of the screen")
    finally:
        driver.quit()
    assert not failures, "\n".join(failures)


def test_phone_header_opens_search_and_menu(server):
    driver = make_driver(390, 844)
    try:
        driver.get(server.url + "/fa/articles/metrics/onboarding-metrics/")
        search = driver.find_element("css selector", "[data-header-toggle=search]")
        menu = driver.find_element("css selector", "[data-header-toggle=menu]")
        form = driver.find_element("css selector", ".site-header .search-form")
        languages = driver.find_element("css selector", ".language-switcher")
        assert search.is_displayed() and menu.is_displayed()
        assert not form.is_displayed() and not languages.is_displayed()
        search.click()
        assert form.is_displayed() and search.get_attribute("aria-expanded") == "true"
        assert driver.switch_to.active_element == form.find_element("css selector", "input")
        menu.click()
        assert languages.is_displayed() and menu.get_attribute("aria-expanded") == "true"
        # One search box per page: the home page's own box, not the header's as well.
        driver.get(server.url + "/en/")
        boxes = [e for e in driver.find_elements("css selector", "input[type=search]") if e.is_displayed()]
        assert len(boxes) == 1
        # On a desktop, everything is in the header, without the buttons.
        set_viewport(driver, 1280, 900)
        driver.get(server.url + "/en/articles/")
        assert driver.find_element("css selector", ".site-header .search-form").is_displayed()
        assert not driver.find_element("css selector", "[data-header-toggle=menu]").is_displayed()
    finally:
        driver.quit()


def test_on_phones_the_route_map_is_at_the_top_and_marks_the_current_step(server):
    driver = make_driver(390, 844)
    try:
        driver.get(server.url + "/en/guides/accountant/03-set-up-the-client-ledger/")
        box = driver.find_element("css selector", ".route-map details")
        top = driver.execute_script("return arguments[0].getBoundingClientRect().top", box)
        h1 = driver.execute_script("return document.querySelector('h1').getBoundingClientRect().top")
        assert top < h1 and box.get_attribute("open") is None
        box.find_element("css selector", "summary").click()
        current = driver.find_element("css selector", ".route-map-steps a[aria-current=step]")
        assert current.is_displayed() and "03-set-up-the-client-ledger" in current.get_attribute("href")
        # Visibly marked: a background and a bar at its start side, not only bold text.
        style = driver.execute_script("var s = getComputedStyle(arguments[0]); return [s.backgroundColor, s.borderInlineStartWidth]", current)
        assert style[0] not in ("rgba(0, 0, 0, 0)", "transparent") and float(style[1].rstrip("px")) >= 2
    finally:
        driver.quit()


def test_code_without_a_language_wraps_and_code_scrolls_in_a_focusable_box(server):
    driver = make_driver(390, 844)
    try:
        driver.get(server.url + "/en/articles/metrics/onboarding-metrics/")
        blocks = driver.execute_script("""
          return Array.from(document.querySelectorAll('.prose pre')).map(p => ({
            plain: !p.querySelector('code[class]') || p.querySelector('code.language-text') !== null,
            cut: p.scrollWidth > p.clientWidth + 1, focusable: p.tabIndex === 0 }))""")
        assert blocks and all(not b["cut"] for b in blocks if b["plain"])
        assert all(b["focusable"] for b in blocks if b["cut"])
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def report(server, tmp_path_factory):
    """`waymark report --events` on the default site, with a deterministic event log of its routes."""
    import subprocess
    from helpers import ROOT, WAYMARK
    folder = tmp_path_factory.mktemp("report")
    events, page = folder / "events.jsonl", folder / "report.html"
    subprocess.run(["python3", os.path.join(ROOT, "bench", "gen_events.py"), server.directory, str(events), "--events", "20000"],
                   check=True, capture_output=True)
    result = subprocess.run([WAYMARK, "report", "--content", os.path.join(ROOT, "content"), "--templates", os.path.join(ROOT, "templates"),
                             "--events", str(events), "-o", str(page)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return page


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_report_reads_on_a_phone_and_in_dark_mode(report, width, height, scheme):
    driver = make_driver(width, height)
    try:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        driver.get(report.as_uri())
        m = driver.execute_script(r"""
          const svgs = Array.from(document.querySelectorAll("svg[role=img]"));
          const smallest = Math.min(...svgs.map(s => 13 * s.getBoundingClientRect().width / s.viewBox.baseVal.width));
          const broken = Array.from(document.querySelectorAll("td.date, td.number, .figure")).filter(e => {
            const r = document.createRange(); r.selectNodeContents(e);
            return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size > 1; }).map(e => e.textContent);
          const bg = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
          return { overflow: document.documentElement.scrollWidth - innerWidth, smallest, broken, light: bg[0] + bg[1] + bg[2],
                   funnels: document.querySelectorAll("details.data tbody tr").length, charts: svgs.length };
        """)
        assert m["overflow"] <= 0, m
        assert m["charts"] >= 4 and m["smallest"] >= 11, m
        assert not m["broken"], m["broken"][:5]
        assert (m["light"] < 200) == (scheme == "dark"), m
        # Every funnel can be read whole as a table, without hovering.
        assert m["funnels"] > 0
    finally:
        driver.quit()
