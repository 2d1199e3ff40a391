#!/usr/bin/env python3
"""`make bench`: Waymark against Hugo (and Pagefind over Hugo's output) and bare cmark-gfm, in one run on
this machine, on ../shared/bench/gen_corpus.py content (4 languages).

For each scale (BENCH_SCALES, default "1,2,4" × BENCH_BASE, default 2500, articles per language) it
reports wall time (median of BENCH_RUNS, default 3) and user CPU time, pages per second, peak RSS, output
bytes and search index bytes, and Waymark/peer ratios, with the output on tmpfs (BENCH_TMPFS, default
/dev/shm: writing files costs almost nothing, so the build's own work shows) and on disk (bench/work/)
side by side. Every build starts from an empty output folder; a second Waymark table shows a rebuild of
an unchanged tree into the existing output (what CI and `make site` do most of the time). Waymark's
`--timings` (one more tmpfs build) gives the time of each phase, and the goals of issue 21 are checked:
on tmpfs at most 5× bare cmark-gfm and at least 5× faster than Hugo, on disk at most 1.3× the floor.

The file-system floor (on tmpfs and on disk) is the time a small C program (bench/floor.c, compiled into bench/work/ on first
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
TMPFS = os.environ.get("BENCH_TMPFS", "/dev/shm")
GOALS = {"cmark": 5.0, "hugo": 5.0, "floor": 1.3}  # issue 21: tmpfs ≤ 5× cmark-gfm, ≥ 5× faster than Hugo; disk ≤ 1.3× floor
FLOOR_THREADS = 2  # Waymark uses both cores of the 2-core bench machine
FLOOR_RUNS = max(RUNS, 5)  # cheap, and noisy on a virtual machine's disk
WORK = os.path.join(HERE, "work")
CMARK_ARGS = ["-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tasklist", "-e", "footnotes"]


def measured(cmd, cwd=None):
    """(wall seconds, peak RSS in MB, user CPU seconds, what it printed on standard error) of one command,
    from GNU time."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M %U"] + cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stderr[-3000:]}")
    wall, rss, user = result.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, float(user), result.stderr


def timed(cmd, cwd=None):
    """(wall seconds, peak RSS in MB) of one command."""
    return measured(cmd, cwd)[:2]


def is_tmpfs(path):
    """Whether `path` is on a tmpfs, from /proc/mounts (the longest mount point that holds it)."""
    best, kind = "", ""
    with open("/proc/mounts") as f:
        for line in f:
            _, point, fs = line.split()[:3]
            if (path == point or path.startswith(point.rstrip("/") + "/")) and len(point) > len(best):
                best, kind = point, fs
    return kind == "tmpfs"


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


PHASE = re.compile(r"^\s*([\d.]+) s  (.+)$", re.M)


def bench_scale(scale, work, fast):
    """Figures for one scale; `work` is on disk, `fast` on tmpfs."""
    articles = BASE * scale
    content = corpus(articles)
    md_files = [os.path.join(d, f) for d, _, fs in os.walk(content) for f in fs if f.endswith(".md")]
    templates = os.path.join(ROOT, "templates")

    def waymark_clean(folder, extra=()):
        out = os.path.join(folder, "waymark")

        def run():
            shutil.rmtree(out, ignore_errors=True)
            for spare in (os.path.join(folder, ".waymark.waymark-spare"), os.path.join(folder, ".waymark.waymark-new")):
                shutil.rmtree(spare, ignore_errors=True)
            return measured([WAYMARK, "build", "--content", content, "--templates", templates, "--output", out, "--quiet", "--force", *extra])
        return out, run

    places = {}
    for place, folder in (("tmpfs", fast), ("disk", work)):
        out, run = waymark_clean(folder)
        wall, rss, user, _ = median_of(RUNS, run)
        places[place] = dict(w=(wall, rss, user), floor=file_system_floor(out, folder))
    out = os.path.join(work, "waymark")
    w_pages, w_bytes, w_index = pages(out), tree_bytes(out), tree_bytes(os.path.join(out, "search"))
    # Phases: one more clean build on tmpfs, with --timings (printed on standard error).
    _, timings_run = waymark_clean(fast, ("--timings",))
    phases = [(name, float(sec)) for sec, name in PHASE.findall(timings_run()[3])]
    shutil.rmtree(os.path.join(fast, "waymark"), ignore_errors=True)
    args = [WAYMARK, "build", "--content", content, "--templates", templates, "--output", out, "--quiet"]
    timed(args)  # records the inputs for the up-to-date check
    w_unchanged = median_of(RUNS, lambda: timed(args))
    w_rebuild = median_of(RUNS, lambda: timed(args + ["--force"]))

    hugo_site = os.path.join(work, "hugo-site")
    subprocess.run(["bash", os.path.join(SHARED, "hugo", "make_hugo_site.sh"), content, hugo_site], check=True, capture_output=True)
    for place, folder in (("tmpfs", fast), ("disk", work)):
        public = os.path.join(folder, "hugo-public")

        def hugo_clean():
            shutil.rmtree(public, ignore_errors=True)
            return measured([HUGO, "--quiet", "-d", public], cwd=hugo_site)
        places[place]["h"] = median_of(RUNS if scale == 1 else 1, hugo_clean)[:3]
    public = os.path.join(work, "hugo-public")
    h_pages, h_bytes = pages(public), tree_bytes(public)
    shutil.rmtree(os.path.join(fast, "hugo-public"), ignore_errors=True)
    pf_wall, pf_rss = timed([PAGEFIND, "--site", public, "--silent"])
    pf_index = tree_bytes(os.path.join(public, "pagefind"))

    # Bare cmark-gfm over the same Markdown files, on two processes.
    listing = os.path.join(work, "md-files.txt")
    open(listing, "w").write("\n".join(md_files))
    c_wall, _, c_user, _ = median_of(RUNS, lambda: measured(["bash", "-c", f"xargs -a {listing} -d '\\n' -P 2 -n 2000 cmark-gfm {' '.join(CMARK_ARGS)} > /dev/null"]))
    return dict(scale=scale, articles=articles, places=places, pages=w_pages, bytes=w_bytes, index=w_index, phases=phases,
                w_rebuild=w_rebuild, w_unchanged=w_unchanged, h_pages=h_pages, h_bytes=h_bytes, pf=(pf_wall, pf_rss, pf_index),
                c=(c_wall, c_user))


def verdict(value, goal, at_most=True):
    """'met' or by how much `value` misses `goal`."""
    if (value <= goal) if at_most else (value >= goal):
        return "met"
    return f"misses by {value / goal:.2f}×" if at_most else f"misses by {goal / value:.2f}×"


def main():
    for tool in (WAYMARK, HUGO, PAGEFIND):
        if not os.path.exists(tool):
            sys.exit(f"missing {tool}; run `make bench`")
    work = tempfile.mkdtemp(prefix="waymark-bench-", dir=work_dir())
    fast = tempfile.mkdtemp(prefix="waymark-bench-", dir=TMPFS)
    rows = []
    try:
        for scale in SCALES:
            rows.append(bench_scale(scale, work, fast))
            r = rows[-1]
            t, d = r["places"]["tmpfs"], r["places"]["disk"]
            print(f"scale {scale}: waymark {t['w'][0]:.2f} s tmpfs / {d['w'][0]:.2f} s disk, hugo {t['h'][0]:.2f} / {d['h'][0]:.2f} s, "
                  f"pagefind {r['pf'][0]:.2f} s, cmark {r['c'][0]:.2f} s, floor {t['floor'][0]:.3f} / {d['floor'][0]:.3f} s", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(fast, ignore_errors=True)
    cores = os.cpu_count()
    version = re.search(r"v(\d+\.\d+\.\d+)", subprocess.run([HUGO, "version"], capture_output=True, text=True).stdout)
    print(f"Waymark vs Hugo {version.group(1) if version else '?'} + Pagefind 1.5.2, "
          f"gen_corpus.py (4 languages), {cores} cores, median of {RUNS} clean builds; "
          f"tmpfs = {TMPFS}{'' if is_tmpfs(TMPFS) else ' (NOT a tmpfs here)'}, disk = bench/work/\n")
    print("| scale | articles/lang | tool | tmpfs wall | tmpfs user CPU | disk wall | disk user CPU | pages/s (tmpfs) | peak RSS (disk) | output | search index |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        t, d = r["places"]["tmpfs"], r["places"]["disk"]
        (tw, _, tu), (dw, drss, du) = t["w"], d["w"]
        (thw, _, thu), (dhw, dhrss, dhu) = t["h"], d["h"]
        pf_wall, pf_rss, pf_index = r["pf"]
        c_wall, c_user = r["c"]
        print(f"| {r['scale']}× | {r['articles']} | Waymark (with search) | {tw:.2f} s | {tu:.2f} s | {dw:.2f} s | {du:.2f} s | "
              f"{r['pages'] / tw:,.0f} | {drss:,.0f} MB | {r['bytes'] / 1e6:,.0f} MB | {r['index'] / 1e6:,.1f} MB |")
        print(f"| | | Hugo (no search) | {thw:.2f} s | {thu:.2f} s | {dhw:.2f} s | {dhu:.2f} s | {r['h_pages'] / thw:,.0f} | {dhrss:,.0f} MB | "
              f"{r['h_bytes'] / 1e6:,.0f} MB | – |")
        print(f"| | | Pagefind on Hugo output | | | {pf_wall:.2f} s | | | {pf_rss:,.0f} MB | | {pf_index / 1e6:,.1f} MB |")
        print(f"| | | bare cmark-gfm (2 processes, to /dev/null) | {c_wall:.2f} s | {c_user:.2f} s | | | | | | |")
        (tf, tf_min, tf_max, files), (df, df_min, df_max, _) = t["floor"], d["floor"]
        print(f"| | | file-system floor (same files, 2 threads; {FLOOR_RUNS} runs) | {tf:.3f} s ({tf_min:.3f}–{tf_max:.3f}) | | "
              f"{df:.3f} s ({df_min:.3f}–{df_max:.3f}) | | | | {r['bytes'] / 1e6:,.0f} MB in {files:,} files | |")
        print(f"| | | **Waymark / Hugo** | **{tw / thw:.2f}** ({thw / tw:.1f}× faster) | | **{dw / dhw:.2f}** ({dhw / dw:.1f}× faster) | | | "
              f"{drss / dhrss:.2f} | {r['bytes'] / r['h_bytes']:.2f} | |")
        print(f"| | | **Waymark / (Hugo + Pagefind)** | | | {dw / (dhw + pf_wall):.2f} | | | | | {r['index'] / pf_index:.2f} |")
        print(f"| | | **Waymark / cmark-gfm** | **{tw / c_wall:.2f}** | {tu / c_user:.2f} | {dw / c_wall:.2f} | | | | | |")
        print(f"| | | **Waymark / floor** | {tw / tf:.2f} | | **{dw / df:.2f}** | | | | | |")
    print("\nGoals (issue 21), per scale: tmpfs wall ≤ 5× bare cmark-gfm and ≥ 5× faster than Hugo; disk wall ≤ 1.3× the floor.\n")
    for r in rows:
        t, d = r["places"]["tmpfs"], r["places"]["disk"]
        cm, hu, fl = t["w"][0] / r["c"][0], t["h"][0] / t["w"][0], d["w"][0] / d["floor"][0]
        # User CPU is what a busy machine moves least: wall ratios flatter whichever side waited more.
        cpu_cm, cpu_hu = t["w"][2] / r["c"][1], t["h"][2] / t["w"][2]
        print(f"- {r['scale']}×: {cm:.1f}× cmark-gfm ({verdict(cm, GOALS['cmark'])}; by user CPU {cpu_cm:.1f}×, "
              f"{verdict(cpu_cm, GOALS['cmark'])}); {hu:.1f}× faster than Hugo (by user CPU {cpu_hu:.1f}×) "
              f"({verdict(hu, GOALS['hugo'], at_most=False)}); {fl:.2f}× the disk floor ({verdict(fl, GOALS['floor'])})")
    print("\nWaymark's phases on tmpfs (`--timings`, one more clean build):\n")
    for r in rows:
        print(f"- {r['scale']}×: " + ", ".join(f"{name} {sec:.2f} s" for name, sec in r["phases"]))
    print("\nWaymark on an unchanged tree: proven up to date and skipped; and a forced rebuild into the existing output"
          " (which reuses the files of the build before; disk):\n")
    for r in rows:
        print(f"- {r['scale']}×: skipped in {r['w_unchanged'][0]:.2f} s; forced rebuild {r['w_rebuild'][0]:.2f} s, peak RSS {r['w_rebuild'][1]:,.0f} MB")
    if len(rows) > 1:
        base = rows[0]
        print("\nScaling on disk (time and memory relative to 1×; linear growth = the scale factor):\n")
        for r in rows:
            w, b = r["places"]["disk"], base["places"]["disk"]
            print(f"- {r['scale']}×: Waymark time ×{w['w'][0] / b['w'][0]:.2f}, memory ×{w['w'][1] / b['w'][1]:.2f}; "
                  f"Hugo time ×{w['h'][0] / b['h'][0]:.2f}, memory ×{w['h'][1] / b['h'][1]:.2f}")


if __name__ == "__main__":
    main()
