"""Injection matrix: every output format that content reaches, fed that format's metacharacters through
every field that reaches it, built by the release binary and read back with a real parser for the format.

Each field carries its own copy of a hostile text (HTML, XML, JSON, comment and script delimiters,
backticks, template braces, U+2028 and the bidi controls U+202E/U+2066, one value of 10 kB) marked with
the field's name. A format passes when its file parses (html5lib, xml.etree, json, nginx -t, line
splitting) and the text comes back as data: never an element, an attribute, a comment or script, and
equal to what the writer wrote. What a field refuses (NUL or CR in YAML, CR/LF in an alias) is asserted as
a located error instead."""
import glob
import gzip
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import html5lib
import pytest

from helpers import ROOT, WAYMARK, waymark_search

# `zqx` is a word the search index keeps, so each field can be found by a query.
CORE = "zqx <inj-el onx=\"1\">&amp; & \"q\" 'a' `t` ]]> </script> <!-- --> \u2028 \u202e\u2066 {{t}} ${x} <![CDATA[ </inj-el>"
LONG = "w" * 10_000


def hostile(field):
    return f"{field} {CORE}"


def md(text):
    """`text` as Markdown that renders back to exactly `text` (every ASCII punctuation backslash-escaped)."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def y(text):
    """`text` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


# Fields shown as text on some page, with the value the page must show.
SITE_FIELDS = ["site-title", "site-description", "language-name", "stage-title", "segment-title", "segment-description",
               "category-title"]
ARTICLE_FIELDS = ["article-title", "article-summary", "tag", "heading", "body", "link-text"]
GUIDE_FIELDS = ["step-title", "step-summary", "checklist-item", "step-heading"]
LANDING_FIELDS = ["home-title", "home-subtitle", "highlight-title", "highlight-text", "segment-landing-title", "cta-text", "cta-label"]
I18N_KEYS = ["skipToContent", "onThisPage", "startRoute", "wasThisHelpful", "breadcrumbs"]
# Interface strings only the browser script shows (from the page's JSON block of strings).
I18N_SCRIPT_KEYS = ["importDone", "stepDone"]
HOSTILE_HREF = "https://example.com/a?q=\"x\"&y='z'&w=`t`"
# The same URL as cmark-gfm normalises it: quotes and backticks percent-encoded.
HOSTILE_HREF_OUT = "https://example.com/a?q=%22x%22&y='z'&w=%60t%60"


def shown(field):
    return hostile(field) + (LONG if field == "article-summary" else "")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def make_content(root, extra_front_matter=""):
    write(f"{root}/site.yml", f"""title: {{ en: {y(hostile('site-title'))}, fa: {y(hostile('site-title'))} }}
description: {{ en: {y(hostile('site-description'))} }}
baseURL: https://help.example.com/
defaultLanguage: en
languages:
  - {{ code: en, name: {y(hostile('language-name'))} }}
  - {{ code: fa, name: {y(hostile('language-name'))} }}
stages:
  - {{ id: welcome, title: {{ en: {y(hostile('stage-title'))} }}, description: {{ en: {y(hostile('stage-description'))} }} }}
segments:
  - {{ id: team, title: {{ en: {y(hostile('segment-title'))} }}, description: {{ en: {y(hostile('segment-description'))} }} }}
categories:
  - {{ id: billing, title: {{ en: {y(hostile('category-title'))} }}, description: {{ en: {y(hostile('category-description'))} }} }}
""")
    for lang in ("en", "fa"):
        write(f"{root}/{lang}/articles/billing/refunds.md", f"""---
title: {y(hostile('article-title'))}
summary: {y(shown('article-summary'))}
tags: [{y(hostile('tag'))}]
updated: 2026-10-14
{extra_front_matter if lang == "en" else ""}---

{md(hostile('body'))}

## {md(hostile('heading'))} {{#h}}

[{md(hostile('link-text'))}]({HOSTILE_HREF}).

## Second heading {{#second}}

Text.
""")
        write(f"{root}/{lang}/guides/team/01-start.md", f"""---
title: {y(hostile('step-title'))}
summary: {y(hostile('step-summary'))}
stage: welcome
duration: 5
---

## {md(hostile('step-heading'))} {{#s}}

- [ ] {md(hostile('checklist-item'))} {{#item}}
""")
        landing = f"""highlights:
  - title: {y(hostile('highlight-title'))}
    text: {y(hostile('highlight-text'))}
featured:
  - articles/billing/refunds.md
"""
        write(f"{root}/{lang}/landing/home.yml", f"title: {y(hostile('home-title'))}\nsubtitle: {y(hostile('home-subtitle'))}\n" + landing)
        write(f"{root}/{lang}/landing/team.yml", f"title: {y(hostile('segment-landing-title'))}\nsubtitle: {y(hostile('home-subtitle'))}\n" + landing
              + f"cta:\n  text: {y(hostile('cta-text'))}\n  label: {y(hostile('cta-label'))}\n")


    # The same title twice: the content-health report lists it (in HTML and JSON).
    write(f"{root}/en/articles/billing/copy.md", f"---\ntitle: {y(hostile('article-title'))}\n---\n\nText.\n")


def make_templates(root):
    shutil.copytree(os.path.join(ROOT, "templates"), root)
    path = os.path.join(root, "i18n", "en.yml")
    lines = open(path, encoding="utf-8").read().splitlines()
    for i, line in enumerate(lines):
        key = line.split(":", 1)[0]
        if key in I18N_KEYS + I18N_SCRIPT_KEYS:
            lines[i] = f"{key}: {y(hostile('i18n-' + key))}"
    write(path, "\n".join(lines) + "\n")


def run(*args):
    return subprocess.run([WAYMARK, *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("injection")
    content, templates, out = str(tmp / "content"), str(tmp / "templates"), str(tmp / "site")
    make_content(content)
    make_templates(templates)
    result = run("build", "--content", content, "--templates", templates, "--output", out, "--quiet")
    assert result.returncode == 0, result.stderr
    return {"content": content, "templates": templates, "out": out, "tmp": tmp}


# ---- HTML ----

def parse_html(text):
    return html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def check_html(path, text):
    """Parses one HTML file; asserts nothing hostile became markup; returns its text and its JSON blocks."""
    doc = parse_html(text)
    blocks = []
    for el in doc.iter():
        tag = local(el.tag)
        assert not tag.startswith("inj"), f"{path}: hostile text became an element <{tag}>"
        bad = [a for a in el.attrib if local(a).startswith("on")]
        assert not bad, f"{path}: hostile text became the attribute {bad} on <{tag}>"
        for name in ("href", "src", "action", "content"):
            value = el.get(name, "")
            assert not re.match(r"\s*(javascript|data|vbscript):", value, re.I) or tag == "meta" and name == "content" and "url=" not in value.lower(), \
                f"{path}: <{tag} {name}={value!r}>"
        if tag == "script":
            kind = el.get("type")
            if el.get("src"):
                assert not (el.text or "").strip()
                continue
            # No inline script: only data blocks, each valid JSON (a '</script>' inside would cut it short).
            assert kind in ("application/json", "application/ld+json"), f"{path}: inline <script type={kind}>"
            blocks.append((kind, json.loads(el.text)))
    # What a reader sees or hears: the text, and the attributes that are read out or shown.
    texts = "".join(doc.itertext()) + "\n" + "\n".join(
        v for el in doc.iter() for k, v in el.attrib.items() if local(k) in ("content", "aria-label", "title", "alt", "placeholder", "value"))
    return texts, blocks


def html_files(out):
    return [p for p in glob.glob(os.path.join(out, "**", "*.html"), recursive=True)]


def strings_in(value):
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k] + strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return [value] if isinstance(value, str) else []


def test_html_text_attributes_urls_and_json_ld(hostile_site):
    out = hostile_site["out"]
    text_of, blocks_of = {}, {}
    for path in html_files(out):
        text_of[path], blocks_of[path] = check_html(path, open(path, encoding="utf-8").read())
    everything = "\n".join(text_of.values())
    fields = SITE_FIELDS + ARTICLE_FIELDS + GUIDE_FIELDS + LANDING_FIELDS + ["i18n-" + k for k in I18N_KEYS]
    missing = [f for f in fields if shown(f) not in everything]
    assert not missing, f"not shown as text (or a read-out attribute) anywhere: {missing}"

    article = os.path.join(out, "en", "articles", "billing", "refunds", "index.html")
    html = open(article, encoding="utf-8").read()
    doc = parse_html(html)
    # Attributes: the summary in <meta name=description> and og:description, the title in og:title.
    metas = {m.get("name") or m.get("property"): m.get("content") for m in doc.iter("meta")}
    assert metas["description"] == shown("article-summary") and metas["og:title"] == hostile("article-title")
    assert doc.find(".//title").text.startswith(hostile("article-title"))
    # URLs: the writer's link arrives as written (escaped, not broken out of its attribute). A
    # `javascript:` link is an error (test_control_characters_are_located_errors).
    links = [a for a in doc.iter("a") if "link-text" in "".join(a.itertext())]
    assert [a.get("href") for a in links] == [HOSTILE_HREF_OUT]
    # JSON-LD: parsed from the <script> block, the title and breadcrumbs are the writer's text.
    ld = [data for kind, data in blocks_of[article] if kind == "application/ld+json"]
    assert ld and hostile("article-title") in [s for data in ld for s in strings_in(data)]
    assert hostile("category-title") in [s for data in ld for s in strings_in(data)]
    # The interface strings block (for the browser script) is JSON with the hostile strings intact.
    strings = [s for path in blocks_of for kind, data in blocks_of[path] if kind == "application/json" for s in strings_in(data)]
    assert hostile("i18n-importDone") in strings and hostile("i18n-stepDone") in strings and hostile("checklist-item") in strings


def test_rendered_page_shows_the_text_in_chromium(hostile_site, tmp_path):
    """One page in a real browser: the document's text holds the hostile title, and no element came of it."""
    from helpers import Server, make_driver
    server = Server(hostile_site["out"])
    driver = make_driver()
    try:
        driver.get(server.url + "/en/guides/team/01-start/")
        assert driver.execute_script("return document.querySelectorAll('inj-el, [onx]').length") == 0
        assert hostile("step-title") in driver.execute_script("return document.querySelector('h1').textContent")
        assert hostile("checklist-item") in driver.execute_script("return document.querySelector('[data-task]').textContent")
        assert driver.execute_script("return window.Waymark && typeof window.Waymark.search") == "function"
    finally:
        driver.quit()
        server.close()


# ---- XML: feeds and sitemaps ----

def test_feeds_and_sitemaps_parse_as_xml(hostile_site):
    out = hostile_site["out"]
    feeds = glob.glob(os.path.join(out, "*", "feed.xml"))
    assert feeds
    for path in feeds:
        root = ET.parse(path).getroot()
        texts = [el.text for el in root.iter() if el.text]
        assert hostile("site-title") in texts, path
        assert hostile("article-title") in texts and shown("article-summary") in texts, path
    sitemaps = glob.glob(os.path.join(out, "sitemap*.xml"))
    assert sitemaps
    for path in sitemaps:
        locs = [el.text for el in ET.parse(path).getroot().iter() if local(el.tag) == "loc"]
        assert locs and all(loc.startswith("https://help.example.com/") for loc in locs), path


# ---- JSON: route.json and the search index ----

def test_route_json_and_search_index_parse_as_json(hostile_site):
    out = hostile_site["out"]
    route = json.load(open(os.path.join(out, "en", "segments", "team", "route.json"), encoding="utf-8"))
    assert route["segment"]["title"] == hostile("segment-title") and route["stages"][0]["title"] == hostile("stage-title")
    step = route["steps"][0]
    assert step["title"] == hostile("step-title") and step["checklist"][0]["text"] == hostile("checklist-item")
    for lang in ("en", "fa"):
        folder = os.path.join(out, "search", lang)
        json.load(open(os.path.join(folder, "meta.json"), encoding="utf-8"))
        stored = [s for path in glob.glob(os.path.join(folder, "f*.json")) for s in strings_in(json.load(open(path, encoding="utf-8")))]
        assert hostile("article-title") in stored and hostile("step-title") in stored, lang
    # The binary shards answer a query for a word of the hostile text with the title as written.
    titles = [r["title"] for r in waymark_search(out, "en", "zqx")]
    assert hostile("article-title") in titles and hostile("step-title") in titles


# ---- the content-health report and its SVG charts; report --events ----

def report(site, *extra):
    return run("report", "--content", site["content"], "--templates", site["templates"], "--today", "2026-11-01", *extra)


def svg_charts(html):
    return re.findall(r"<svg\b.*?</svg>", html, re.S)


def test_report_html_and_its_svg_charts(hostile_site):
    path = os.path.join(hostile_site["tmp"], "health.html")
    result = report(hostile_site, "--output", path)
    assert result.returncode == 0, result.stderr
    html = open(path, encoding="utf-8").read()
    texts, _ = check_html(path, html)
    assert hostile("site-title") in texts and hostile("segment-title") in texts and hostile("language-name") in texts
    charts = svg_charts(html)
    assert charts
    labels = []
    for chart in charts:
        svg = ET.fromstring(chart)  # a real XML parser: every chart is well-formed on its own
        labels += [t for el in svg.iter() for t in [el.text, *el.attrib.values()] if t]
    assert hostile("segment-title") in labels and hostile("stage-title") in labels
    assert hostile("article-title") in texts
    data = json.loads(report(hostile_site, "--format", "json").stdout)
    assert hostile("article-title") in strings_in(data)


EVENT_FIELDS = ["query", "page", "target", "segment", "step", "stage", "item", "from", "lang"]


def hostile_events():
    base = {"v": 1, "time": "2026-10-30T10:00:00.000Z", "reader": "0123456789abcdef0123456789abcdef", "lang": "en", "page": "/en/"}
    events = [
        dict(base, event="search_performed", query=hostile("query") + LONG, results=0, filters={"segment": hostile("filter")}),
        dict(base, event="search_performed", query=hostile("query"), results=0, filters={}),
        dict(base, event="search_result_opened", query=hostile("query"), rank=1, target=hostile("target")),
        dict(base, event="route_started", segment="team"),
        dict(base, event="step_viewed", segment="team", stage="welcome", step="guides/team/01-start"),
        dict(base, event="route_started", segment=hostile("segment")),
        dict(base, event="step_viewed", segment=hostile("segment"), stage=hostile("stage"), step=hostile("step")),
        dict(base, event="item_ticked", segment="team", stage="welcome", step="guides/team/01-start", item=hostile("item")),
        dict(base, event="fallback_shown", page=hostile("page"), **{"from": hostile("from")}),
        dict(base, event="feedback_given", page="/en/\x00\x1b[2J\x7f\r\n/", helpful=True),
        # A page the site does not have is listed as unknown content (votes count only for the site's pages).
        dict(base, event="feedback_given", page=hostile("page"), helpful=False),
        dict(base, event="feedback_given", page="/en/", helpful=False, lang=hostile("lang")),
    ]
    lines = [json.dumps(e) for e in events]
    # Raw bytes a public collector may hold: NUL, CR, a lone surrogate escape, a line of garbage.
    lines += ['{"v":1,"event":"search_performed","time":"2026-10-30T10:00:00.000Z","reader":"0123456789abcdef0123456789abcdef",'
              '"lang":"en","page":"/en/","query":"nul\\u0000 cr\\r bidi\\u202e sur\\ud800","results":0,"filters":{}}',
              "<script>alert(1)</script>"]
    return "\n".join(lines) + "\n"


def test_report_events_html_and_json(hostile_site):
    log = os.path.join(hostile_site["tmp"], "events.jsonl.gz")
    with gzip.open(log, "wt", encoding="utf-8") as f:
        f.write(hostile_events())
    path = os.path.join(hostile_site["tmp"], "events.html")
    result = report(hostile_site, "--output", path, "--events", log)
    assert result.returncode == 0, result.stderr
    html = open(path, encoding="utf-8").read()
    texts, _ = check_html(path, html)
    # Queries are shown normalised (lowercase); every other field as it came.
    assert hostile("query").lower() in texts and hostile("page") in texts and hostile("item") in texts and hostile("segment") in texts
    for chart in svg_charts(html):
        ET.fromstring(chart)
    # No control character from the log reaches the page raw (HTML calls each a parse error; NUL is
    # replaced, ESC sequences would reach a terminal that prints the file).
    assert not re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", html), re.findall(r".{20}[\x00-\x08\x0b\x0e-\x1f\x7f].{20}", html)
    result = report(hostile_site, "--format", "json", "--events", log)
    data = json.loads(result.stdout)
    assert hostile("query").lower() in strings_in(data["onboarding"]) and hostile("item") in strings_in(data["onboarding"])
    assert data["onboarding"]["badLines"] >= 1


# ---- what a field refuses: located errors ----

@pytest.mark.parametrize("field,value,line", [
    ("title", "a\x00b", 2), ("summary", "a\rb", 3), ("tags", ["a\x1bb"], 4), ("aliases", ["/en/old\r\nSet-Cookie: x/"], 5),
    ("aliases", ["/en/old\x00/"], 5),
])
def test_control_characters_are_located_errors(tmp_path, field, value, line):
    content = str(tmp_path / "content")
    make_content(content)
    fields = {"title": y("ok"), "summary": y("ok"), "tags": "[ok]", "aliases": "[/en/was/]"}
    fields[field] = y(value) if isinstance(value, str) else "[" + ", ".join(y(v) for v in value) + "]"
    write(f"{content}/en/articles/billing/refunds.md", "---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "---\n\nText.\n")
    result = run("build", "--content", content, "--templates", os.path.join(ROOT, "templates"), "--output", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 1, result.stderr
    assert re.search(rf"en/articles/billing/refunds\.md:{line}:\d+: error:", result.stderr), result.stderr
    assert not os.path.exists(tmp_path / "out")


# ---- _redirects and redirects.map (aliases) ----

# Each alias is either refused with a located error or reaches _redirects, redirects.map and its redirect
# page as data (which of them are refused is the aliases' own rule, docs/writers-guide.md).
ALIASES = ["/en/old \"q\"/", "/en/old 'a' `t`/", "/en/old <inj-el onx=1>/", "/en/old & ]]> --> ${x}/", "/en/old;$x{y}/", "/en/old #frag/",
           "/en/old\u202e\u2066-bidi/", "/en/old-%41/", "/en/ünïcode alias/", "/en/old\r\nSet-Cookie: x/", "/en/old\x00/",
           "/en/old\u2028/", "/en/" + "a" * 10_000 + "/"]


def nginx_check(tmp, site):
    conf = open(os.path.join(ROOT, "docs", "nginx", "waymark.conf")).read()
    www = os.path.join(tmp, "www")
    os.makedirs(www, exist_ok=True)
    if not os.path.exists(os.path.join(www, "help")):
        shutil.copytree(site, os.path.join(www, "help"))
    conf = conf.replace("root /srv/www;", f"root {www};").replace("/srv/www/", www + "/")
    write(os.path.join(tmp, "waymark.conf"), conf)
    main = os.path.join(tmp, "nginx.conf")
    write(main, f"""pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 16; }}
http {{ include /etc/nginx/mime.types; access_log off; include {tmp}/waymark.conf; }}
""")
    return subprocess.run(["nginx", "-t", "-c", main], capture_output=True, text=True)


@pytest.mark.parametrize("alias", ALIASES, ids=lambda a: repr(a[:30]))
def test_aliases_reach_redirects_and_the_nginx_map_as_data(tmp_path, alias):
    content, out = str(tmp_path / "content"), str(tmp_path / "site")
    make_content(content, f"aliases: [{y(alias)}]\n")
    result = run("build", "--content", content, "--templates", os.path.join(ROOT, "templates"), "--output", out, "--quiet",
                 "--base-url", "https://help.example.com/help/")
    if result.returncode != 0:
        # A refused alias is a located error at the aliases line (6), never a crash.
        assert result.returncode == 1 and re.search(r"en/articles/billing/refunds\.md:6:\d+: error: .*alias", result.stderr), result.stderr
        assert not re.search(r"[\x00\r\u202e]", result.stderr), "the message shows invisible characters as escapes"
        return
    # _redirects: one rule a line, `from to [status]`, every from a path of the site.
    rules = [line for line in open(os.path.join(out, "_redirects"), encoding="utf-8").read().split("\n") if line and not line.startswith("#")]
    assert rules
    for rule in rules:
        fields = rule.split()
        assert 2 <= len(fields) <= 3 and fields[0].startswith("/") and fields[1].startswith("/"), rule
        assert not re.search(r"[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]", rule), rule
    # redirects.map: the documented nginx config accepts it.
    check = nginx_check(str(tmp_path), out)
    assert check.returncode == 0, check.stderr
    # The redirect pages parse and point at the article.
    for path in html_files(out):
        check_html(path, open(path, encoding="utf-8").read())
