#!/usr/bin/env python3
"""`make bench-linear`: every hostile Markdown shape costs time linear in its size.

Each shape (thousands of links in one paragraph, deep nesting in a heading, nested images, equal
checklist items, ...) is written as the one article of a small site at a size n and at 4n; `waymark
build` builds both (the cost of building the site with an empty article is subtracted), and bare
cmark-gfm renders the same files in the same run, each timed by its CPU time (user + system), which
other work on the machine moves far less than wall time. Linear work grows 4x from n to 4n, quadratic 16x;
the script fails when Waymark's growth passes LIMIT (8x: twice the linear growth), so a regression is
caught without a wall-clock threshold. Sizes start small and double until Waymark's time at n is large
enough to measure (MIN_SECONDS) or the file reaches MAX_BYTES.

Usage: bench/linear.py [--waymark PATH] [--shape NAME]...   (exit 1 when a shape is superlinear)
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIMIT = 8.0
MIN_SECONDS = 0.15
MAX_BYTES = 4_000_000
RUNS = 3


def nested_images(n, distinct):
    tail = "".join(f"](img/{i if distinct else 0}.png)" for i in range(n))
    return "![" * n + "a" + tail + "\n"


# Each shape: name -> function of n giving the article body (Markdown after the front matter).
SHAPES = {
    "links-in-a-paragraph": lambda n: "".join(f"[link {i}](https://example.com/{i}) " for i in range(n)) + "\n",
    "same-link-repeated": lambda n: "[a](https://example.com/x) " * n + "\n",
    "relative-links": lambda n: "".join(f"[a](../missing-{i}.md) " for i in range(n)) + "\n",
    "emphasis-nested-in-heading": lambda n: "# " + "*a " * n + "b" + " c*" * n + "\n",
    "emphasis-nested-in-paragraph": lambda n: "*a " * n + "b" + " c*" * n + "\n",
    "strong-nested-in-heading": lambda n: "## " + "**" * n + "x" + "**" * n + "\n",
    "images-nested": lambda n: nested_images(n, distinct=False),
    "images-nested-distinct": lambda n: nested_images(n, distinct=True),
    "brackets-unclosed": lambda n: "[" * n + "a\n",
    "links-in-headings": lambda n: "".join(f"## [h{i}](https://example.com/{i})\n\n" for i in range(n)),
    "equal-headings": lambda n: "## Same\n\n" * n,
    "equal-checklist-items": lambda n: "- [ ] Same item\n" * n,
    "blockquotes-nested": lambda n: "> " * n + "deep\n",
    "lists-nested": lambda n: "".join("  " * min(i, 40) + "- item\n" for i in range(n)),
    "table-wide": lambda n: "|" + "a|" * n + "\n|" + "-|" * n + "\n|" + "b|" * n + "\n",
    "table-long": lambda n: "|a|b|\n|-|-|\n" + "|x|y|\n" * n,
    "footnotes": lambda n: "".join(f"text[^{i}] " for i in range(n)) + "\n\n" + "".join(f"[^{i}]: note {i}\n" for i in range(n)),
    "explicit-ids": lambda n: "".join(f"## Heading {{#id-{i}}}\n\n" for i in range(n)),
    "code-spans": lambda n: "`a` " * n + "\n",
    "long-word": lambda n: "x" * (n * 10) + "\n",
    "raw-html": lambda n: "<div>a</div>\n\n" * n,
    # Highlighted code: many small blocks; blocks of many lines; one long line (kept plain past the limit).
    "code-blocks": lambda n: "```sh\ncurl -s \"$API/v1\" -d '{\"a\": 1}' # call\n```\n\n" * n,
    "code-lines": lambda n: ("```json\n" + "".join(f'{{"key{i}": "v\\"{i}", "n": [{i}, true]}}\n' for i in range(500)) + "```\n\n") * max(1, n // 500),
    # The worst the limits let through: blocks of eight lines just under 1,000 bytes of JSON tokens.
    "code-wide-lines": lambda n: ("```json\n" + ("[" + '"v", ' * 197 + "1]\n") * 8 + "```\n\n") * max(1, n // 8),
    "code-long-line": lambda n: "```json\n[" + '"v", ' * n + "1]\n```\n",
    "code-quotes": lambda n: "```sh\n" + '"' * n + "\n```\n",
}

# As in bench/run.py: the extensions Waymark enables.
CMARK_ARGS = ["-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tasklist", "-e", "footnotes"]
SITE_YML = "title: Linear\nlanguages:\n  - code: en\n    name: English\n"


def write_site(folder, body):
    content = os.path.join(folder, "content")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(os.path.join(content, "en", "articles", "a"))
    with open(os.path.join(content, "site.yml"), "w") as f:
        f.write(SITE_YML)
    path = os.path.join(content, "en", "articles", "a", "shape.md")
    with open(path, "w") as f:
        f.write("---\ntitle: Shape\n---\n\n" + body)
    return content, path


def best_of(runs, command):
    """The least CPU time (user + system, of the process and its threads) of `runs` runs: unlike wall
    time, it does not grow while the process waits for a core other work holds."""
    best = float("inf")
    for _ in range(runs):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(process.pid, 0)
        process.returncode = 0
        best = min(best, usage.ru_utime + usage.ru_stime)
    return best


def measure(waymark, work, body):
    """(waymark seconds, cmark-gfm seconds, bytes) for one article body."""
    content, path = write_site(work, body)
    output = os.path.join(work, "output")
    build = [waymark, "build", "--content", content, "--templates", os.path.join(ROOT, "templates"), "--output", output, "--force"]
    w = best_of(RUNS, build)
    c = best_of(RUNS, ["cmark-gfm", *CMARK_ARGS, path])
    return w, c, len(body.encode())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waymark", default=os.path.join(ROOT, ".build", "release", "waymark"))
    parser.add_argument("--shape", action="append", help="only these shapes")
    args = parser.parse_args()
    if not shutil.which("cmark-gfm"):
        sys.exit("cmark-gfm (Debian package cmark-gfm) is needed for the comparison")
    work = tempfile.mkdtemp(prefix="waymark-linear-")
    try:
        base, base_c, _ = measure(args.waymark, work, "")
        print(f"empty article: waymark {base * 1000:.0f} ms, cmark-gfm {base_c * 1000:.0f} ms (subtracted below)\n")
        print(f"| shape | n | bytes at 4n | waymark n | waymark 4n | growth | cmark-gfm 4n | waymark/cmark-gfm at 4n |")
        print("|---|---|---|---|---|---|---|---|")
        failed = []
        for name, shape in SHAPES.items():
            if args.shape and name not in args.shape:
                continue
            n = 250
            while True:
                small, _, size = measure(args.waymark, work, shape(n))
                if small - base >= MIN_SECONDS or size * 8 > MAX_BYTES:
                    break
                n *= 2
            large, large_c, size4 = measure(args.waymark, work, shape(4 * n))
            # Times below a few milliseconds are noise: never divide by less than 5 ms.
            growth = max(large - base, 0.005) / max(small - base, 0.005)
            verdict = "" if growth <= LIMIT else " **superlinear**"
            if growth > LIMIT:
                failed.append(name)
            extra = max(large - base, 0) / max(large_c - base_c, 0.001)
            print(f"| {name} | {n} | {size4:,} | {(small - base) * 1000:.0f} ms | {(large - base) * 1000:.0f} ms | "
                  f"{growth:.1f}x{verdict} | {(large_c - base_c) * 1000:.0f} ms | {extra:.1f} |", flush=True)
        if failed:
            print(f"\nsuperlinear (growth over {LIMIT:.0f}x for 4x the input): {', '.join(failed)}")
            return 1
        print(f"\nevery shape grew at most {LIMIT:.0f}x for 4x the input")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
