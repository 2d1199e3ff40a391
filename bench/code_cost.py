#!/usr/bin/env python3
"""Cost of build-time code highlighting on the 1x bench corpus (bench/run.py's, with its code blocks).

Builds the corpus as it is, and a copy whose fences name no known language (```json -> ```plain-json: the
same Markdown bytes and blocks, rendered plain by cmark-gfm), each BENCH_RUNS times, alternating (median, clean output,
--force), and prints both times, the delta in percent (the goal is at most 5 %) and the delta per
highlighted block. The copy is the honest baseline: nothing else in the build differs.

Usage: bench/code_cost.py [--articles N]   (default BENCH_BASE, 2500 articles per language)
"""
import argparse
import os
import re
import shutil
import tempfile

import run

FENCE = re.compile(r"^(```+|~~~+)([A-Za-z][\w+-]*)", re.M)


def plain_copy(content, dest):
    """`content` with every fence's language renamed to one Waymark does not know; returns the block count."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(content, dest)
    blocks = 0
    for folder, _, files in os.walk(dest):
        for f in files:
            if not f.endswith(".md"):
                continue
            path = os.path.join(folder, f)
            text = open(path, encoding="utf-8").read()
            renamed, n = FENCE.subn(lambda m: m.group(1) + "plain-" + m.group(2), text)
            if n:
                blocks += n  # opening fences carry the language; closing ones do not match
                open(path, "w", encoding="utf-8").write(renamed)
    return blocks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=run.BASE)
    args = parser.parse_args()
    content = run.corpus(args.articles)
    work = tempfile.mkdtemp(prefix="waymark-code-", dir=run.work_dir())
    try:
        plain = os.path.join(work, "plain")
        blocks = plain_copy(content, plain)
        out = os.path.join(work, "out")

        def build(source):
            shutil.rmtree(out, ignore_errors=True)
            return run.timed([run.WAYMARK, "build", "--content", source, "--templates", os.path.join(run.ROOT, "templates"),
                              "--output", out, "--quiet", "--force"])[0]

        # Alternate so that drift in the machine's load hits both alike.
        highlighted, unhighlighted = [], []
        for _ in range(run.RUNS):
            highlighted.append(build(content))
            unhighlighted.append(build(plain))
        h, p = sorted(highlighted)[len(highlighted) // 2], sorted(unhighlighted)[len(unhighlighted) // 2]
        print(f"1x corpus ({args.articles} articles/language), {blocks} fenced blocks with a language, median of {run.RUNS} clean builds each, alternated")
        print(f"  highlighted {h:.2f} s, plain {p:.2f} s, delta {h - p:+.2f} s ({100 * (h - p) / p:+.1f} %), "
              f"{1e6 * (h - p) / max(blocks, 1):.0f} µs per block")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
