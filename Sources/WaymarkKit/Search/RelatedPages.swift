import Foundation

/// "Related articles" under each article: articles of the same language that share its distinctive
/// words (TF-IDF cosine over the search analysis), its tags, its segments or its category, computed at
/// build time and ordered stably (score, then URL).
///
/// Each article is compared only with the articles that rank highest for its most distinctive words,
/// which keeps the work linear in the number of articles instead of comparing every pair.
enum RelatedPages {
    static let count = 3
    static let wordsPerPage = 12
    static let pagesPerWord = 40

    /// `pages[i]` is the site document index of `documents[i]`; returns site document index → related ones.
    static func compute(_ documents: [SearchDocument], _ analyzed: [SearchIndexBuilder.Analyzed], pages: [Int]) -> [Int: [Int]] {
        var byLanguage: [String: [Int]] = [:]
        for (i, d) in documents.enumerated() where d.kind == .article { byLanguage[d.language, default: []].append(i) }
        let groups = byLanguage.sorted { $0.key < $1.key }.map(\.value)
        let results = groups.concurrentMap { members in related(members, documents, analyzed) }
        var out: [Int: [Int]] = [:]
        for result in results { for (i, list) in result { out[pages[i]] = list.map { pages[$0] } } }
        return out
    }

    private static func related(_ members: [Int], _ documents: [SearchDocument], _ analyzed: [SearchIndexBuilder.Analyzed]) -> [Int: [Int]] {
        let n = Double(members.count)
        var df: [String: Int] = [:]
        for i in members { for key in Set(analyzed[i].terms.map(\.key)) { df[key, default: 0] += 1 } }
        // Weighted vectors, their norms, and the best pages per word.
        var vectors: [Int: [String: Double]] = [:]
        var norms: [Int: Double] = [:]
        var postings: [String: [(page: Int, weight: Double)]] = [:]
        for i in members {
            var v: [String: Double] = [:]
            for t in analyzed[i].terms { v[t.key, default: 0] += t.weight }
            for (k, w) in v { v[k] = w * log(1 + n / Double(df[k]!)) }
            vectors[i] = v
            norms[i] = max(1e-9, sqrt(v.values.reduce(0) { $0 + $1 * $1 }))
            for (k, w) in v { postings[k, default: []].append((i, w)) }
        }
        for k in postings.keys {
            postings[k] = Array(postings[k]!.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : documents[$0.page].urlPath < documents[$1.page].urlPath }.prefix(pagesPerWord))
        }
        var out: [Int: [Int]] = [:]
        for i in members {
            let v = vectors[i]!
            let top = v.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(wordsPerPage)
            var scores: [Int: Double] = [:]
            for (k, w) in top {
                for p in postings[k] ?? [] where p.page != i { scores[p.page, default: 0] += w * p.weight }
            }
            let d = documents[i]
            for (j, dot) in scores {
                let other = documents[j]
                let sharedTags = Set(d.tags.map { $0.lowercased() }).intersection(other.tags.map { $0.lowercased() }).count
                let sharedSegments = Set(d.segments).intersection(other.segments).count
                scores[j] = dot / (norms[i]! * norms[j]!) + 0.15 * Double(sharedTags) + 0.1 * Double(sharedSegments) + (d.context == other.context ? 0.05 : 0)
            }
            out[i] = scores.sorted { $0.value != $1.value ? $0.value > $1.value : documents[$0.key].urlPath < documents[$1.key].urlPath }
                .prefix(count).map(\.key)
        }
        return out
    }
}
