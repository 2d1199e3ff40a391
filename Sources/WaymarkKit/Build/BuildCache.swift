/// What one build hands to the next so that an edit costs work proportional to what it changed
/// (`waymark serve` keeps one across rebuilds): each stage's results under the keys of their inputs.
///
/// | stage | one result per | its key (declared by the stage, in one place) |
/// |---|---|---|
/// | load | content file | size and modification time (`ContentLoader`) |
/// | assets | content file that is not a page | size, modification time and image settings (`AssetStage`) |
/// | Markdown | document | body, position, checklist keys, link table, options (`MarkdownStage.key`) |
/// | analysis | published page | its search fields and its Markdown key (`AnalysisStage.key`) |
/// | related articles | language | the language's analysis keys and page numbering (`RelatedStage.key`) |
/// | search index | language | the same, plus filters, synonyms, base path, strings (`SearchIndexStage.key`) |
/// | pages | output page | the page kind's inputs or its whole template context (`PageRenderer`) |
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
