import Foundation
import Testing

@testable import WaymarkKit

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Publishing: structured data, feeds, sitemaps, related articles, precompression")
struct PublishingTests {
    @Test("articles carry Article JSON-LD with dateModified; routes carry HowTo with steps and total time")
    func jsonLD() throws {
        let tree = try SmallSite.tree()
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        let article = try #require(tree.read("output/en/articles/billing/refunds/index.html"))
        let articleLD = try ldObjects(article).first { $0["@type"] as? String == "Article" }
        #expect(articleLD?["dateModified"] as? String == "2026-10-14")
        #expect(articleLD?["headline"] as? String == "Refunds")
        #expect(articleLD?["mainEntityOfPage"] as? String == "https://help.example.com/docs/en/articles/billing/refunds/")
        let route = try #require(tree.read("output/en/segments/accountant/route/index.html"))
        let howTo = try #require(try ldObjects(route).first { $0["@type"] as? String == "HowTo" })
        #expect(howTo["totalTime"] as? String == "PT40M")
        #expect((howTo["step"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Welcome", "First close"])
        let crumbs = try #require(try ldObjects(route).first { $0["@type"] as? String == "BreadcrumbList" })
        #expect((crumbs["itemListElement"] as? [Any])?.count == 3)
        #expect(StructuredData.isoDuration(minutes: 125) == "PT2H5M")
        #expect(StructuredData.isoDuration(minutes: 120) == "PT2H")
    }

    func ldObjects(_ html: String) throws -> [[String: Any]] {
        html.components(separatedBy: #"<script type="application/ld+json">"#).dropFirst().compactMap { chunk in
            let json = chunk.components(separatedBy: "</script>")[0]
            return try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        }
    }

    @Test("JSON-LD cannot close its script element")
    func jsonLDEscaping() {
        let ld = StructuredData.article(
            headline: "</script><script>alert(1)</script>", description: nil, language: "en", url: "u", modified: nil, publisher: "p")
        #expect(!ld.contains("</script>"))
        #expect(ld.contains("\\u003c/script\\u003e"))
    }

    @Test("an Atom feed per language lists articles newest first, drafts never")
    func feed() throws {
        let tree = try SmallSite.tree([
            "content/en/articles/billing/new.md": "---\ntitle: New & shiny\nupdated: 2026-11-20\n---\n",
            "content/en/articles/billing/secret.md": "---\ntitle: Secret\nupdated: 2026-11-25\ndraft: true\n---\n",
        ])
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        let xml = try #require(tree.read("output/en/feed.xml"))
        #expect(xml.contains("<title>New &amp; shiny</title>"))
        #expect(!xml.contains("Secret"))
        let new = try #require(xml.range(of: "New &amp; shiny"))
        let refunds = try #require(xml.range(of: "<title>Refunds</title>"))
        #expect(new.lowerBound < refunds.lowerBound)
        #expect(xml.contains("<updated>2026-11-20T00:00:00Z</updated>"))
        _ = try XMLDocument(xmlString: xml)
        #expect(tree.read("output/en/index.html")?.contains(#"type="application/atom+xml" href="/docs/en/feed.xml""#) == true)
    }

    @Test("large sites get a sitemap index with a sitemap per language")
    func sitemapIndex() throws {
        let entries = (0..<5).flatMap { i in
            ["en", "fa"].map { SitemapEntry(language: $0, urlPath: "\($0)/p\(i)/", alternates: [:], xDefault: nil, lastModified: nil) }
        }
        let files = Sitemap.files(entries: entries, baseURL: "https://x.org/", languages: ["en", "fa"], limit: 4)
        #expect(files.map(\.0) == ["sitemap.xml", "sitemap-en-1.xml", "sitemap-en-2.xml", "sitemap-fa-1.xml", "sitemap-fa-2.xml"])
        #expect(files[0].1.contains("<sitemapindex"))
        #expect(files[0].1.contains("<loc>https://x.org/sitemap-fa-2.xml</loc>"))
        let small = Sitemap.files(entries: entries, baseURL: "https://x.org/", languages: ["en", "fa"])
        #expect(small.map(\.0) == ["sitemap.xml"])
        for (_, text) in files + small { _ = try XMLDocument(xmlString: text) }
    }

    @Test("drafts are noindex and left out of the sitemap when built with --drafts")
    func drafts() throws {
        let tree = try SmallSite.tree(["content/en/articles/billing/secret.md": "---\ntitle: Secret\ndraft: true\n---\n"])
        var options = SmallSite.options(tree)
        options.includeDrafts = true
        #expect(SiteBuilder.build(options).wrote)
        #expect(tree.read("output/en/articles/billing/secret/index.html")?.contains(#"<meta name="robots" content="noindex">"#) == true)
        #expect(tree.read("output/sitemap.xml")?.contains("secret") == false)
    }

    @Test("related articles: shared words, tags and segments, stable order, same language only")
    func related() throws {
        let tree = try SmallSite.tree([
            "content/en/articles/billing/vat.md": "---\ntitle: VAT on refunds\ntags: [tax]\n---\n\nRefunds and VAT: how VAT is refunded on refunds.\n",
            "content/en/articles/billing/tax-forms.md": "---\ntitle: Tax forms\ntags: [tax]\n---\n\nForms for VAT and other taxes.\n",
            "content/en/articles/billing/unrelated.md": "---\ntitle: Colours\n---\n\nPick a theme colour.\n",
        ])
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        let page = try #require(tree.read("output/en/articles/billing/vat/index.html"))
        let section = try #require(page.components(separatedBy: #"class="related""#).dropFirst().first)
        let links = section.components(separatedBy: #"class="card-link" href=""#).dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(Set(links.prefix(2)) == ["/docs/en/articles/billing/refunds/", "/docs/en/articles/billing/tax-forms/"])
        #expect(!links.contains("/docs/en/articles/billing/unrelated/"))
        #expect(!links.contains { $0.contains("/fa/") })
    }

    @Test("edit links, the feedback and the analytics endpoints come from site.yml")
    func editAndFeedback() throws {
        let tree = try SmallSite.tree([
            "content/site.yml": SmallSite.siteYML
                + "\neditURL: https://github.com/acme/help/edit/main/content/{path}\nfeedback: { endpoint: https://feedback.example.com/votes }\n"
                + "analytics: { endpoint: \"https://collect.example.com/w?x=1&y='2'\" }\n"
        ])
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        let page = try #require(tree.read("output/en/articles/billing/refunds/index.html"))
        #expect(page.contains(#"href="https://github.com/acme/help/edit/main/content/en/articles/billing/refunds.md""#))
        #expect(page.contains(#"data-endpoint="https://feedback.example.com/votes""#))
        // The footer carries the collector (escaped) and the reader's choice; without it, neither.
        #expect(page.contains(#"data-analytics="https://collect.example.com/w?x=1&amp;y=&#39;2&#39;""#))
        // The live preview never sends a writer's clicks.
        var preview = SmallSite.options(tree, output: "preview")
        preview.liveReload = true
        #expect(SiteBuilder.build(preview).wrote)
        #expect(tree.read("preview/en/articles/billing/refunds/index.html")?.contains("data-analytics") == false)
        try tree.write("content/site.yml", SmallSite.siteYML)
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        #expect(tree.read("output/en/articles/billing/refunds/index.html")?.contains("data-analytics") == false)
        let (_, problems) = SiteConfig.parse(
            SourceFile(path: "site.yml", text: SmallSite.siteYML + "\neditURL: ftp://x\nanalytics: { endpoint: \"javascript:alert(1)\" }\n"))
        #expect(problems.map(\.code) == ["invalid-edit-url", "invalid-analytics-endpoint"])
    }

    @Test("--precompress writes deterministic .gz and .br copies of text files")
    func precompress() throws {
        let tree = try SmallSite.tree()
        var options = SmallSite.options(tree)
        options.precompress = true
        #expect(SiteBuilder.build(options).wrote)
        let html = try #require(FileManager.default.contents(atPath: tree.path + "/output/en/index.html"))
        let gz = try #require(FileManager.default.contents(atPath: tree.path + "/output/en/index.html.gz"))
        #expect(gz.count < html.count && gz.prefix(2) == Data([0x1F, 0x8B]))
        #expect(gz[4..<8] == Data([0, 0, 0, 0]))  // no timestamp
        #expect(tree.exists("output/en/index.html.br"))
        options.output = tree.path + "/again"
        #expect(SiteBuilder.build(options).wrote)
        #expect(tree.snapshot("output") == tree.snapshot("again"))
    }
}
