import Foundation

/// One page as the search index sees it.
public struct SearchDocument: Sendable {
    public var language: String
    /// Site-relative URL path (`en/articles/billing/refunds/`), without the base path.
    public var urlPath: String
    public var title: String
    public var summary: String?
    public var tags: [String]
    public var kind: DocumentKind
    /// Shown under the title in results: the category, or stage and route for a guide.
    public var context: String
    /// Segment ids the page is for; empty means every segment.
    public var segments: [String]
    public var stage: String?
    public var sections: [TextSection]
    /// Pages that sit together in this order share fragment files, so results of one query tend to
    /// need few of them.
    public var order: String
}

/// Builds the static, sharded search index of each language (`search/<lang>/`):
///
/// - `meta.json`: analysis tables, file names, per-page filter codes and synonyms — the only file a page
///   loads before the first keystroke completes a word;
/// - `s<n>.<hash>.bin`: term shards (see `IndexFormat.swift`), one fetched per query word;
/// - `f<n>.<hash>.json`: page fragments (title, URL, headings with anchors and start positions, section
///   snippets), fetched for the results shown.
///
/// Scores are BM25F impacts computed here, once, with field weights title 3 > headings 2 > summary and
/// tags 1.5 > body 1, and quantized to a byte; the query side only sums and multiplies integers, which is
/// what lets the browser and `waymark search` rank identically.
public struct SearchIndexBuilder: Sendable {
    public var segments: [String]
    public var stages: [String]
    /// Synonym groups per language, as written in site.yml.
    public var synonyms: [String: [[String]]]
    /// The site's base path (`/` or `/help/`), so `waymark search` prints the URLs the browser links to.
    public var basePath: String
    public var fragmentChunkSize = 100
    public var targetShardBytes = 12_000

    static let titleWeight = 3.0, headingWeight = 2.0, summaryWeight = 1.5, bodyWeight = 1.0
    static let fieldGap = 8
    static let titleEnd = 1000
    static let maximumPositions = 3
    /// Per word form, how many of its best pages keep their positions.
    static let postingsWithPositions = 64
    static let snippetLength = 200
    static let k1 = 1.2, b = 0.75

    public init(segments: [String], stages: [String], synonyms: [String: [[String]]], basePath: String) {
        self.basePath = basePath
        self.segments = segments
        self.stages = stages
        self.synonyms = synonyms
    }

    struct Term {
        var word: Analyzer.Word
        var weight: Double
        /// The most telling occurrences: title before headings before summary before body, then earliest.
        var kept: [(position: Int, weight: Double)]

        mutating func keep(_ position: Int, _ weight: Double) {
            if kept.count < maximumPositions {
                kept.append((position, weight))
            } else if let worst = kept.indices.min(by: { kept[$0].weight != kept[$1].weight ? kept[$0].weight < kept[$1].weight : kept[$0].position > kept[$1].position }),
                weight > kept[worst].weight
            {
                kept[worst] = (position, weight)
            }
        }

        var positions: [Int] { kept.map(\.position).sorted() }
    }

    struct Analyzed: Sendable {
        var terms: [(normal: String, folded: String, key: String, weight: Double, positions: [Int])]
        var length: Int
        var fragment: JSON
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
            return range.map { Self.analyze(documents[$0], with: &analyzer) }
        }.flatMap { $0 }
    }

    /// Output files (path below the output root → bytes) for `languages`, from documents and their analysis.
    func build(_ documents: [SearchDocument], analyzed: [Analyzed], languages: [String]) -> [(String, [UInt8])] {
        var byLanguage: [String: [Int]] = [:]
        for (i, d) in documents.enumerated() where languages.contains(d.language) { byLanguage[d.language, default: []].append(i) }
        for key in byLanguage.keys {
            byLanguage[key]!.sort { (documents[$0].order, documents[$0].urlPath) < (documents[$1].order, documents[$1].urlPath) }
        }
        let groups = byLanguage
        return languages.concurrentMap { language in
            let indices = groups[language] ?? []
            return encode(language: language, documents: indices.map { documents[$0] }, analyzed: indices.map { analyzed[$0] })
        }.flatMap { $0 }
    }

    static func analyze(_ d: SearchDocument, with analyzer: inout Analyzer) -> Analyzed {
        var terms: [String: Term] = [:]
        var position = 0
        func add(_ text: String, weight: Double) {
            for w in analyzer.words(text) {
                if var t = terms[w.normal] {
                    t.weight += weight
                    t.keep(position, weight)
                    terms[w.normal] = t
                } else {
                    terms[w.normal] = Term(word: w, weight: weight, kept: [(position, weight)])
                }
                position += 1
            }
        }
        add(d.title, weight: titleWeight)
        // Title words are the positions below `titleEnd`, so queries can tell a title match.
        position = max(position + fieldGap, titleEnd)
        add(([d.summary ?? ""] + d.tags).joined(separator: " . "), weight: summaryWeight)
        position += fieldGap
        var sections: [JSON] = []
        for section in d.sections {
            let start = position
            if !section.heading.isEmpty { add(section.heading, weight: headingWeight) }
            add(section.text, weight: bodyWeight)
            sections.append(.array([
                .string(section.anchor ?? ""), .string(section.heading), .int(start), .string(snippet(section.text)),
            ]))
        }
        let fragment = JSON.object([
            ("u", .string(d.urlPath)), ("t", .string(d.title)), ("k", .string(d.kind == .guide ? "g" : "a")),
            ("m", .string(d.context)), ("d", .string(d.summary ?? "")), ("s", .array(sections)),
        ])
        let list = terms.values.map { ($0.word.normal, $0.word.folded, $0.word.key, $0.weight, $0.positions) }
        return Analyzed(terms: list, length: position, fragment: fragment)
    }

    /// The start of a section's text, cut at a word boundary.
    static func snippet(_ text: String) -> String {
        let collapsed = text.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "\t" }).joined(separator: " ")
        guard collapsed.count > snippetLength else { return collapsed }
        var cut = collapsed.prefix(snippetLength)
        if let space = cut.lastIndex(of: " ") { cut = cut[..<space] }
        return cut + "…"
    }

    func filterCode(_ d: SearchDocument) -> Int {
        var code = d.kind == .guide ? 1 : 0
        if let stage = d.stage, let i = stages.firstIndex(of: stage) { code |= (i + 1) << 1 }
        let mask = d.segments.isEmpty
            ? (1 << min(segments.count, 24)) - 1
            : d.segments.reduce(0) { m, s in segments.firstIndex(of: s).map { $0 < 24 ? m | (1 << $0) : m } ?? m }
        return code | mask << 5
    }

    struct Posting {
        var doc: Int
        var weight: Double
        var positions: [Int]
        var impact = 0
    }

    func encode(language: String, documents: [SearchDocument], analyzed: [Analyzed]) -> [(String, [UInt8])] {
        let folder = "search/\(language)/"
        let n = analyzed.count
        // folded → (key, normal → postings)
        var vocabulary: [String: (key: String, variants: [String: [Posting]])] = [:]
        var totalLength = 0
        for (doc, a) in analyzed.enumerated() {
            totalLength += a.length
            for t in a.terms {
                vocabulary[t.folded, default: (t.key, [:])].variants[t.normal, default: []].append(Posting(doc: doc, weight: t.weight, positions: t.positions))
            }
        }
        let averageLength = n > 0 ? max(1.0, Double(totalLength) / Double(n)) : 1
        // BM25 per word: in stemmed languages per stem, so a page's weight for `activ` counts "activation"
        // and "activated" alike and a rare inflection never outranks the common one; elsewhere per exact
        // form, since Vietnamese `chỉ`, `chi` and `chí` fold alike but are different words. Every variant's
        // posting carries its page's impact for its unit; queries prefer exact forms with multipliers.
        let stemmed = LanguageProfile(language: language).stemmer != nil
        func unit(_ entry: (key: String, variants: [String: [Posting]]), _ normal: String) -> String {
            stemmed ? entry.key : normal
        }
        var keyWeights: [String: [Int: Double]] = [:]
        for (_, entry) in vocabulary {
            for (normal, postings) in entry.variants {
                for p in postings { keyWeights[unit(entry, normal), default: [:]][p.doc, default: 0] += p.weight }
            }
        }
        var keyImpacts: [String: [Int: Double]] = [:]
        var maxImpact = 0.0
        // Each page's strongest word, to order pages so that the best pages for a word sit together.
        var dominant = [(unit: String, impact: Double)](repeating: ("", -1), count: n)
        for (key, docs) in keyWeights {
            let df = Double(docs.count)
            let idf = log(1 + (Double(n) - df + 0.5) / (df + 0.5))
            var values: [Int: Double] = [:]
            for (doc, weight) in docs {
                let length = Double(analyzed[doc].length)
                let norm = Self.k1 * (1 - Self.b + Self.b * length / averageLength)
                let impact = idf * weight * (Self.k1 + 1) / (weight + norm)
                values[doc] = impact
                maxImpact = max(maxImpact, impact)
                if impact > dominant[doc].impact || (impact == dominant[doc].impact && key < dominant[doc].unit) { dominant[doc] = (key, impact) }
            }
            keyImpacts[key] = values
        }
        func quantized(_ impact: Double) -> UInt8 {
            UInt8(max(1, min(255, Int((impact / max(maxImpact, 1e-9) * 255).rounded()))))
        }
        // Page numbers follow the strongest word, then the writer's order: a query's top pages then tend to
        // share a fragment file, so showing ten results costs one or two downloads instead of ten.
        let order = (0..<n).sorted { a, b in
            (dominant[a].unit, documents[a].order, documents[a].urlPath) < (dominant[b].unit, documents[b].order, documents[b].urlPath)
        }
        var newID = [Int](repeating: 0, count: n)
        for (new, old) in order.enumerated() { newID[old] = new }

        // Entries in UTF-8 byte order, each encoded without front coding to size the shards.
        let sortedFolded = vocabulary.keys.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
        var estimated = 0
        for folded in sortedFolded {
            estimated += folded.utf8.count + 4
            for (_, postings) in vocabulary[folded]!.variants { estimated += 2 + postings.count * 4 }
        }
        // Shards are sized for a small first query, within one index file per 50 pages on large sites
        // (small sites may use up to 16 shards: a handful of files, each a few kB).
        let chunks = max(1, (n + fragmentChunkSize - 1) / fragmentChunkSize)
        let fileBudget = max(16, n / 50 - chunks - 1)
        let shardCount = max(1, min(fileBudget, (estimated + targetShardBytes - 1) / targetShardBytes))
        var shards = [ByteWriter](repeating: ByteWriter(), count: shardCount)
        var shardEntries = [[String]](repeating: [], count: shardCount)
        for folded in sortedFolded { shardEntries[SearchShards.shard(of: folded, count: shardCount)].append(folded) }
        for s in 0..<shardCount {
            var w = ByteWriter()
            w.bytes.append(contentsOf: Array("WMS1".utf8))
            w.varint(shardEntries[s].count)
            var previous: [UInt8] = []
            for folded in shardEntries[s] {
                let bytes = Array(folded.utf8)
                let shared = zip(previous, bytes).prefix { $0 == $1 }.count
                w.varint(shared)
                w.data(bytes[shared...])
                let entry = vocabulary[folded]!
                let keyBytes = Array(entry.key.utf8)
                let keyShared = zip(bytes, keyBytes).prefix { $0 == $1 }.count
                w.varint(keyShared)
                w.data(keyBytes[keyShared...])
                let variants = entry.variants.keys.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
                w.varint(variants.count)
                for normal in variants {
                    w.data(normal == folded ? [] : Array(normal.utf8))
                    let impacts = keyImpacts[unit(entry, normal)]!
                    let postings = entry.variants[normal]!.map { p in (doc: newID[p.doc], impact: quantized(impacts[p.doc]!), positions: p.positions) }
                        .sorted { $0.doc < $1.doc }
                    // Positions (for proximity and deep links) only where they can matter: the pages
                    // that rank highest for this word. A word on every page would otherwise cost kilobytes.
                    let withPositions = Set(postings.indices.sorted { (postings[$0].impact, -postings[$0].doc) > (postings[$1].impact, -postings[$1].doc) }
                        .prefix(Self.postingsWithPositions))
                    w.varint(postings.count)
                    var lastDoc = 0
                    for (i, p) in postings.enumerated() {
                        w.varint(p.doc - lastDoc)
                        lastDoc = p.doc
                        w.byte(p.impact)
                        let positions = withPositions.contains(i) ? p.positions : []
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
            shards[s] = w
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
            let bytes = Array((JSON.array(slice.map { analyzed[$0].fragment }).encoded() + "\n").utf8)
            let name = TemplateSet.fingerprinted("f\(c).json", bytes)
            fragmentNames.append(.string(name))
            files.append((folder + name, bytes))
        }
        var analyzer = Analyzer(language: language)
        let synonymGroups: [JSON] = (synonyms[language] ?? []).map { group in
            .array(group.compactMap { analyzer.words($0).first.map { JSON.string($0.folded) } })
        }
        let meta = JSON.object([
            ("version", .int(1)),
            ("language", .string(language)),
            ("base", .string(basePath)),
            ("docs", .int(n)),
            ("chunk", .int(fragmentChunkSize)),
            ("analysis", LanguageProfile(language: language).json),
            ("shards", .array(shardNames)),
            ("fragments", .array(fragmentNames)),
            ("segments", .array(segments.map(JSON.string))),
            ("stages", .array(stages.map(JSON.string))),
            ("synonyms", .array(synonymGroups)),
            ("filters", .array(order.map { .int(filterCode(documents[$0])) })),
        ])
        files.append((folder + "meta.json", Array((meta.encoded() + "\n").utf8)))
        return files
    }
}
