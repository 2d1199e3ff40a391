#!/usr/bin/env python3
"""Live-preview latency: how long from saving a one-line edit to the served page showing it, for
`waymark serve` and `hugo server` on the same gen_corpus content (--articles 2500 by default), median of
several edits, next to a full `waymark build` of the same tree.

Both servers watch the files themselves; the time includes their change detection (Waymark polls every
250 ms) and the rebuild, measured by fetching the page every 20 ms until the new text appears."""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "e2e"))
from helpers import ROOT, WAYMARK, free_port  # noqa: E402
from run import HUGO, SHARED, corpus, timed  # noqa: E402

EDITS = int(os.environ.get("BENCH_EDITS", "7"))
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "2500"))


def fetch(url):
    try:
        return urllib.request.urlopen(url, timeout=5).read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_for(url, needle, timeout=120):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if needle in fetch(url):
            return time.monotonic() - start
        time.sleep(0.02)
    raise TimeoutError(f"{needle!r} never appeared at {url}")


def measure(url, path):
    latencies = []
    original = open(path, encoding="utf-8").read()
    try:
        for i in range(EDITS):
            marker = f"Edited line number {i} for the latency benchmark."
            time.sleep(1.0)
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + f"\n{marker}\n")
            latencies.append(wait_for(url, marker))
    finally:
        open(path, "w", encoding="utf-8").write(original)
    return latencies


def main():
    source = corpus(ARTICLES)
    tmp = tempfile.mkdtemp(prefix="waymark-serve-bench-", dir=os.path.join(HERE, "work"))
    try:
        content = os.path.join(tmp, "content")
        shutil.copytree(source, content)
        full, _ = timed([WAYMARK, "build", "--content", content, "--templates", os.path.join(ROOT, "templates"),
                         "--output", os.path.join(tmp, "out"), "--quiet", "--force"])
        article = "en/articles/billing/article-00001.md"

        port = free_port()
        log = open(os.path.join(tmp, "serve.log"), "w")
        server = subprocess.Popen([WAYMARK, "serve", "--content", content, "--templates", os.path.join(ROOT, "templates"), "--port", str(port)],
                                  stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/en/articles/billing/article-00001/"
        start = time.monotonic()
        wait_for(url, "<html", timeout=300)
        first = time.monotonic() - start
        ours = measure(url, os.path.join(content, article))
        server.terminate()
        server.wait()
        log.close()
        rebuilds = [float(m) for m in re.findall(r"Built \d+ pages in ([\d.]+) s: 1 rendered", open(os.path.join(tmp, "serve.log")).read())]

        hugo_site = os.path.join(tmp, "hugo-site")
        subprocess.run(["bash", os.path.join(SHARED, "hugo", "make_hugo_site.sh"), content, hugo_site], check=True, capture_output=True)
        hport = free_port()
        hugo = subprocess.Popen([HUGO, "server", "--port", str(hport), "--bind", "127.0.0.1", "--disableLiveReload", "--quiet"],
                                cwd=hugo_site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        hurl = f"http://127.0.0.1:{hport}/articles/billing/article-00001/"
        start = time.monotonic()
        wait_for(hurl, "<html", timeout=600)
        hugo_first = time.monotonic() - start
        theirs = measure(hurl, os.path.join(hugo_site, "content", article))
        hugo.terminate()
        hugo.wait()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"Live preview on gen_corpus --articles {ARTICLES} (one-line edit to one article, median of {EDITS})\n")
    print("| | first build and serve | edit → page updated (median) | min–max |")
    print("|---|---|---|---|")
    print(f"| waymark serve | {first:.1f} s | **{statistics.median(ours):.2f} s** | {min(ours):.2f}–{max(ours):.2f} s |")
    print(f"| hugo server | {hugo_first:.1f} s | **{statistics.median(theirs):.2f} s** | {min(theirs):.2f}–{max(theirs):.2f} s |")
    if rebuilds:
        print(f"\nWaymark's own rebuild time per edit (from its log): median {statistics.median(rebuilds):.2f} s; "
              f"a full `waymark build` of the same tree: {full:.2f} s.")


if __name__ == "__main__":
    main()
