"""End-to-end fixtures: the default site built with the release binary, served over HTTP, and a headless
Chromium to drive it."""
import os
import shutil
import tempfile

import pytest

from helpers import ROOT, Collector, Server, build, make_driver, waymark_search  # noqa: F401 (re-exported for tests)


@pytest.fixture(scope="session")
def site_dir():
    tmp = tempfile.mkdtemp(prefix="waymark-e2e-")
    out = build(os.path.join(ROOT, "content"), os.path.join(tmp, "site"))
    yield out
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def server(site_dir):
    s = Server(site_dir)
    yield s
    s.close()


@pytest.fixture
def driver():
    d = make_driver()
    yield d
    d.quit()


@pytest.fixture(scope="module")
def collector():
    """A stand-in analytics collector on its own port (another origin than any site under test)."""
    c = Collector()
    yield c
    c.close()
