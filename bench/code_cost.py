#!/usr/bin/env python3
"""Cost of build-time code highlighting on the 1x bench corpus (bench/run.py's, with its code blocks).

Builds the corpus as it is, and a copy whose fences name no known language (```json -> ```plain-json: the
same blocks and text, rendered plain by cmark-gfm), each BENCH_RUNS times, alternating (median, clean output,
--force), and prints both times (wall and CPU), the delta in percent (the goal is at most 5 %) and the
delta per highlighted block. The copy is the honest baseline: nothing else in the build differs.

Usage: bench/code_cost.py [--articles N]   (default BENCH_BASE, 2500 articles per language)
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
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
            """(wall, CPU) seconds: CPU time (user + system) is what highlighting adds on any machine, and it
            stays meaningful when other work shares the cores and makes wall times noisy."""
            shutil.rmtree(out, ignore_errors=True)
            command = [run.WAYMARK, "build", "--content", source, "--templates", os.path.join(run.ROOT, "templates"), "--output", out, "--quiet", "--force"]
            result = subprocess.run(["/usr/bin/time", "-f", "%e %U %S"] + command, capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(f"failed: {' '.join(command)}\n{result.stderr[-3000:]}")
            wall, user, system = map(float, result.stderr.strip().splitlines()[-1].split())
            return wall, user + system

        # Alternate so that drift in the machine's load hits both alike.
        highlighted, unhighlighted = [], []
        for _ in range(run.RUNS):
            highlighted.append(build(content))
            unhighlighted.append(build(plain))
        median = lambda xs: sorted(xs)[len(xs) // 2]
        print(f"1x corpus ({args.articles} articles/language), {blocks} fenced blocks with a language, median of {run.RUNS} clean builds each, alternated")
        for i, what in ((0, "wall"), (1, "CPU (user + system)")):
            h, p = median([r[i] for r in highlighted]), median([r[i] for r in unhighlighted])
            print(f"  {what}: highlighted {h:.2f} s, plain {p:.2f} s, delta {h - p:+.2f} s ({100 * (h - p) / p:+.1f} %), "
                  f"{1e6 * (h - p) / max(blocks, 1):.0f} µs per block")
        # Per block, without the noise of a whole build: one article of 3,000 blocks (bench/run.py's samples in
        # turn), highlighted and plain, CPU time of the build less that of the same site with an empty article.
        def one_article(name, body):
            folder = os.path.join(work, name)
            os.makedirs(os.path.join(folder, "en", "articles", "a"))
            open(os.path.join(folder, "site.yml"), "w").write("title: Code\nlanguages:\n  - code: en\n    name: English\n")
            open(os.path.join(folder, "en", "articles", "a", "code.md"), "w").write("---\ntitle: Code\n---\n\n" + body)
            return folder
        count = 3000
        samples = [run.CODE_SAMPLES[i % len(run.CODE_SAMPLES)] for i in range(count)]
        sites = {
            "highlighted": one_article("one-highlighted", "".join(f"```{lang}\n{code}```\n\n" for lang, code in samples)),
            "plain": one_article("one-plain", "".join(f"```plain-{lang}\n{code}```\n\n" for lang, code in samples)),
            "empty": one_article("one-empty", "Nothing.\n"),
        }
        cpu = {name: [] for name in sites}
        for _ in range(max(run.RUNS, 5)):
            for name, folder in sites.items():
                cpu[name].append(build(folder)[1])
        h, p, e = (median(cpu[n]) for n in ("highlighted", "plain", "empty"))
        print(f"one article of {count} blocks (6 languages, 4-10 lines each), CPU median of {len(cpu['plain'])}: highlighted {h - e:.3f} s, "
              f"plain {p - e:.3f} s (an empty article's site subtracted): {1e6 * (h - p) / count:.0f} µs per block")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
