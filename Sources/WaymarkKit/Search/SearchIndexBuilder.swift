import Foundation

/// One page as the search index sees it.
struct SearchDocument: Sendable, Hashable {
    var language: String
    /// Site-relative URL path (`en/articles/billing/refunds/`), without the base path.
    @Exact var urlPath: String
    @Exact var title: String
    @Exact var summary: String?
    @Exact var tags: [String]
    var kind: DocumentKind
    /// Shown under the title in results: the category, or stage and route for a guide.
    @Exact var context: String
    /// Segment ids the page is for; empty means every segment.
    var segments: [String]
    var stage: String?
    /// The page's text by heading, stood for by its Markdown rendering's key.
    var sections: Keyed<[TextSection]>
    /// Pages that sit together in this order share fragment files, so results of one query tend to
    /// need few of them.
    var order: String
}

/// Builds the static, sharded search index of each language (`search/<lang>/`):
///
/// - `meta.json`: analysis tables, file names, per-page filter codes and synonyms — the only file a page
///   loads before the first keystroke completes a word;
/// - `s<n>.<hash>.bin`: term shards (see `IndexFormat.swift`), one fetched per query word;
/// - `f<n>.<hash>.json`: page fragments (title, URL, headings with anchors and start positions, each
///   section's text in passages), fetched for the results shown.
///
/// Scores are BM25F impacts computed here, once, with field weights title 3 > headings 2 > summary and
/// tags 1.5 > body 1, and quantized to a byte; the query side only sums and multiplies integers, which is
/// what lets the browser and `waymark search` rank identically.
public struct SearchIndexBuilder: Sendable {
    /// The index format. Version 2 added `stemRules` and `featured` to `meta.json`, dropped
    /// `analysis.maxSuffix` and lets synonyms hold phrases; version 3 keeps each section's text as
    /// passages instead of one snippet, and `excerpt` and the correction limits in `meta.json`. Readers
    /// refuse another version with "rebuild the site" rather than misread it.
    static let formatVersion = 3

    public var segments: [String]
    public var stages: [String]
    /// Synonym groups per language, as written in site.yml.
    public var synonyms: [String: [[String]]]
    /// The site's base path (`/` or `/help/`), so `waymark search` prints the URLs the browser links to.
    public var basePath: String
    /// Interface strings of the search box and page per language (shipped in meta.json).
    public var strings: [String: [(String, String)]] = [:]
    /// Per language, the pages each landing recommends (`home` and each segment id → URL paths, in the
    /// landing's order): what both engines offer when a query finds nothing.
    public var featured: [String: [(String, [String])]] = [:]
    public var fragmentChunkSize = 100
    public var targetShardBytes = 12_000

    static let titleWeight = 3.0, headingWeight = 2.0, summaryWeight = 1.5, bodyWeight = 1.0
    static let fieldGap = 8
    static let titleEnd = 1000
    static let maximumPositions = 3
    /// Per word form, how many of its best pages keep their positions.
    static let postingsWithPositions = 64
    /// Longest passage, in scalars: about a line of a result.
    static let passageLength = 160
    /// A passage ends at a sentence or block end only once it is this long, so table cells and short list
    /// items travel together, separated by " · ".
    static let minimumPassage = 40
    /// Longest excerpt (a run of passages) shown for a result, in scalars.
    static let excerptLength = 180
    /// On how many of a word's best pages excerpts can show it: the passage of its first use in the body
    /// is kept there (the search page shows 20 results).
    static let excerptPages = 20
    static let k1 = 1.2, b = 0.75

    public init(segments: [String], stages: [String], synonyms: [String: [[String]]], basePath: String) {
        self.basePath = basePath
        self.segments = segments
        self.stages = stages
        self.synonyms = synonyms
    }

    /// One word's occurrences in a page: summed field weight and the most telling positions (title before
    /// headings before summary before body, then earliest).
    struct Term: Sendable {
        var word: Int32
        var weight: Float
        var positions: Positions
    }

    /// Up to three positions, kept inline (no allocation per term). Each is stored as
    /// `position << 2 | rank`, the rank being the field (3 title, 2 heading, 1 summary, 0 body), so the
    /// most telling occurrences can be kept without storing weights: 16 bytes a term instead of 28.
    struct Positions: Sendable {
        var count: UInt8 = 0
        var p: (UInt32, UInt32, UInt32) = (0, 0, 0)

        subscript(i: Int) -> UInt32 {
            get { i == 0 ? p.0 : i == 1 ? p.1 : p.2 }
            set {
                if i == 0 { p.0 = newValue } else if i == 1 { p.1 = newValue } else { p.2 = newValue }
            }
        }

        /// Whether the packed occurrence `a` tells more than `b`: higher field rank, then earlier.
        private static func better(_ a: UInt32, _ b: UInt32) -> Bool {
            (a & 3) != (b & 3) ? (a & 3) > (b & 3) : a < b
        }

        mutating func keep(_ position: Int32, rank: UInt32) {
            let packed = UInt32(position) << 2 | rank
            if count < 3 {
                self[Int(count)] = packed
                count += 1
                return
            }
            var worst = 0
            for i in 1..<3 where Self.better(self[worst], self[i]) { worst = i }
            if Self.better(packed, self[worst]) { self[worst] = packed }
        }

        var sorted: [Int] { (0..<Int(count)).map { Int(self[$0] >> 2) }.sorted() }
    }

    /// The words an analyzer saw, shared by the pages it analysed.
    final class Lexicon: @unchecked Sendable {
        let words: [Analyzer.Word]
        init(_ words: [Analyzer.Word]) { self.words = words }
    }

    struct Analyzed: Sendable {
        var lexicon: Lexicon
        var terms: [Term]
        var length: Int
        var fragment: Fragment
    }

    /// A page's fragment before the index chooses the passages it keeps (`fragmentJSON`).
    struct Fragment: Sendable {
        var fields: [(String, JSON)]
        var sections: [Section]

        struct Section: Sendable {
            var anchor: String
            var heading: String
            var start: Int
            var passages: [String]
            /// Per passage, the page's terms (indices into `Analyzed.terms`) used in the body for the first time there.
            var firstUses: [[Int32]]
        }
    }

    /// Analyses documents on every core, in chunks with an analyzer (and its caches) each; the result is
    /// in input order. Kept apart from `build` because related pages use the same analysis.
    static func analyze(_ documents: [SearchDocument]) -> [Analyzed] {
        var jobs: [Range<Int>] = []
        var start = 0
        while start < documents.count {
            var end = start + 1
            while end < documents.count, end - start < 200, documents[end].language == documents[start].language { end += 1 }
            jobs.append(start..<end)
            start = end
        }
        return jobs.concurrentMap { range -> [Analyzed] in
            var analyzer = Analyzer(language: documents[range.lowerBound].language)
            var scratch: [Int32] = []
            let partial = range.map { Self.analyze(documents[$0], with: &analyzer, scratch: &scratch) }
            let lexicon = Lexicon(analyzer.vocabulary)
            return partial.map { Analyzed(lexicon: lexicon, terms: $0.terms, length: $0.length, fragment: $0.fragment) }
        }.flatMap { $0 }
    }

    /// Each language's pages in index order with their merged vocabulary and BM25F impacts.
    static func corpora(_ documents: [SearchDocument], _ analyzed: [Analyzed], languages: [String]) -> [LanguageCorpus] {
        var byLanguage: [String: [Int]] = [:]
        for (i, d) in documents.enumerated() where languages.contains(d.language) { byLanguage[d.language, default: []].append(i) }
        let groups = byLanguage
        return languages.concurrentMap { language in
            let indices = (groups[language] ?? []).sorted { (documents[$0].order, documents[$0].urlPath) < (documents[$1].order, documents[$1].urlPath) }
            return LanguageCorpus(language: language, documents: indices.map { documents[$0] }, analyzed: indices.map { analyzed[$0] }, sources: indices)
        }
    }

    static func analyze(_ d: SearchDocument, with analyzer: inout Analyzer, scratch: inout [Int32]) -> (terms: [Term], length: Int, fragment: Fragment) {
        var terms: [Term] = []
        var position: Int32 = 0
        func add(_ text: String, weight: Float, rank: UInt32) {
            analyzer.analyze(text) { id in
                if Int(id) >= scratch.count { scratch.append(contentsOf: repeatElement(-1, count: Int(id) - scratch.count + 1024)) }
                let slot = scratch[Int(id)]
                if slot >= 0 {
                    terms[Int(slot)].weight += weight
                    terms[Int(slot)].positions.keep(position, rank: rank)
                } else {
                    scratch[Int(id)] = Int32(terms.count)
                    var positions = Positions()
                    positions.keep(position, rank: rank)
                    terms.append(Term(word: id, weight: weight, positions: positions))
                }
                position += 1
            }
        }
        add(d.title, weight: Float(titleWeight), rank: 3)
        // Title words are the positions below `titleEnd`, so queries can tell a title match.
        position = max(position + Int32(fieldGap), Int32(titleEnd))
        add(([d.summary ?? ""] + d.tags).joined(separator: " . "), weight: Float(summaryWeight), rank: 1)
        position += Int32(fieldGap)
        var sections: [Fragment.Section] = []
        var usedInBody: Set<Int32> = []
        for section in d.sections.value {
            let start = position
            if !section.heading.isEmpty { add(section.heading, weight: Float(headingWeight), rank: 2) }
            add(section.text, weight: Float(bodyWeight), rank: 0)
            // Which passage holds each term's first use in the body: the passage an excerpt needs to show it.
            let passages = passages(section.text)
            let firstUses = passages.map { passage -> [Int32] in
                var firsts: [Int32] = []
                analyzer.analyze(passage) { id in
                    guard Int(id) < scratch.count, scratch[Int(id)] >= 0, usedInBody.insert(scratch[Int(id)]).inserted else { return }
                    firsts.append(scratch[Int(id)])
                }
                return firsts
            }
            sections.append(
                Fragment.Section(anchor: section.anchor ?? "", heading: section.heading, start: Int(start), passages: passages, firstUses: firstUses))
        }
        for t in terms { scratch[Int(t.word)] = -1 }
        let fields: [(String, JSON)] =
            [
                ("u", .string(d.urlPath)), ("t", .string(d.title)), ("k", .string(d.kind == .guide ? "g" : "a")),
                ("m", .string(d.context)), ("d", .string(d.summary ?? "")),
            ] + (d.tags.isEmpty ? [] : [("g", .string(d.tags.joined(separator: ", ")))])
        return (terms, Int(position), Fragment(fields: fields, sections: sections))
    }

    /// A page's fragment as stored: each section's passages that an excerpt may need, which are its first
    /// passage and every passage holding the first use in the body of a term in `kept` (the page is among
    /// the word's `excerptPages` best pages, where a query for the word shows it). A word on few pages
    /// keeps its passage everywhere, a word on every page only where it matters; so the index grows with
    /// the vocabulary, not with the text. Each run of left-out passages is an empty string, so neither
    /// engine joins text across a gap.
    static func fragmentJSON(_ f: Fragment, kept: Set<Int32>) -> JSON {
        let sections = f.sections.map { s -> JSON in
            var passages: [JSON] = []
            var gap = false
            for (i, passage) in s.passages.enumerated() {
                guard i == 0 || s.firstUses[i].contains(where: kept.contains) else {
                    gap = true
                    continue
                }
                if gap { passages.append(.string("")) }
                gap = false
                passages.append(.string(passage))
            }
            if gap { passages.append(.string("")) }
            return .array([.string(s.anchor), .string(s.heading), .int(s.start), .array(passages)])
        }
        return .object(f.fields + [("s", .array(sections))])
    }

    /// A section's text as passages for excerpts: whitespace collapsed, a block end (paragraph, list item,
    /// table cell, code line) shown as " · " unless the text before it ends in punctuation, a passage
    /// ending at a sentence end or block end once it is `minimumPassage` long, or before it would pass
    /// `passageLength`, and always between words (a word longer than a passage is cut short with "…").
    /// Each passage but the last ends with the separator that follows it, so the passages joined are the
    /// text. Works on UTF-8 bytes: it runs for every section of every page.
    static func passages(_ text: String) -> [String] {
        var passages: [String] = []
        var current: [UInt8] = []
        var currentLength = 0
        var blockEnd = false
        var last: (sentence: Bool, clause: Bool) = (false, false)
        // Per word: no copies or strings of its own (this runs for every word of every page).
        func add(_ whole: ArraySlice<UInt8>) {
            var word = whole
            var length = 0
            for b in word where b & 0xC0 != 0x80 { length += 1 }
            if length > passageLength {
                // A very long word (a URL, a hash): its start is enough.
                var scalars = 0
                let end = word.firstIndex { b in
                    if b & 0xC0 != 0x80 { scalars += 1 }
                    return scalars > passageLength / 2
                }!
                word = ArraySlice(Array(word[..<end]) + Array("…".utf8))
                length = passageLength / 2 + 1
            }
            let separator: [UInt8] = current.isEmpty ? [] : blockEnd && !last.clause ? Self.blockSeparator : Self.space
            let separatorLength = separator.isEmpty ? 0 : separator.count == 1 ? 1 : 3
            current += separator
            if separatorLength > 0,
                ((last.sentence || blockEnd) && currentLength >= minimumPassage) || currentLength + separatorLength + length > passageLength
            {
                passages.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                currentLength = 0
            } else {
                currentLength += separatorLength
            }
            current += word
            currentLength += length
            last = ending(word)
            blockEnd = false
        }
        let bytes = Array(text.utf8)
        var start = -1
        for (i, b) in bytes.enumerated() {
            let space = b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
            if space {
                if start >= 0 {
                    add(bytes[start..<i])
                    start = -1
                }
                if b == 0x0A { blockEnd = true }
            } else if start < 0 {
                start = i
            }
        }
        if start >= 0 { add(bytes[start...]) }
        if !current.isEmpty { passages.append(String(decoding: current, as: UTF8.self)) }
        return passages
    }

    /// Whether a word ends a sentence (`.`, `!`, `?`, `…`, `؟`, `。`) or at least a clause (also `:`, `;`,
    /// `,`, `،`, `؛`), by its last scalar.
    static func ending(_ word: ArraySlice<UInt8>) -> (sentence: Bool, clause: Bool) {
        var i = word.endIndex - 1
        while i > word.startIndex, word[i] & 0xC0 == 0x80 { i -= 1 }
        guard i >= word.startIndex else { return (false, false) }
        var decoder = UTF8()
        var bytes = word[i...].makeIterator()
        guard case .scalarValue(let last) = decoder.decode(&bytes) else { return (false, false) }
        // A switch, not the sets: hashing a scalar per word of every page showed in profiles.
        switch last {
        case ".", "!", "?", "…", "؟", "。", "！", "？": return (true, true)
        case ":", ";", ",", "،", "؛", "：", "；", "，": return (false, true)
        default: return (false, false)
        }
    }
    static let space: [UInt8] = [0x20]
    static let blockSeparator = Array(" · ".utf8)

    /// How Snowball turned this corpus's words into stems, as suffix rules: `measurements` → `measur`
    /// gives (`ements`, ``), `happy` → `happi` gives (`y`, `i`). A query word the index lacks is matched
    /// by every indexed stem one of these rules makes of it, so `measurement` finds the pages of
    /// `measurements` in both engines without running libstemmer (or shipping it to the browser). Rules
    /// come from libstemmer's own output, sorted, only where the stem keeps at least two letters of the
    /// word and the removed ending is at most `LanguageProfile.maximumRuleSuffix` letters, plus the
    /// endings of Snowball's own suffix lists (`LanguageProfile.snowballEndings`). A candidate counts only
    /// when the index has it as a stem, so a rule that does not apply to a word finds nothing.
    static func stemRules(_ corpus: LanguageCorpus) -> [(word: String, stem: String)] {
        let profile = LanguageProfile(language: corpus.language)
        guard profile.stemmer != nil else { return [] }
        var rules = Set(profile.snowballEndings.map { [$0, ""] })
        for w in corpus.words where w.key != w.folded {
            let word = Array(w.folded.unicodeScalars)
            let stem = Array(w.key.unicodeScalars)
            var shared = 0
            while shared < word.count, shared < stem.count, word[shared] == stem[shared] { shared += 1 }
            guard shared >= 2, word.count - shared <= LanguageProfile.maximumRuleSuffix else { continue }
            rules.insert([String(String.UnicodeScalarView(word[shared...])), String(String.UnicodeScalarView(stem[shared...]))])
        }
        return rules.sorted {
            Array($0[0].utf8) != Array($1[0].utf8)
                ? Array($0[0].utf8).lexicographicallyPrecedes($1[0].utf8) : Array($0[1].utf8).lexicographicallyPrecedes($1[1].utf8)
        }
        .map { ($0[0], $0[1]) }
    }

    func filterCode(_ d: SearchDocument) -> Int {
        var code = d.kind == .guide ? 1 : 0
        if let stage = d.stage, let i = stages.firstIndex(of: stage) { code |= (i + 1) << 1 }
        let mask =
            d.segments.isEmpty
            ? (1 << min(segments.count, 24)) - 1
            : d.segments.reduce(0) { m, s in segments.firstIndex(of: s).map { $0 < 24 ? m | (1 << $0) : m } ?? m }
        return code | mask << 5
    }

    func encode(_ corpus: LanguageCorpus) -> [(String, [UInt8])] {
        let language = corpus.language
        let documents = corpus.documents
        let analyzed = corpus.analyzed
        let folder = "search/\(language)/"
        let n = documents.count
        func quantized(_ impact: Float) -> UInt8 {
            UInt8(max(1, min(255, Int((Double(impact) / max(corpus.maxImpact, 1e-9) * 255).rounded()))))
        }
        // Page numbers follow the strongest word, then the writer's order: a query's top pages then tend to
        // share a fragment file, so showing ten results costs one or two downloads instead of ten.
        let order = (0..<n).sorted { a, b in
            let (ua, ub) = (corpus.dominant[a], corpus.dominant[b])
            let (ka, kb) = (ua < 0 ? "" : corpus.unitNames[Int(ua)], ub < 0 ? "" : corpus.unitNames[Int(ub)])
            return (ka, documents[a].order, documents[a].urlPath) < (kb, documents[b].order, documents[b].urlPath)
        }
        var newID = [Int](repeating: 0, count: n)
        for (new, old) in order.enumerated() { newID[old] = new }
        // Positions (for proximity, phrases and deep links) only where they can matter: the pages that rank
        // highest for each word. A word on every page would otherwise cost kilobytes.
        // Excerpts show a word on its best `excerptPages` pages (see `fragmentJSON`).
        var positioned: [Set<Int32>] = []
        var kept = [Set<Int32>](repeating: [], count: n)
        for w in corpus.postings.indices {
            let unit = Int(corpus.unitOf[w])
            let ranked = corpus.postings[w].map { p in (doc: p.doc, term: p.term, impact: quantized(corpus.impact(unit: unit, doc: Int(p.doc)))) }
                .sorted { ($0.impact, -newID[Int($0.doc)]) > ($1.impact, -newID[Int($1.doc)]) }
            positioned.append(Set(ranked.prefix(Self.postingsWithPositions).map(\.doc)))
            for p in ranked.prefix(Self.excerptPages) { kept[Int(p.doc)].insert(p.term) }
        }

        // Entries (folded forms) in UTF-8 byte order; each holds its written forms (words).
        let sortedFolded = corpus.entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
        var estimated = 0
        for folded in sortedFolded {
            estimated += folded.utf8.count + 4
            for w in corpus.entries[folded]! { estimated += 2 + corpus.postings[Int(w)].count * 4 }
        }
        // Shards are sized for a small first query, within one index file per 50 pages on large sites
        // (small sites may use up to 16 shards: a handful of files, each a few kB).
        let chunks = max(1, (n + fragmentChunkSize - 1) / fragmentChunkSize)
        let fileBudget = max(16, n / 50 - chunks - 1)
        let shardCount = max(1, min(fileBudget, (estimated + targetShardBytes - 1) / targetShardBytes))
        var shardEntries = [[String]](repeating: [], count: shardCount)
        for folded in sortedFolded { shardEntries[SearchShards.shard(of: folded, count: shardCount)].append(folded) }
        let shards = (0..<shardCount).map { s -> ByteWriter in
            var w = ByteWriter()
            w.bytes.append(contentsOf: Array("WMS1".utf8))
            w.varint(shardEntries[s].count)
            var previous: [UInt8] = []
            for folded in shardEntries[s] {
                let bytes = Array(folded.utf8)
                let shared = zip(previous, bytes).prefix { $0 == $1 }.count
                w.varint(shared)
                w.data(bytes[shared...])
                let words = corpus.entries[folded]!.sorted {
                    Array(corpus.words[Int($0)].normal.utf8).lexicographicallyPrecedes(corpus.words[Int($1)].normal.utf8)
                }
                let keyBytes = Array(corpus.words[Int(words[0])].key.utf8)
                let keyShared = zip(bytes, keyBytes).prefix { $0 == $1 }.count
                w.varint(keyShared)
                w.data(keyBytes[keyShared...])
                w.varint(words.count)
                for word in words {
                    let normal = corpus.words[Int(word)].normal
                    w.data(normal == folded ? [] : Array(normal.utf8))
                    let unit = Int(corpus.unitOf[Int(word)])
                    let postings = corpus.postings[Int(word)].map { p in
                        (doc: newID[Int(p.doc)], impact: quantized(corpus.impact(unit: unit, doc: Int(p.doc))), term: p)
                    }.sorted { $0.doc < $1.doc }
                    w.varint(postings.count)
                    var lastDoc = 0
                    for p in postings {
                        w.varint(p.doc - lastDoc)
                        lastDoc = p.doc
                        w.byte(p.impact)
                        let positions = positioned[Int(word)].contains(p.term.doc) ? analyzed[Int(p.term.doc)].terms[Int(p.term.term)].positions.sorted : []
                        w.varint(positions.count)
                        var lastPosition = 0
                        for position in positions {
                            w.varint(position - lastPosition)
                            lastPosition = position
                        }
                    }
                }
                previous = bytes
            }
            return w
        }
        var files: [(String, [UInt8])] = []
        var shardNames: [JSON] = []
        for (s, w) in shards.enumerated() {
            let name = TemplateSet.fingerprinted("s\(s).bin", w.bytes)
            shardNames.append(.string(name))
            files.append((folder + name, w.bytes))
        }
        var fragmentNames: [JSON] = []
        for c in 0..<chunks where c * fragmentChunkSize < max(n, 1) {
            let slice = order[min(n, c * fragmentChunkSize)..<min(n, (c + 1) * fragmentChunkSize)]
            let bytes = Array((JSON.array(slice.map { Self.fragmentJSON(analyzed[$0].fragment, kept: kept[$0]) }).encoded() + "\n").utf8)
            let name = TemplateSet.fingerprinted("f\(c).json", bytes)
            fragmentNames.append(.string(name))
            files.append((folder + name, bytes))
        }
        var analyzer = Analyzer(language: language)
        // Each alternative of a group as its folded words joined by one space: `churn rate` is a phrase.
        let synonymGroups: [JSON] = (synonyms[language] ?? []).map { group in
            .array(
                group.compactMap { alternative in
                    let words = analyzer.words(alternative).map(\.folded)
                    return words.isEmpty ? nil : JSON.string(words.joined(separator: " "))
                })
        }
        var pageNumber: [String: Int] = [:]
        for (new, old) in order.enumerated() { pageNumber[documents[old].urlPath] = new }
        let featuredPages: JSON = .object(
            (featured[language] ?? []).map { name, paths in (name, JSON.array(paths.compactMap { pageNumber[$0] }.prefix(3).map(JSON.int))) })
        let meta = JSON.object([
            ("version", .int(Self.formatVersion)),
            ("language", .string(language)),
            ("base", .string(basePath)),
            ("docs", .int(n)),
            ("chunk", .int(fragmentChunkSize)),
            ("excerpt", .int(Self.excerptLength)),
            ("analysis", LanguageProfile(language: language).json),
            ("ranking", Ranking().json),
            ("shards", .array(shardNames)),
            ("fragments", .array(fragmentNames)),
            ("segments", .array(segments.map(JSON.string))),
            ("stages", .array(stages.map(JSON.string))),
            ("synonyms", .array(synonymGroups)),
            ("stemRules", .array(Self.stemRules(corpus).map { .array([.string($0.word), .string($0.stem)]) })),
            ("featured", featuredPages),
            ("filters", .array(order.map { .int(filterCode(documents[$0])) })),
            ("strings", .object((strings[language] ?? []).map { ($0.0, JSON.string($0.1)) })),
        ])
        files.append((folder + "meta.json", Array((meta.encoded() + "\n").utf8)))
        return files
    }
}
