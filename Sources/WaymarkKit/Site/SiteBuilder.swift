import Foundation

/// The build pipeline: content → checks → Markdown → templates → output, as one value-in, summary-out call.
///
/// Phases, each parallel across cores where the work is per file:
/// 1. templates and content are loaded and parsed; the site model (`SiteIndex`) is built and checked;
/// 2. guides of the default language are rendered first, because their checklist keys are what the
///    translations' items align to;
/// 3. every other document is rendered; article pages are written as soon as they are ready;
/// 4. step, route, landing and listing pages, sitemaps and assets follow, since they need every page;
/// 5. links to headings of other pages are checked; then the output is swapped in, or dropped on error.
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

    /// A build, and with it the renderer of a successful one: the preview session keeps it to re-render
    /// an edited page on its own before the next whole rebuild.
    static func run(_ options: BuildOptions, cache: BuildCache?, memory: MemoryOutput?, progress: (@Sendable (BuildEvent) -> Void)? = nil)
        -> (summary: BuildSummary, renderer: PageRenderer?)
    {
        let diagnostics = DiagnosticBag()
        progress?(.phase("loading"))
        var (templates, templateDiagnostics) = TemplateSet.load(from: options.templates)
        templates?.useReference = options.referenceTemplates
        diagnostics.report(contentsOf: templateDiagnostics)
        guard let content = ContentLoader(root: options.content).load(diagnostics: diagnostics, cache: cache), let templates else {
            return (BuildSummary(diagnostics: diagnostics.all, pages: 0, languages: 0, wrote: false), nil)
        }
        progress?(.phase("site model"))
        let site = SiteIndex(content: content, includeDrafts: options.includeDrafts, diagnostics: diagnostics)

        let sink: OutputSink
        var writer: OutputWriter?
        if let memory {
            memory.begin()
            sink = memory
        } else if options.dryRun {
            sink = DiscardingSink()
        } else {
            do {
                if let problem = Self.overlappingFolders(options) {
                    diagnostics.report(Diagnostic(.error, "invalid-output", problem, root: .output))
                    return (BuildSummary(diagnostics: diagnostics.all, pages: 0, languages: 0, wrote: false), nil)
                }
                writer = try OutputWriter(output: options.output, precompress: options.precompress)
                sink = writer!
            } catch {
                diagnostics.report(Diagnostic(.error, "invalid-output", "\(error)", root: .output))
                return (BuildSummary(diagnostics: diagnostics.all, pages: 0, languages: 0, wrote: false), nil)
            }
        }

        let renderer = PageRenderer(site: site, templates: templates, options: options, sink: sink, cache: cache, diagnostics: diagnostics, progress: progress)
        let pages = renderer.renderAll()
        var health: HealthData?
        if options.health {
            let (data, issues) = renderer.health(all: diagnostics.all)
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
            return (summaryFor(true), renderer)
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
        return (summaryFor(true), renderer)
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
