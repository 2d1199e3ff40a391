#!/usr/bin/env python3
"""A deterministic synthetic event log (schema v1, docs/analytics.md) for `waymark report --events`.

Readers walk the routes of a built site (read from its `<lang>/segments/<segment>/route.json` files, so
step and item ids are the real ones): they start a route, view steps in order, tick most items (some
untick one again), complete steps and stages, and leave at some step; between steps they search (some
queries find nothing), open results, vote on articles and see fallback notices. The same arguments give
the same bytes. Readers are written one after another, each in time order (collectors store batches as
they arrive; the report does not depend on line order).

`--hostile` writes what a public collector can receive from anyone instead of readers' walks (each line
is a valid event unless said otherwise; readers and pages are the site's own):
  long-queries      every line a `search_performed` with a distinct query of `--query-bytes` (60,000)
  distinct-queries  every line a `search_performed` with a distinct short query (`q 0000001a …`)
  distinct-readers  every line a `step_viewed` of the site's first route by a new reader (the one
                    table that grows with the log by design: the figures count distinct readers)
  long-values       every line an event whose reader, language, segment, page, event name and step
                    are distinct `--query-bytes`-long strings (one kind per line, in turn)
  long-line         one event whose query is `--query-bytes` long (10,000,000: longer than a line may
                    be), then one ordinary search, `--events` lines in all

Usage: bench/gen_events.py SITE OUT [--events N] [--seed S] [--bad-every K] [--unknown-every K]
                           [--hostile KIND [--query-bytes N]]
  SITE   a built site (`waymark build --output SITE`)
  OUT    the log to write; `.gz` writes gzip (fixed header, no time stamp)

Example: bench/gen_events.py output /tmp/events.jsonl.gz --events 1000000
         bench/gen_events.py output /tmp/hostile.jsonl --events 10000 --hostile long-queries
"""

import argparse
import glob
import gzip
import io
import json
import os
import random
import sys

START = 1_796_119_200_000  # 2026-12-01T10:00:00.000Z in milliseconds
QUERIES = ["refund", "invoice", "Invoices ", "bank feed", "export csv", "REFUND", "checklist", "sso", "api key", "webhook",
           "vat", "payroll", "onboarding email", "kickoff", "close the month", "xyzzy", "tax form 1099-k", "delete account"]
LANGUAGES_WEIGHT = {"en": 5, "vi": 2, "fa": 2, "ru": 2}


def iso(ms):
    seconds, millis = divmod(ms, 1000)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    # Civil date from days since 1970 (Howard Hinnant's civil_from_days).
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    return f"{year:04d}-{month:02d}-{day:02d}T{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}Z"


def load_site(site):
    routes = []
    for path in sorted(glob.glob(os.path.join(site, "*", "segments", "*", "route.json"))):
        with open(path, encoding="utf-8") as f:
            route = json.load(f)
        steps = [{"id": s["id"], "stage": s["stage"], "path": s["path"], "items": [c["id"] for c in s.get("checklist", [])]}
                 for s in route["steps"]]
        base = route["path"][: route["path"].index("/" + route["language"] + "/segments/") + 1]
        routes.append({"language": route["language"], "segment": route["segment"]["id"], "steps": steps, "base": base,
                       "path": route["path"]})
    if not routes:
        sys.exit(f"no <lang>/segments/<segment>/route.json below {site}: build the site first")
    articles = {}
    for path in sorted(glob.glob(os.path.join(site, "*", "articles", "*", "*", "index.html"))):
        language = os.path.relpath(path, site).split(os.sep)[0]
        rel = os.path.relpath(os.path.dirname(path), site).replace(os.sep, "/")
        articles.setdefault(language, []).append(routes[0]["base"] + rel + "/")
    return routes, articles


class Writer:
    def __init__(self, out, limit, bad_every, unknown_every):
        self.out, self.limit, self.count = out, limit, 0
        self.bad_every, self.unknown_every = bad_every, unknown_every

    def full(self):
        return self.count >= self.limit

    def line(self, text):
        if self.full():
            return
        self.count += 1
        if self.bad_every and self.count % self.bad_every == 0:
            text = text[: len(text) // 2]  # a cut-off line, as a crashed collector leaves
        self.out.write(text + "\n")

    def event(self, name, t, reader, lang, page, **fields):
        if self.unknown_every and (self.count + 1) % self.unknown_every == 0:
            self.line(json.dumps({"v": 1, "event": "tour_started", "time": iso(t), "reader": reader, "lang": lang, "page": page},
                                 ensure_ascii=False, separators=(",", ":")))
        record = {"v": 1, "event": name, "time": iso(t), "reader": reader, "lang": lang, "page": page}
        record.update(fields)
        self.line(json.dumps(record, ensure_ascii=False, separators=(",", ":")))


def reader_walk(w, rnd, n, routes, articles):
    reader = f"r-{n:08x}-{rnd.getrandbits(32):08x}"
    route = rnd.choice(routes)
    lang, segment = route["language"], route["segment"]
    t = START + rnd.randrange(0, 30 * 86400_000)
    w.event("route_started", t, reader, lang, route["path"], segment=segment)
    done = set()
    leave_after = len(route["steps"]) if rnd.random() < 0.35 else rnd.randrange(0, len(route["steps"]))
    for i, step in enumerate(route["steps"]):
        if i > leave_after or w.full():
            break
        t += rnd.randrange(10_000, 3 * 3600_000)
        base = {"segment": segment, "stage": step["stage"], "step": step["id"]}
        w.event("step_viewed", t, reader, lang, step["path"], **base)
        ticked = 0
        for item in step["items"]:
            if rnd.random() < 0.93:
                t += rnd.randrange(5_000, 600_000)
                w.event("item_ticked", t, reader, lang, step["path"], item=item, **base)
                ticked += 1
                if rnd.random() < 0.05:
                    t += rnd.randrange(1_000, 60_000)
                    w.event("item_unticked", t, reader, lang, step["path"], item=item, **base)
                    ticked -= 1
        if ticked == len(step["items"]):
            w.event("step_completed", t, reader, lang, step["path"], **base)
            done.add(step["id"])
            if all(s["id"] in done for s in route["steps"] if s["stage"] == step["stage"]):
                w.event("stage_completed", t, reader, lang, step["path"], segment=segment, stage=step["stage"])
            if len(done) == len(route["steps"]):
                w.event("route_completed", t, reader, lang, step["path"], segment=segment)
        if rnd.random() < 0.3:
            query = rnd.choice(QUERIES)
            results = 0 if query in ("xyzzy", "tax form 1099-k", "delete account") else rnd.randrange(1, 20)
            t += rnd.randrange(1_000, 60_000)
            w.event("search_performed", t, reader, lang, route["base"] + lang + "/search/", query=query, results=results,
                    filters={"segment": segment} if rnd.random() < 0.3 else {})
            if results and rnd.random() < 0.6 and articles.get(lang):
                target = rnd.choice(articles[lang])
                w.event("search_result_opened", t + 2_000, reader, lang, route["base"] + lang + "/search/", query=query,
                        rank=rnd.randrange(1, min(results, 5) + 1), target=target)
                if rnd.random() < 0.4:
                    w.event("feedback_given", t + 60_000, reader, lang, target, helpful=rnd.random() < 0.7)
                if lang != "en" and rnd.random() < 0.1:
                    w.event("fallback_shown", t + 3_000, reader, lang, target, **{"from": "en"})


def hostile(w, rnd, kind, size, routes):
    """Lines from anyone: distinct values of the given `size` where a reader's would be short."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 "

    def text(n, length):
        # Distinct per line (the number leads), then random letters: no two queries share a prefix.
        head = f"q {n:08x} "
        return head + "".join(rnd.choice(alphabet) for _ in range(64)) * ((length - len(head)) // 64 + 1)

    route = routes[0]
    lang, base = route["language"], route["base"]
    n = 0
    while not w.full():
        t = START + n * 1000
        reader = f"r-{n:08x}"
        search = base + lang + "/search/"
        if kind == "long-queries":
            w.event("search_performed", t, reader, lang, search, query=text(n, size)[:size], results=n % 3)
        elif kind == "distinct-queries":
            w.event("search_performed", t, reader, lang, search, query=f"q {n:08x} {rnd.getrandbits(32):08x}", results=n % 3)
        elif kind == "distinct-readers":
            step = route["steps"][n % len(route["steps"])]
            w.event("step_viewed", t, f"{n:016x}{rnd.getrandbits(64):016x}", lang, step["path"], segment=route["segment"],
                    stage=step["stage"], step=step["id"])
        elif kind == "long-values":
            long = text(n, size)[:size]
            which = n % 6
            if which == 0:
                w.event("step_viewed", t, long, lang, route["path"], segment=route["segment"], stage=route["steps"][0]["stage"],
                        step=route["steps"][0]["id"])
            elif which == 1:
                w.event("fallback_shown", t, reader, long, route["path"], **{"from": "en"})
            elif which == 2:
                w.event("route_started", t, reader, lang, route["path"], segment=long)
            elif which == 3:
                w.event("feedback_given", t, reader, lang, long, helpful=True)
            elif which == 4:
                w.event("x" + long, t, reader, lang, route["path"])
            else:
                w.event("step_viewed", t, reader, lang, route["path"], segment=route["segment"], stage=route["steps"][0]["stage"],
                        step=long)
        elif kind == "long-line":
            query = text(n, size)[:size] if n == 0 else "refund"
            w.event("search_performed", t, reader, lang, search, query=query, results=1)
        n += 1
    return n


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site")
    parser.add_argument("out")
    parser.add_argument("--events", type=int, default=1_000_000, help="lines to write (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--bad-every", type=int, default=0, help="cut every K-th line in half (a bad line)")
    parser.add_argument("--unknown-every", type=int, default=0, help="add an unknown event name about every K lines")
    parser.add_argument("--hostile", choices=["long-queries", "distinct-queries", "distinct-readers", "long-values", "long-line"],
                        help="write lines a public collector may receive instead of readers' walks (see above)")
    parser.add_argument("--query-bytes", type=int, help="length of the hostile values (60,000; long-line 10,000,000)")
    args = parser.parse_args()
    routes, articles = load_site(args.site)
    rnd = random.Random(args.seed)
    if args.out.endswith(".gz"):
        raw = open(args.out, "wb")
        out = io.TextIOWrapper(gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0), encoding="utf-8", newline="\n")
    else:
        raw = None
        out = open(args.out, "w", encoding="utf-8", newline="\n")
    w = Writer(out, args.events, args.bad_every, args.unknown_every)
    n = 0
    if args.hostile:
        size = args.query_bytes or (10_000_000 if args.hostile == "long-line" else 60_000)
        n = hostile(w, rnd, args.hostile, size, routes)
    while not w.full():
        reader_walk(w, rnd, n, routes, articles)
        n += 1
    out.close()
    if raw:
        raw.close()
    print(f"wrote {w.count} lines ({'hostile: ' + args.hostile if args.hostile else str(n) + ' readers'}) to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
