import Foundation

/// One language's pages as the index sees them: a single vocabulary merged from the analyzers that read
/// the pages, each word's occurrences, and BM25F impacts per matching unit (the stem in stemmed
/// languages, else the written form), computed once and shared by the search index and related pages.
struct LanguageCorpus: Sendable {
    let language: String
    /// Pages in index order (the writer's order; encoding renumbers them).
    let documents: [SearchDocument]
    /// For each page, its position in the list the corpus was built from.
    let sources: [Int]
    let analyzed: [SearchIndexBuilder.Analyzed]
    let words: [Analyzer.Word]
    /// Folded form → the words (written forms) that fold to it.
    let entries: [String: [Int32]]
    /// Per word: the pages it occurs on and its term in that page's analysis.
    let postings: [[(doc: Int32, term: Int32)]]
    let unitOf: [Int32]
    let unitNames: [String]
    /// Per unit: pages (ascending) and BM25F impacts.
    let unitDocs: [[Int32]]
    let unitImpacts: [[Float]]
    let maxImpact: Double
    /// Per page: its highest-impact unit (-1 for an empty page).
    let dominant: [Int32]

    init(language: String, documents: [SearchDocument], analyzed: [SearchIndexBuilder.Analyzed], sources: [Int]) {
        self.language = language
        self.documents = documents
        self.analyzed = analyzed
        self.sources = sources
        let stemmed = LanguageProfile(language: language).stemmer != nil

        // Merge the analyzers' vocabularies: each lexicon's words are looked up once.
        var words: [Analyzer.Word] = []
        var byNormal: [String: Int32] = [:]
        var maps: [ObjectIdentifier: [Int32]] = [:]
        var postings: [[(doc: Int32, term: Int32)]] = []
        for (doc, a) in analyzed.enumerated() {
            let lexicon = a.lexicon
            var map = maps[ObjectIdentifier(lexicon)] ?? [Int32](repeating: -1, count: lexicon.words.count)
            for (t, term) in a.terms.enumerated() {
                var global = map[Int(term.word)]
                if global < 0 {
                    let word = lexicon.words[Int(term.word)]
                    if let g = byNormal[word.normal] {
                        global = g
                    } else {
                        global = Int32(words.count)
                        words.append(word)
                        byNormal[word.normal] = global
                        postings.append([])
                    }
                    map[Int(term.word)] = global
                }
                postings[Int(global)].append((Int32(doc), Int32(t)))
            }
            maps[ObjectIdentifier(lexicon)] = map
        }
        self.words = words
        self.postings = postings
        var entries: [String: [Int32]] = [:]
        for (g, w) in words.enumerated() { entries[w.folded, default: []].append(Int32(g)) }
        self.entries = entries

        // Units: what BM25 counts together (see SearchIndexBuilder): stems, or written forms.
        var unitOf = [Int32](repeating: 0, count: words.count)
        var unitNames: [String] = []
        var unitByName: [String: Int32] = [:]
        var unitWords: [[Int32]] = []
        for (g, w) in words.enumerated() {
            let name = stemmed ? w.key : w.normal
            let u =
                unitByName[name]
                ?? {
                    let u = Int32(unitNames.count)
                    unitNames.append(name)
                    unitByName[name] = u
                    unitWords.append([])
                    return u
                }()
            unitOf[g] = u
            unitWords[Int(u)].append(Int32(g))
        }
        self.unitOf = unitOf
        self.unitNames = unitNames

        let n = analyzed.count
        let averageLength = n > 0 ? max(1.0, Double(analyzed.reduce(0) { $0 + $1.length }) / Double(n)) : 1
        var unitDocs: [[Int32]] = []
        var unitImpacts: [[Float]] = []
        var maxImpact = 0.0
        var dominant = [(unit: Int32, impact: Float)](repeating: (-1, -1), count: n)
        let k1 = SearchIndexBuilder.k1
        let b = SearchIndexBuilder.b
        for (u, members) in unitWords.enumerated() {
            var docs: [Int32]
            var weights: [Float]
            if members.count == 1 {
                let p = postings[Int(members[0])]
                docs = p.map(\.doc)
                weights = p.map { analyzed[Int($0.doc)].terms[Int($0.term)].weight }
            } else {
                var merged: [Int32: Float] = [:]
                for g in members { for p in postings[Int(g)] { merged[p.doc, default: 0] += analyzed[Int(p.doc)].terms[Int(p.term)].weight } }
                docs = merged.keys.sorted()
                weights = docs.map { merged[$0]! }
            }
            let df = Double(docs.count)
            let idf = log(1 + (Double(n) - df + 0.5) / (df + 0.5))
            var impacts = [Float](repeating: 0, count: docs.count)
            for i in docs.indices {
                let weight = Double(weights[i])
                let norm = k1 * (1 - b + b * Double(analyzed[Int(docs[i])].length) / averageLength)
                let impact = idf * weight * (k1 + 1) / (weight + norm)
                impacts[i] = Float(impact)
                maxImpact = max(maxImpact, impact)
                let d = Int(docs[i])
                if Float(impact) > dominant[d].impact || (Float(impact) == dominant[d].impact && unitNames[u] < unitNames[Int(dominant[d].unit)]) {
                    dominant[d] = (Int32(u), Float(impact))
                }
            }
            unitDocs.append(docs)
            unitImpacts.append(impacts)
        }
        self.unitDocs = unitDocs
        self.unitImpacts = unitImpacts
        self.maxImpact = maxImpact
        self.dominant = dominant.map(\.unit)
    }

    func impact(unit: Int, doc: Int) -> Float {
        let docs = unitDocs[unit]
        var lo = 0
        var hi = docs.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if docs[mid] == doc { return unitImpacts[unit][mid] }
            if docs[mid] < doc { lo = mid + 1 } else { hi = mid - 1 }
        }
        return 0
    }
}
