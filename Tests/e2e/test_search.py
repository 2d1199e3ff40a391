"""The browser's search returns the same pages in the same order as `waymark search`, in every language, with
the same excerpts and marked words; results explain why they match; corrections say so."""
import json
import os
import re
import subprocess
import unicodedata
import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from helpers import ROOT, WAYMARK, waymark_search

QUERIES = [
    ("en", "activation rate"), ("en", "welcome email"), ("en", "churn"), ("en", "onbording"), ("en", "customers"),
    ("en", "check"), ("en", "time to value"), ("en", "health scores"),
    # Words that are also names of JavaScript's Object.prototype must not confuse the browser engine.
    ("en", "constructor"), ("en", "constructr"),
    ("vi", "chi so"), ("vi", "chỉ số"), ("vi", "kich hoat"), ("vi", "email chào mừng"), ("vi", "khach hang"), ("vi", "ro"),
    ("fa", "می شود"), ("fa", "میشود"), ("fa", "مشتري"), ("fa", "چک لیست"), ("fa", "فعال‌سازی"), ("fa", "ریزش"),
    ("ru", "клиентами"), ("ru", "отток клиентов"), ("ru", "отчёт"), ("ru", "отчет"), ("ru", "активац"), ("ru", "метрики"),
    # Issue 13. Exact diacritics rank above folded matches (titles count only the exact form).
    ("vi", "sổ"), ("vi", "bạn"), ("vi", "sổ sách"), ("vi", "bàn giao"), ("vi", "khóa sổ"), ("vi", "số"), ("vi", "giá trị"),
    # Word forms the index lacks match the stems Snowball's rules make of them.
    ("en", "measurement"), ("en", "measurements"), ("en", "activating"), ("en", "segmentations"), ("en", "renewing"),
    ("ru", "измерениями"), ("ru", "клиентам"), ("ru", "метриками"), ("ru", "продлениями"),
    # Multi-word synonyms (site.yml) in both directions.
    ("en", "attrition"), ("en", "churn rate"), ("en", "ttv"), ("en", "cancellation rate"), ("vi", "rời bỏ"), ("vi", "churn"),
    ("vi", "ttv"), ("fa", "churn"), ("fa", "ttv"), ("ru", "churn"), ("ru", "ttv"), ("ru", "отток"),
    # Quoted phrases: every quoted word required, adjacent pages first; an unclosed quote runs to the end.
    ("en", '"churn rate"'), ("en", '"time to value" email'), ("en", '"welcome email'), ("vi", '"tỷ lệ rời bỏ"'),
    ("vi", '"khach hang" moi'), ("fa", '"نرخ ریزش"'), ("fa", '"چک لیست"'), ("ru", '"отток клиентов"'), ("ru", '"время до ценности"'),
]

# Queries that find nothing: "did you mean" from the index's words and the segment's featured pages.
SUGGESTIONS = [
    ("en", "cheklsit", None), ("en", "onbaordign zzz", "developer"), ("en", "zzzz", None),
    ("vi", "nhommm khaccc", "accountant"), ("fa", "چکلیستتت", None), ("ru", "клиентоввв", "small-business"),
]


def results_on_page(driver, server, lang, query, **filters):
    params = {"q": query, **filters}
    driver.get(f"{server.url}/{lang}/search/?{urllib.parse.urlencode(params)}")
    return shown_urls(driver)


def shown_urls(driver):
    status = driver.find_element(By.CSS_SELECTOR, "[data-search-status]")
    WebDriverWait(driver, 10).until(lambda d: status.text and "…" not in status.text)
    urls = [li.get_attribute("data-result-url") for li in driver.find_elements(By.CSS_SELECTOR, "[data-search-results] li")]
    if not urls:
        # What the page saw, for a failure that is not a ranking difference (a file that did not load).
        failed = driver.execute_script(
            "return performance.getEntriesByType('resource').filter(function (e) { return e.responseStatus >= 400 || e.transferSize === 0 && e.decodedBodySize === 0; })"
            ".map(function (e) { return e.name + ' ' + e.responseStatus; })")
        print(f"no results shown: status {status.text!r}; index requests that failed or came back empty: {failed}")
    return urls


def shown_excerpts(driver):
    """Each result's excerpt as the page shows it, and the texts of its <mark>s."""
    return driver.execute_script("""
        return Array.from(document.querySelectorAll('[data-search-results] li .result-excerpt')).map(function (p) {
          return [p.textContent, Array.from(p.querySelectorAll('mark')).map(function (m) { return m.textContent; })];
        });""")


def marked(result):
    """The CLI's highlighted words of a result (ranges are in Unicode scalars, as Python indexes strings)."""
    return [result["excerpt"][a:b] for a, b in result["highlights"]]


def search_notices(site, lang, query, *extra):
    out = subprocess.run([WAYMARK, "search", "--site", site, "--lang", lang, "--json", "--suggest", *extra, "--", query],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


@pytest.mark.parametrize("lang,query", QUERIES)
def test_browser_matches_cli(driver, server, site_dir, lang, query):
    expected = waymark_search(site_dir, lang, query, "--limit", "20")
    assert expected, f"the labelled query {query!r} should find something"
    assert results_on_page(driver, server, lang, query) == [r["url"] for r in expected]
    # The same excerpts with the same words marked.
    assert shown_excerpts(driver) == [[r["excerpt"], marked(r)] for r in expected]


@pytest.mark.parametrize("lang,query,segment", SUGGESTIONS)
def test_suggestions_match_cli(driver, server, site_dir, lang, query, segment):
    import subprocess
    from helpers import WAYMARK
    args = ["--segment", segment] if segment else []
    assert waymark_search(site_dir, lang, query, *args) == [], "a suggestion query must find nothing"
    out = subprocess.run([WAYMARK, "search", "--site", site_dir, "--lang", lang, "--json", "--suggest", *args, "--", query],
                         capture_output=True, text=True, check=True).stdout
    expected = json.loads(out)
    assert len(expected["featured"]) == 3
    filters = {"segment": segment} if segment else {}
    assert results_on_page(driver, server, lang, query, **filters) == []
    box = WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-search-suggestions]"))[0]
    shown = [li.get_attribute("data-featured-url") for li in box.find_elements(By.CSS_SELECTOR, "[data-featured-url]")]
    assert shown == [r["url"] for r in expected["featured"]]
    links = box.find_elements(By.CSS_SELECTOR, "[data-did-you-mean]")
    assert (links[0].text if links else None) == expected["didYouMean"]
    assert expected["correctedQuery"] is None and not driver.find_elements(By.CSS_SELECTOR, "[data-search-correction]")
    if links:
        # Following the suggestion searches for it, and it finds something.
        links[0].click()
        status = driver.find_element(By.CSS_SELECTOR, "[data-search-status]")
        WebDriverWait(driver, 10).until(lambda d: status.text and "…" not in status.text)
        assert driver.find_elements(By.CSS_SELECTOR, "[data-search-results] li")


def test_filters_match_cli(driver, server, site_dir):
    for lang, query, filters in [("en", "checklist", {"segment": "developer"}), ("ru", "клиент", {"kind": "guide"}),
                                 ("vi", "khach hang", {"stage": "welcome"})]:
        args = [x for k, v in filters.items() for x in (f"--{k}", v)]
        expected = [r["url"] for r in waymark_search(site_dir, lang, query, "--limit", "20", *args)]
        assert results_on_page(driver, server, lang, query, **filters) == expected


def test_unknown_filters_are_an_error_in_the_cli_and_ignored_in_the_browser(driver, server, site_dir):
    import subprocess
    from helpers import WAYMARK
    for option, value, valid in [("--stage", "nonsense", "welcome, first-value"), ("--segment", "dentists", "small-business"), ("--kind", "faq", "article, guide")]:
        result = subprocess.run([WAYMARK, "search", "--site", site_dir, "--lang", "en", option, value, "--", "onboarding"], capture_output=True, text=True)
        assert result.returncode == 2 and result.stdout == "", (option, result)
        assert f"{option} '{value}'" in result.stderr and valid in result.stderr, result.stderr
    # A stale or hand-edited link with an unknown id searches without that filter.
    everything = [r["url"] for r in waymark_search(site_dir, "en", "onboarding", "--limit", "20")]
    assert results_on_page(driver, server, "en", "onboarding", stage="nonsense", segment="dentists") == everything


def test_typing_in_the_header_box(driver, server, site_dir):
    # The home page has one search box, its own: "/" goes there.
    driver.get(f"{server.url}/en/")
    driver.find_element(By.TAG_NAME, "body").send_keys("/")
    assert driver.switch_to.active_element == driver.find_element(By.CSS_SELECTOR, ".hero-search input[type=search]")
    driver.get(f"{server.url}/en/articles/")
    box = driver.find_element(By.CSS_SELECTOR, ".search-form input[type=search]")
    driver.find_element(By.TAG_NAME, "body").send_keys("/")
    assert driver.switch_to.active_element == box
    box.send_keys("welcome ema")
    WebDriverWait(driver, 10).until(lambda d: box.get_attribute("aria-expanded") == "true")
    shown = [li.get_attribute("data-result-url") for li in driver.find_elements(By.CSS_SELECTOR, ".search-popup [data-result-url]")]
    expected = [r["url"] for r in waymark_search(site_dir, "en", "welcome ema", "--limit", "6")]
    assert shown == expected
    box.send_keys(Keys.ARROW_DOWN)
    assert driver.find_element(By.CSS_SELECTOR, ".search-popup [aria-selected=true]").get_attribute("data-result-url") == expected[0]
    box.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: expected[0] in d.current_url)


def test_results_link_to_the_matching_heading_and_highlight(driver, server):
    results_on_page(driver, server, "en", "churn rate")
    first = driver.find_element(By.CSS_SELECTOR, "[data-search-results] li a.result-title")
    assert first.get_attribute("href").endswith("/en/articles/metrics/churn-and-renewal/#churn-rate")
    marks = driver.find_elements(By.CSS_SELECTOR, "[data-search-results] li:first-child mark")
    assert any(m.text.lower().startswith("churn") for m in marks)


def test_persian_search_page_is_rtl(driver, server):
    results_on_page(driver, server, "fa", "مشتری")
    direction = driver.execute_script("return getComputedStyle(document.querySelector('[data-search-results]')).direction")
    assert direction == "rtl"
    assert driver.find_elements(By.CSS_SELECTOR, "[data-search-results] li")


def test_browser_analysis_passes_the_shared_vectors(driver, server):
    """The vectors Swift's analyzer passes (AnalyzerTests), through the browser's own analysis."""
    vectors = json.load(open(os.path.join(ROOT, "Tests", "Fixtures", "search-vectors.json"), encoding="utf-8"))["analysis"]
    for lang in sorted({v["language"] for v in vectors}):
        driver.get(f"{server.url}/{lang}/")
        for v in (v for v in vectors if v["language"] == lang):
            got = driver.execute_async_script(
                "var done = arguments[arguments.length - 1];"
                "Waymark.analyze(arguments[0]).then(function (w) { done(w.map(function (x) { return [x.normal, x.folded]; })); },"
                " function (e) { done(String(e)); });", v["text"])
            assert got == v["words"], f"{lang}: {v['text']!r}"


def fold(text):
    """A loose, independent folding for checking marks: lowercase, no diacritics or harakat, Arabic letters
    as Persian, no ZWNJ, Persian digits as ASCII."""
    text = unicodedata.normalize("NFKD", text.lower().replace("\u200c", "").replace("ي", "ی").replace("ك", "ک").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789"))


def related(mark, query, synonyms):
    """Whether a marked word is plausibly one of the query's: it shares its first two letters with a query
    word (its form, stem, a correction, two words written as one), or is a word of a synonym of it."""
    words = [fold(w) for w in re.findall(r"\w+", query)]
    m = fold(mark)
    if any(m[:2] == w[:2] for w in words if len(w) >= 2) or any(m == w for w in words):
        return True
    query_text = " ".join(words)
    return any(m in alternative.split() for group in synonyms
               if any(a in query_text or query_text in a for a in group) for alternative in group)


def test_labelled_queries_show_why_each_result_matches(driver, server, site_dir):
    """Every result of every labelled query (bench/queries.json) shows a query word, stem or synonym in its
    excerpt, marked; the browser's excerpts and marks are the CLI's."""
    queries = json.load(open(os.path.join(ROOT, "bench", "queries.json"), encoding="utf-8"))["queries"]
    problems = []
    for lang in sorted({q["lang"] for q in queries}):
        synonyms = json.load(open(os.path.join(site_dir, "search", lang, "meta.json"), encoding="utf-8"))["synonyms"]
        driver.get(f"{server.url}/{lang}/")
        for q in (q for q in queries if q["lang"] == lang):
            expected = waymark_search(site_dir, lang, q["q"], "--limit", "20")
            got = driver.execute_async_script(
                "var done = arguments[arguments.length - 1];"
                "Waymark.search(arguments[0], {limit: 20}).then(function (r) { done(r.map(function (x) { return [x.url, x.excerpt, x.highlights]; })); },"
                " function (e) { done(String(e)); });", q["q"])
            assert got == [[r["url"], r["excerpt"], r["highlights"]] for r in expected], q["q"]
            for rank, r in enumerate(expected, 1):
                marks = marked(r)
                # A page matched by its title alone has no query word in its text: its title shows it.
                if not marks and any(related(w, q["q"], synonyms) for w in re.findall(r"\w+", r["title"])):
                    continue
                if not marks or not all(related(m, q["q"], synonyms) for m in marks):
                    problems.append(f"{lang} {q['q']!r} #{rank} {r['url']}: {r['excerpt']!r} marks {marks}")
    assert not problems, "\n".join(problems)


def test_corrected_query_says_so_and_links_to_the_words_as_typed(driver, server, site_dir):
    for lang, query, corrected in [("en", "onbording", "onboarding"), ("en", "chrn", "churn")]:
        notices = search_notices(site_dir, lang, query)
        assert notices["correctedQuery"] == corrected
        expected = [r["url"] for r in waymark_search(site_dir, lang, query, "--limit", "20")]
        assert results_on_page(driver, server, lang, query) == expected and expected
        box = driver.find_element(By.CSS_SELECTOR, "[data-search-correction]")
        assert box.find_element(By.CSS_SELECTOR, "[data-corrected-query]").text == corrected
        assert box.text.startswith("Showing results for " + corrected)
        # The link searches the words as typed: nothing, and then "did you mean" offers the correction.
        box.find_element(By.CSS_SELECTOR, "a[data-search-original]").click()
        WebDriverWait(driver, 10).until(lambda d: "literal=1" in d.current_url)
        assert shown_urls(driver) == [] == waymark_search(site_dir, lang, query, "--literal")
        assert not driver.find_elements(By.CSS_SELECTOR, "[data-search-correction]")
        assert driver.find_element(By.CSS_SELECTOR, "[data-search-full] [name=q]").get_attribute("value") == query
        link = WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-did-you-mean]"))[0]
        assert link.text == corrected == search_notices(site_dir, lang, query, "--literal")["didYouMean"]
    # "chrn" finds the churn article.
    assert "/en/articles/metrics/churn-and-renewal/" in [r["url"] for r in waymark_search(site_dir, "en", "chrn")]
    # In Persian the notice is translated.
    results_on_page(driver, server, "fa", "چکلیستها")
    notices = search_notices(site_dir, "fa", "چکلیستها")
    if notices["correctedQuery"]:
        box = driver.find_element(By.CSS_SELECTOR, "[data-search-correction]")
        assert "نمایش نتایج برای" in box.text and notices["correctedQuery"] in box.text


def test_no_suggestion_that_finds_nothing(driver, server, site_dir):
    # "zebra" is two edits from "zero": too far for five letters (it was suggested as "zero spaceship").
    for lang, query, filters in [("en", "zebra spaceship", {}), ("en", "fomrulla", {"kind": "guide", "segment": "small-business"})]:
        args = [x for k, v in filters.items() for x in (f"--{k}", v)]
        assert waymark_search(site_dir, lang, query, *args) == []
        assert search_notices(site_dir, lang, query, *args)["didYouMean"] is None
        assert results_on_page(driver, server, lang, query, **filters) == []
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-search-suggestions]"))
        assert not driver.find_elements(By.CSS_SELECTOR, "[data-did-you-mean]")
    # Without the filters the same misspelling has a spelling that finds something.
    assert search_notices(site_dir, "en", "fomrulla")["didYouMean"] == "formula"


def test_table_cells_are_separated_in_excerpts(driver, server, site_dir):
    # The table of "Define your activation event" (Persian), whose cells ran together: "۹۲٪ ۶۱٪ ۳۱ افزودن لوگو".
    expected = waymark_search(site_dir, "fa", "کاربران ماندگار", "--kind", "guide")
    first = expected[0]
    assert first["url"].endswith("/fa/guides/developer/01-define-your-activation-event/")
    assert "کاربران ماندگار · کاربران ریزشی · فاصله · ساختن اولین فاکتور · ۹۲٪ · ۶۱٪ · ۳۱ · افزودن لوگو" in first["excerpt"], first["excerpt"]
    results_on_page(driver, server, "fa", "کاربران ماندگار", kind="guide")
    excerpt, marks = shown_excerpts(driver)[0]
    assert excerpt == first["excerpt"] and marks == marked(first) and "ماندگار" in marks
