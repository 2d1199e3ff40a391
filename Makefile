# Waymark — two commands on a fresh machine:
#   make site   install what is missing, build (release), generate content/ into output/
#   make test   install what the tests need, then run every test (Swift, then browser end-to-end)
# Everything is idempotent: a second run installs nothing and only rebuilds what changed.

SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV := .venv
PY := $(VENV)/bin/python
WAYMARK := .build/release/waymark

# Debian packages: build (cmark-gfm, Snowball stemmers, libxml2 for FoundationXML's SVG parser, GNU
# source-highlight for code colouring: its library and /usr/share/source-highlight language files), tests (headless Chromium, nginx, brotli, Java for
# the HTML validator), benchmarks (cmark-gfm CLI, GNU time for peak memory).
BUILD_PACKAGES := pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libstemmer-dev zlib1g-dev libbrotli-dev libxml2 libsource-highlight-dev
TEST_PACKAGES := chromium chromium-driver fonts-noto-core python3-venv nginx brotli openjdk-17-jre-headless
BENCH_PACKAGES := cmark-gfm time
# Loaded at run time when site.yml asks for image copies (`images.widths`); builds work without it.
IMAGE_PACKAGES := libvips42

.PHONY: site build test lint format swift-test e2e-test golden look deps test-deps bench bench-linear bench-search fuzz serve clean

site: build
	@scripts/apt-install.sh $(IMAGE_PACKAGES)
	$(WAYMARK) build --content content --templates templates --output output
	@echo "Open output/index.html through a web server, for example:"
	@echo "  $(WAYMARK) serve      (live preview on http://127.0.0.1:8080/)"

build: deps
	$(SWIFT) build -c release --product waymark

test: test-deps lint swift-test e2e-test

# One formatter for the tree: `make format` rewrites, `make lint` (part of `make test`) fails on any drift.
SWIFT_SOURCES := Sources Tests/WaymarkKitTests Package.swift Fuzz/Package.swift Fuzz/Sources
lint:
	$(SWIFT) format lint --strict --recursive $(SWIFT_SOURCES)

format:
	$(SWIFT) format format --in-place --recursive $(SWIFT_SOURCES)

swift-test: deps
	$(SWIFT) test --parallel

# Re-records Tests/Golden (one page of each kind per language) after an intended change; review the diff.
golden: deps
	WAYMARK_RECORD_GOLDEN=1 $(SWIFT) test --filter GoldenPageTests
	git status --short Tests/Golden

# A contact sheet of every page kind at 390 and 1280 px, in English and Persian, light and dark, with some
# route progress (look/contact-sheet-*.png): look at it before calling a change to pages done.
look: build test-deps
	$(PY) scripts/look.py

e2e-test: build test-deps
	$(PY) -m pytest -q Tests/e2e

deps:
	@scripts/apt-install.sh $(BUILD_PACKAGES)

test-deps: deps
	@scripts/apt-install.sh $(TEST_PACKAGES) $(IMAGE_PACKAGES)
	@scripts/venv.sh $(VENV) Tests/e2e/requirements.txt

bench: build
	@scripts/apt-install.sh $(BENCH_PACKAGES) $(TEST_PACKAGES)
	@scripts/venv.sh $(VENV) bench/requirements.txt
	@scripts/venv.sh $(VENV) Tests/e2e/requirements.txt
	$(PY) bench/run.py
	$(PY) bench/code_cost.py
	$(PY) bench/serve_latency.py
	$(PY) bench/linear.py

# Every hostile Markdown shape at n and 4n, against bare cmark-gfm: fails when one grows superlinearly.
bench-linear: build
	@scripts/apt-install.sh $(BENCH_PACKAGES)
	python3 bench/linear.py

bench-search: build
	@scripts/apt-install.sh $(TEST_PACKAGES)
	@scripts/venv.sh $(VENV) bench/requirements.txt
	@scripts/venv.sh $(VENV) Tests/e2e/requirements.txt
	$(PY) bench/search_quality.py
	$(PY) bench/search_bench.py

# libFuzzer on the Markdown/front matter/link pipeline, site.yml, search queries, image files (with copy
# planning), event logs and the preview's HTTP heads and WebSocket frames, FUZZ_SECONDS each
# (`make fuzz FUZZ_TARGETS="document image"` runs some).
# AddressSanitizer's leak detection stays on: a node or buffer lost per input fails the run like a crash.
# New crashers and leaks land in Tests/Fixtures/fuzz-regressions/<target>/, which the Swift tests replay.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= document query site-config linear-time image events http-head websocket
fuzz: deps
	swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
	@for name in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz-corpus/$$name Tests/Fixtures/fuzz-regressions/$$name; \
	  echo "== $$name for $(FUZZ_SECONDS) s"; \
	  ASAN_OPTIONS=detect_leaks=1 WAYMARK_FUZZ_TARGET=$$name Fuzz/.build/release/WaymarkFuzz .build-fuzz-corpus/$$name Fuzz/corpus/$$name \
	    -max_total_time=$(FUZZ_SECONDS) -detect_leaks=1 \
	    -artifact_prefix=Tests/Fixtures/fuzz-regressions/$$name/ -print_final_stats=1 > .build-fuzz-corpus/$$name.log 2>&1; \
	  status=$$?; tail -12 .build-fuzz-corpus/$$name.log; [ $$status -eq 0 ] || exit $$status; \
	done

serve: build
	$(WAYMARK) serve

clean:
	rm -rf .build output .output.waymark-spare .output.waymark-lock .waymark-cache
