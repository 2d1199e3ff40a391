"""A build killed at any moment (SIGKILL) never leaves a partial site: the output folder always holds one
complete build, the one before or the one being made."""
import hashlib
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time

from helpers import ROOT, WAYMARK, build


def snapshot(folder):
    digest = {}
    for d, _, files in os.walk(folder):
        for f in files:
            path = os.path.join(d, f)
            digest[os.path.relpath(path, folder)] = hashlib.sha1(open(path, "rb").read()).hexdigest()
    return digest


def larger_site(folder, copies=12):
    """The default content with every article copied `copies` times (≈700 pages), so that a build lasts
    long enough to be killed at many different points."""
    shutil.copytree(os.path.join(ROOT, "content"), folder)
    for language in os.listdir(folder):
        articles = os.path.join(folder, language, "articles")
        if not os.path.isdir(articles):
            continue
        for category in os.listdir(articles):
            for name in [n for n in os.listdir(os.path.join(articles, category)) if n.endswith(".md")]:
                text = open(os.path.join(articles, category, name), encoding="utf-8").read()
                # A copy cannot claim the original's old addresses: one alias, one page.
                text = "\n".join(line for line in text.split("\n") if not line.startswith("aliases:"))
                for k in range(copies):
                    with open(os.path.join(articles, category, f"copy-{k}-{name}"), "w", encoding="utf-8") as f:
                        f.write(text)


def two_versions(tmp):
    """Two larger sites that differ by one article, and what a clean build of each writes."""
    a = os.path.join(tmp, "content-a")
    larger_site(a)
    b = os.path.join(tmp, "content-b")
    shutil.copytree(a, b)
    with open(os.path.join(b, "en", "articles", "basics", "second-version.md"), "w", encoding="utf-8") as f:
        f.write("---\ntitle: Only in the second version\nupdated: 2026-11-01\n---\n\nThis article marks the second version.\n")
    expected = {name: snapshot(build(content, os.path.join(tmp, "expected-" + name))) for name, content in (("a", a), ("b", b))}
    return a, b, expected


def test_sigkill_at_random_points_never_leaves_a_partial_site():
    tmp = tempfile.mkdtemp(prefix="waymark-kill-")
    try:
        a, b, expected = two_versions(tmp)
        assert expected["a"] != expected["b"]
        output = os.path.join(tmp, "output")
        build(a, output)
        rng = random.Random(7)
        kills = 0
        for i in range(24):
            content = b if i % 2 == 0 else a
            proc = subprocess.Popen([WAYMARK, "build", "--content", content, "--templates", os.path.join(ROOT, "templates"),
                                     "--output", output, "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.0, 0.6))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait()
            now = snapshot(output)
            assert now in (expected["a"], expected["b"]), f"partial output after kill {i}"
        assert kills >= 10
        # And the next uninterrupted build recovers whatever the kills left behind.
        build(b, output)
        assert snapshot(output) == expected["b"]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_concurrent_builds_never_mix_two_sites():
    """Two builds into the same output at once: one writes its complete site, the other fails clearly
    (exit 1, a message naming the lock), and the output is exactly one build."""
    tmp = tempfile.mkdtemp(prefix="waymark-concurrent-")
    try:
        a, b, expected = two_versions(tmp)
        output = os.path.join(tmp, "output")
        for round in range(3):
            procs = [subprocess.Popen([WAYMARK, "build", "--content", content, "--templates", os.path.join(ROOT, "templates"),
                                       "--output", output, "--quiet", "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for content in (a, b)]
            results = [(p.wait(), p.stderr.read()) for p in procs]
            for status, err in results:
                assert status == 0 or (status == 1 and "another waymark build is writing" in err), err
            assert any(status == 0 for status, _ in results), results
            assert snapshot(output) in (expected["a"], expected["b"]), f"mixed output in round {round}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
