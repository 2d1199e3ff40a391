import Foundation

/// "Related articles" under each article: articles of the same language that share its distinctive
/// words (cosine of BM25F impact vectors from the search analysis), its tags, its segments or its
/// category, computed at build time and ordered stably (score, then the writer's page order).
///
/// Each article is compared only with the articles that rank highest for its most distinctive words,
/// which keeps the work linear in the number of articles instead of comparing every pair.
enum RelatedPages {
    static let count = 3
    static let wordsPerPage = 12
    static let pagesPerWord = 40

    /// `pages[language][i]` is the site document index of `corpora[language].documents[i]`; returns site
    /// document index → related site document indices.
    static func compute(_ corpora: [LanguageCorpus], pages: [[Int]]) -> [Int: [Int]] {
        let results = Array(zip(corpora, pages)).concurrentMap { corpus, pages in related(corpus).map { (pages[$0.key], $0.value.map { pages[$0] }) } }
        var out: [Int: [Int]] = [:]
        for result in results { for (page, list) in result { out[page] = list } }
        return out
    }

    private static func related(_ corpus: LanguageCorpus) -> [Int: [Int]] {
        let documents = corpus.documents
        let n = documents.count
        let isArticle = documents.map { $0.kind == .article }
        // Page vectors (unit → impact), their norms, and each unit's best articles.
        var vectors = [[(unit: Int32, weight: Float)]](repeating: [], count: n)
        var best = [[(page: Int32, weight: Float)]](repeating: [], count: corpus.unitDocs.count)
        for u in corpus.unitDocs.indices {
            var list: [(page: Int32, weight: Float)] = []
            for (i, d) in corpus.unitDocs[u].enumerated() where isArticle[Int(d)] {
                vectors[Int(d)].append((Int32(u), corpus.unitImpacts[u][i]))
                list.append((d, corpus.unitImpacts[u][i]))
            }
            if list.count > pagesPerWord {
                list.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.page < $1.page }
                list.removeSubrange(pagesPerWord...)
            }
            best[u] = list
        }
        let norms = vectors.map { max(1e-9, sqrt($0.reduce(0) { $0 + Double($1.weight) * Double($1.weight) })) }
        // Tags, segments and categories as small integers, so comparing two pages allocates nothing.
        var tagIDs: [String: Int] = [:]
        var segmentIDs: [String: Int] = [:]
        var categoryIDs: [String: Int] = [:]
        // Each page's distinct tag ids in a small sorted array: counting shared tags per candidate pair
        // by scanning them costs less than hashing into a set.
        let tags = documents.map { d in
            Array(
                Set(
                    d.tags.map { t in
                        tagIDs[t.lowercased()]
                            ?? {
                                tagIDs[t.lowercased()] = tagIDs.count
                                return tagIDs.count - 1
                            }()
                    })
            ).sorted()
        }
        let segments = documents.map { d in
            d.segments.reduce(0) { mask, s in
                let id =
                    segmentIDs[s]
                    ?? {
                        segmentIDs[s] = segmentIDs.count
                        return segmentIDs.count - 1
                    }()
                return id < 64 ? mask | (1 << id) : mask
            }
        }
        let categories = documents.map { d in
            categoryIDs[d.context]
                ?? {
                    categoryIDs[d.context] = categoryIDs.count
                    return categoryIDs.count - 1
                }()
        }
        var scores = [Double](repeating: 0, count: n)
        var touched: [Int] = []
        var out: [Int: [Int]] = [:]
        for i in 0..<n where isArticle[i] {
            let top = vectors[i].sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.unit < $1.unit }.prefix(wordsPerPage)
            for (u, w) in top {
                for p in best[Int(u)] where Int(p.page) != i {
                    if scores[Int(p.page)] == 0 { touched.append(Int(p.page)) }
                    scores[Int(p.page)] += Double(w) * Double(p.weight)
                }
            }
            // The best `count` candidates by score, ties to the earlier page: a small insertion list.
            var top3: [(page: Int, score: Double)] = []
            for j in touched {
                var sharedTags = 0
                let other = tags[j]
                for t in tags[i] where other.contains(t) { sharedTags += 1 }
                let shared = Double(sharedTags)
                let sharedSegments = Double((segments[i] & segments[j]).nonzeroBitCount)
                let category = categories[i] == categories[j] ? 0.05 : 0
                let score = scores[j] / (norms[i] * norms[j]) + 0.15 * shared + 0.1 * sharedSegments + category
                scores[j] = 0
                if top3.count == count, let last = top3.last, !(score > last.score || (score == last.score && j < last.page)) { continue }
                let at = top3.firstIndex { score > $0.score || (score == $0.score && j < $0.page) } ?? top3.count
                top3.insert((j, score), at: at)
                if top3.count > count { top3.removeLast() }
            }
            touched.removeAll(keepingCapacity: true)
            out[i] = top3.map(\.page)
        }
        return out
    }
}
