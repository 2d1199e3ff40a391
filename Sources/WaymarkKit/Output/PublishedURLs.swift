import Foundation

/// The URL paths a build published, kept in the output (`published-urls.txt`, one path per line, copies
/// and redirects marked) so that the next build and `waymark check` can tell which addresses disappeared:
/// a renamed or moved page without an `aliases:` entry for its old address breaks customers' bookmarks
/// and search engines' links, silently unless someone compares. The list holds only what this build
/// published, so the output stays a function of the content: `waymark check` (which replaces nothing)
/// reports a vanished address until a build replaces the output, and a `--strict` build fails on it,
/// keeping the old output (and the report) until an alias covers the address.
enum PublishedURLs {
    static let file = "published-urls.txt"

    static func encode(_ urls: [String: Bool]) -> String {
        urls.keys.sorted().map { urls[$0]! ? $0 + "\tcopy\n" : $0 + "\n" }.joined()
    }

    /// The list the build in `output` wrote; nil when there is none (a first build, another tool's folder).
    static func read(output: String) -> [String: Bool]? {
        guard let bytes = try? FileSystem.readBelow(output, file, limit: 64 << 20) else { return nil }
        var urls: [String: Bool] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\t")
            urls[String(parts[0])] = parts.count > 1
        }
        return urls
    }

    /// Warnings for the pages the previous build published that this one does not publish at all, each
    /// with the likeliest successor: among the pages new in this build, in the same language, the URL
    /// closest to the old one. Copies and redirects the previous build published are not counted (their
    /// originals are).
    static func vanished(previous: [String: Bool], current: [String: Bool], site: SiteIndex) -> [Diagnostic] {
        let gone = previous.filter { !$0.value && current[$0.key] == nil }.keys.sorted()
        guard !gone.isEmpty else { return [] }
        let appeared = current.filter { !$0.value && previous[$0.key] == nil }.keys.sorted()
        var sources: [String: Document] = [:]
        for d in site.documents where d.fallbackFrom == nil { sources[d.urlPath] = d }
        return gone.map { url -> Diagnostic in
            let language = url.prefix { $0 != "/" }
            let candidates = appeared.filter { $0.prefix { $0 != "/" } == language }
            let successor = candidates.min { editDistance(Array(url), Array($0)) < editDistance(Array(url), Array($1)) }
            var message = "/\(url) was published by the last build and is gone from this one: links and bookmarks to it will fail"
            if let successor, let d = sources[successor] {
                message += "; if \(d.sourcePath) replaces it, add `aliases: [/\(SiteIndex.aliasText(url))]` to its front matter"
                return .warning("vanished-url", message, file: d.sourcePath, at: d.frontMatter.locations["aliases"] ?? SourceLocation(line: 1, column: 1))
            }
            message += "; add it to the `aliases:` of the page that replaces it"
            return Diagnostic(.warning, "vanished-url", message)
        }
    }
}
