import Foundation

/// What one build can hand to the next so that an edit costs work proportional to what it changed
/// (`waymark serve` keeps one across rebuilds):
///
/// - parsed files, keyed by path, size and modification time: unchanged files are not read again;
/// - rendered Markdown, keyed by a hash of everything the rendering depends on (the body, its position
///   in the file, checklist keys, the table of page URLs the links resolve against, site options);
/// - rendered pages, keyed by a hash of the page's complete template context: a page whose context did
///   not change is not rendered again, its previous bytes are reused. Article pages, the bulk of a site,
///   are keyed by a hash of their inputs instead (their Markdown's key, their related articles, and
///   every site-wide input: site.yml, templates, options, every page's path and front matter), which
///   spares building 10,000 contexts to find the one that changed;
/// - each page's text analysis, each language's search index and related articles, keyed by a hash of
///   the indexed text.
///
/// The keys are hashes of the content itself, never file dates, so reuse cannot show stale output.
public final class BuildCache: @unchecked Sendable {
    private let lock = Lock()
    private var parsed: [String: (stamp: FileStamp, value: ParsedFile)] = [:]
    private var markdown: [String: (key: UInt64, value: RenderedDocument)] = [:]
    private var pages: [String: UInt64] = [:]
    private var search: [String: (key: UInt64, files: [(String, [UInt8])])] = [:]
    private var analyses: [String: (key: UInt64, value: SearchIndexBuilder.Analyzed)] = [:]
    private var related: [String: (key: UInt64, value: [Int: [Int]])] = [:]
    /// Pages rendered and reused by the last build, for reports and tests.
    public private(set) var lastRendered = 0
    public private(set) var lastReused = 0

    public init() {}

    struct FileStamp: Equatable, Sendable {
        var size: Int
        var modified: Int
    }

    func parsedFile(_ path: String, _ stamp: FileStamp) -> ParsedFile? {
        lock.withLock { parsed[path].flatMap { $0.stamp == stamp ? $0.value : nil } }
    }

    func storeParsed(_ path: String, _ stamp: FileStamp, _ value: ParsedFile) {
        lock.withLock { parsed[path] = (stamp, value) }
    }

    func rendered(_ path: String, key: UInt64) -> RenderedDocument? {
        lock.withLock { markdown[path].flatMap { $0.key == key ? $0.value : nil } }
    }

    func storeRendered(_ path: String, key: UInt64, _ value: RenderedDocument) {
        lock.withLock { markdown[path] = (key, value) }
    }

    /// Records `signature` for `path`; returns true when the previous build wrote the same.
    func pageUnchanged(_ path: String, signature: UInt64) -> Bool {
        lock.withLock {
            let same = pages[path] == signature
            pages[path] = signature
            return same
        }
    }

    func related(_ language: String, key: UInt64) -> [Int: [Int]]? {
        lock.withLock { related[language].flatMap { $0.key == key ? $0.value : nil } }
    }

    func storeRelated(_ language: String, key: UInt64, _ value: [Int: [Int]]) {
        lock.withLock { related[language] = (key, value) }
    }

    func analysis(_ page: String, key: UInt64) -> SearchIndexBuilder.Analyzed? {
        lock.withLock { analyses[page].flatMap { $0.key == key ? $0.value : nil } }
    }

    func storeAnalysis(_ page: String, key: UInt64, _ value: SearchIndexBuilder.Analyzed) {
        lock.withLock { analyses[page] = (key, value) }
    }

    func searchIndex(_ language: String, key: UInt64) -> [(String, [UInt8])]? {
        lock.withLock { search[language].flatMap { $0.key == key ? $0.files : nil } }
    }

    func storeSearchIndex(_ language: String, key: UInt64, _ files: [(String, [UInt8])]) {
        lock.withLock { search[language] = (key, files) }
    }

    func count(rendered: Int, reused: Int) {
        lock.withLock {
            lastRendered = rendered
            lastReused = reused
        }
    }
}

/// The result of reading one content file, as the loader produces it.
struct ParsedFile: Sendable {
    var document: Document?
    var landing: LandingFile?
    var diagnostics: [Diagnostic] = []
}

/// A stable 64-bit hash of a template context (dictionaries by sorted key), so two builds can tell
/// whether a page would render the same without rendering it.
struct ContextHasher {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for b in bytes {
            value ^= UInt64(b)
            value &*= 0x100_0000_01b3
        }
    }

    mutating func add(_ numbers: [UInt64]) {
        for n in numbers { withUnsafeBytes(of: n.littleEndian) { add($0) } }
        add(CollectionOfOne(UInt8(0xFF)))
    }

    mutating func add(_ string: String) {
        var s = string
        s.withUTF8 { add($0) }
        add(CollectionOfOne(UInt8(0xFF)))
    }

    mutating func add(any value: Any) {
        switch value {
        case let s as String:
            add("s")
            add(s)
        case let b as Bool: add(b ? "T" : "F")
        case let i as Int:
            add("i")
            add(String(i))
        case let d as [String: Any]:
            add("{")
            for key in d.keys.sorted() {
                add(key)
                add(any: d[key]!)
            }
            add("}")
        case let d as [String: any Sendable]:
            add(any: d as [String: Any])
        case let a as [Any]:
            add("[")
            for item in a { add(any: item) }
            add("]")
        default:
            add("?")
            add(String(describing: value))
        }
    }
}
