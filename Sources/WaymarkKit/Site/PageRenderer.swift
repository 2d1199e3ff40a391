import Foundation

/// The pages stage: every page of the site through its template, written to an output sink.
///
/// It reads the site model, the Markdown stage's renderings and the related articles; it renders
/// nothing but templates. With a memo from the previous build, a page whose inputs are unchanged keeps
/// its previous bytes (see `writePage` and `unchangedSince`).
final class PageRenderer: @unchecked Sendable {
    let site: SiteIndex
    let templates: TemplateSet
    let options: BuildOptions
    let sink: OutputSink
    let memo: StageMemo<Void>?
    let diagnostics: DiagnosticBag
    let progress: (@Sendable (BuildEvent) -> Void)?
    let factory: PageContextFactory
    /// The Markdown stage's output, parallel to `site.documents`.
    var rendered: [RenderedDocument]
    /// Each article's related articles (site document indices).
    var related: [Int: [Int]]
    /// The aliases' redirects, once `writeAliases` has checked them against the rest of the output.
    var acceptedAliases: [Redirect] = []
    /// Each document's card, parallel to `site.documents`: computed once, read by every listing.
    let cards: [ArticleCard]
    /// Each route as its pages show it, parallel to `site.routes`.
    let routeViews: [RouteView]
    private let pagesWritten = Lock()
    private var pageCount = 0
    private var sitemap: [SitemapEntry] = []
    /// URL path of every page written, and whether it is a copy or redirect (it has a canonical elsewhere).
    private var published: [String: Bool] = [:]
    private var rendersDone = 0
    private var reuses = 0
    /// What every page reads besides its kind's input; `siteKey` is its hash.
    struct SiteSettings: Hashable {
        /// The Markdown stage's shared key: the table of published pages and the options.
        var linkTable: UInt64
        var templates: UInt64
        var config: UInt64
        var liveReload: Bool
        var baseURL: String
        /// Per language: its code, then its categories' ids (the header lists them).
        var categories: [[String]]
    }

    /// With a memo: the site-wide inputs every page reads — site.yml, templates and strings, options, the
    /// table of published pages, and the categories each language has (the header lists them). Each page
    /// adds its kind's `Input` (see `PageKind`).
    let siteKey: UInt64

    init(
        site: SiteIndex, templates: TemplateSet, options: BuildOptions, rendered: [RenderedDocument], related: [Int: [Int]], linkTableKey: UInt64,
        sink: OutputSink, memo: StageMemo<Void>?, diagnostics: DiagnosticBag, progress: (@Sendable (BuildEvent) -> Void)?
    ) {
        self.site = site
        self.templates = templates
        self.options = options
        self.rendered = rendered
        self.related = related
        self.sink = sink
        self.memo = memo
        self.diagnostics = diagnostics
        self.progress = progress
        factory = PageContextFactory(config: site.config, categories: site.categories, templates: templates, options: options)
        cards = site.documents.map { ArticleCard(title: $0.title, urlPath: $0.urlPath, summary: $0.frontMatter.summary, updated: $0.frontMatter.updated) }
        siteKey =
            memo == nil
            ? 0
            : StageKey.of(
                SiteSettings(
                    linkTable: linkTableKey, templates: templates.fingerprint, config: site.configFingerprint, liveReload: options.liveReload,
                    baseURL: factory.absolute(""),
                    categories: site.config.languages.map { l in [l.code] + (site.categories[l.code] ?? []).map(\.id) }))
        routeViews = site.routes.map { RouteView($0, site: site, rendered: rendered) }
    }

    /// Writes every page, the feeds, sitemaps and assets, but not the aliases' redirect pages and the
    /// redirect maps (`writeAliases`, once everything else is written).
    func run() {
        progress?(.phase("article pages"))
        _ = pageJobs(of: [ArticlePage.self]).concurrentMap { job -> Bool in
            job()
            return true
        }
        // Article bodies are written; only guides' are read again (by step and whole-route pages).
        for i in rendered.indices where site.documents[i].kind == .article { rendered[i].html = "" }

        progress?(.phase("routes, landing pages and listings"))
        var files: [@Sendable () -> Void] = routeViews.map { route in { self.writeRouteJSON(route) } }
        files += site.config.languages.map { language in { self.writeFeed(language.code) } }
        let rest = pageJobs(of: PageKinds.all.filter { $0 != ArticlePage.self })
        _ = (rest + files).concurrentMap { job -> Bool in
            job()
            return true
        }
        progress?(.phase("sitemaps and assets"))
        writeSitemapAndRobots()
        writeAssets()
        writeAssetManifest()
    }

    /// HTML pages written so far.
    var pagesDone: Int { pagesWritten.withLock { pageCount } }

    /// Pages rendered and pages whose previous bytes were reused, so far.
    var counts: (rendered: Int, reused: Int) { pagesWritten.withLock { (rendersDone, reuses) } }

    /// Every page's URL path so far, with whether it only copies or redirects to another.
    var publishedURLs: [String: Bool] { pagesWritten.withLock { published } }

    /// Sitemap entries of every indexable page written so far.
    var sitemapEntries: [SitemapEntry] { pagesWritten.withLock { sitemap } }

    /// URL paths the pages stage publishes besides documents, with the file they come from, for the
    /// check that no two pages share a URL (aliases have their own check, `writeAliases`).
    var extraURLs: [(String, String)] {
        site.config.languages.map { ("\($0.code)/search/", "site.yml") }
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
            published[meta.urlPath] = meta.canonicalPath != nil
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

    /// The template folder's stylesheet, script and icons (content files are the assets stage's).
    func writeAssets() {
        for asset in templates.assetFiles { write(asset.path, asset.bytes) }
    }
}
