import Foundation

/// What rendering one document's Markdown produced, kept for the later phases.
struct RenderedDocument: Sendable {
    var document: Int
    var headingIDs: Set<String>
    var anchorChecks: [LinkResolver.AnchorCheck]
    var sections: [TextSection]
    var tasks: [TaskItem]
    var toc: [TOCEntry]
    var wordCount: Int
    var linkTargets: [String]
    /// Body HTML, kept only for guides (their pages are rendered once every route is known).
    var html: String?
    /// Problems found while rendering, reported again when the result comes from the cache.
    var diagnostics: [Diagnostic] = []
    /// The cache key of this rendering (0 without a cache): it changes whenever the HTML may.
    var key: UInt64 = 0
}

/// Renders every page of a site into an output sink.
final class PageRenderer: @unchecked Sendable {
    let site: SiteIndex
    let templates: TemplateSet
    let options: BuildOptions
    let sink: OutputSink
    let cache: BuildCache?
    let diagnostics: DiagnosticBag
    let progress: (@Sendable (BuildEvent) -> Void)?
    let factory: PageContextFactory
    let links: LinkResolver
    /// Set in phase 2/3; read-only afterwards (a preview re-render starts from the previous build's).
    var rendered: [Int: RenderedDocument] = [:]
    /// Each article's related articles (document indices), set once the text analysis is done.
    var related: [Int: [Int]] = [:]
    private let pagesWritten = Lock()
    private var pageCount = 0
    private var sitemap: [SitemapEntry] = []
    /// Sitemap entries of every indexable page written so far.
    var sitemapEntries: [SitemapEntry] { pagesWritten.withLock { sitemap } }

    /// Identifies everything links resolve against, part of every cached Markdown rendering's key.
    let linkTableHash: UInt64
    private var rendersDone = 0
    private var reuses = 0
    /// Per language, a hash of every search document's analysis key (set by `analyze` with a cache).
    private var searchKeys: [String: UInt64] = [:]
    /// With a cache: the site-wide inputs of article and article-listing pages — site.yml, templates and
    /// strings, options, and every page's path and front matter (which give neighbours, related and
    /// listed cards, translations and categories). See `unchangedSince`.
    let siteKey: UInt64

    init(
        site: SiteIndex, templates: TemplateSet, options: BuildOptions, sink: OutputSink, cache: BuildCache?, diagnostics: DiagnosticBag,
        progress: (@Sendable (BuildEvent) -> Void)?
    ) {
        self.site = site
        self.templates = templates
        self.options = options
        self.sink = sink
        self.cache = cache
        self.diagnostics = diagnostics
        self.progress = progress
        factory = PageContextFactory(site: site, templates: templates, options: options)
        var pages: [String: String] = [:]
        for d in site.documents { pages[d.sourcePath] = d.urlPath }
        links = LinkResolver(pages: pages, drafts: site.drafts, files: site.files, basePath: factory.basePath)
        var h = ContextHasher()
        var s = ContextHasher()
        if cache != nil {
            for key in pages.keys.sorted() {
                h.add(key)
                h.add(pages[key]!)
            }
            for d in site.drafts.sorted() { h.add(d) }
            for f in site.files.sorted() { h.add(f) }
            h.add(factory.basePath)
            h.add(site.config.unsafeHTML ? "raw" : "safe")

            s.add([h.value, templates.fingerprint, site.configFingerprint])
            s.add(factory.absolute(""))
            for d in site.documents {
                s.add(d.sourcePath)
                s.add(d.urlPath)
                s.add(d.translationKey)
                // Front matter's own Hashable: the cache lives in one process, so per-process seeds are fine.
                s.add([UInt64(bitPattern: Int64(d.frontMatter.hashValue))])
            }
        }
        linkTableHash = h.value
        siteKey = s.value
    }

    /// Renders and writes everything; returns the number of HTML pages.
    func renderAll() -> Int {
        let config = site.config
        let documents = site.documents
        let total = documents.count
        progress?(.phase("rendering \(total) pages"))

        // Phase 2: default-language guides, whose checklist keys translations align to.
        let defaultGuides = documents.indices.filter { documents[$0].kind == .guide && documents[$0].language == config.defaultLanguage }
        for r in defaultGuides.concurrentMap({ self.renderMarkdown($0, alignedKeys: []) }) { rendered[r.document] = r }
        let keysByTranslation = Dictionary(defaultGuides.map { (documents[$0].translationKey, rendered[$0]!.tasks.map(\.key)) }) { a, _ in a }

        // Phase 3: everything else.
        let rest = documents.indices.filter { !(documents[$0].kind == .guide && documents[$0].language == config.defaultLanguage) }
        let done = Counter()
        let progress = self.progress
        let results = rest.concurrentMap { i -> RenderedDocument in
            let d = documents[i]
            let r = self.renderMarkdown(i, alignedKeys: d.kind == .guide ? keysByTranslation[d.translationKey] ?? [] : [])
            let n = done.increment()
            if n % 500 == 0 { progress?(.pages(done: n, total: total)) }
            return r
        }
        for r in results { rendered[r.document] = r }
        checkChecklistKeys(keysByTranslation)

        // The text analysis serves both the search index and each article's related articles.
        progress?(.phase("analysing text"))
        var search = searchDocuments()
        let analyzed = analyze(search)
        // The analysis holds what search and related pages need; the page text can go.
        for i in search.indices { search[i].document.sections = [] }
        for i in rendered.keys { rendered[i]?.sections = [] }
        let corpora = SearchIndexBuilder.corpora(search.map(\.document), analyzed, languages: config.languages.map(\.code))
        related = relatedPages(corpora, pages: corpora.map { $0.sources.map { search[$0].index } })
        let related = self.related

        progress?(.phase("article pages"))
        let articles = documents.indices.filter { documents[$0].kind == .article }
        _ = articles.concurrentMap { i -> Int in
            self.writeArticle(documents[i], index: i, rendered: self.rendered[i]!, html: self.rendered[i]!.html ?? "", related: related[i] ?? [])
            return i
        }
        for i in articles { rendered[i]?.html = nil }

        // Phase 4: pages that need the whole site.
        progress?(.phase("routes, landing pages and listings"))
        var extraURLs: [(String, String)] = []
        var jobs: [@Sendable () -> Void] = site.routes.map { route in { self.writeRoute(route) } }
        for language in config.languages.map(\.code) {
            jobs.append { self.writeHome(language) }
            jobs.append { self.writeArticleIndex(language) }
            for category in site.categories[language] ?? [] { jobs.append { self.writeCategory(language, category) } }
            for segment in config.segments { jobs.append { self.writeLanding(language, segment.id) } }
            jobs.append {
                self.writeSearchPage(language)
                self.writeNotFound(language)
                self.writeFeed(language)
            }
            extraURLs.append(("\(language)/search/", "site.yml"))
        }
        jobs.append { self.writeLanguageChooser() }
        jobs.append { self.writeNotFound(nil) }
        _ = jobs.concurrentMap { job -> Bool in
            job()
            return true
        }
        site.checkUniqueURLs(extra: extraURLs, diagnostics: diagnostics)
        checkAnchors()
        progress?(.phase("search index"))
        writeSearchIndex(corpora)
        progress?(.phase("sitemaps and assets"))
        writeSitemapAndRobots()
        writeAssets()
        writeAssetManifest()
        progress?(.pages(done: total, total: total))
        return pagesWritten.withLock {
            cache?.count(rendered: rendersDone, reused: reuses)
            return pageCount
        }
    }

    /// Markdown of one document to HTML, resolving its links.
    func renderMarkdown(_ index: Int, alignedKeys: [String]) -> RenderedDocument {
        let d = site.documents[index]
        var key: UInt64 = 0
        if let cache {
            var h = ContextHasher()
            h.add(any: [d.body, d.kind.rawValue, d.translationKey, String(d.bodyLineOffset), d.sourcePath] + alignedKeys)
            h.add(String(linkTableHash))
            key = h.value
            if var cached = cache.rendered(d.sourcePath, key: key) {
                cached.document = index
                diagnostics.report(contentsOf: cached.diagnostics)
                return cached
            }
        }
        var result = renderMarkdownUncached(index, alignedKeys: alignedKeys)
        result.diagnostics.sort()
        result.key = key
        diagnostics.report(contentsOf: result.diagnostics)
        cache?.storeRendered(d.sourcePath, key: key, result)
        return result
    }

    private func renderMarkdownUncached(_ index: Int, alignedKeys: [String]) -> RenderedDocument {
        let d = site.documents[index]
        let tasks: TaskRendering = d.kind == .guide ? .checklist(scope: d.translationKey, alignedKeys: alignedKeys) : .static
        let input = MarkdownInput(text: d.body, lineOffset: d.bodyLineOffset, allowRawHTML: site.config.unsafeHTML, tasks: tasks)
        var anchorChecks: [LinkResolver.AnchorCheck] = []
        var linkDiagnostics: [Diagnostic] = []
        var targets: [String] = []
        let out = Markdown.render(input) { link in
            let resolution = self.links.resolve(link, from: d.sourcePath)
            linkDiagnostics += resolution.diagnostics
            if let check = resolution.anchorCheck { anchorChecks.append(check) }
            if let t = resolution.targetPage { targets.append(t) }
            return resolution.url
        }
        var problems =
            linkDiagnostics
            + out.diagnostics.map {
                var x = $0
                x.file = d.sourcePath
                return x
            }
        for link in out.links where link.isImage && link.text.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(
                .warning(
                    "missing-alt-text", "image has no alt text; describe it for readers who cannot see it: ![what it shows](\(link.destination))",
                    file: d.sourcePath, at: link.location))
        }
        return RenderedDocument(
            document: index, headingIDs: Set(out.headings.map(\.id)), anchorChecks: anchorChecks, sections: out.sections,
            tasks: out.tasks, toc: out.tableOfContents, wordCount: out.wordCount, linkTargets: targets, html: out.html,
            diagnostics: problems)
    }

    /// Explicit checklist keys in a translation that the default-language guide does not have: progress
    /// ticked in one language would not show in the other.
    func checkChecklistKeys(_ defaults: [String: [String]]) {
        for (i, d) in site.documents.enumerated() where d.kind == .guide && d.language != site.config.defaultLanguage {
            guard let keys = defaults[d.translationKey], let tasks = rendered[i]?.tasks else { continue }
            for task in tasks where task.explicitKey && !keys.contains(task.key) {
                diagnostics.report(
                    .warning(
                        "checklist-key-mismatch",
                        "checklist key '\(task.key)' is not in the \(site.config.defaultLanguage) version of this guide (\(keys.joined(separator: ", "))); progress will not carry across languages",
                        file: d.sourcePath, at: task.location))
            }
        }
    }

    /// Links to `page#anchor` whose anchor is not a heading (or footnote) of that page.
    func checkAnchors() {
        for (_, r) in rendered.sorted(by: { $0.key < $1.key }) {
            for check in r.anchorChecks {
                guard let target = site.byPath[check.targetPath], let ids = rendered[target]?.headingIDs else { continue }
                if check.anchor.isEmpty || ids.contains(check.anchor) || check.anchor.hasPrefix("fn-") || check.anchor.hasPrefix("fnref-") { continue }
                if check.anchor.nfc != check.anchor, ids.contains(check.anchor.nfc) { continue }
                var message = "broken anchor: '#\(check.anchor)' is not a heading of \(check.targetPath)"
                if let s = closestMatch(to: check.anchor, among: ids.sorted()) { message += "; did you mean '#\(s)'?" }
                diagnostics.report(.error("broken-anchor", message, file: check.file, at: check.location))
            }
        }
    }

    /// Renders `template` for the page and writes it to `<urlPath>index.html`, noting it for the sitemap.
    /// With a cache and `reusable`, a page whose complete context hashes as in the previous build is not
    /// rendered again (article and article-listing pages decide that earlier, from their inputs:
    /// `unchangedSince`).
    func writePage(_ meta: PageMeta, language: String, template: String, extra: [String: Any] = [:], reusable: Bool = true) {
        let context = factory.context(language: language, page: meta, extra: extra)
        let path = meta.urlPath + "index.html"
        if let cache, reusable {
            var h = ContextHasher()
            h.add(template)
            h.add(String(templates.fingerprint))
            h.add(any: context)
            if cache.pageUnchanged(path, signature: h.value) && sink.reuse(path) {
                record(meta, language: language, reused: true)
                return
            }
        }
        write(path, templates.renderBytes(template, context))
        record(meta, language: language, reused: false)
    }

    /// Counts a page and adds it to the sitemap unless it is noindex or a copy.
    func record(_ meta: PageMeta, language: String, reused: Bool) {
        let entry: SitemapEntry? =
            meta.noindex || meta.canonicalPath != nil
            ? nil
            : SitemapEntry(
                language: language, urlPath: meta.urlPath,
                alternates: meta.translations.filter { !meta.copies.contains($0.key) }, xDefault: factory.xDefaultPath(meta),
                lastModified: meta.lastModified)
        pagesWritten.withLock {
            pageCount += 1
            if reused { reuses += 1 } else { rendersDone += 1 }
            if let entry { sitemap.append(entry) }
        }
    }

    func write(_ path: String, _ text: String) {
        write(path, Array(text.utf8))
    }

    func write(_ path: String, _ bytes: [UInt8]) {
        do {
            try sink.write(path, bytes)
        } catch {
            diagnostics.report(Diagnostic(.error, "output-failed", "\(error)", root: .output))
        }
    }

    /// What the search index (and related-article ranking) sees of each published page.
    func searchDocuments() -> [(index: Int, document: SearchDocument)] {
        let config = site.config
        var out: [(Int, SearchDocument)] = []
        for (i, d) in site.documents.enumerated() {
            guard let r = rendered[i], !d.frontMatter.draft else { continue }
            var context = PageContextFactory.categoryTitle(d.group, config: config, language: d.language)
            var segments = d.frontMatter.segments ?? []
            if d.kind == .guide, let stage = d.frontMatter.stage.flatMap(config.stage), let segment = config.segment(d.group) {
                context = config.text(stage.title, d.language) + " · " + config.text(segment.title, d.language)
                segments = [segment.id]
            }
            out.append(
                (
                    i,
                    SearchDocument(
                        language: d.language, urlPath: d.urlPath, title: d.title, summary: d.frontMatter.summary,
                        tags: d.frontMatter.tags, kind: d.kind, context: context, segments: segments,
                        stage: d.kind == .guide ? d.frontMatter.stage : nil, sections: r.sections,
                        order: "\(d.kind.rawValue)/\(d.group)/\(d.sourcePath)")
                ))
        }
        return out
    }

    /// Analysis of every search document, reusing the cached analysis of pages whose text did not change.
    func analyze(_ search: [(index: Int, document: SearchDocument)]) -> [SearchIndexBuilder.Analyzed] {
        let documents = search.map(\.document)
        guard let cache else { return SearchIndexBuilder.analyze(documents) }
        // The page text comes from the Markdown rendering, whose key stands for it: no need to hash the text.
        let keys = search.map { index, d -> UInt64 in
            var h = ContextHasher()
            h.add(any: [d.language, d.urlPath, d.title, d.summary ?? "", d.tags, d.kind.rawValue, d.context, d.segments, d.stage ?? "", d.order] as [Any])
            h.add([rendered[index]?.key ?? 0])
            return h.value
        }
        var result = documents.indices.map { cache.analysis(documents[$0].urlPath, key: keys[$0]) }
        let missing = result.indices.filter { result[$0] == nil }
        let fresh = SearchIndexBuilder.analyze(missing.map { documents[$0] })
        for (i, a) in zip(missing, fresh) {
            result[i] = a
            cache.storeAnalysis(documents[i].urlPath, key: keys[i], a)
        }
        searchKeys = Dictionary(grouping: documents.indices, by: { documents[$0].language }).mapValues { indices in
            var h = ContextHasher()
            for i in indices { h.add(String(keys[i])) }
            return h.value
        }
        return result.map { $0! }
    }

    /// Related articles of every language, reusing a language's previous result when its indexed text and
    /// page numbering did not change.
    func relatedPages(_ corpora: [LanguageCorpus], pages: [[Int]]) -> [Int: [Int]] {
        guard let cache else { return RelatedPages.compute(corpora, pages: pages) }
        var out: [Int: [Int]] = [:]
        var stale: [Int] = []
        var keys: [UInt64] = []
        for (i, corpus) in corpora.enumerated() {
            var h = ContextHasher()
            h.add([searchKeys[corpus.language] ?? 0] + pages[i].map { UInt64($0) })
            keys.append(h.value)
            if let cached = cache.related(corpus.language, key: h.value) { out.merge(cached) { a, _ in a } } else { stale.append(i) }
        }
        let fresh = RelatedPages.compute(stale.map { corpora[$0] }, pages: stale.map { pages[$0] })
        for i in stale {
            let part = Dictionary(uniqueKeysWithValues: pages[i].compactMap { page in fresh[page].map { (page, $0) } })
            cache.storeRelated(corpora[i].language, key: keys[i], part)
            out.merge(part) { a, _ in a }
        }
        return out
    }

    /// With a cache, whether a page would come out as the previous build wrote it, decided from its inputs
    /// (`siteKey` plus the page's own `inputs`) without building its template context; the page's previous
    /// bytes are then reused. Pages checked this way are written with `reusable: false`.
    func unchangedSince(_ meta: PageMeta, language: String, inputs: [UInt64]) -> Bool {
        guard let cache else { return false }
        var h = ContextHasher()
        h.add([siteKey] + inputs)
        let path = meta.urlPath + "index.html"
        guard cache.pageUnchanged(path, signature: h.value), sink.reuse(path) else { return false }
        record(meta, language: language, reused: true)
        return true
    }

    func writeSearchIndex(_ corpora: [LanguageCorpus]) {
        let config = site.config
        var builder = SearchIndexBuilder(
            segments: config.segments.map(\.id), stages: config.stages.map(\.id), synonyms: config.synonyms, basePath: factory.basePath)
        builder.strings = factory.strings.mapValues { t in PageContextFactory.searchStringKeys.map { ($0, t[$0]) } + [("digits", String(t.digits))] }
        let encoder = builder
        var files: [(String, [UInt8])] = []
        var stale: [String] = []
        var keys: [String: UInt64] = [:]
        // With a cache, a language whose indexed text did not change keeps its index.
        for language in config.languages.map(\.code) {
            guard let cache else {
                stale.append(language)
                continue
            }
            var h = ContextHasher()
            h.add(any: [config.segments.map(\.id), config.stages.map(\.id), config.synonyms[language] ?? [], factory.basePath] as [Any])
            h.add(String(searchKeys[language] ?? 0))
            // meta.json carries the search interface strings.
            h.add(String(templates.fingerprint))
            keys[language] = h.value
            if let cached = cache.searchIndex(language, key: h.value) { files += cached } else { stale.append(language) }
        }
        if !stale.isEmpty {
            let built = corpora.filter { stale.contains($0.language) }.concurrentMap { encoder.encode($0) }.flatMap { $0 }
            files += built
            for language in stale {
                if let key = keys[language] { cache?.storeSearchIndex(language, key: key, built.filter { $0.0.hasPrefix("search/\(language)/") }) }
            }
        }
        for (path, bytes) in files { write(path, bytes) }
    }

    func writeAssets() {
        for asset in templates.assetFiles { write(asset.path, asset.bytes) }
        for path in site.assets {
            do {
                write(path, try FileSystem.readBytes(options.content + "/" + path))
            } catch {
                diagnostics.report(.error("unreadable-file", "\(error)", file: path))
            }
        }
    }
}

/// A thread-safe counter for progress reports.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = Lock()
    func increment() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
