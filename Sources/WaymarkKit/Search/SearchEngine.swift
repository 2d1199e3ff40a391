import Foundation

/// What to search for: the same options the search page offers.
public struct SearchQuery: Sendable {
    public var text: String
    public var segment: String?
    public var stage: String?
    /// `article` or `guide`.
    public var kind: String?
    public var limit: Int
    /// Match the last word as a prefix (search as you type). On in the browser and the CLI alike.
    public var prefix: Bool

    public init(_ text: String, segment: String? = nil, stage: String? = nil, kind: String? = nil, limit: Int = 10, prefix: Bool = true) {
        self.text = text
        self.segment = segment
        self.stage = stage
        self.kind = kind
        self.limit = limit
        self.prefix = prefix
    }
}

public struct SearchResult: Sendable, Equatable {
    /// Page URL as linked from the site (base path included), without an anchor.
    public var url: String
    public var title: String
    /// Heading id of the best-matching section, if it is not the top of the page.
    public var anchor: String?
    public var excerpt: String
    public var kind: String
    public var context: String
    public var score: Int
}

/// Queries a built site's static index exactly as `waymark.js` does in the browser: same analysis
/// tables (read from `meta.json`, never libstemmer at query time), same shard choice, same integer
/// scoring and tie-breaking. Keep the two in step; the end-to-end tests compare them query by query.
///
/// Ranking is `Ranking`'s, with the weights read from `meta.json` like the browser reads them.
public final class SearchEngine {
    public let language: String
    /// Positions below this are title words (see `SearchIndexBuilder.titleEnd`).
    static let titleEnd = SearchIndexBuilder.titleEnd
    let folder: String
    let meta: Meta
    private var shards: [Int: [Entry]] = [:]
    private var fragments: [Int: [Fragment]] = [:]
    private var analyzer: Analyzer
    /// The ranking weights from `meta.json`.
    var weights: Ranking { meta.ranking }

    struct Meta: Decodable {
        var version: Int
        var language: String
        var base: String
        var docs: Int
        var chunk: Int
        var analysis: Analysis
        var ranking: Ranking
        var shards: [String]
        var fragments: [String]
        var segments: [String]
        var stages: [String]
        var synonyms: [[String]]
        var filters: [Int]

        struct Analysis: Decodable {
            var stem: Bool
            var maxSuffix: Int
        }
    }

    struct Entry {
        var folded: [UInt8]
        var key: [UInt8]
        var variants: [(normal: [UInt8], postings: [Posting])]
    }

    struct Posting {
        var doc: Int
        var impact: Int
        var positions: [Int]
    }

    struct Fragment: Decodable {
        var u: String
        var t: String
        var k: String
        var m: String
        var d: String
        var s: [Section]

        struct Section: Decodable {
            var anchor: String
            var heading: String
            var start: Int
            var snippet: String

            init(from decoder: Decoder) throws {
                var c = try decoder.unkeyedContainer()
                anchor = try c.decode(String.self)
                heading = try c.decode(String.self)
                start = try c.decode(Int.self)
                snippet = try c.decode(String.self)
            }
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case missingIndex(String)
        case corrupt(String)

        public var description: String {
            switch self {
            case .missingIndex(let p): return "no search index at \(p); build the site first (waymark build)"
            case .corrupt(let p): return "search index file \(p) is damaged; rebuild the site"
            }
        }
    }

    /// Opens the index of `language` in a built site folder.
    /// The filter values this index knows: its segment and stage ids, and the two kinds.
    public var filterValues: (segments: [String], stages: [String], kinds: [String]) { (meta.segments, meta.stages, ["article", "guide"]) }

    public init(site: String, language: String) throws {
        self.language = language
        folder = site + "/search/" + language + "/"
        guard let data = FileManager.default.contents(atPath: folder + "meta.json") else { throw Failure.missingIndex(folder + "meta.json") }
        do { meta = try JSONDecoder().decode(Meta.self, from: data) } catch { throw Failure.corrupt(folder + "meta.json") }
        analyzer = Analyzer(language: language)
    }

    /// Query words: normal and folded forms, analysed with the same tables as the index.
    func queryWords(_ text: String) -> [(normal: [UInt8], folded: [UInt8])] {
        Array(analyzer.words(text).prefix(10).map { (Array($0.normal.utf8), Array($0.folded.utf8)) })
    }

    func shard(_ index: Int) throws -> [Entry] {
        if let s = shards[index] { return s }
        let path = folder + meta.shards[index]
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure.missingIndex(path) }
        let entries: [Entry]
        do { entries = try Self.parseShard([UInt8](data)) } catch { throw Failure.corrupt(path) }
        shards[index] = entries
        return entries
    }

    static func parseShard(_ bytes: [UInt8]) throws -> [Entry] {
        guard bytes.count >= 4, Array(bytes[0..<4]) == Array("WMS1".utf8) else { throw ByteReader.Truncated() }
        var r = ByteReader(bytes)
        r.offset = 4
        let count = try r.varint()
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var previous: [UInt8] = []
        for _ in 0..<count {
            let shared = try r.varint()
            guard shared <= previous.count else { throw ByteReader.Truncated() }
            let folded = Array(previous[0..<shared]) + (try r.data())
            let keyShared = try r.varint()
            guard keyShared <= folded.count else { throw ByteReader.Truncated() }
            let key = Array(folded[0..<keyShared]) + (try r.data())
            let variantCount = try r.varint()
            var variants: [(normal: [UInt8], postings: [Posting])] = []
            for _ in 0..<variantCount {
                var normal = Array(try r.data())
                if normal.isEmpty { normal = folded }
                let postingCount = try r.varint()
                var postings: [Posting] = []
                postings.reserveCapacity(postingCount)
                var doc = 0
                for _ in 0..<postingCount {
                    doc += try r.varint()
                    let impact = Int(try r.byte())
                    let n = try r.varint()
                    var positions: [Int] = []
                    var p = 0
                    for _ in 0..<n {
                        p += try r.varint()
                        positions.append(p)
                    }
                    postings.append(Posting(doc: doc, impact: impact, positions: positions))
                }
                variants.append((normal, postings))
            }
            entries.append(Entry(folded: folded, key: key, variants: variants))
            previous = folded
        }
        return entries
    }

    func fragment(_ doc: Int) throws -> Fragment {
        let chunk = doc / meta.chunk
        if fragments[chunk] == nil {
            let path = folder + meta.fragments[chunk]
            guard let data = FileManager.default.contents(atPath: path) else { throw Failure.missingIndex(path) }
            do { fragments[chunk] = try JSONDecoder().decode([Fragment].self, from: data) } catch { throw Failure.corrupt(path) }
        }
        return fragments[chunk]![doc % meta.chunk]
    }

    /// Entries of a shard that a query word matches, with their weights (see the type's documentation).
    func expansions(normal: [UInt8], folded: [UInt8], isLast: Bool, prefix: Bool) throws -> [(entry: Entry, weight: Int)] {
        let entries = try shard(SearchShards.shard(of: String(decoding: folded, as: UTF8.self), count: meta.shards.count))
        var out: [(Entry, Int)] = []
        var taken = Set<[UInt8]>()
        let exact = entries.first { $0.folded == folded }
        var key = exact?.key
        if key == nil, meta.analysis.stem {
            // A word the index lacks: the longest indexed stem it starts with, within the suffix bound.
            let length = Self.scalarCount(folded)
            var keyLength = 0
            for e in entries where folded.starts(with: e.key) {
                let l = Self.scalarCount(e.key)
                if l > keyLength, l >= 3, length - l <= meta.analysis.maxSuffix {
                    key = e.key
                    keyLength = l
                }
            }
        }
        if let key {
            // A stem guessed for a word the index lacks is less certain than the word's own stem.
            let sameStem = exact == nil ? weights.guessedStem : weights.sameStem
            for e in entries where e.key == key {
                out.append((e, e.folded == folded ? weights.exact : sameStem))
                taken.insert(e.folded)
            }
        }
        for group in meta.synonyms where group.contains(String(decoding: folded, as: UTF8.self)) {
            for word in group {
                let w = Array(word.utf8)
                if w == folded || taken.contains(w) { continue }
                let other = try shard(SearchShards.shard(of: word, count: meta.shards.count))
                if let e = other.first(where: { $0.folded == w }) {
                    out.append((e, weights.synonym))
                    taken.insert(w)
                }
            }
        }
        if isLast, prefix, Self.scalarCount(folded) >= 2 {
            var added = 0
            for e in entries where added < weights.prefixLimit && e.folded != folded && e.folded.starts(with: folded) && !taken.contains(e.folded) {
                out.append((e, weights.prefix))
                taken.insert(e.folded)
                added += 1
            }
        }
        if exact == nil, Self.scalarCount(folded) >= 5 {
            // One typo: the whole word, or, for the word being typed, the start of a word.
            let target = Array(String(decoding: folded, as: UTF8.self).unicodeScalars)
            for e in entries where !taken.contains(e.folded) {
                let candidate = Array(String(decoding: e.folded, as: UTF8.self).unicodeScalars)
                if Self.withinOneEdit(candidate, target) {
                    out.append((e, weights.typo))
                } else if isLast, prefix, candidate.count > target.count,
                    (target.count - 1...target.count + 1).contains(where: { Self.withinOneEdit(Array(candidate.prefix($0)), target) })
                {
                    out.append((e, weights.typoPrefix))
                }
            }
        }
        return out
    }

    static func scalarCount(_ utf8: [UInt8]) -> Int { utf8.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }

    /// True when `a` and `b` differ by exactly one insertion, deletion, substitution or swap of
    /// neighbours (optimal string alignment distance 1).
    static func withinOneEdit<T: Equatable>(_ a: [T], _ b: [T]) -> Bool {
        if a == b { return false }
        let (m, n) = (a.count, b.count)
        if abs(m - n) > 1 { return false }
        var i = 0
        while i < m, i < n, a[i] == b[i] { i += 1 }
        if m == n {
            if Array(a[(i + 1)...]) == Array(b[(i + 1)...]) { return true }
            return i + 1 < m && a[i] == b[i + 1] && a[i + 1] == b[i] && Array(a[(i + 2)...]) == Array(b[(i + 2)...])
        }
        return m > n ? Array(a[(i + 1)...]) == Array(b[i...]) : Array(a[i...]) == Array(b[(i + 1)...])
    }

    public func search(_ query: SearchQuery) throws -> [SearchResult] {
        let words = queryWords(query.text)
        if words.isEmpty { return [] }
        var expanded = try words.enumerated().map { i, word in
            try expansions(normal: word.normal, folded: word.folded, isLast: i == words.count - 1, prefix: query.prefix)
        }
        // Two query words that the index has as one word (`چک لیست` for `چک‌لیست‌ها`, `check list` for
        // `checklists`) match it as both words, the word itself above longer forms.
        for i in 0..<max(0, words.count - 1) {
            let joined = words[i].folded + words[i + 1].folded
            let entries = try shard(SearchShards.shard(of: String(decoding: joined, as: UTF8.self), count: meta.shards.count))
            var added = 0
            for e in entries where added < weights.joinedLimit && e.folded.starts(with: joined) && !expanded[i].contains(where: { $0.entry.folded == e.folded })
            {
                let weight = e.folded == joined ? weights.joined : weights.joinedPrefix
                expanded[i].append((e, weight))
                expanded[i + 1].append((e, weight))
                added += 1
            }
        }
        var best: [[Int: (score: Int, positions: [Int])]] = Array(repeating: [:], count: words.count)
        for (i, word) in words.enumerated() {
            // Typed diacritics (or other marks the folded form drops) make the exact form count more.
            let marked = word.normal != word.folded
            for (entry, weight) in expanded[i] {
                for variant in entry.variants {
                    // Typed diacritics: the same form above other forms (likely other words).
                    let multiplier = weight * (marked ? (variant.normal == word.normal ? weights.markedSame : weights.markedOther) : weights.plain)
                    for p in variant.postings {
                        let value = p.impact * multiplier
                        var current = best[i][p.doc] ?? (0, [])
                        current.score = max(current.score, value)
                        current.positions += p.positions
                        best[i][p.doc] = current
                    }
                }
            }
        }
        let segmentBit = query.segment.flatMap { meta.segments.firstIndex(of: $0) }.map { 1 << ($0 + 5) }
        let stageCode = query.stage.flatMap { meta.stages.firstIndex(of: $0) }.map { $0 + 1 }
        var scored: [(doc: Int, score: Int)] = []
        var candidates = Set<Int>()
        for b in best { candidates.formUnion(b.keys) }
        for doc in candidates {
            let code = doc < meta.filters.count ? meta.filters[doc] : 0
            if query.segment != nil, code & (segmentBit ?? 0) == 0 { continue }
            if query.stage != nil, (code >> 1) & 0xF != (stageCode ?? -1) { continue }
            if let kind = query.kind, (code & 1 == 1 ? "guide" : "article") != kind { continue }
            var base = 0
            var matched = 0
            for b in best {
                if let s = b[doc] {
                    base += s.score
                    matched += 1
                }
            }
            var proximity = 0
            for i in 0..<(words.count - 1) {
                guard let a = best[i][doc]?.positions, let c = best[i + 1][doc]?.positions else { continue }
                // Adjacent and in order (a phrase) > within 3 words > within 10 words.
                var closest = Int.max
                var adjacent = false
                for x in a {
                    for y in c {
                        closest = min(closest, abs(y - x))
                        if y - x == 1 { adjacent = true }
                    }
                }
                proximity += adjacent ? weights.adjacent : closest <= weights.nearDistance ? weights.near : closest <= weights.farDistance ? weights.far : 0
            }
            var inTitle = 0
            for b in best where b[doc]?.positions.contains(where: { $0 < Self.titleEnd }) == true { inTitle += 1 }
            // A title that holds every query word is the strongest signal a help-center page gives.
            let titleCovers = inTitle == words.count ? weights.titleCovers : 1
            scored.append(
                (
                    doc,
                    base * matched * (weights.base + min(weights.proximityCap, proximity) + weights.titleWord * min(weights.titleWordCap, inTitle))
                        * titleCovers
                ))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.doc < $1.doc }
        return try scored.prefix(max(0, query.limit)).map { item in
            let f = try fragment(item.doc)
            var positions: [(word: Int, position: Int)] = []
            for (i, b) in best.enumerated() { for p in b[item.doc]?.positions ?? [] { positions.append((i, p)) } }
            let section = Self.bestSection(f.s.map(\.start), positions)
            let s = section.map { f.s[$0] }
            var excerpt = s?.snippet ?? ""
            if excerpt.isEmpty { excerpt = f.d.isEmpty ? (f.s.first?.snippet ?? "") : f.d }
            return SearchResult(
                url: meta.base + URLPath.encode(f.u), title: f.t, anchor: (s?.anchor).flatMap { $0.isEmpty ? nil : $0 },
                excerpt: excerpt, kind: f.k == "g" ? "guide" : "article", context: f.m, score: item.score)
        }
    }

    /// The section holding the most distinct query words (earliest on ties); nil when the words matched
    /// only the title, summary or tags, which come before the first section.
    static func bestSection(_ starts: [Int], _ positions: [(word: Int, position: Int)]) -> Int? {
        var bestIndex: Int?
        var bestCount = 0
        for (j, start) in starts.enumerated() {
            let end = j + 1 < starts.count ? starts[j + 1] : Int.max
            let words = Set(positions.filter { $0.position >= start && $0.position < end }.map(\.word))
            if words.count > bestCount {
                bestCount = words.count
                bestIndex = j
            }
        }
        return bestIndex
    }
}
