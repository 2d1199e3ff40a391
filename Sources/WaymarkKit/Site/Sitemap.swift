/// One indexable page for the sitemap.
struct SitemapEntry: Sendable {
    var language: String
    var urlPath: String
    /// language → URL path of every indexable language version, this one included.
    var alternates: [String: String]
    var xDefault: String?
    var lastModified: Day?
}

/// `sitemap.xml` with hreflang alternates (and `x-default`) for every page, and `robots.txt` pointing at it.
///
/// A sitemap file may hold at most 50,000 URLs; larger sites get `sitemap.xml` as a sitemap index over
/// one file per language (split further when a language alone is larger).
enum Sitemap {
    static let maximumURLsPerFile = 50_000

    /// Output path → XML text.
    static func files(entries: [SitemapEntry], baseURL: String, languages: [String], limit: Int = maximumURLsPerFile) -> [(String, String)] {
        let sorted = entries.sorted { $0.urlPath < $1.urlPath }
        if sorted.count <= limit {
            return [("sitemap.xml", urlset(sorted, baseURL: baseURL))]
        }
        var files: [(String, String)] = []
        for language in languages {
            let mine = sorted.filter { $0.language == language }
            let chunks = stride(from: 0, to: mine.count, by: limit).map { Array(mine[$0..<min($0 + limit, mine.count)]) }
            for (i, chunk) in chunks.enumerated() {
                let name = chunks.count == 1 ? "sitemap-\(language).xml" : "sitemap-\(language)-\(i + 1).xml"
                files.append((name, urlset(chunk, baseURL: baseURL)))
            }
        }
        var index = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for (name, _) in files { index += "  <sitemap><loc>\(xml(baseURL + name))</loc></sitemap>\n" }
        index += "</sitemapindex>\n"
        return [("sitemap.xml", index)] + files
    }

    static func urlset(_ entries: [SitemapEntry], baseURL: String) -> String {
        var out =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
        for entry in entries {
            out += "  <url>\n    <loc>\(xml(baseURL + URLPath.encode(entry.urlPath)))</loc>\n"
            if let day = entry.lastModified { out += "    <lastmod>\(day.iso)</lastmod>\n" }
            if entry.alternates.count > 1 {
                for (language, path) in entry.alternates.sorted(by: { $0.key < $1.key }) {
                    out += "    <xhtml:link rel=\"alternate\" hreflang=\"\(xml(language))\" href=\"\(xml(baseURL + URLPath.encode(path)))\"/>\n"
                }
                if let d = entry.xDefault {
                    out += "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"\(xml(baseURL + URLPath.encode(d)))\"/>\n"
                }
            }
            out += "  </url>\n"
        }
        return out + "</urlset>\n"
    }

    static func robots(baseURL: String) -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(baseURL)sitemap.xml\n"
    }

    static func xml(_ s: String) -> String { HTML.escape(s) }
}

extension PageRenderer {
    func writeSitemapAndRobots() {
        let config = site.config
        for (path, text) in Sitemap.files(entries: sitemapEntries, baseURL: factory.baseURL, languages: config.languages.map(\.code)) {
            write(path, text)
        }
        write("robots.txt", Sitemap.robots(baseURL: factory.baseURL))
    }
}
