/// An Atom feed per language of the most recently updated articles (`/<lang>/feed.xml`), so customers and
/// support teams can follow changes. Entries carry only dates the writers gave, keeping builds
/// reproducible.
extension PageRenderer {
    static let feedSize = 20

    func writeFeed(_ language: String) {
        let config = site.config
        let articles = site.documents.indices
            .filter { site.documents[$0].kind == .article && site.documents[$0].language == language && !site.documents[$0].frontMatter.draft }
            .sorted { a, b in
                let (x, y) = (site.documents[a], site.documents[b])
                let (dx, dy) = (x.frontMatter.updated?.iso ?? "", y.frontMatter.updated?.iso ?? "")
                return dx != dy ? dx > dy : x.urlPath < y.urlPath
            }
            .prefix(Self.feedSize)
        let title = config.text(config.title, language)
        let newest = articles.first.flatMap { site.documents[$0].frontMatter.updated }?.iso ?? "1970-01-01"
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(Sitemap.xml(language))">
              <title>\(Sitemap.xml(title))</title>
              <id>\(Sitemap.xml(factory.absolute("\(language)/")))</id>
              <link rel="alternate" type="text/html" href="\(Sitemap.xml(factory.absolute("\(language)/")))"/>
              <link rel="self" type="application/atom+xml" href="\(Sitemap.xml(factory.absolute("\(language)/feed.xml")))"/>
              <updated>\(newest)T00:00:00Z</updated>

            """
        for i in articles {
            let d = site.documents[i]
            let url = factory.absolute(d.urlPath)
            xml += """
                  <entry>
                    <title>\(Sitemap.xml(d.title))</title>
                    <id>\(Sitemap.xml(url))</id>
                    <link rel="alternate" type="text/html" href="\(Sitemap.xml(url))"/>
                    <updated>\(d.frontMatter.updated?.iso ?? "1970-01-01")T00:00:00Z</updated>
                    <author><name>\(Sitemap.xml(title))</name></author>

                """
            if let summary = d.frontMatter.summary { xml += "    <summary>\(Sitemap.xml(summary))</summary>\n" }
            xml += "  </entry>\n"
        }
        write("\(language)/feed.xml", xml + "</feed>\n")
    }

    /// `assets/manifest.json`: source name → fingerprinted path, for deploy scripts and CDN rules.
    func writeAssetManifest() {
        let manifest = JSON.object(templates.assets.keys.sorted().map { ($0, JSON.string(templates.assets[$0]!)) })
        write("assets/manifest.json", manifest.encoded(pretty: true) + "\n")
    }
}
