/// An Atom feed per language of the most recently updated articles (`/<lang>/feed.xml`), so customers and
/// support teams can follow changes. Entries carry only dates the writers gave, keeping builds
/// reproducible.
extension PageRenderer {
    static let feedSize = 20

    func writeFeed(_ language: String) {
        let config = site.config
        // Newest first, then by URL; the sort keys are taken once, not in every comparison.
        let articles = site.documents.indices
            .filter {
                let d = site.documents[$0]
                return d.kind == .article && d.language == language && !d.frontMatter.draft && d.fallbackFrom == nil
            }
            .map { (day: site.documents[$0].frontMatter.updated?.ordinal ?? Int.min, url: site.documents[$0].urlPath, index: $0) }
            .sorted { $0.day != $1.day ? $0.day > $1.day : $0.url < $1.url }
            .prefix(Self.feedSize)
            .map(\.index)
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
