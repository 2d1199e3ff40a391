#!/usr/bin/env python3
"""`make bench`: Waymark against Hugo (and Pagefind over Hugo's output) and bare cmark-gfm, in one run on
this machine, on ../shared/bench/gen_corpus.py content (4 languages).

For each scale (BENCH_SCALES, default "1,2,4" × BENCH_BASE, default 2500, articles per language) it
reports wall time (median of BENCH_RUNS, default 3), pages per second, peak RSS, output bytes and search
index bytes, and Waymark/peer ratios. Every build starts from an empty output folder; a second Waymark
table shows a rebuild of an unchanged tree into the existing output (what CI and `make site` do most of
the time).

The file-system floor is the time a small C program (bench/floor.c, compiled into bench/work/ on first
use) takes to create the folders and write exactly the files of Waymark's clean build (same paths, same
bytes) into a fresh folder on two threads, the files having been read into memory first (not timed):
what any generator writing this site here must spend at least. Median of at least 5 runs (it is cheap,
and creating files on a virtual machine's disk is noisy); the table shows their range.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "bench")
WAYMARK = os.path.join(ROOT, ".build", "release", "waymark")
VENV = os.path.join(ROOT, ".venv")
HUGO = os.path.join(VENV, "bin", "hugo")
PAGEFIND = os.path.join(VENV, "lib", f"python{sys.version_info.major}.{sys.version_info.minor}", "site-packages", "pagefind_bin_extended", "pagefind_extended")
BASE = int(os.environ.get("BENCH_BASE", "2500"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "1,2,4").split(",")]
FLOOR_THREADS = 2  # Waymark uses both cores of the 2-core bench machine
FLOOR_RUNS = max(RUNS, 5)  # cheap, and noisy on a virtual machine's disk
WORK = os.path.join(HERE, "work")
CMARK_ARGS = ["-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tasklist", "-e", "footnotes"]


def timed(cmd, cwd=None):
    """(wall seconds, peak RSS in MB) of one command, from GNU time."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stderr[-3000:]}")
    wall, rss = result.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def tree_bytes(path, exclude=None):
    total = 0
    for folder, dirs, files in os.walk(path):
        if exclude:
            dirs[:] = [d for d in dirs if os.path.join(folder, d) != exclude]
        total += sum(os.path.getsize(os.path.join(folder, f)) for f in files)
    return total


def pages(path):
    return sum(1 for _, _, files in os.walk(path) for f in files if f.endswith(".html"))


def work_dir():
    """bench/work/ (ignored by git; absent in a fresh clone), created on demand."""
    os.makedirs(WORK, exist_ok=True)
    return WORK


def corpus(articles):
    path = os.path.join(work_dir(), f"corpus-{articles}-code")
    if not os.path.exists(os.path.join(path, "site.yml")):
        subprocess.run([sys.executable, os.path.join(SHARED, "gen_corpus.py"), path + ".tmp", "--articles", str(articles)], check=True)
        add_code_blocks(path + ".tmp")
        os.rename(path + ".tmp", path)
    return path


# gen_corpus.py writes only one-line JSON blocks (in a tenth of its sections); developer documentation has
# longer code in more languages. Every fourth article gets one of these, in turn (highlighted at build time).
CODE_SAMPLES = [
    ("sh", 'curl -sS https://api.example.com/v1/events \\\n  -H "Authorization: Bearer $API_KEY" \\\n'
           '  -H "Content-Type: application/json" \\\n  -d \'{"event": "step_completed", "step": 3}\'  # retried safely\n'),
    ("yaml", "# checklist.yml\nchecklist:\n  id: onboarding-v2\n  dismissible: true\n  items:\n    - id: create-project\n"
             "      title: \"Create your first project\"\n      done_when: project_created\n    - id: invite\n      done_when: { event: invited, count: 1 }\n"),
    ("python", "import hashlib, hmac\n\ndef is_genuine(body: bytes, signature: str, secret: bytes) -> bool:\n"
               "    expected = \"sha256=\" + hmac.new(secret, body, hashlib.sha256).hexdigest()\n    return hmac.compare_digest(expected, signature)\n"),
    ("ts", "interface Step { id: string; done: boolean }\n\nexport async function progress(steps: Step[]): Promise<number> {\n"
           "  const done = steps.filter((s) => s.done).length; // ticked items\n  return Math.round((100 * done) / steps.length);\n}\n"),
    ("http", "POST /webhooks/email HTTP/1.1\nHost: api.example.com\nContent-Type: application/json\nX-Signature: sha256=6b1f0c2e9d\n\n"
             '{"type": "email.clicked", "campaign": "invite_nudge", "user_id": "usr_8f2k1"}\n'),
    ("sql", "SELECT date_trunc('week', a.created_at) AS week,\n       count(*) FILTER (WHERE e.name = 'invitation_accepted') AS activated\n"
            "FROM accounts a\nLEFT JOIN events e ON e.account_id = a.id AND e.created_at < a.created_at + interval '7 days'\nGROUP BY 1\nORDER BY 1;\n"),
]


def add_code_blocks(path):
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs if f.endswith(".md") and "/articles/" in d)
    for i, name in enumerate(files[::4]):
        language, code = CODE_SAMPLES[i % len(CODE_SAMPLES)]
        with open(name, "a") as f:
            f.write(f"\n```{language}\n{code}```\n")


def floor_binary():
    """bench/work/floor, compiled from bench/floor.c when missing or older than its source."""
    source, binary = os.path.join(HERE, "floor.c"), os.path.join(work_dir(), "floor")
    if not os.path.exists(binary) or os.path.getmtime(binary) < os.path.getmtime(source):
        subprocess.run(["cc", "-O2", "-pthread", "-o", binary, source], check=True)
    return binary


def output_files(site):
    """Relative paths of every file below `site`, sorted by folder, then name."""
    found = []
    for folder, _, names in os.walk(site):
        rel = os.path.relpath(folder, site)
        for name in names:
            path = name if rel == "." else os.path.join(rel, name)
            if not os.path.isfile(os.path.join(site, path)) or os.path.islink(os.path.join(site, path)):
                sys.exit(f"floor: {path} in the output is not a regular file")
            found.append(path)
    return sorted(found, key=lambda p: (os.path.dirname(p), os.path.basename(p)))


def floor_manifest(files):
    """floor.c's manifest: each folder below the root (with a trailing /) followed by its files,
    parents before children, root files first; NUL-terminated entries."""
    folders = set()
    for path in files:
        folder = os.path.dirname(path)
        while folder and folder not in folders:
            folders.add(folder)
            folder = os.path.dirname(folder)
    entries = sorted([(d, 0, "") for d in folders] + [(os.path.dirname(p), 1, os.path.basename(p)) for p in files])
    return b"".join(os.fsencode(d + "/" if kind == 0 else os.path.join(d, name)) + b"\0" for d, kind, name in entries)


def file_system_floor(site, work):
    """(median, min and max seconds of FLOOR_RUNS runs, files) to write the files of `site` into a fresh
    folder with floor.c."""
    files = output_files(site)
    expected = sum(os.path.getsize(os.path.join(site, f)) for f in files)
    manifest = os.path.join(work, "floor-manifest")
    with open(manifest, "wb") as f:
        f.write(floor_manifest(files))
    binary = floor_binary()
    dest = os.path.join(work, "floor-out")

    def once():
        shutil.rmtree(dest, ignore_errors=True)
        result = subprocess.run([binary, manifest, site, dest, str(FLOOR_THREADS)], capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"floor failed:\n{result.stderr[-3000:]}")
        seconds, count, total, _ = result.stdout.split()
        if int(count) != len(files) or int(total) != expected or output_files(dest) != files or tree_bytes(dest) != expected:
            sys.exit(f"floor wrote {count} files, {total} bytes; Waymark wrote {len(files)} files, {expected} bytes")
        return float(seconds)
    walls = [once() for _ in range(FLOOR_RUNS)]
    shutil.rmtree(dest, ignore_errors=True)
    return statistics.median_low(walls), min(walls), max(walls), len(files)


def median_of(runs, make):
    results = [make() for _ in range(runs)]
    walls = [r[0] for r in results]
    i = walls.index(statistics.median_low(walls))
    return results[i]


def bench_scale(scale, work):
    articles = BASE * scale
    content = corpus(articles)
    md_files = [os.path.join(d, f) for d, _, fs in os.walk(content) for f in fs if f.endswith(".md")]

    out = os.path.join(work, "waymark")

    def waymark_clean():
        shutil.rmtree(out, ignore_errors=True)
        for spare in (os.path.join(work, ".waymark.waymark-spare"), os.path.join(work, ".waymark.waymark-new")):
            shutil.rmtree(spare, ignore_errors=True)
        return timed([WAYMARK, "build", "--content", content, "--templates", os.path.join(ROOT, "templates"), "--output", out, "--quiet", "--force"])
    w_wall, w_rss = median_of(RUNS, waymark_clean)
    w_pages, w_bytes, w_index = pages(out), tree_bytes(out), tree_bytes(os.path.join(out, "search"))
    floor = file_system_floor(out, work)
    args = [WAYMARK, "build", "--content", content, "--templates", os.path.join(ROOT, "templates"), "--output", out, "--quiet"]
    timed(args)  # records the inputs for the up-to-date check
    w_unchanged = median_of(RUNS, lambda: timed(args))
    w_rebuild = median_of(RUNS, lambda: timed(args + ["--force"]))

    hugo_site = os.path.join(work, "hugo-site")
    subprocess.run(["bash", os.path.join(SHARED, "hugo", "make_hugo_site.sh"), content, hugo_site], check=True, capture_output=True)
    public = os.path.join(work, "hugo-public")

    def hugo_clean():
        shutil.rmtree(public, ignore_errors=True)
        return timed([HUGO, "--quiet", "-d", public], cwd=hugo_site)
    h_wall, h_rss = median_of(RUNS if scale == 1 else 1, hugo_clean)
    h_pages, h_bytes = pages(public), tree_bytes(public)
    pf_wall, pf_rss = timed([PAGEFIND, "--site", public, "--silent"])
    pf_index = tree_bytes(os.path.join(public, "pagefind"))

    # Bare cmark-gfm over the same Markdown files, on two processes.
    listing = os.path.join(work, "md-files.txt")
    open(listing, "w").write("\n".join(md_files))
    c_wall, c_rss = median_of(RUNS, lambda: timed(["bash", "-c", f"xargs -a {listing} -d '\\n' -P 2 -n 2000 cmark-gfm {' '.join(CMARK_ARGS)} > /dev/null"]))
    return dict(scale=scale, articles=articles, w=(w_wall, w_rss, w_pages, w_bytes, w_index), w_rebuild=w_rebuild, w_unchanged=w_unchanged,
                h=(h_wall, h_rss, h_pages, h_bytes), pf=(pf_wall, pf_rss, pf_index), c=c_wall,
                floor=floor)


def main():
    for tool in (WAYMARK, HUGO, PAGEFIND):
        if not os.path.exists(tool):
            sys.exit(f"missing {tool}; run `make bench`")
    work = tempfile.mkdtemp(prefix="waymark-bench-", dir=work_dir())
    rows = []
    try:
        for scale in SCALES:
            rows.append(bench_scale(scale, work))
            r = rows[-1]
            print(f"scale {scale}: waymark {r['w'][0]:.2f} s, hugo {r['h'][0]:.2f} s, pagefind {r['pf'][0]:.2f} s, cmark {r['c']:.2f} s, "
                  f"floor {r['floor'][0]:.3f} s", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cores = os.cpu_count()
    version = re.search(r"v(\d+\.\d+\.\d+)", subprocess.run([HUGO, "version"], capture_output=True, text=True).stdout)
    print(f"Waymark vs Hugo {version.group(1) if version else '?'} + Pagefind 1.5.2, "
          f"gen_corpus.py (4 languages), {cores} cores, median of {RUNS} clean builds\n")
    print("| scale | articles/lang | tool | wall | pages/s | peak RSS | output | search index |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        w_wall, w_rss, w_pages, w_bytes, w_index = r["w"]
        h_wall, h_rss, h_pages, h_bytes = r["h"]
        pf_wall, pf_rss, pf_index = r["pf"]
        print(f"| {r['scale']}× | {r['articles']} | Waymark (with search) | {w_wall:.2f} s | {w_pages / w_wall:,.0f} | {w_rss:,.0f} MB | {w_bytes / 1e6:,.0f} MB | {w_index / 1e6:,.1f} MB |")
        print(f"| | | Hugo (no search) | {h_wall:.2f} s | {h_pages / h_wall:,.0f} | {h_rss:,.0f} MB | {h_bytes / 1e6:,.0f} MB | – |")
        print(f"| | | Pagefind on Hugo output | {pf_wall:.2f} s | | {pf_rss:,.0f} MB | | {pf_index / 1e6:,.1f} MB |")
        print(f"| | | bare cmark-gfm (2 processes) | {r['c']:.2f} s | | | | |")
        floor_wall, floor_min, floor_max, floor_files = r["floor"]
        print(f"| | | file-system floor (same files, 2 threads) | {floor_wall:.3f} s ({FLOOR_RUNS} runs: {floor_min:.3f}–{floor_max:.3f}) | | | "
              f"{w_bytes / 1e6:,.0f} MB in {floor_files:,} files | |")
        print(f"| | | **Waymark / Hugo** | **{w_wall / h_wall:.2f}** ({h_wall / w_wall:.1f}× faster) | {(w_pages / w_wall) / (h_pages / h_wall):.2f} | {w_rss / h_rss:.2f} | {w_bytes / h_bytes:.2f} | |")
        print(f"| | | **Waymark / (Hugo + Pagefind)** | {w_wall / (h_wall + pf_wall):.2f} | | | | {w_index / pf_index:.2f} |")
        print(f"| | | **Waymark / cmark-gfm** | **{w_wall / r['c']:.2f}** | | | | |")
        print(f"| | | **Waymark / floor** | **{w_wall / floor_wall:.2f}** | | | | |")
    print("\nWaymark on an unchanged tree: proven up to date and skipped; and a forced rebuild into the existing output"
          " (which reuses the files of the build before):\n")
    for r in rows:
        print(f"- {r['scale']}×: skipped in {r['w_unchanged'][0]:.2f} s; forced rebuild {r['w_rebuild'][0]:.2f} s, peak RSS {r['w_rebuild'][1]:,.0f} MB")
    if len(rows) > 1:
        base = rows[0]
        print("\nScaling (time and memory relative to 1×; linear growth = the scale factor):\n")
        for r in rows:
            print(f"- {r['scale']}×: Waymark time ×{r['w'][0] / base['w'][0]:.2f}, memory ×{r['w'][1] / base['w'][1]:.2f}; "
                  f"Hugo time ×{r['h'][0] / base['h'][0]:.2f}, memory ×{r['h'][1] / base['h'][1]:.2f}")


if __name__ == "__main__":
    main()
