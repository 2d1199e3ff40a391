#!/usr/bin/env python3
"""`make bench-search`: Waymark's search index against Pagefind on a large generated corpus.

Both index the same HTML (Waymark's build of ../shared/bench/gen_corpus.py --articles 2500; Pagefind reads
a copy whose article and step pages mark their main content with data-pagefind-body). Reported: index
build time (Waymark: the "search index" phase of its build; Pagefind: its whole run), index size and
file count, and what a browser downloads for a first and a second query (the script plus index files,
gzip sizes, and the number of requests), each engine ranking and loading the top 10 results.
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "e2e"))
from helpers import ROOT, WAYMARK, Server, make_driver  # noqa: E402
from search_quality import PAGEFIND, mark_bodies_for_pagefind  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "2500"))
# Two queries per language and corpus: the first pays for the script and index metadata, the second not.
QUERIES = {
    "generated": {"en": ("customer onboarding", "invoice report"), "ru": ("клиентами", "настройки отчёт")},
    "default": {"en": ("welcome email", "churn rate"), "ru": ("клиентами", "отток")},
}


def corpus(articles):
    os.makedirs(os.path.join(HERE, "work"), exist_ok=True)  # absent in a fresh clone
    path = os.path.join(HERE, "work", f"corpus-{articles}")
    if not os.path.exists(os.path.join(path, "site.yml")):
        subprocess.run([sys.executable, os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"), path, "--articles", str(articles)], check=True)
    return path


def tree_stats(folder):
    files = [os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs]
    return len(files), sum(os.path.getsize(f) for f in files)


def wire_bytes(site, paths):
    """gzip -6 size of each fetched file (already-compressed files count as they are)."""
    total = 0
    for p in paths:
        data = open(os.path.join(site, p.split("?")[0].lstrip("/")), "rb").read()
        total += min(len(data), len(gzip.compress(data, 6)))
    return total


def measure(driver, server, site, queries, lang, run, selector):
    server.requests.clear()
    driver.get(f"{server.url}/{lang}/")
    first = run(queries[0])
    got_first = [p for p in server.requests if selector(p)]
    server.requests.clear()
    run(queries[1])
    got_second = [p for p in server.requests if selector(p)]
    return (len(got_first), wire_bytes(site, got_first), len(got_second), wire_bytes(site, got_second), len(first))


def compare(name, content, queries):
    """Builds `content`, indexes it with Pagefind too, and returns the report lines for it."""
    tmp = tempfile.mkdtemp(prefix="waymark-search-bench-")
    try:
        site = os.path.join(tmp, "site")
        out = subprocess.run([WAYMARK, "build", "--content", content, "--output", site, "--templates", os.path.join(ROOT, "templates"),
                              "--quiet", "--timings"], capture_output=True, text=True, check=True).stderr
        ours_time = float(re.search(r"([\d.]+) s  search index", out).group(1))
        ours_files, ours_bytes = tree_stats(os.path.join(site, "search"))
        pages = sum(1 for d, _, fs in os.walk(site) for f in fs if f == "index.html")

        pf_site = os.path.join(tmp, "pagefind-site")
        shutil.copytree(site, pf_site)
        mark_bodies_for_pagefind(pf_site)
        start = time.monotonic()
        subprocess.run([PAGEFIND, "--site", pf_site], check=True, capture_output=True)
        pf_time = time.monotonic() - start
        pf_files, pf_bytes = tree_stats(os.path.join(pf_site, "pagefind"))

        rows = []
        driver = make_driver()
        for lang in queries:
            server = Server(site)

            def ours(q):
                return driver.execute_async_script("const [q, done] = arguments; Waymark.search(q, {limit: 10}).then(done, (e) => done([]));", q)
            rows.append(("Waymark", lang) + measure(driver, server, site, queries[lang], lang, ours,
                                                      lambda p: p.startswith("/search/") or re.match(r"/assets/waymark\.", p)))
            server.close()
            server = Server(pf_site)

            def theirs(q):
                return driver.execute_async_script("""
                    const [q, done] = arguments;
                    import('/pagefind/pagefind.js').then(async (pf) => { await pf.init(); const r = await pf.search(q);
                      done(await Promise.all(r.results.slice(0, 10).map((x) => x.data()))); }).catch(() => done([]));""", q)
            rows.append(("Pagefind", lang) + measure(driver, server, pf_site, queries[lang], lang, theirs, lambda p: p.startswith("/pagefind/")))
            server.close()
        driver.quit()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    lines = [f"### {name}: {pages} pages\n", "| | index time | index size | index files | files per 50 pages |", "|---|---|---|---|---|",
             f"| Waymark | {ours_time:.2f} s | {ours_bytes / 1e6:.2f} MB | {ours_files} | {50 * ours_files / pages:.2f} |",
             f"| Pagefind 1.5.2 | {pf_time:.2f} s | {pf_bytes / 1e6:.2f} MB | {pf_files} | {50 * pf_files / pages:.2f} |",
             f"| Waymark / Pagefind | {ours_time / pf_time:.2f} | {ours_bytes / pf_bytes:.2f} | {ours_files / pf_files:.3f} | |\n",
             "| engine | lang | 1st query requests | 1st query kB (gzip) | 2nd query requests | 2nd query kB | results |",
             "|---|---|---|---|---|---|---|"]
    for engine, lang, r1, b1, r2, b2, n in rows:
        lines.append(f"| {engine} | {lang} | {r1} | {b1 / 1000:.1f} | {r2} | {b2 / 1000:.1f} | {n} |")
    return lines


def main():
    print("Search index and query cost, Waymark vs Pagefind 1.5.2 on the same HTML (2 cores; top 10 results loaded)\n")
    for line in compare("default content (content/)", os.path.join(ROOT, "content"), QUERIES["default"]):
        print(line)
    print()
    for line in compare(f"gen_corpus --articles {ARTICLES}", corpus(ARTICLES), QUERIES["generated"]):
        print(line)


if __name__ == "__main__":
    main()
