import Foundation

/// Entry points for the libFuzzer targets in `Fuzz/` (run with `make fuzz`) and for the regression test
/// that replays every input the fuzzers ever found crashing (`Tests/Fixtures/fuzz-regressions/`).
/// They run the real pipeline code on arbitrary bytes; any crash, hang or sanitizer report is a bug.
public enum FuzzTargets {
    /// The targets by the name `make fuzz` uses for their corpus and crasher folders.
    public static let all: [String: @Sendable ([UInt8]) -> Void] = [
        "document": document, "query": query, "site-config": siteConfig, "linear-time": { linearTime($0) }, "image": image,
        "events": events,
    ]

    static let resolver = LinkResolver(
        pages: ["en/articles/a/b.md": "en/articles/a/b/", "en/articles/a/c d.md": "en/articles/a/c-d/"],
        drafts: ["en/articles/a/draft.md"], files: ["en/assets/x.png"], basePath: "/help/",
        assets: [
            "en/assets/x.png": PublishedAsset(
                path: "en/assets/x.0123456789.png",
                image: PublishedImage(width: 640, height: 480, variants: [.init(width: 320, path: "en/assets/x-320w.0123456789.png")]))
        ])

    /// An image file's bytes (contributors upload them): its size read as every format, SVG's active
    /// content scan included; then published as each raster format with `images.widths` set, which plans
    /// its copies (sizes, the pixel limit, names, reuse) with a stand-in for libvips.
    public static func image(_ bytes: [UInt8]) {
        for format in ImageInfo.Format.allCases { _ = ImageHeader.read(bytes, as: format) }
        for name in ["x.png", "x.jpg", "x.webp", "x.gif"] { _ = imageStage.publish(bytes, ContentAsset(path: "en/assets/" + name, stamp: 0)) }
    }

    static let imageStage: AssetStage = {
        let site = SourceFile(path: "site.yml", text: "languages: [{code: en, name: English}]\nimages: { widths: [16, 480, 8192] }\n")
        guard let config = SiteConfig.parse(site).0 else { fatalError("the image target's site.yml does not parse") }
        return AssetStage(config: config, contentRoot: "/nonexistent", previousOutput: nil) { .success(StandInCopier()) }
    }()

    /// Makes a "copy" from the first bytes of the image, and fails for some inputs as damaged data would:
    /// libvips' own decoders are not what this target tests.
    struct StandInCopier: ImageCopier {
        func resize(_ bytes: [UInt8], to width: Int, format: ImageInfo.Format) -> Result<[UInt8], ImageHeaderError> {
            bytes.count % 3 == 0 ? .failure(ImageHeaderError(description: "damaged")) : .success(Array(bytes.prefix(width)))
        }
    }

    /// One Markdown file's bytes: UTF-8 validation, front matter split and typing (by both readers, which
    /// must agree), Markdown rendering
    /// with checklists, heading ids and link rewriting.
    public static func document(_ bytes: [UInt8]) {
        guard case .success(let source) = SourceFile.decode(path: "en/articles/a/x.md", bytes: bytes) else { return }
        var body = Substring(source.text)
        var offset = 0
        if case .found(let yaml, let b, let o) = FrontMatter.split(source.text) {
            // Differential: the plain-line scanner must read whatever it accepts exactly as Yams does.
            let (fast, fastDiagnostics) = FrontMatter.parse(yaml: yaml, file: source.path, kind: .guide)
            let (yams, yamsDiagnostics) = FrontMatter.parseWithYams(yaml: yaml, file: source.path, kind: .guide)
            precondition(fast == yams && fastDiagnostics == yamsDiagnostics, "front matter read differently without Yams: \(fast) \(yams)")
            body = b
            offset = o
        }
        let input = MarkdownInput(text: String(body), lineOffset: offset, tasks: .checklist(scope: "guides/x", alignedKeys: ["a", "b"]))
        let out = Markdown.render(input) { resolver.resolve($0, from: source.path).target }
        _ = out.tableOfContents
    }

    /// Generated nesting: the input's first 64 bytes are split in half, an opening and a closing part
    /// (`![a` and `](u)`, `*a ` and ` b*`), and the document `open×k + "x" + close×k` is rendered at k and 4k, as is bare
    /// cmark-gfm on the same text. Rendering may not grow faster than about twice linear (8× for 4× the
    /// input) unless cmark-gfm's own time grows as fast: any stage of ours that rescans nested structure
    /// fails here with the shape that shows it. Returns the growth of both (for the regression tests).
    ///
    /// Growth is judged by the CPU time of the rendering thread (`threadCPUSeconds`), which time spent
    /// waiting for a core does not move: with four builds on two cores, wall-clock time made the 4k
    /// document look 8× slower now and then with nothing superlinear. Instruction counters would be
    /// better still, but neither this container nor CI's virtual machines expose them (`perf stat -e
    /// instructions` says "not supported", and valgrind 3.19 cannot load Swift 6 binaries). A suspected
    /// finding is measured again, interleaved, before it is reported.
    @discardableResult
    public static func linearTime(_ bytes: [UInt8], units: Int = 1000) -> (waymark: Double, cmark: Double) {
        let seed = Array(bytes.prefix(64))
        guard seed.count >= 2 else { return (1, 1) }
        let open = seed[..<(seed.count / 2)]
        let close = seed[(seed.count / 2)...]
        func document(_ k: Int) -> String {
            var out: [UInt8] = []
            out.reserveCapacity(k * seed.count + 1)
            for _ in 0..<k { out += open }
            out.append(UInt8(ascii: "x"))
            for _ in 0..<k { out += close }
            return String(decoding: out, as: UTF8.self)
        }
        func waymark(_ text: String) -> () -> Void {
            {
                let input = MarkdownInput(text: text, tasks: .checklist(scope: "guides/x", alignedKeys: []))
                _ = Markdown.render(input) { resolver.resolve($0, from: "en/articles/a/x.md").target }.tableOfContents
            }
        }
        let small = document(units)
        let large = document(4 * units)
        // Below a few milliseconds of CPU the ratio is noise.
        let floor = 0.003
        func growth(rounds: Int) -> (waymark: Double, cmark: Double) {
            // The fastest of `rounds` runs of each, small and large interleaved.
            var best = [Double](repeating: .infinity, count: 4)
            let runs = [waymark(small), waymark(large), { CMark.bare(small) }, { CMark.bare(large) }]
            for _ in 0..<rounds {
                for (i, run) in runs.enumerated() { best[i] = min(best[i], threadCPUSeconds(run)) }
            }
            return (max(best[1], floor) / max(best[0], floor), max(best[3], floor) / max(best[2], floor))
        }
        func superlinear(_ g: (waymark: Double, cmark: Double)) -> Bool { g.waymark > 8 && g.waymark > 2 * g.cmark }
        var measured = growth(rounds: 3)
        if superlinear(measured) { measured = growth(rounds: 7) }
        if superlinear(measured) {
            fatalError(
                "superlinear rendering: 4x the input took \(measured.waymark)x the CPU time (cmark-gfm alone: \(measured.cmark)x) for the unit \(Array(seed))")
        }
        return measured
    }

    /// CPU time `body` took on the calling thread: not moved by other processes holding the cores.
    static func threadCPUSeconds(_ body: () -> Void) -> Double {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }

    /// An event log (plain or gzip) read against a small route: line splitting, the JSON line reader,
    /// schema checks, times, and the figures.
    public static func events(_ bytes: [UInt8]) {
        let item = OnboardingOutline.Item(id: "guides/s/01-a#x", text: "x")
        let outline = OnboardingOutline(
            routes: [
                .init(
                    segment: "s", segmentTitle: "S", language: "en", rightToLeft: false,
                    stages: [.init(id: "welcome", title: "Welcome"), .init(id: "first-value", title: "First value")],
                    steps: [.init(key: "guides/s/01-a", title: "A", stage: 0, items: [item]), .init(key: "guides/s/02-b", title: "B", stage: 1, items: [])],
                    firstValueStage: 1)
            ], pageTitles: ["/en/x/": "X"])
        let counter = EventCounter(outline)
        counter.read(bytes: bytes)
        _ = HealthReport.json(counter.figures()).encoded()
    }

    /// site.yml bytes.
    public static func siteConfig(_ bytes: [UInt8]) {
        guard case .success(let source) = SourceFile.decode(path: "site.yml", bytes: bytes) else { return }
        _ = SiteConfig.parse(source)
    }

    // libFuzzer calls targets on one thread.
    nonisolated(unsafe) private static let engine: SearchEngine? = {
        let folder = NSTemporaryDirectory() + "waymark-fuzz-index-\(getpid())"
        let content = folder + "/content"
        let files = [
            "site.yml":
                "languages: [{code: en, name: English}, {code: fa, name: فارسی}, {code: vi, name: Tiếng Việt}, {code: ru, name: Русский}]\nsegments: [{id: s}]\nsynonyms: {en: [[signup, registration, activation rate], [first value, ttv]]}\n",
            "en/articles/a/one.md": "---\ntitle: Customer onboarding\n---\n\n## Activation rate\n\nCustomers sign up and reach their first value quickly.\n",
            "fa/articles/a/one.md": "---\ntitle: راهنما\n---\n\nاین کار انجام می‌شود و مشتری‌ها راضی هستند.\n",
            "vi/articles/a/one.md": "---\ntitle: Chỉ số\n---\n\nChỉ số đo lường tỷ lệ kích hoạt.\n",
            "ru/articles/a/one.md": "---\ntitle: Отток клиентов\n---\n\nМы считаем клиентов каждый месяц.\n",
        ]
        for (path, text) in files {
            try? FileSystem.createDirectory(((content + "/" + path) as NSString).deletingLastPathComponent)
            try? FileSystem.write(text, to: content + "/" + path)
        }
        let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates").path
        _ = SiteBuilder.build(BuildOptions(content: content, templates: templates, output: folder + "/site"))
        return try? SearchEngine(site: folder + "/site", language: "en")
    }()

    /// A search query (analysis, quotes, shard lookup, expansions, synonyms and phrase synonyms, ranking,
    /// suggestions) against a small built index.
    public static func query(_ bytes: [UInt8]) {
        guard let engine else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? engine.search(SearchQuery(text, limit: 5))
        _ = try? engine.search(SearchQuery(text, segment: "s", kind: "article", limit: 5, prefix: false))
        _ = try? engine.suggest(SearchQuery(text, segment: "s"))
    }
}
