/// The builds behind `waymark serve`: whole rebuilds into memory that reuse what did not change, and,
/// before each of them, a re-render of just the edited pages so the writer sees an edit at once.
///
/// A body edit changes one page right away, but also the search index, related articles and (for
/// guides) route progress elsewhere. `renderEdited` renders the edited page from the last build's site
/// model and swaps it into the served site; `rebuild` then redoes the site-wide work and converges on
/// exactly what a clean build writes (the incremental tests hold it to that). A title edit shows on its
/// own page first and on listings and cards with the rebuild. Anything that moves a page in the site
/// (its path, translation key, segments, stage, order, duration, draft state), new or removed files,
/// templates and site.yml go straight to the rebuild.
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
        for path in paths {
            // Editors' backup, swap and probe files (`.x.md.swp`, `x.md~`, vim's short-lived `4913`) are
            // nothing the build reads.
            if ContentLoader.isIgnored(path.split(separator: "/")) { continue }
            if site.byPath[path] == nil, !site.files.contains(path), !FileSystem.exists(options.content + "/" + path) { continue }
            guard let i = site.byPath[path] else { return nil }
            let old = site.documents[i]
            let parsed = loader.parseMarkdown(path, kind: old.kind, config: config)
            guard let d = parsed.document, !parsed.diagnostics.contains(where: { $0.severity == .error }), SiteIndex.samePlace(d, old) else {
                return nil
            }
            replacements[i] = d
        }
        guard !replacements.isEmpty else { return [] }
        let edited = site.replacingDocuments(replacements)
        let sink = CollectingSink()
        let diagnostics = DiagnosticBag()
        var rendered = previous.rendered
        let indices = replacements.keys.sorted()
        for i in indices {
            let d = edited.documents[i]
            var aligned: [String] = []
            if d.kind == .guide, d.language != config.defaultLanguage, let original = site.translationsOf(d)[config.defaultLanguage] {
                aligned = previous.rendered[original].tasks.map(\.key)
            }
            let r = stages.markdown.render(MarkdownStage.Input(document: d, alignedKeys: aligned))
            // Translations align their checklist keys to the default language's: a change there is site-wide.
            if d.kind == .guide, d.language == config.defaultLanguage, r.tasks.map(\.key) != previous.rendered[i].tasks.map(\.key) { return nil }
            if r.diagnostics.contains(where: { $0.severity == .error }) { return nil }
            rendered[i] = r
        }
        let pages = PageRenderer(
            site: edited, templates: previous.templates, options: previous.options, rendered: rendered, related: previous.related, linkTableKey: 0,
            sink: sink, memo: nil, diagnostics: diagnostics, progress: nil)
        var routes: Set<Int> = []
        for i in indices {
            let d = edited.documents[i]
            switch d.kind {
            case .article:
                pages.write(ArticlePage.self, ArticlePage.input(pages, i))
            case .guide:
                for (n, route) in edited.routes.enumerated() where route.steps.contains(where: { $0.document == i }) { routes.insert(n) }
            }
        }
        for n in routes.sorted() {
            let route = pages.routeViews[n]
            pages.writeRouteJSON(route)
            pages.write(RoutePage.self, RoutePage.Input(route: route))
            for input in StepPage.inputs(pages, route: n) { pages.write(StepPage.self, input) }
        }
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
        // Article bodies were dropped once written; the Markdown stage's memo still has them.
        var rendered = previous.rendered
        for (i, d) in previous.site.documents.enumerated() where d.kind == .article && urls.contains(d.urlPath) {
            if let kept = cache.markdown.value(d.sourcePath, key: rendered[i].key) { rendered[i].html = kept.html }
        }
        let sink = CollectingSink()
        let renderer = PageRenderer(
            site: previous.site, templates: templates, options: previous.options, rendered: rendered, related: previous.related, linkTableKey: 0,
            sink: sink, memo: nil, diagnostics: DiagnosticBag(), progress: nil)
        for job in renderer.pageJobs(at: urls) { job() }
        for asset in templates.assetFiles { try? sink.write(asset.path, asset.bytes) }
        return output.patch(sink.files)
    }
}
