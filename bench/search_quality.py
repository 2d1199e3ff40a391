#!/usr/bin/env python3
"""Search quality on the labelled queries (bench/queries.json): hits@1 and hits@3 for Waymark and for
Pagefind, both over the same built default site.

Pagefind indexes a copy of Waymark's output in which article and step pages carry `data-pagefind-body`
on their main content, so both engines search exactly the same pages and text. Pagefind is queried
through its own JavaScript API in headless Chromium, from a page of the query's language (so it uses
that language's index and stemmer)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "e2e"))
from helpers import ROOT, Server, build, make_driver, waymark_search  # noqa: E402

PAGEFIND = os.path.join(ROOT, ".venv", "lib", f"python{sys.version_info.major}.{sys.version_info.minor}", "site-packages",
                        "pagefind_bin_extended", "pagefind_extended")


def mark_bodies_for_pagefind(site):
    for folder, _, files in os.walk(site):
        for name in files:
            if name != "index.html":
                continue
            path = os.path.join(folder, name)
            html = open(path, encoding="utf-8").read()
            if '<article class="page-body">' in html:
                open(path, "w", encoding="utf-8").write(html.replace('<article class="page-body">', '<article class="page-body" data-pagefind-body>'))


def pagefind_search(driver, lang, query, k):
    return driver.execute_async_script("""
        const [query, k, done] = arguments;
        import('/pagefind/pagefind.js').then(async (pf) => {
          await pf.init();
          const found = await pf.search(query);
          const data = await Promise.all(found.results.slice(0, k).map((r) => r.data()));
          done(data.map((d) => d.url));
        }).catch((e) => done(['ERROR ' + e]));
    """, query, k)


def score(results, expect):
    norm = ["/" + e for e in expect]
    return (1 if results[:1] and results[0].split("#")[0] in norm else 0,
            1 if any(r.split("#")[0] in norm for r in results[:3]) else 0)


def main():
    queries = json.load(open(os.path.join(HERE, "queries.json"), encoding="utf-8"))["queries"]
    tmp = tempfile.mkdtemp(prefix="waymark-quality-")
    try:
        site = build(os.path.join(ROOT, "content"), os.path.join(tmp, "site"))
        pf_site = os.path.join(tmp, "pagefind-site")
        shutil.copytree(site, pf_site)
        mark_bodies_for_pagefind(pf_site)
        subprocess.run([PAGEFIND, "--site", pf_site], check=True, capture_output=True)
        server = Server(pf_site)
        driver = make_driver()
        rows = []
        by_kind, by_set = {}, {}
        current_lang = None
        for q in queries:
            if q["lang"] != current_lang:
                driver.get(f"{server.url}/{q['lang']}/")
                current_lang = q["lang"]
            ours = [r["url"] for r in waymark_search(site, q["lang"], q["q"], "--limit", "3")]
            theirs = pagefind_search(driver, q["lang"], q["q"], 3)
            w, p = score(ours, q["expect"]), score(theirs, q["expect"])
            for table, label in ((by_kind, q["kind"]), (by_set, q["set"]), (by_set, "all")):
                k = table.setdefault(label, {"n": 0, "waymark": [0, 0], "pagefind": [0, 0]})
                k["n"] += 1
                for name, s in (("waymark", w), ("pagefind", p)):
                    k[name][0] += s[0]
                    k[name][1] += s[1]
            rows.append((q, w, p, ours[:1], theirs[:1]))
        driver.quit()
        server.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n = len(queries)
    print(f"Search quality on {n} labelled queries (bench/queries.json), default content, Pagefind 1.5.2\n")
    print("| queries | n | Waymark hits@1 | Waymark hits@3 | Pagefind hits@1 | Pagefind hits@3 |")
    print("|---|---|---|---|---|---|")
    def pct(a, b):
        return f"{a}/{b} ({100 * a / b:.0f}%)"
    for table in (by_kind, by_set):
        for label, k in sorted(table.items(), key=lambda kv: (kv[0] == "all", kv[0])):
            print(f"| {label} | {k['n']} | {pct(k['waymark'][0], k['n'])} | {pct(k['waymark'][1], k['n'])} "
                  f"| {pct(k['pagefind'][0], k['n'])} | {pct(k['pagefind'][1], k['n'])} |")
    print("\nMisses at 1 (query: Waymark's first / Pagefind's first):")
    for q, w, p, ours, theirs in rows:
        if not w[0] or not p[0]:
            print(f"  [{q['set']} {q['lang']} {q['kind']}] {q['q']!r}: waymark {'ok' if w[0] else ours} / pagefind {'ok' if p[0] else theirs}")


if __name__ == "__main__":
    main()
