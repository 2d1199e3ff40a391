/// The builds behind `waymark serve`: whole rebuilds into memory that reuse what did not change, and,
/// before each of them, a re-render of just the pages an edit changes so the writer sees it at once.
///
/// An edit to a Markdown file that keeps the page's place in the site (`SiteIndex.samePlace`: its body,
/// title, summary, tags, dates) is rendered by `renderEdited` against the last build: the edited site
/// model, its Markdown rendered again, and every page whose typed input (`PageKind.Input`) now differs
/// from the last build's is rendered and served: the page itself, its category listing, its neighbours,
/// the pages listing it as related, home and landing pages, the route's pages for a guide. An edited
/// landing file (one that exists, whose featured pages do) re-renders the pages that show it. `rebuild` then
/// redoes the site-wide work (related articles, the search index, feeds, sitemaps) and converges on
/// exactly what a clean build writes (the incremental tests hold it to that). Anything that moves a page
/// in the site (its path, translation key, segments, stage, order, duration, draft state, aliases), new
/// or removed files, templates and site.yml go straight to the rebuild.
public final class PreviewSession: @unchecked Sendable {
    public let options: BuildOptions
    public let cache = BuildCache()
    public let output = MemoryOutput()
    /// The stages of the last successful build: its site model, link table, templates, renderings and
    /// related articles are what an edited page is rendered against.
    private var last: SiteBuilder.Stages?
    private let lock = Lock()

    public init(options: BuildOptions) {
        self.options = options
    }

    /// Rebuilds the whole site into memory; returns the summary and the output paths whose bytes changed.
    public func rebuild(progress: (@Sendable (BuildEvent) -> Void)? = nil) -> (summary: BuildSummary, changed: [String]) {
        let (summary, stages) = SiteBuilder.run(options, cache: cache, memory: output, progress: progress)
        if let stages {
            lock.withLock { last = stages }
            return (summary, output.lastChanged)
        }
        return (summary, [])
    }

    /// Renders the pages of edited Markdown files (content-relative paths) against the last build and
    /// serves them at once; returns the output paths that changed, or nil when the edit is not local to
    /// those pages (or has errors) and only a rebuild can show it. Safe to call while `rebuild` runs on
    /// another thread: a rebuild that started before the edit keeps the page this serves (see
    /// `MemoryOutput.patch`), and the rebuild after the edit converges.
    public func renderEdited(_ paths: Set<String>) -> [String]? {
        guard let stages = lock.withLock({ last }), !paths.isEmpty, paths.count <= 16 else { return nil }
        let previous = stages.pages
        let site = previous.site
        let config = site.config
        let loader = ContentLoader(root: options.content)
        var replacements: [Int: Document] = [:]
        var model = site
        for path in paths {
            // Editors' backup, swap and probe files (`.x.md.swp`, `x.md~`, vim's short-lived `4913`) are
            // nothing the build reads.
            if ContentLoader.isIgnored(path.split(separator: "/")) { continue }
            if site.byPath[path] == nil, !site.files.contains(path), !FileSystem.exists(options.content + "/" + path) { continue }
            let parts = path.split(separator: "/")
            if parts.count == 3, parts[1] == "landing" {
                let parsed = loader.parseLanding(path, config: config)
                guard let landing = parsed.landing, parsed.diagnostics.isEmpty, let replaced = model.replacingLanding(landing) else { return nil }
                model = replaced
                continue
            }
            guard let i = site.byPath[path] else { return nil }
            let old = site.documents[i]
            let parsed = loader.parseMarkdown(path, kind: old.kind, config: config)
            guard let d = parsed.document, !parsed.diagnostics.contains(where: { $0.severity == .error }), SiteIndex.samePlace(d, old) else {
                return nil
            }
            replacements[i] = d
        }
        guard !replacements.isEmpty || model.landings != site.landings else { return [] }
        let edited = model.replacingDocuments(replacements)
        // The edited documents and their copies in languages without a translation (rendered as their own pages).
        let changed = replacements.keys.flatMap { [$0] + site.fallbackCopies(of: $0) }.sorted()
        let diagnostics = DiagnosticBag()
        var rendered = previous.rendered
        for i in changed {
            let d = edited.documents[i]
            var aligned: [String] = []
            if d.kind == .guide, d.language != config.defaultLanguage, let original = site.translationsOf(d)[config.defaultLanguage] {
                aligned = previous.rendered[original].tasks.map(\.key)
            }
            let r = stages.markdown.render(MarkdownStage.Input(document: d, alignedKeys: aligned), memo: cache.markdown)
            // Translations align their checklist keys to the default language's: a change there is site-wide.
            if d.kind == .guide, d.language == config.defaultLanguage, r.tasks.map(\.key) != previous.rendered[i].tasks.map(\.key) { return nil }
            if r.diagnostics.contains(where: { $0.severity == .error }) { return nil }
            rendered[i] = r
        }
        // Articles whose input may read an edited document: the documents themselves, their language
        // versions, the articles whose neighbours changed, and those listing one as related.
        var articles = Set(changed)
        let touched = Set(changed)
        for i in changed { articles.formUnion(edited.versionsOf(edited.documents[i]).pages.values) }
        for i in edited.documents.indices where edited.documents[i].kind == .article {
            let (before, after) = (site.neighbours[i], edited.neighbours[i])
            if before?.prev != after?.prev || before?.next != after?.next || [after?.prev, after?.next].contains(where: { $0.map(touched.contains) ?? false }) {
                articles.insert(i)
            }
        }
        for (i, list) in previous.related where list.contains(where: touched.contains) { articles.insert(i) }
        restoreBodies(&rendered, of: articles, in: edited)
        // Compared with the last build's keys, on a copy: the rebuild keeps comparing with what it wrote.
        let sink = CollectingSink(keepsServed: true)
        let pages = PageRenderer(
            site: edited, templates: previous.templates, options: previous.options, rendered: rendered, related: previous.related,
            linkTableKey: stages.markdown.sharedKey, sink: sink, memo: cache.pages.copy(), diagnostics: diagnostics, progress: nil)
        for input in ArticlePage.inputs(pages, articles.filter { edited.documents[$0].kind == .article }.sorted()) { pages.write(ArticlePage.self, input) }
        // Every other kind but redirects (whose aliases the rebuild checks) is few pages: all are compared.
        _ = pages.pageJobs(of: PageKinds.all.filter { $0 != ArticlePage.self && $0 != RedirectPage.self }).concurrentMap { job -> Bool in
            job()
            return true
        }
        // route.json of every route whose view changed (a fallback step shows another language's guide).
        for (route, before) in zip(pages.routeViews, previous.routeViews) where route != before { pages.writeRouteJSON(route) }
        guard !diagnostics.hasErrors else { return nil }
        return output.patch(sink.files)
    }

    /// Renders the given pages (URL paths without the leading `/`, as open in browsers) with the
    /// template folder as it is now, against the last build, and serves them with the new assets at
    /// once; returns the output paths that changed, or nil when the templates have errors (the rebuild
    /// reports them).
    public func renderWithNewTemplates(pages: [String]) -> [String]? {
        let urls = Set(pages)
        guard let stages = lock.withLock({ last }) else { return nil }
        let (loaded, problems) = TemplateSet.load(from: options.templates)
        guard let templates = loaded, !problems.contains(where: { $0.severity == .error }) else { return nil }
        let previous = stages.pages
        var rendered = previous.rendered
        let site = previous.site
        restoreBodies(&rendered, of: site.documents.indices.filter { urls.contains(site.documents[$0].urlPath) }, in: site)
        let sink = CollectingSink()
        let renderer = PageRenderer(
            site: previous.site, templates: templates, options: previous.options, rendered: rendered, related: previous.related, linkTableKey: 0,
            sink: sink, memo: nil, diagnostics: DiagnosticBag(), progress: nil)
        for job in renderer.pageJobs(at: urls) { job() }
        for asset in templates.assetFiles { try? sink.write(asset.path, asset.bytes) }
        return output.patch(sink.files)
    }

    /// The bodies of some articles back in `rendered`: the last build dropped them once written, and the
    /// Markdown stage's memo still has them.
    private func restoreBodies(_ rendered: inout [RenderedDocument], of indices: some Sequence<Int>, in site: SiteIndex) {
        for i in indices where site.documents[i].kind == .article && rendered[i].html.isEmpty {
            if let kept = cache.markdown.value(site.documents[i].sourcePath, key: rendered[i].key) { rendered[i].html = kept.html }
        }
    }
}
