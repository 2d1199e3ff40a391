import Foundation
import Testing

@testable import WaymarkKit

/// Front matter `aliases`: an alias never takes or breaks what the site publishes, and the redirect maps
/// say what the servers compare (issue 20, items 3–6).
@Suite("Aliases")
struct AliasTests {
    /// The small site with `aliases` (YAML list entries, one a line) on the English invoices article,
    /// whose front matter puts the first entry on line 4, column 5.
    func site(aliases: [String], extra: [String: String?] = [:]) throws -> TempTree {
        let list = aliases.map { "  - " + $0 + "\n" }.joined()
        var files: [String: String?] = ["content/en/articles/billing/invoices.md": "---\ntitle: Invoices\naliases:\n\(list)---\n\n## Due dates\n"]
        files.merge(extra) { _, new in new }
        return try SmallSite.tree(files)
    }

    /// The build's errors about aliases, as (line, column) of the entry in the invoices article.
    func aliasErrors(_ summary: BuildSummary, code: String = "alias-conflict") -> [Loc] {
        summary.diagnostics.filter { $0.code == code && $0.file == "en/articles/billing/invoices.md" }.compactMap(\.location).sorted()
    }

    /// A file of a first build whose name has a content hash (`prefix` … `suffix`).
    func hashed(_ tree: TempTree, _ folder: String, _ prefix: String, _ suffix: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: tree.path + "/output/" + folder)
        return folder + "/" + (try #require(names.first { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }))
    }

    @Test("an alias at a search index file or a fingerprinted image is an error at the alias; the file stays a file (item 3)")
    func aliasCannotTurnAFileIntoAFolder() throws {
        let tree = try site(aliases: [])
        try tree.write("content/en/assets/chart.png", try Data(contentsOf: URL(fileURLWithPath: Repo.fixtures + "/images/chart.png")))
        try tree.write("content/en/articles/billing/refunds.md", "---\ntitle: Refunds\n---\n\n![Chart](../../assets/chart.png)\n")
        #expect(SiteBuilder.build(SmallSite.options(tree)).errors == 0)
        let image = try hashed(tree, "en/assets", "chart.", ".png")
        try tree.write(
            "content/en/articles/billing/invoices.md", "---\ntitle: Invoices\naliases:\n  - /search/en/meta.json\n  - /\(image)\n---\n\n## Due dates\n")
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(aliasErrors(summary) == [Loc(line: 4, column: 5), Loc(line: 5, column: 5)], "\(summary.diagnostics)")
        #expect(summary.diagnostics.contains { $0.message.contains("would need the published file search/en/meta.json to be a folder") })
        #expect(!summary.wrote)
        var isFolder: ObjCBool = true
        #expect(FileManager.default.fileExists(atPath: tree.path + "/output/search/en/meta.json", isDirectory: &isFolder) && !isFolder.boolValue)
        #expect(FileManager.default.fileExists(atPath: tree.path + "/output/" + image, isDirectory: &isFolder) && !isFolder.boolValue)
    }

    @Test("an alias at a page, a landing page, 404, sitemap, robots, a feed or a fingerprinted script is an error at the alias (item 4)")
    func aliasCannotTakeAPublishedAddress() throws {
        let tree = try site(aliases: [])
        #expect(SiteBuilder.build(SmallSite.options(tree)).errors == 0)
        let script = try hashed(tree, "assets", "waymark.", ".js")
        let taken = [
            "/en/", "/en/segments/accountant/", "/404.html", "/sitemap.xml", "/robots.txt", "/en/feed.xml", "/" + script, "/en/articles/billing/refunds/",
        ]
        try tree.write(
            "content/en/articles/billing/invoices.md",
            "---\ntitle: Invoices\naliases:\n" + taken.map { "  - \($0)\n" }.joined() + "---\n\n## Due dates\n")
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(aliasErrors(summary) == taken.indices.map { Loc(line: 4 + $0, column: 5) }, "\(summary.diagnostics)")
        #expect(!summary.wrote)
        // A clean build and the live preview report the same errors.
        let preview = PreviewSession(options: SmallSite.options(tree, output: "preview")).rebuild().summary
        #expect(Set(preview.diagnostics.filter { $0.code == "alias-conflict" }) == Set(summary.diagnostics.filter { $0.code == "alias-conflict" }))
        #expect(preview.errors > 0)
    }

    @Test("an alias at a route folder, another page's alias or the same address in other letter case or spelling is an error (item 5)")
    func oneAddressOneRedirect() throws {
        let taken = try site(
            aliases: ["/en/guides/accountant/", "/en/old/", "/EN/Old/", "/en/old%20name/", "/en/old name/", "/en/moved.html"],
            extra: ["content/en/articles/billing/refunds.md": "---\ntitle: Refunds\naliases: [/en/moved.html, /en/moved.html/x/]\n---\n"])
        let summary = SiteBuilder.build(SmallSite.options(taken))
        // The route folder; /EN/Old/ after /en/old/; one address written two ways.
        #expect(aliasErrors(summary) == [Loc(line: 4, column: 5), Loc(line: 6, column: 5), Loc(line: 8, column: 5)], "\(summary.diagnostics)")
        // refunds.md sorts after invoices.md: its /en/moved.html is taken, and a file cannot be a folder.
        let refunds = summary.diagnostics.filter { $0.code == "alias-conflict" && $0.file == "en/articles/billing/refunds.md" }
        #expect(refunds.compactMap(\.location) == [Loc(line: 3, column: 11), Loc(line: 3, column: 27)], "\(refunds)")
        #expect(refunds.first?.message.contains("an alias of en/articles/billing/invoices.md") == true)

        // Where the site has none of these, every map key appears once, whatever the letter case.
        let tree = try site(aliases: ["/en/old/", "/en/Other/", "/en/faq.html"])
        #expect(SiteBuilder.build(SmallSite.options(tree)).errors == 0)
        let keys = try #require(tree.read("output/redirects.map")).split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
            String($0.split(separator: "\"")[0])
        }
        #expect(keys.contains("/docs/en/Other/") && keys.contains("/docs/en/Other") && keys.contains("/docs/en/faq.html"), "\(keys)")
        #expect(Set(keys.map { $0.lowercased() }).count == keys.count, "\(keys)")
    }

    @Test("map keys are the decoded address nginx compares, quoted for its syntax; _redirects keeps one line of three fields (item 6)")
    func mapKeysAreWhatServersCompare() throws {
        let aliases = [
            #""/en/old name/""#, "/fa/راهنمای-قدیمی/", "/vi/hướng-dẫn-cũ/", #""/en/a;b{c}/""#, #"'/en/say "hi"/'"#, #""/en/$price/""#,
            "/en/c%23-sharp/", "/en/it's.html", "/en/%D8%B3%D9%84%D8%A7%D9%85/",
        ]
        let tree = try site(aliases: aliases)
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(summary.errors == 0, "\(summary.diagnostics)")
        let map = try #require(tree.read("output/redirects.map"))
        let target = #" "/docs/en/articles/billing/invoices/";"#
        for key in [
            "/docs/en/old name/", "/docs/en/old name", "/docs/fa/راهنمای-قدیمی/", "/docs/vi/hướng-dẫn-cũ/", "/docs/en/a;b{c}/", #"/docs/en/say \"hi\"/"#,
            "/docs/en/$price/", "/docs/en/c#-sharp/", "/docs/en/it's.html", "/docs/en/سلام/",
        ] {
            #expect(map.contains("\n\"\(key)\"" + target + "\n"), "\(key) in \(map)")
        }
        #expect(!map.contains("%"), "nginx compares the decoded $uri")
        let netlify = try #require(tree.read("output/_redirects"))
        for line in netlify.split(separator: "\n") {
            let fields = line.split(separator: " ")
            #expect(fields.count == 3 && fields[2] == "301" && !line.hasPrefix("#"), "\(line)")
        }
        #expect(netlify.contains("/docs/en/old%20name/ /docs/en/articles/billing/invoices/ 301\n"))
        #expect(netlify.contains("/docs/en/c%23-sharp/ /docs/en/articles/billing/invoices/ 301\n"))
        // Redirect pages are written at the decoded path, where static hosts look.
        #expect(tree.exists("output/en/old name/index.html") && tree.exists("output/en/c#-sharp/index.html") && tree.exists("output/en/سلام/index.html"))
    }

    @Test("control characters, queries, fragments, backslashes and broken escapes in an alias are errors at the entry")
    func invalidAliases() throws {
        let bad = [
            #""/en/a\r\nb/""#, #""/en/a\nb/""#, "/en/a%0D%0Ab/", "/en/a%00/", "/en/q?x=1", "/en/f#top", #""/en/a\\b/""#, "/en/100%/", "/en/%C3/",
            #""/en/\u202Eevil/""#, "/en/" + String(repeating: "a", count: 256) + "/", "/en/" + String(repeating: "a/", count: 250),
        ]
        let tree = try site(aliases: bad)
        let summary = SiteBuilder.build(SmallSite.options(tree))
        let located = summary.diagnostics.filter { ["invalid-alias", "control-character", "alias-conflict"].contains($0.code) }
        #expect(located.compactMap(\.location).sorted() == bad.indices.map { Loc(line: 4 + $0, column: 5) }, "\(summary.diagnostics)")
        #expect(!summary.wrote)
        #expect(located.allSatisfy { !$0.message.contains("\r") && !$0.message.contains("\n") })
    }

    @Test("the redirect page escapes the title and the target in the meta refresh, the canonical link and the link")
    func redirectPageEscapes() throws {
        let tree = try SmallSite.tree([
            "content/site.yml": SmallSite.siteYML.replacingOccurrences(of: "https://help.example.com/docs/", with: "https://help.example.com/d'o&c;s$/"),
            "content/en/articles/billing/invoices.md": "---\ntitle: '\"><script>alert(1)</script>'\naliases: [\"/en/<b>&'x/\"]\n---\n\n## Due dates\n",
        ])
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(summary.errors == 0, "\(summary.diagnostics)")
        let page = try #require(tree.read("output/en/<b>&'x/index.html"))
        #expect(!page.contains("<script>") && page.contains("&lt;script&gt;"))
        let target = "/d'o&c;s$/en/articles/billing/invoices/"
        let escaped = HTML.escape(target)
        #expect(escaped != target)
        #expect(page.contains(#"<meta http-equiv="refresh" content="0; url=\#(escaped)">"#), "\(page)")
        #expect(page.contains(#"<a href="\#(escaped)">"#))
        // In nginx's map a value's `$` would start a variable: the base path's is sent encoded.
        #expect(tree.read("output/redirects.map")?.contains(#""/d'o&c;s$/en/<b>&'x/" "/d'o&c;s%24/en/articles/billing/invoices/";"#) == true)
    }

    @Test("the vanished-url suggestion writes an address as an alias that reads back to it")
    func suggestedAliasReadsBack() throws {
        for path in ["en/100%/", "en/c#/", "en/what?/", "en/a\\b/", "fa/راهنما/", "en/old name.html"] {
            #expect(try SiteIndex.aliasPath("/" + SiteIndex.aliasText(path)).get() == path)
        }
    }

    @Test("the output table: nested redirects are fine, a folder of published files or a precompressed copy is not")
    func outputPaths() {
        var paths = OutputPaths(
            files: ["en/index.html", "en/assets/x.png", "en/guides/a/index.html", "en/guides/a/01/index.html"],
            redirects: ["en/guides/a/index.html": .routeFolder])
        #expect(paths.claim("en/old/", by: .alias(file: "a.md")) == nil)
        #expect(paths.claim("en/old/sub/", by: .alias(file: "b.md")) == nil)
        #expect(paths.claim("en/old/", by: .alias(file: "c.md"))?.contains("an alias of a.md") == true)
        #expect(paths.claim("en/assets/", by: .alias(file: "a.md"))?.contains("holds en/assets/x.png") == true)
        #expect(paths.claim("en/guides/a/", by: .alias(file: "a.md"))?.contains("route") == true)
        #expect(paths.claim("en/index.html.gz/", by: .alias(file: "a.md"))?.contains("to be a folder") == true)
        #expect(paths.claim("redirects.map/", by: .alias(file: "a.md"))?.contains("to be a folder") == true)
        #expect(paths.claim("en/old/sub.html/", by: .alias(file: "a.md")) == nil)
        #expect(paths.claim("En/Assets/x.PNG/", by: .alias(file: "a.md"))?.contains("letter case") == true)
    }
}
