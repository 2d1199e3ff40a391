import Foundation

/// The build pipeline as one value-in, summary-out call. Each stage takes values and returns values, in
/// the order of the library's folders; work within a stage runs on every core:
///
/// 1. **load** (`Content/`): site.yml, templates and every content file → `ContentSet`;
/// 2. **model** (`Model/`): → `SiteIndex`: published pages, URLs, translations, categories, routes, checks;
/// 2b. **assets** (`Assets/`): images and other files published (images under content-hashed names, with
///    their size and, if asked, smaller copies) → the table links to them are resolved against;
/// 3. **Markdown** (`Markdown/`): each document → `RenderedDocument` (HTML, headings, checklist items,
///    links, text); default-language guides first, since their translations' checklist keys align to
///    them; then links to other pages' headings are checked;
/// 4. **analysis** (`Search/`): the published pages' text → one `LanguageCorpus` per language;
/// 5. **related articles** and the **search index** (`Search/`): corpora → related lists and index files;
/// 6. **pages** (`Site/`): templates over the model, renderings and related lists → HTML, feeds, sitemaps;
/// 7. **output** (`Output/`): an atomic swap of the whole site, or memory for `waymark serve`.
///
/// With a `BuildCache`, every stage reuses its results whose declared inputs did not change.
public enum SiteBuilder {
    public static func build(_ options: BuildOptions, progress: (@Sendable (BuildEvent) -> Void)? = nil) -> BuildSummary {
        guard options.skipUnchanged, !options.dryRun else { return build(options, cache: nil, memory: nil, progress: progress) }
        progress?(.phase("checking for changes"))
        let check = UpToDate(options: options)
        if let previous = check.unchanged(output: options.output) { return previous }
        let summary = build(options, cache: nil, memory: nil, progress: progress)
        if summary.wrote { check.save(summary, output: options.output) }
        return summary
    }

    /// A build for the preview server: files go to `memory` (committed only when the build succeeds) and
    /// `cache` carries parsed files, rendered Markdown and page hashes from one rebuild to the next.
    public static func build(_ options: BuildOptions, cache: BuildCache?, memory: MemoryOutput?, progress: (@Sendable (BuildEvent) -> Void)? = nil)
        -> BuildSummary
    {
        run(options, cache: cache, memory: memory, progress: progress).summary
    }

    /// The stages of a successful build that the preview session keeps, to re-render an edited page on
    /// its own before the next whole rebuild.
    struct Stages {
        var markdown: MarkdownStage
        var pages: PageRenderer
    }

    /// A build, and with it the stages of a successful one.
    static func run(_ options: BuildOptions, cache: BuildCache?, memory: MemoryOutput?, progress: (@Sendable (BuildEvent) -> Void)? = nil)
        -> (summary: BuildSummary, stages: Stages?)
    {
        let diagnostics = DiagnosticBag()
        if let url = options.baseURL, let problem = ConfigURL.problem(url, allowed: .siteRoot) {
            diagnostics.report(.error("invalid-base-url", "--base-url \(problem)"))
            return (BuildSummary(diagnostics: diagnostics.all, pages: 0, languages: 0, wrote: false), nil)
        }
        progress?(.phase("loading"))
        var (templates, templateDiagnostics) = TemplateSet.load(from: options.templates)
        templates?.useReference = options.referenceTemplates
        diagnostics.report(contentsOf: templateDiagnostics)
        guard let content = ContentLoader(root: options.content).load(diagnostics: diagnostics, memo: cache?.parsed), let templates else {
            return (BuildSummary(diagnostics: diagnostics.all, pages: 0, languages: 0, wrote: false), nil)
        }
        progress?(.phase("site model"))
        var site = SiteIndex(content: consume content, includeDrafts: options.includeDrafts, diagnostics: diagnostics)

        let base: OutputSink
        var writer: OutputWriter?
        if let memory {
            memory.begin()
            base = memory
        } else if options.dryRun {
            base = DiscardingSink()
        } else {
            do {
                if let problem = Self.overlappingFolders(options) {
                    diagnostics.report(Diagnostic(.error, "invalid-output", problem, root: .output))
                    return (BuildSummary(diagnostics: diagnostics.all, pages: 0, languages: 0, wrote: false), nil)
                }
                writer = try OutputWriter(output: options.output, precompress: options.precompress)
                base = writer!
            } catch {
                diagnostics.report(Diagnostic(.error, "invalid-output", "\(error)", root: .output))
                return (BuildSummary(diagnostics: diagnostics.all, pages: 0, languages: 0, wrote: false), nil)
            }
        }
        // Every path written, for checking the aliases against the whole output before they are written.
        let sink = PathRecorder(base)

        // Assets: images and other files, published first so that pages know their names and sizes.
        progress?(.phase("assets"))
        let assets = AssetStage(
            config: site.config, contentRoot: options.content, previousOutput: memory == nil && !options.dryRun ? options.output : nil,
            makeCopies: !options.dryRun
        ).run(site.assets, into: sink, memo: cache?.assets, diagnostics: diagnostics)

        // Markdown.
        progress?(.phase("rendering \(site.documents.count) pages"))
        let basePath = options.basePath(site.config)
        let labels = Dictionary(
            uniqueKeysWithValues: site.config.languages.map {
                ($0.code, templates.strings(for: $0.code, defaultLanguage: site.config.defaultLanguage).markdownLabels)
            })
        let markdown = MarkdownStage(site: site, basePath: basePath, keyed: cache != nil, labels: labels, assets: assets)
        var rendered = markdown.run(site, memo: cache?.markdown, diagnostics: diagnostics, progress: progress)
        diagnostics.report(contentsOf: MarkdownStage.brokenAnchors(site, rendered))
        // No later stage reads the Markdown: its memory (as much as the HTML) is not held through them.
        site.dropBodies()

        // Analysis, then related articles and the search index from it.
        progress?(.phase("analysing text"))
        let analysis = AnalysisStage.run(AnalysisStage.inputs(site, rendered), languages: site.config.languages.map(\.code), memo: cache?.analysis)
        // The corpora hold what search and related articles need; the page text can go.
        for i in rendered.indices { rendered[i].sections = [] }
        let related = RelatedStage.run(analysis, memo: cache?.related)
        progress?(.phase("search index"))
        var searchBuilder = Self.searchIndexBuilder(site.config, templates: templates, basePath: basePath)
        searchBuilder.featured = Self.featuredPages(site)
        let searchIndex = SearchIndexStage(builder: searchBuilder)
        let renderer = PageRenderer(
            site: site, templates: templates, options: options, rendered: rendered, related: related, linkTableKey: markdown.sharedKey, sink: sink,
            memo: cache?.pages, diagnostics: diagnostics, progress: progress)
        rendered = []  // the pages stage owns the renderings now (and drops article bodies once written)
        // The index files go out first, so they are not held while the pages are written.
        for (path, bytes) in searchIndex.run(analysis, memo: cache?.searchIndex) { renderer.write(path, bytes) }

        // Pages, then the aliases' redirects where they take nothing else the site publishes.
        renderer.run()
        renderer.writeAliases(besides: sink.paths)
        let pages = renderer.pagesDone
        site.checkUniqueURLs(extra: renderer.extraURLs, diagnostics: diagnostics)
        // Compared with what the output holds now (the previous build; not yet replaced by this one).
        let published = renderer.publishedURLs
        if memory == nil, let previous = PublishedURLs.read(output: options.output) {
            diagnostics.report(contentsOf: PublishedURLs.vanished(previous: previous, current: published, site: site))
        }
        renderer.write(PublishedURLs.file, PublishedURLs.encode(published))
        if let cache {
            let counts = renderer.counts
            cache.count(rendered: counts.rendered, reused: counts.reused)
        }
        progress?(.pages(done: site.documents.count, total: site.documents.count))

        var health: HealthData?
        if options.health {
            let (data, issues) = HealthData.compute(site, rendered: renderer.rendered, options: options, all: diagnostics.all)
            diagnostics.report(contentsOf: issues)
            health = data
        }

        let summaryFor = { (wrote: Bool) in
            BuildSummary(diagnostics: diagnostics.all, pages: pages, languages: site.config.languages.count, wrote: wrote, health: health)
        }
        progress?(.phase("finishing"))
        if let memory {
            let summary = summaryFor(false)
            if summary.failed(strict: options.strict) {
                memory.discard()
                return (summary, nil)
            }
            memory.commit()
            return (summaryFor(true), Stages(markdown: markdown, pages: renderer))
        }
        guard let writer else { return (summaryFor(false), nil) }
        let interim = summaryFor(false)
        if interim.failed(strict: options.strict) {
            writer.abort()
            return (interim, nil)
        }
        do {
            try writer.commit()
        } catch {
            writer.abort()
            diagnostics.report(Diagnostic(.error, "output-failed", "\(error)", root: .output))
            return (summaryFor(false), nil)
        }
        return (summaryFor(true), Stages(markdown: markdown, pages: renderer))
    }

    /// The search index's site-wide settings, with the interface strings of the search box per language.
    static func searchIndexBuilder(_ config: SiteConfig, templates: TemplateSet, basePath: String) -> SearchIndexBuilder {
        var builder = SearchIndexBuilder(segments: config.segments.map(\.id), stages: config.stages.map(\.id), synonyms: config.synonyms, basePath: basePath)
        for language in config.languages.map(\.code) {
            let t = templates.strings(for: language, defaultLanguage: config.defaultLanguage)
            builder.strings[language] = PageContextFactory.searchStringKeys.map { ($0, t[$0]) } + [("digits", String(t.digits))]
        }
        return builder
    }

    /// Per language, each landing's featured pages as URL paths (`home` first, then segments in site
    /// order), for the search index's "nothing found" suggestions.
    static func featuredPages(_ site: SiteIndex) -> [String: [(String, [String])]] {
        var out: [String: [(String, [String])]] = [:]
        for language in site.config.languages.map(\.code) {
            for name in ["home"] + site.config.segments.map(\.id) {
                guard let landing = site.landings[language]?[name] else { continue }
                let paths = landing.featured.compactMap { featured -> String? in
                    guard let target = LinkResolver.normalize([language] + featured.path.split(separator: "/").map(String.init)),
                        let i = site.byPath[target]
                    else { return nil }
                    return site.documents[i].urlPath
                }
                out[language, default: []].append((name, paths))
            }
        }
        return out
    }

    /// Output inside content (or the reverse) would make builds read their own output.
    static func overlappingFolders(_ options: BuildOptions) -> String? {
        func absolute(_ p: String) -> String {
            let url = URL(fileURLWithPath: p).standardizedFileURL.path
            return FileSystem.realPath(url) ?? url
        }
        let output = absolute(options.output)
        for (name, folder) in [("content", options.content), ("templates", options.templates)] {
            let other = absolute(folder)
            if output == other || output.hasPrefix(other + "/") || other.hasPrefix(output + "/") {
                return "the output folder '\(options.output)' overlaps the \(name) folder '\(folder)'; choose another --output"
            }
        }
        return nil
    }
}
