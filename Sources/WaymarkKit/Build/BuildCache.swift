/// What one build hands to the next so that an edit costs work proportional to what it changed
/// (`waymark serve` keeps one across rebuilds): each stage's results under the keys of their inputs.
///
/// | stage | one result per | its typed input (the key is its hash, `StageKey`) |
/// |---|---|---|
/// | load | content file | size and modification time, and the file size limit (`ContentLoader`) |
/// | assets | content file that is not a page | the file's path and stamp, and `AssetStage.Settings` |
/// | Markdown | document | `MarkdownStage.Input` and `MarkdownStage.Shared` (link table, options) |
/// | analysis | published page | its `SearchDocument` (the text stood for by its Markdown key) |
/// | related articles | language | `RelatedStage.Input`: the language's analysis keys and page numbering |
/// | search index | language | `SearchIndexStage.Input`: the same, plus filters, synonyms, base path, strings |
/// | pages | output page | the page kind's `Input` plus the site-wide settings (`PageKind`, `PageRenderer.siteKey`) |
///
/// The keys are hashes of content, never file dates (but for the load stage, which only decides whether
/// to read a file again), so reuse cannot show stale output; the incremental tests hold every edit to a
/// clean build's bytes.
public final class BuildCache: @unchecked Sendable {
    let parsed = StageMemo<ParsedFile>()
    let assets = StageMemo<AssetStage.Processed>()
    let markdown = StageMemo<RenderedDocument>()
    let analysis = StageMemo<SearchIndexBuilder.Analyzed>()
    let related = StageMemo<[Int: [Int]]>()
    let searchIndex = StageMemo<[(String, [UInt8])]>()
    let pages = StageMemo<Void>()
    private let lock = Lock()
    private var counts = (rendered: 0, reused: 0)

    public init() {}

    /// Pages rendered and reused by the last build, for reports and tests.
    public var lastRendered: Int { lock.withLock { counts.rendered } }
    public var lastReused: Int { lock.withLock { counts.reused } }

    func count(rendered: Int, reused: Int) {
        lock.withLock { counts = (rendered, reused) }
    }
}
