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
    /// Search the words as typed: no word the index lacks is matched through a correction (the search
    /// page's "Search instead for …" link, `waymark search --literal`).
    public var literal: Bool

    public init(
        _ text: String, segment: String? = nil, stage: String? = nil, kind: String? = nil, limit: Int = 10, prefix: Bool = true, literal: Bool = false
    ) {
        self.text = text
        self.segment = segment
        self.stage = stage
        self.kind = kind
        self.limit = limit
        self.prefix = prefix
        self.literal = literal
    }
}

public struct SearchResult: Sendable, Equatable {
    /// Page URL as linked from the site (base path included), without an anchor.
    public var url: String
    public var title: String
    /// Heading id of the best-matching section, if it is not the top of the page.
    public var anchor: String?
    /// The passage showing the most query words (see `SearchEngine.excerpt`).
    public var excerpt: String
    /// Where the query's words are in `excerpt`, in Unicode scalars (the browser marks them).
    public var highlights: [Range<Int>] = []
    public var kind: String
    public var context: String
    public var score: Int
}

/// Queries a built site's static index exactly as `waymark.js` does in the browser: same analysis
/// tables (read from `meta.json`, never libstemmer at query time), same shard choice, same integer
/// scoring and tie-breaking. Keep the two in step; the end-to-end tests compare them query by query.
///
/// Ranking is `Ranking`'s, with the weights read from `meta.json` like the browser reads them.
///
/// Excerpts: each result shows the run of its best section's stored passages (at most `meta.excerpt`
/// scalars) that holds the most query words, with those words' ranges (`SearchResult.highlights`); a
/// query word is found in text as any index word it matched (its form, stem, synonym, correction).
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
        /// Longest excerpt, in scalars.
        var excerpt: Int
        var analysis: Analysis
        var ranking: Ranking
        var shards: [String]
        var fragments: [String]
        var segments: [String]
        var stages: [String]
        /// Groups of alternatives; an alternative with spaces is a phrase (folded words).
        var synonyms: [[String]]
        /// (word ending, stem ending) pairs: see `SearchIndexBuilder.stemRules`.
        var stemRules: [[String]]
        /// `home` and segment ids → up to three page numbers.
        var featured: [String: [Int]]
        var filters: [Int]

        struct Analysis: Decodable {
            var stem: Bool
        }
    }

    struct Entry {
        var folded: [UInt8]
        var key: [UInt8]
        var variants: [(normal: [UInt8], postings: [Posting])]

        /// Pages the word is on, over its written forms (what "more used" means for corrections).
        var pageCount: Int { variants.reduce(0) { $0 + $1.postings.count } }
        /// The written form on the most pages (the first of them on ties).
        var mostUsedForm: String { String(decoding: variants.max { $0.postings.count < $1.postings.count }!.normal, as: UTF8.self) }
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
        /// Tags, joined by ", " (absent without tags).
        var g: String?
        var s: [Section]

        struct Section: Decodable {
            var anchor: String
            var heading: String
            var start: Int
            /// The section's text in passages (`SearchIndexBuilder.passages`).
            var passages: [String]

            init(from decoder: Decoder) throws {
                var c = try decoder.unkeyedContainer()
                anchor = try c.decode(String.self)
                heading = try c.decode(String.self)
                start = try c.decode(Int.self)
                passages = try c.decode([String].self)
            }
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case missingIndex(String)
        case corrupt(String)
        case otherVersion(String, Int)

        public var description: String {
            switch self {
            case .missingIndex(let p): return "no search index at \(p); build the site first (waymark build)"
            case .corrupt(let p): return "search index file \(p) is damaged; rebuild the site"
            case .otherVersion(let p, let v):
                return "search index \(p) has format version \(v), this waymark reads version \(SearchIndexBuilder.formatVersion); rebuild the site"
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
        // The version first: an index of another version may lack fields, which is not damage.
        struct Version: Decodable { var version: Int }
        if let v = try? JSONDecoder().decode(Version.self, from: data), v.version != SearchIndexBuilder.formatVersion {
            throw Failure.otherVersion(folder + "meta.json", v.version)
        }
        do { meta = try JSONDecoder().decode(Meta.self, from: data) } catch { throw Failure.corrupt(folder + "meta.json") }
        analyzer = Analyzer(language: language)
    }

    typealias QueryWord = (normal: [UInt8], folded: [UInt8])

    /// Query words (normal and folded forms, analysed with the same tables as the index, at most 10) and
    /// the ranges of them typed inside double quotes. An unclosed quote runs to the end, so a phrase
    /// being typed is a phrase already.
    func parse(_ text: String) -> (words: [QueryWord], phrases: [Range<Int>]) {
        var words: [QueryWord] = []
        var phrases: [Range<Int>] = []
        for (i, part) in text.split(separator: "\"", omittingEmptySubsequences: false).enumerated() {
            let start = words.count
            words += analyzer.words(String(part)).map { (Array($0.normal.utf8), Array($0.folded.utf8)) }
            if words.count > 10 { words.removeLast(words.count - 10) }
            if i % 2 == 1, words.count - start >= 2 { phrases.append(start..<words.count) }
        }
        return (words, phrases)
    }

    /// The stems a word the index lacks could have: the word itself and what each of the index's stem
    /// rules makes of it (keeping at least two letters).
    func stemCandidates(_ folded: [UInt8]) -> Set<[UInt8]> {
        var out: Set<[UInt8]> = [folded]
        let length = Self.scalarCount(folded)
        for rule in meta.stemRules where rule.count == 2 {
            let ending = Array(rule[0].utf8)
            guard folded.count >= ending.count, folded.suffix(ending.count).elementsEqual(ending),
                length - Self.scalarCount(ending) >= 2
            else { continue }
            out.insert(Array(folded.dropLast(ending.count)) + Array(rule[1].utf8))
        }
        return out
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

    /// An index word a query word matches, with its weight; `spelling` when it corrects a word the index
    /// lacks (one typo away, or a short word it clearly means).
    typealias Expansion = (entry: Entry, weight: Int, spelling: Bool)

    /// Entries of a shard that a query word matches, with their weights (see the type's documentation).
    /// Without `correct`, only the word as typed (its form, stem, and the start of a word being typed).
    func expansions(normal: [UInt8], folded: [UInt8], isLast: Bool, prefix: Bool, correct: Bool) throws -> [Expansion] {
        let entries = try shard(SearchShards.shard(of: String(decoding: folded, as: UTF8.self), count: meta.shards.count))
        var out: [Expansion] = []
        var taken = Set<[UInt8]>()
        let exact = entries.first { $0.folded == folded }
        // A word the index lacks: every indexed stem the stem rules make of it (less certain than the
        // word's own stem).
        let keys: Set<[UInt8]> = exact.map { [$0.key] } ?? (meta.analysis.stem ? stemCandidates(folded) : [])
        let sameStem = exact == nil ? weights.guessedStem : weights.sameStem
        for e in entries where keys.contains(e.key) {
            out.append((e, e.folded == folded ? weights.exact : sameStem, false))
            taken.insert(e.folded)
        }
        if isLast, prefix, Self.scalarCount(folded) >= 2 {
            var added = 0
            for e in entries where added < weights.prefixLimit && e.folded != folded && e.folded.starts(with: folded) && !taken.contains(e.folded) {
                out.append((e, weights.prefix, false))
                taken.insert(e.folded)
                added += 1
            }
        }
        let target = Array(String(decoding: folded, as: UTF8.self).unicodeScalars)
        if correct, exact == nil, target.count >= weights.typoLength {
            // One typo: the whole word, or, for the word being typed, the start of a word.
            for e in entries where !taken.contains(e.folded) {
                let candidate = Array(String(decoding: e.folded, as: UTF8.self).unicodeScalars)
                if Self.withinOneEdit(candidate, target) {
                    out.append((e, weights.typo, true))
                } else if isLast, prefix, candidate.count > target.count,
                    (target.count - 1...target.count + 1).contains(where: { Self.withinOneEdit(Array(candidate.prefix($0)), target) })
                {
                    out.append((e, weights.typoPrefix, true))
                }
            }
        } else if correct, out.isEmpty, target.count >= weights.correctionLength, let meant = clearlyMeant(target, in: entries) {
            out.append((meant, weights.typo, true))
        }
        return out
    }

    /// The word a short misspelled word (`chrn`, fewer than `typoLength` letters, where one typo away
    /// holds many words) clearly means: of the indexed words one edit away with the same first two
    /// letters, the one on the most pages, if that is at least `clearCorrection` times the pages of all
    /// the others together (three quarters of the candidates' pages or more, with the default 3).
    func clearlyMeant(_ target: [Unicode.Scalar], in entries: [Entry]) -> Entry? {
        var best: (entry: Entry, pages: Int)?
        var others = 0
        for e in entries {
            let candidate = Array(String(decoding: e.folded, as: UTF8.self).unicodeScalars)
            guard candidate.count >= 2, candidate.prefix(2) == target.prefix(2), Self.withinOneEdit(candidate, target) else { continue }
            let pages = e.pageCount
            if let b = best, pages <= b.pages {
                others += pages
            } else {
                others += best?.pages ?? 0
                best = (e, pages)
            }
        }
        guard let best, best.pages >= weights.clearCorrection * others else { return nil }
        return best.entry
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

    /// One query word's matches on one page: its best weighted impact, the positions of every form
    /// that matched, and whether the word matched as typed (for a word typed with diacritics: that
    /// exact form, or for the word being typed a word it begins) and did so in the title.
    struct WordHit {
        var score = 0
        var positions: [Int] = []
        var exact = false
        var title = false
    }

    /// The entry of a synonym alternative: a word's own entry, or for a phrase (`churn rate`) an entry of
    /// the pages where its words are seen adjacent and in order. Adjacency is checked on the stored
    /// positions (up to three per word on each word's best pages), so a phrase used only deeper in a
    /// long page, or on a page outside its words' best pages, is not found through the synonym.
    func synonymEntry(_ alternative: String) throws -> Entry? {
        let words = alternative.split(separator: " ").map { Array($0.utf8) }
        var perWord: [[Int: (impact: Int, positions: Set<Int>)]] = []
        var single: Entry?
        for w in words {
            let entries = try shard(SearchShards.shard(of: String(decoding: w, as: UTF8.self), count: meta.shards.count))
            guard let e = entries.first(where: { $0.folded == w }) else { return nil }
            single = e
            var pages: [Int: (impact: Int, positions: Set<Int>)] = [:]
            for variant in e.variants {
                for p in variant.postings {
                    let old = pages[p.doc] ?? (0, [])
                    pages[p.doc] = (max(old.impact, p.impact), old.positions.union(p.positions))
                }
            }
            perWord.append(pages)
        }
        if words.count == 1 { return single }
        var postings: [Posting] = []
        for doc in perWord[0].keys.sorted() {
            let hits = perWord.compactMap { $0[doc] }
            guard hits.count == perWord.count else { continue }
            let starts = Self.phraseStarts(hits.map(\.positions))
            if starts.isEmpty { continue }
            let positions = starts.sorted().flatMap { p in (0..<perWord.count).map { p + $0 } }
            postings.append(Posting(doc: doc, impact: hits.map(\.impact).min()!, positions: positions))
        }
        let name = Array(alternative.utf8)
        return Entry(folded: name, key: name, variants: [(name, postings)])
    }

    /// The positions where a phrase starts, given each of its words' positions: `p` with `p + k` among
    /// the positions of word `k` for every word.
    static func phraseStarts(_ positions: [Set<Int>]) -> Set<Int> {
        var starts = positions.first ?? []
        for (k, next) in positions.enumerated().dropFirst() { starts = starts.filter { next.contains($0 + k) } }
        return starts
    }

    /// Synonyms found in the query, as extra matches of the query words they cover: a group's
    /// alternative typed in the query (a word, or a phrase's words in order) makes every query word of it
    /// also match each other alternative of the group, a phrase alternative through `synonymEntry`.
    func addSynonyms(_ words: [QueryWord], to expanded: inout [[Expansion]]) throws {
        var cache: [String: Entry?] = [:]
        for group in meta.synonyms {
            for typed in group {
                let alternative = typed.split(separator: " ").map { Array($0.utf8) }
                guard !alternative.isEmpty, alternative.count <= words.count else { continue }
                for start in 0...(words.count - alternative.count) where alternative.indices.allSatisfy({ words[start + $0].folded == alternative[$0] }) {
                    for other in group where other != typed {
                        if cache[other] == nil { cache[other] = try synonymEntry(other) }
                        guard let entry = cache[other] ?? nil else { continue }
                        for k in start..<(start + alternative.count) where !expanded[k].contains(where: { $0.entry.folded == entry.folded }) {
                            expanded[k].append((entry, weights.synonym, false))
                        }
                    }
                }
            }
        }
    }

    /// Results and, when a misspelled word was searched through a correction, the query as corrected.
    public struct Response: Sendable, Equatable {
        public var results: [SearchResult]
        /// The query with each word that matched only through a correction replaced by its correction
        /// (`onbording checklist` → `onboarding checklist`): what the search page says it shows results
        /// for. Nil when no word was corrected or nothing was found.
        public var correctedQuery: String?
    }

    public func search(_ query: SearchQuery) throws -> [SearchResult] { try respond(query).results }

    public func respond(_ query: SearchQuery) throws -> Response {
        let (words, phrases) = parse(query.text)
        if words.isEmpty { return Response(results: [], correctedQuery: nil) }
        var expanded = try words.enumerated().map { i, word in
            try expansions(normal: word.normal, folded: word.folded, isLast: i == words.count - 1, prefix: query.prefix, correct: !query.literal)
        }
        try addSynonyms(words, to: &expanded)
        // Two query words that the index has as one word (`چک لیست` for `چک‌لیست‌ها`, `check list` for
        // `checklists`) match it as both words, the word itself above longer forms.
        for i in 0..<max(0, words.count - 1) {
            let joined = words[i].folded + words[i + 1].folded
            let entries = try shard(SearchShards.shard(of: String(decoding: joined, as: UTF8.self), count: meta.shards.count))
            var added = 0
            for e in entries where added < weights.joinedLimit && e.folded.starts(with: joined) && !expanded[i].contains(where: { $0.entry.folded == e.folded })
            {
                let weight = e.folded == joined ? weights.joined : weights.joinedPrefix
                expanded[i].append((e, weight, false))
                expanded[i + 1].append((e, weight, false))
                added += 1
            }
        }
        var best: [[Int: WordHit]] = Array(repeating: [:], count: words.count)
        var marked = [Bool](repeating: false, count: words.count)
        for (i, word) in words.enumerated() {
            // Typed diacritics (or other marks the folded form drops) make the exact form count more.
            marked[i] = word.normal != word.folded
            let typing = i == words.count - 1 && query.prefix
            for (entry, weight, _) in expanded[i] {
                for variant in entry.variants {
                    let same = variant.normal == word.normal || (typing && variant.normal.count > word.normal.count && variant.normal.starts(with: word.normal))
                    // Typed diacritics: the same form above other forms (likely other words).
                    let multiplier = weight * (marked[i] ? (same ? weights.markedSame : weights.markedOther) : weights.plain)
                    for p in variant.postings {
                        var hit = best[i][p.doc] ?? WordHit()
                        hit.score = max(hit.score, p.impact * multiplier)
                        hit.positions += p.positions
                        if !marked[i] || same {
                            hit.exact = true
                            // A title counts for a word typed with diacritics only where it has that form.
                            if p.positions.contains(where: { $0 < Self.titleEnd }) { hit.title = true }
                        }
                        best[i][p.doc] = hit
                    }
                }
            }
        }
        let segmentBit = query.segment.flatMap { meta.segments.firstIndex(of: $0) }.map { 1 << ($0 + 5) }
        let stageCode = query.stage.flatMap { meta.stages.firstIndex(of: $0) }.map { $0 + 1 }
        var scored: [(doc: Int, phrases: Int, exact: Int, score: Int)] = []
        var candidates = Set<Int>()
        for b in best { candidates.formUnion(b.keys) }
        pages: for doc in candidates {
            let code = doc < meta.filters.count ? meta.filters[doc] : 0
            if query.segment != nil, code & (segmentBit ?? 0) == 0 { continue }
            if query.stage != nil, (code >> 1) & 0xF != (stageCode ?? -1) { continue }
            if let kind = query.kind, (code & 1 == 1 ? "guide" : "article") != kind { continue }
            // Quoted words are all required; pages where they are seen adjacent, in order, come first.
            var phraseMatches = 0
            for phrase in phrases {
                let hits = phrase.compactMap { best[$0][doc] }
                guard hits.count == phrase.count else { continue pages }
                if !Self.phraseStarts(hits.map { Set($0.positions) }).isEmpty { phraseMatches += 1 }
            }
            var base = 0
            var matched = 0
            var exact = 0
            var inTitle = 0
            for (i, b) in best.enumerated() {
                guard let hit = b[doc] else { continue }
                base += hit.score
                matched += 1
                if marked[i], hit.exact { exact += 1 }
                if hit.title { inTitle += 1 }
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
            // A title that holds every query word is the strongest signal a help-center page gives.
            let titleCovers = inTitle == words.count ? weights.titleCovers : 1
            let score =
                base * matched * (weights.base + min(weights.proximityCap, proximity) + weights.titleWord * min(weights.titleWordCap, inTitle)) * titleCovers
            scored.append((doc, phraseMatches, exact, score))
        }
        // Verified phrases first, then pages with more words exactly as typed with diacritics (folding
        // widens recall but never outranks an exact match), then score, then page number.
        scored.sort {
            ($0.phrases, $0.exact, $0.score, -$0.doc) > ($1.phrases, $1.exact, $1.score, -$1.doc)
        }
        let matcher = Matcher(words: words, expanded: expanded, prefix: query.prefix)
        let results = try scored.prefix(max(0, query.limit)).map { item in
            let f = try fragment(item.doc)
            var positions: [(word: Int, position: Int)] = []
            for (i, b) in best.enumerated() { for p in b[item.doc]?.positions ?? [] { positions.append((i, p)) } }
            let s = bestSection(f.s, positions, matcher).map { f.s[$0] }
            let excerpt = excerpt(f, s, matcher)
            return SearchResult(
                url: meta.base + URLPath.encode(f.u), title: f.t, anchor: (s?.anchor).flatMap { $0.isEmpty ? nil : $0 },
                excerpt: excerpt, highlights: findWords(excerpt, matcher).ranges, kind: f.k == "g" ? "guide" : "article", context: f.m,
                score: item.score)
        }
        // A word matched only through corrections is shown as its correction of the highest weight, then
        // on the most pages (the first in index order on ties), in its most used form.
        var corrected = false
        let shown = words.indices.map { i -> String in
            let list = expanded[i]
            guard !list.isEmpty, list.allSatisfy(\.spelling) else { return String(decoding: words[i].normal, as: UTF8.self) }
            var choice = list[0]
            for x in list.dropFirst() where (x.weight, x.entry.pageCount) > (choice.weight, choice.entry.pageCount) { choice = x }
            corrected = true
            return choice.entry.mostUsedForm
        }
        return Response(results: results, correctedQuery: corrected && !results.isEmpty ? shown.joined(separator: " ") : nil)
    }

    /// What to offer when a query finds nothing: a spelling of the query from the index's own words, and
    /// the pages the reader's segment landing (or the home page) features.
    public struct Suggestions: Sendable, Equatable {
        /// The query with each word that matches nothing replaced by the closest indexed word (nil when
        /// every word matches something or none has a close word).
        public var didYouMean: String?
        public var featured: [SearchResult]
    }

    /// Suggestions for a query (`waymark search` shows them when there are no results, as the browser
    /// does). A replacement is the indexed word sharing the first two letters with the fewest edits, then
    /// the most pages, then byte order; it is written in its most used form, so `diem suc khoe` can come
    /// back with diacritics. Edits allowed grow with the word: one from `correctionLength` letters (3),
    /// two from `twoEditLength` (6), as Lucene's "AUTO" fuzziness (a five-letter word two edits away
    /// shares three letters with it: `zebra` is not `zero`). A spelling is offered only when it finds
    /// something with the query's filters.
    public func suggest(_ query: SearchQuery) throws -> Suggestions {
        let words = parse(query.text).words
        var replaced = false
        var out: [String] = []
        for (i, word) in words.enumerated() {
            let matches = try expansions(
                normal: word.normal, folded: word.folded, isLast: i == words.count - 1, prefix: query.prefix, correct: !query.literal)
            let target = Array(String(decoding: word.folded, as: UTF8.self).unicodeScalars)
            var choice: (distance: Int, pages: Int, entry: Entry)?
            if matches.isEmpty, target.count >= weights.correctionLength {
                let limit = target.count >= weights.twoEditLength ? 2 : 1
                let entries = try shard(SearchShards.shard(of: String(decoding: word.folded, as: UTF8.self), count: meta.shards.count))
                for e in entries {
                    let candidate = Array(String(decoding: e.folded, as: UTF8.self).unicodeScalars)
                    guard candidate.count >= 2, candidate.prefix(2) == target.prefix(2), abs(candidate.count - target.count) <= limit else { continue }
                    let distance = editDistance(candidate, target, swaps: true)
                    let pages = e.pageCount
                    if distance <= limit, choice == nil || (distance, -pages) < (choice!.distance, -choice!.pages) { choice = (distance, pages, e) }
                }
            }
            if let choice {
                replaced = true
                out.append(choice.entry.mostUsedForm)
            } else {
                out.append(String(decoding: word.normal, as: UTF8.self))
            }
        }
        var better = replaced ? out.joined(separator: " ") : nil
        if let text = better {
            var found = query
            found.text = text
            found.limit = 1
            if try search(found).isEmpty { better = nil }
        }
        let docs = meta.featured[query.segment ?? "home"] ?? meta.featured["home"] ?? []
        let featured = try docs.prefix(3).map { doc -> SearchResult in
            let f = try fragment(doc)
            return SearchResult(
                url: meta.base + URLPath.encode(f.u), title: f.t, anchor: nil, excerpt: excerpt(f, nil, Matcher()), kind: f.k == "g" ? "guide" : "article",
                context: f.m, score: 0)
        }
        return Suggestions(didYouMean: better, featured: featured)
    }

    /// What each query word matched in the index, to find it in text: single words (folded), phrases
    /// (synonyms with spaces, as their words) and, for the word being typed, the words it begins.
    struct Matcher {
        var words: [(single: Set<[UInt8]>, phrases: [[[UInt8]]], prefix: [UInt8]?)] = []

        init() {}

        init(words: [QueryWord], expanded: [[Expansion]], prefix: Bool) {
            self.words = words.indices.map { i in
                var single = Set<[UInt8]>()
                var phrases: [[[UInt8]]] = []
                for x in expanded[i] {
                    if x.entry.folded.contains(0x20) {
                        phrases.append(x.entry.folded.split(separator: 0x20).map(Array.init))
                    } else {
                        single.insert(x.entry.folded)
                    }
                }
                let typing = prefix && i == words.count - 1 && SearchEngine.scalarCount(words[i].folded) >= 2
                return (single, phrases, typing ? words[i].folded : nil)
            }
        }
    }

    /// The query words found in `text`: which ones, how many words of the text matched, and their ranges
    /// in scalars, in order. A query word is found as one of its index words, as two words written apart
    /// that the index has as one (`check list`), as a synonym phrase's words in order, or, for the word
    /// being typed, as a word it begins. Each word of the text is analysed alone (Persian affixes written
    /// apart are not joined), as the browser's `findWords` does.
    func findWords(_ text: String, _ matcher: Matcher) -> (seen: [Bool], words: Int, count: Int, ranges: [Range<Int>]) {
        guard !matcher.words.isEmpty else { return ([], 0, 0, []) }
        let t = analyzer.tokens(text)
        var hit = [Bool](repeating: false, count: t.count)
        var seen = [Bool](repeating: false, count: matcher.words.count)
        for (w, q) in matcher.words.enumerated() {
            for k in t.indices {
                let f = t[k].folded
                if q.single.contains(f) || q.prefix.map({ f.starts(with: $0) }) == true {
                    hit[k] = true
                    seen[w] = true
                }
                // Two words written apart (`check list`), not a word and a letter (`product's`).
                if k + 1 < t.count, t[k].range.count >= 2, t[k + 1].range.count >= 2, q.single.contains(f + t[k + 1].folded) {
                    hit[k] = true
                    hit[k + 1] = true
                    seen[w] = true
                }
                for p in q.phrases where k + p.count <= t.count && p.indices.allSatisfy({ t[k + $0].folded == p[$0] }) {
                    for j in 0..<p.count { hit[k + j] = true }
                    seen[w] = true
                }
            }
        }
        let ranges = t.indices.filter { hit[$0] }.map { t[$0].range }
        return (seen, seen.filter { $0 }.count, ranges.count, ranges)
    }

    /// The run of passages, at most `meta.excerpt` scalars and never across a gap (an empty string: text
    /// the index left out), with the most query words, then the most matched words, the earliest on
    /// ties; nil without passages.
    func bestWindow(_ passages: [String], _ matcher: Matcher) -> (range: Range<Int>, words: Int)? {
        let found = passages.map { findWords($0, matcher) }
        let lengths = passages.map(\.unicodeScalars.count)
        var best: (range: Range<Int>, words: Int, count: Int)?
        for i in passages.indices where !passages[i].isEmpty {
            var j = i + 1
            var length = lengths[i]
            var seen = found[i].seen
            var count = found[i].count
            while j < passages.count, !passages[j].isEmpty, length + lengths[j] <= meta.excerpt {
                length += lengths[j]
                count += found[j].count
                for (w, x) in found[j].seen.enumerated() where x { seen[w] = true }
                j += 1
            }
            let words = seen.filter { $0 }.count
            if best == nil || (words, count) > (best!.words, best!.count) { best = (i..<j, words, count) }
        }
        return best.map { ($0.range, $0.words) }
    }

    /// A window's text: its passages without the trailing separator, with "…" where text is left out.
    static func windowText(_ passages: [String], _ range: Range<Int>) -> String {
        var text = passages[range].joined()
        while let last = text.unicodeScalars.last, last == " " || last == "·" { text.unicodeScalars.removeLast() }
        return (range.lowerBound > 0 ? "… " : "") + text + (range.upperBound < passages.count ? " …" : "")
    }

    /// A result's excerpt: the best window of its best section; when the window holds no query word, the
    /// section's heading before it if the heading does (a checklist under "Checklist"), else the summary
    /// if it does, else the summary and the tags if they do; without a section, the same from the
    /// summary, else the start of the page. (A page matched by its title alone shows no word here: the
    /// title shows it.)
    func excerpt(_ f: Fragment, _ section: Fragment.Section?, _ matcher: Matcher) -> String {
        if let section {
            let window = bestWindow(section.passages, matcher)
            if let window, window.words > 0 { return Self.windowText(section.passages, window.range) }
            if let window, findWords(section.heading, matcher).words > 0 { return section.heading + " · " + Self.windowText(section.passages, window.range) }
            if !f.d.isEmpty, findWords(f.d, matcher).words > 0 { return f.d }
            if let tags = f.g, findWords(tags, matcher).words > 0 { return f.d.isEmpty ? tags : f.d + " · " + tags }
            if let window { return Self.windowText(section.passages, window.range) }
        }
        if let tags = f.g, findWords(f.d, matcher).words == 0, findWords(tags, matcher).words > 0 { return f.d.isEmpty ? tags : f.d + " · " + tags }
        if !f.d.isEmpty { return f.d }
        guard let first = f.s.first, let window = bestWindow(first.passages, Matcher()) else { return "" }
        return Self.windowText(first.passages, window.range)
    }

    /// The section holding the most distinct query words, by the stored positions and by its heading and
    /// passages (earliest on ties); nil when none holds any (the words matched only the title, summary or
    /// tags, which come before the first section).
    func bestSection(_ sections: [Fragment.Section], _ positions: [(word: Int, position: Int)], _ matcher: Matcher) -> Int? {
        var bestIndex: Int?
        var bestCount = 0
        for (j, section) in sections.enumerated() {
            let end = j + 1 < sections.count ? sections[j + 1].start : Int.max
            var words = Set(positions.filter { $0.position >= section.start && $0.position < end }.map(\.word))
            for text in [section.heading] + section.passages {
                for (w, x) in findWords(text, matcher).seen.enumerated() where x { words.insert(w) }
            }
            if words.count > bestCount {
                bestCount = words.count
                bestIndex = j
            }
        }
        return bestIndex
    }
}
