#!/usr/bin/env python3
"""Live-preview latency: how long from saving an edit to the served pages showing it, for `waymark serve`
and `hugo server` on the same gen_corpus content (--articles 2500 by default), median of several edits
(BENCH_EDITS, default 7) per scenario, next to a full `waymark build` of the same tree.

Scenarios, all on en/articles/billing/article-00001.md:
- body: a line appended to the article's Markdown; until the article page shows it;
- title: the `title:` line of its front matter changed to a new title; until the article page shows it,
  and until its category listing (Waymark /en/articles/billing/, Hugo /articles/billing/) does;
- template (Waymark only): a marker added to the article page template (serve runs on a copy of
  templates/); until the article page shows it. The article is open, as in a writer's browser: a
  live-reload connection names it, and serve renders open pages first.

Both servers watch the files themselves; the time includes their change detection and the rebuild,
measured by fetching the pages every 5 ms until the new text appears. Between edits the script waits
for Waymark's log to report the finished build, then one more second. Every edited file is restored."""
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import websocket  # websocket-client, which selenium depends on

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "e2e"))
from helpers import ROOT, WAYMARK, free_port  # noqa: E402
from run import HUGO, SHARED, corpus, timed, work_dir  # noqa: E402

EDITS = int(os.environ.get("BENCH_EDITS", "7"))
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "2500"))
POLL = 0.005
EDIT_TIMEOUT = 120  # seconds for one edit to show; a scenario stops at its first edit that does not
ARTICLE = "en/articles/billing/article-00001.md"
TEMPLATE = "article.mustache"
BUILT = re.compile(r"Built \d+ pages in ([\d.]+) s")
FAILED = re.compile(r"Build failed")
UPDATED = re.compile(r"Updated [^\n]*? in ([\d.]+) ms")


def fetch(url):
    """The page's text, or "" while it cannot be had (a server mid-rebuild may also cut a response short)."""
    try:
        return urllib.request.urlopen(url, timeout=5).read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""


def wait_for(url, needle, timeout=120):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if needle in fetch(url):
            return time.monotonic() - start
        time.sleep(POLL)
    raise TimeoutError(f"{needle!r} never appeared at {url}")


def wait_all(checks, start, timeout=EDIT_TIMEOUT):
    """Polls every (url, needle) until each has shown its needle once; the seconds from `start` for each
    (None for one still missing after `timeout`)."""
    seen = [None] * len(checks)
    while None in seen and time.monotonic() - start < timeout:
        for i, (url, needle) in enumerate(checks):
            if seen[i] is None and needle in fetch(url):
                seen[i] = time.monotonic() - start
        if None in seen:
            time.sleep(POLL)
    return seen


def wait_gone(url, needle, timeout=EDIT_TIMEOUT):
    start = time.monotonic()
    while needle in fetch(url) and time.monotonic() - start < timeout:
        time.sleep(POLL)


class Log:
    """The server's log file, read from an offset: what it printed since a point in time."""

    def __init__(self, path):
        self.path = path

    def offset(self):
        return os.path.getsize(self.path)

    def since(self, offset):
        with open(self.path, encoding="utf-8", errors="replace") as f:
            f.seek(offset)
            return f.read()

    def settle(self, offset, timeout):
        """Waits until a build finished (or failed) after `offset`; the text logged since."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            text = self.since(offset)
            if BUILT.search(text) or FAILED.search(text):
                return text
            time.sleep(0.02)
        return self.since(offset)


_markers = iter(range(1, 1 << 30))


def open_page(ws_url, page):
    """A live-reload connection like an open browser tab's, naming its page; its messages are read and
    dropped on a thread of their own."""
    socket = websocket.create_connection(ws_url, timeout=10)
    socket.send(json.dumps({"page": page}))

    def drain():
        try:
            while socket.recv():
                pass
        except Exception:
            pass
    threading.Thread(target=drain, daemon=True).start()
    return socket


def next_marker():
    """A text found nowhere in the site yet, nor inside a later marker."""
    return f"Latency bench {os.getpid()} edit {next(_markers)} done"


def new_title(text, title):
    changed, n = re.subn(r"^title: .*$", lambda _: f'title: "{title}"', text, count=1, flags=re.M)
    assert n == 1, "no title line in the front matter"
    return changed


def add_to_template(text, marker):
    """The article template with a visible marker right after the article's content."""
    anchor = "{{{content}}}\n"
    if anchor not in text:
        anchor = "{{/main}}"
        assert anchor in text, "no place for the marker in the article template"
        return text.replace(anchor, f'<p class="bench-marker">{marker}</p>\n' + anchor, 1)
    return text.replace(anchor, anchor + f'<p class="bench-marker">{marker}</p>\n', 1)


def scenario(path, edit, checks, log=None, settle_timeout=60):
    """EDITS edits of the file at `path`: `edit(original, marker)` gives the edited text and `checks(marker)`
    the (url, needle) pairs to wait for. Returns per check the list of latencies (a timed-out edit stops
    the scenario and counts as None), and the log text of the edits' builds. The file is restored."""
    original = open(path, encoding="utf-8").read()
    results, logged = None, []
    marker = None
    try:
        for _ in range(EDITS):
            marker = next_marker()
            time.sleep(1.0)
            before = log.offset() if log else 0
            with open(path, "w", encoding="utf-8") as f:
                f.write(edit(original, marker))
            saved = time.monotonic()
            seen = wait_all(checks(marker), saved)
            results = [[] for _ in seen] if results is None else results
            for r, s in zip(results, seen):
                r.append(s)
            if log:
                logged.append(log.settle(before, settle_timeout))
            if None in seen:
                break
    finally:
        before = log.offset() if log else 0
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    if log:
        log.settle(before, settle_timeout)
    if marker:
        url, needle = checks(marker)[0]
        wait_gone(url, needle)
    return results, "".join(logged)


def fmt(seconds):
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_range(low, high):
    if high < 1:
        return f"{low * 1000:.0f}–{high * 1000:.0f} ms"
    return f"{low:.2f}–{high:.2f} s" if low >= 1 else f"{fmt(low)}–{fmt(high)}"


def row(server, first, edit, page, latencies):
    done = [x for x in latencies if x is not None]
    missing = len(latencies) - len(done)
    note = f" ({missing} not shown within {EDIT_TIMEOUT} s)" if missing else ""
    if not done:
        return f"| {server} | {first} | {edit} | {page} | not shown within {EDIT_TIMEOUT} s | |"
    return (f"| {server} | {first} | {edit} | {page} | **{fmt(statistics.median(done))}**{note} | "
            f"{fmt_range(min(done), max(done))} |")


def side_by_side(name, ours, theirs):
    """A row comparing the medians of one scenario, with where the goal (≤ 100 ms, ≤ ⅕ of Hugo) stands."""
    ours, theirs = [x for x in ours if x is not None], [x for x in theirs if x is not None]
    if not ours or not theirs:
        return f"| {name} | {fmt(statistics.median(ours)) if ours else 'not shown'} | {fmt(statistics.median(theirs)) if theirs else 'not shown'} | | |"
    w, h = statistics.median(ours), statistics.median(theirs)
    limit = min(0.100, h / 5)
    goal = "met" if w <= limit else f"misses by {w / limit:.1f}× (limit {fmt(limit)})"
    return f"| {name} | {fmt(w)} | {fmt(h)} | {w / h:.2f} | {goal} |"


def main():
    source = corpus(ARTICLES)
    tmp = tempfile.mkdtemp(prefix="waymark-serve-bench-", dir=work_dir())
    rows = []
    logs = {}
    try:
        content = os.path.join(tmp, "content")
        templates = os.path.join(tmp, "templates")
        shutil.copytree(source, content)
        shutil.copytree(os.path.join(ROOT, "templates"), templates)
        full, _ = timed([WAYMARK, "build", "--content", content, "--templates", templates,
                         "--output", os.path.join(tmp, "out"), "--quiet", "--force"])

        port = free_port()
        log_path = os.path.join(tmp, "serve.log")
        log_file = open(log_path, "w")
        server = subprocess.Popen([WAYMARK, "serve", "--content", content, "--templates", templates, "--port", str(port)],
                                  stdout=log_file, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            url, listing = f"{base}/en/articles/billing/article-00001/", f"{base}/en/articles/billing/"
            start = time.monotonic()
            wait_for(url, "<html", timeout=300)
            first = time.monotonic() - start
            log = Log(log_path)
            log.settle(0, 300)
            settle = 30 + 3 * full
            # The article is open in a browser, as when a writer previews it: its live-reload socket
            # names the page (serve renders open pages first on template edits).
            socket = open_page(f"ws://127.0.0.1:{port}/__waymark/live", "/en/articles/billing/article-00001/")

            body, logs["body"] = scenario(os.path.join(content, ARTICLE), lambda text, m: text + f"\n{m}.\n",
                                          lambda m: [(url, m)], log, settle)
            title, logs["title"] = scenario(os.path.join(content, ARTICLE), new_title,
                                            lambda m: [(url, m), (listing, m)], log, settle)
            template, logs["template"] = scenario(os.path.join(templates, TEMPLATE), add_to_template,
                                                  lambda m: [(url, m)], log, settle)
        finally:
            if "socket" in locals():
                socket.close()
            server.terminate()
            server.wait()
            log_file.close()
        rows += [row("waymark serve", f"{first:.1f} s", "body line", "article", body[0]),
                 row("", "", "title", "article", title[0]),
                 row("", "", "title", "category listing", title[1]),
                 row("", "", "template", "article", template[0])]

        hugo_site = os.path.join(tmp, "hugo-site")
        subprocess.run(["bash", os.path.join(SHARED, "hugo", "make_hugo_site.sh"), content, hugo_site], check=True, capture_output=True)
        hport = free_port()
        hugo = subprocess.Popen([HUGO, "server", "--port", str(hport), "--bind", "127.0.0.1", "--disableLiveReload", "--quiet"],
                                cwd=hugo_site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            hbase = f"http://127.0.0.1:{hport}"
            hurl, hlisting = f"{hbase}/articles/billing/article-00001/", f"{hbase}/articles/billing/"
            start = time.monotonic()
            wait_for(hurl, "<html", timeout=600)
            hugo_first = time.monotonic() - start
            hbody, _ = scenario(os.path.join(hugo_site, "content", ARTICLE), lambda text, m: text + f"\n{m}.\n", lambda m: [(hurl, m)])
            htitle, _ = scenario(os.path.join(hugo_site, "content", ARTICLE), new_title, lambda m: [(hurl, m), (hlisting, m)])
        finally:
            hugo.terminate()
            hugo.wait()
        pairs = [("body line → article", body[0], hbody[0]), ("title → article", title[0], htitle[0]),
                 ("title → category listing", title[1], htitle[1])]
        rows += [row("hugo server", f"{hugo_first:.1f} s", "body line", "article", hbody[0]),
                 row("", "", "title", "article", htitle[0]),
                 row("", "", "title", "section listing", htitle[1])]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"Live preview on gen_corpus --articles {ARTICLES} ({EDITS} edits per scenario to {ARTICLE}; "
          f"pages polled every {POLL * 1000:.0f} ms)\n")
    print("| | first build and serve | edit | page checked | save → page shows it (median) | min–max |")
    print("|---|---|---|---|---|---|")
    for line in rows:
        print(line)
    print("\nSide by side (medians; goal of issue 21: every edit ≤ 100 ms and ≤ ⅕ of `hugo server`'s time):\n")
    print("| edit → page | waymark serve | hugo server | waymark / hugo | goal |")
    print("|---|---|---|---|---|")
    for name, ours, theirs in pairs:
        print(side_by_side(name, ours, theirs))
    print(f"\nA full `waymark build` of the same tree: {full:.2f} s. Waymark's own rebuild time per edit (from its log):\n")
    for name, text in logs.items():
        builds = [float(x) for x in BUILT.findall(text)]
        updates = [float(x) for x in UPDATED.findall(text)]
        parts = []
        if updates:
            parts.append(f"fast path (`Updated …`) median {statistics.median(updates):.1f} ms")
        if builds:
            parts.append(f"build (`Built …`) median {statistics.median(builds):.2f} s")
        print(f"- {name}: " + ("; ".join(parts) if parts else "no build reported"))


if __name__ == "__main__":
    main()
