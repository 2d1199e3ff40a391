import Foundation

/// What rendering one document's Markdown produced, kept for the later stages.
struct RenderedDocument: Sendable {
    var headingIDs: Set<String>
    var anchorChecks: [LinkResolver.AnchorCheck]
    /// Plain text by heading, for the analysis stage (dropped once it has run, to keep memory low).
    var sections: [TextSection]
    var tasks: [TaskItem]
    var toc: [TOCEntry]
    var wordCount: Int
    var linkTargets: [String]
    var html: String
    /// Problems found while rendering, reported again when the result is reused.
    var diagnostics: [Diagnostic] = []
    /// The key of the inputs this rendering came from: it stands for the HTML and text in the keys of
    /// later stages, which need not hash them again.
    var key: UInt64 = 0
}

/// The Markdown stage: every document's Markdown to HTML with cmark-gfm, links resolved against the
/// site's pages, plus headings, checklist items and text for the later stages.
///
/// A rendering reads only its `Input` and the stage's `Shared` settings; its key is the hash of those two
/// values, so nothing a rendering reads can be left out of it.
struct MarkdownStage: Sendable {
    /// Everything one rendering reads of its document, besides the stage's shared settings.
    struct Input: Hashable, Sendable {
        var sourcePath: String
        var language: String
        var kind: DocumentKind
        var translationKey: String
        @Exact var body: String
        var bodyLineOffset: Int
        /// For a copy of another language's text (problems are reported at the original).
        var fallbackFrom: String?
        /// For a guide: the checklist keys of its default-language version, which its items align to.
        var alignedKeys: [String]

        init(document d: Document, alignedKeys: [String]) {
            sourcePath = d.sourcePath
            language = d.language
            kind = d.kind
            translationKey = d.translationKey
            body = d.body
            bodyLineOffset = d.bodyLineOffset
            fallbackFrom = d.fallbackFrom
            self.alignedKeys = alignedKeys
        }
    }

    /// What every rendering reads besides its input: the table links resolve against and the options.
    struct Shared: Hashable, Sendable {
        /// Source path → URL path of every page, drafts and other content files.
        var pages: [String: String]
        var drafts: Set<String>
        var files: Set<String>
        var assets: [String: PublishedAsset]
        var imageSizes: String
        var basePath: String
        var allowRawHTML: Bool
        var maxTableColumns: Int
        /// Words written into pages by this stage (heading links, callout titles, footnote links), per language.
        var labels: [String: MarkdownLabels]
        /// How code is coloured (`CodeHighlighter.version`): a new highlighter renders code anew.
        var highlighter = CodeHighlighter.version
    }

    let links: LinkResolver
    let allowRawHTML: Bool
    let maxTableColumns: Int
    let labels: [String: MarkdownLabels]
    /// Hash of `Shared`, part of every key (0 when nothing is kept between builds).
    let sharedKey: UInt64

    init(site: SiteIndex, basePath: String, keyed: Bool, labels: [String: MarkdownLabels] = [:], assets: [String: PublishedAsset] = [:]) {
        self.labels = labels
        var pages: [String: String] = [:]
        for d in site.documents { pages[d.sourcePath] = d.urlPath }
        // A step missing in a language is published there from the default language: links written to
        // where its translation would be lead to that page, as they will once it is translated.
        for route in site.routes {
            for step in route.steps where step.isFallback {
                let source = site.documents[step.document].sourcePath
                pages[route.language + source.drop { $0 != "/" }] = step.urlPath
            }
        }
        let shared = Shared(
            pages: pages, drafts: site.drafts, files: site.files, assets: assets, imageSizes: site.config.images.sizes, basePath: basePath,
            allowRawHTML: site.config.unsafeHTML, maxTableColumns: site.config.limits.tableColumns, labels: labels)
        links = LinkResolver(
            pages: pages, drafts: site.drafts, files: site.files, basePath: basePath, assets: assets, imageSizes: site.config.images.sizes)
        allowRawHTML = shared.allowRawHTML
        maxTableColumns = shared.maxTableColumns
        sharedKey = keyed ? StageKey.of(shared) : 0
    }

    /// The key of one rendering: its input and the shared settings.
    func key(_ input: Input) -> UInt64 { StageKey.of(input, sharedKey) }

    /// Renders every document (an array parallel to `site.documents`), reusing what `memo` holds for
    /// unchanged inputs. Default-language guides go first: the checklist items of their translations
    /// align to their keys.
    func run(
        _ site: SiteIndex, memo: StageMemo<RenderedDocument>?, diagnostics: DiagnosticBag, progress: (@Sendable (BuildEvent) -> Void)?
    ) -> [RenderedDocument] {
        let documents = site.documents
        let defaultLanguage = site.config.defaultLanguage
        let isDefaultGuide = { (i: Int) in documents[i].kind == .guide && documents[i].language == defaultLanguage }
        var rendered = [RenderedDocument?](repeating: nil, count: documents.count)
        let first = documents.indices.filter(isDefaultGuide)
        for (i, r) in zip(first, first.concurrentMap { render(Input(document: documents[$0], alignedKeys: []), memo: memo) }) { rendered[i] = r }
        let keysByTranslation = Dictionary(first.map { (documents[$0].translationKey, rendered[$0]!.tasks.map(\.key)) }) { a, _ in a }

        let rest = documents.indices.filter { !isDefaultGuide($0) }
        let done = Counter()
        let total = documents.count
        let results = rest.concurrentMap { i -> RenderedDocument in
            let d = documents[i]
            let r = render(Input(document: d, alignedKeys: d.kind == .guide ? keysByTranslation[d.translationKey] ?? [] : []), memo: memo)
            let n = done.increment()
            if n % 500 == 0 { progress?(.pages(done: n, total: total)) }
            return r
        }
        for (i, r) in zip(rest, results) { rendered[i] = r }
        let all = rendered.map { $0! }
        // Missing language files would warn in every file with code: the first one stands for all.
        let unhighlighted = all.lazy.flatMap(\.diagnostics).filter { $0.code == CodeHighlighter.unavailableCode }.count
        var warnedUnhighlighted = false
        for r in all {
            for var d in r.diagnostics {
                if d.code == CodeHighlighter.unavailableCode {
                    if warnedUnhighlighted { continue }
                    warnedUnhighlighted = true
                    if unhighlighted > 1 { d.message += " (and in \(unhighlighted - 1) other files)" }
                }
                diagnostics.report(d)
            }
        }
        diagnostics.report(contentsOf: Self.checklistKeyMismatches(site, all, keysByTranslation))
        return all
    }

    /// One rendering, reused from `memo` when its key is unchanged.
    func render(_ input: Input, memo: StageMemo<RenderedDocument>?) -> RenderedDocument {
        guard let memo else { return render(input) }
        let key = key(input)
        if let cached = memo.value(input.sourcePath, key: key) { return cached }
        var result = render(input)
        result.key = key
        memo.store(input.sourcePath, key: key, result)
        return result
    }

    /// One rendering from its inputs alone.
    func render(_ input: Input) -> RenderedDocument {
        let d = input
        let tasks: TaskRendering = d.kind == .guide ? .checklist(scope: d.translationKey, alignedKeys: input.alignedKeys) : .static
        let markdown = MarkdownInput(
            text: d.body, lineOffset: d.bodyLineOffset, allowRawHTML: allowRawHTML, tasks: tasks, maxTableColumns: maxTableColumns,
            labels: labels[d.language] ?? MarkdownLabels())
        var anchorChecks: [LinkResolver.AnchorCheck] = []
        var problems: [Diagnostic] = []
        var targets: [String] = []
        let out = Markdown.render(markdown) { link in
            let resolution = links.resolve(link, from: d.sourcePath)
            problems += resolution.diagnostics
            if let check = resolution.anchorCheck { anchorChecks.append(check) }
            if let t = resolution.targetPage { targets.append(t) }
            return resolution.target
        }
        for var diagnostic in out.diagnostics {
            diagnostic.file = d.sourcePath
            problems.append(diagnostic)
        }
        for link in out.links where link.isImage && link.text.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(
                .warning(
                    "missing-alt-text", "image has no alt text; describe it for readers who cannot see it: ![what it shows](\(link.destination))",
                    file: d.sourcePath, at: link.location))
        }
        // A fallback copy's problems are its original's, reported there (at a file that exists).
        if d.fallbackFrom != nil {
            problems = []
            anchorChecks = []
        }
        return RenderedDocument(
            headingIDs: Set(out.headings.map(\.id)), anchorChecks: anchorChecks, sections: out.sections, tasks: out.tasks, toc: out.tableOfContents,
            wordCount: out.wordCount, linkTargets: targets, html: out.html, diagnostics: problems.sorted())
    }

    /// Explicit checklist keys in a translation that the default-language guide does not have: progress
    /// ticked in one language would not show in the other.
    static func checklistKeyMismatches(_ site: SiteIndex, _ rendered: [RenderedDocument], _ defaults: [String: [String]]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let defaultLanguage = site.config.defaultLanguage
        for (i, d) in site.documents.enumerated() where d.kind == .guide && d.language != defaultLanguage {
            guard let keys = defaults[d.translationKey] else { continue }
            for task in rendered[i].tasks where task.explicitKey && !keys.contains(task.key) {
                out.append(
                    .warning(
                        "checklist-key-mismatch",
                        "checklist key '\(task.key)' is not in the \(defaultLanguage) version of this guide (\(keys.joined(separator: ", "))); progress will not carry across languages",
                        file: d.sourcePath, at: task.location))
            }
        }
        return out
    }

    /// Links to `page#anchor` whose anchor is not a heading (or footnote) of that page: known only once
    /// every page is rendered.
    static func brokenAnchors(_ site: SiteIndex, _ rendered: [RenderedDocument]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for r in rendered {
            for check in r.anchorChecks {
                guard let target = site.byPath[check.targetPath] else { continue }
                let ids = rendered[target].headingIDs
                if check.anchor.isEmpty || ids.contains(check.anchor) || check.anchor.hasPrefix("fn-") || check.anchor.hasPrefix("fnref-") { continue }
                if check.anchor.nfc != check.anchor, ids.contains(check.anchor.nfc) { continue }
                var message = "broken anchor: '#\(check.anchor)' is not a heading of \(check.targetPath)"
                if let s = closestMatch(to: check.anchor, among: ids.sorted()) { message += "; did you mean '#\(s)'?" }
                out.append(.error("broken-anchor", message, file: check.file, at: check.location))
            }
        }
        return out
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
