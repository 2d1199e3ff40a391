import Foundation
import Testing

@testable import WaymarkKit

@Suite("Building a site")
struct BuildTests {
    @Test("a small site builds with languages, directions, hreflang and canonical URLs")
    func smallSite() throws {
        let tree = try SmallSite.tree()
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(summary.errors == 0, "\(summary.diagnostics)")
        #expect(summary.wrote)
        let en = try #require(tree.read("output/en/articles/billing/refunds/index.html"))
        #expect(en.contains(#"<html lang="en" dir="ltr" data-base="/docs/">"#))
        #expect(en.contains(#"<link rel="canonical" href="https://help.example.com/docs/en/articles/billing/refunds/">"#))
        #expect(en.contains(#"hreflang="fa" href="https://help.example.com/docs/fa/articles/billing/refunds/""#))
        #expect(en.contains(#"hreflang="x-default""#))
        #expect(en.contains(#"<meta name="description" content="How refunds work.">"#))
        #expect(en.contains(#"href="/docs/en/articles/billing/invoices/#due-dates""#))
        #expect(en.contains(#"<time datetime="2026-10-14">14 October 2026</time>"#))
        let fa = try #require(tree.read("output/fa/articles/billing/refunds/index.html"))
        #expect(fa.contains(#"<html lang="fa" dir="rtl""#))
        for file in [
            "index.html", "404.html", "robots.txt", "sitemap.xml", "en/index.html", "fa/index.html", "en/search/index.html",
            "en/segments/accountant/index.html", "en/segments/accountant/route/index.html", "en/segments/accountant/route.json",
            "en/guides/accountant/01-welcome/index.html", "en/articles/billing/index.html", "en/articles/index.html",
        ] {
            #expect(tree.exists("output/" + file), "missing \(file)")
        }
        let sitemap = try #require(tree.read("output/sitemap.xml"))
        #expect(sitemap.contains("<loc>https://help.example.com/docs/en/articles/billing/refunds/</loc>"))
        #expect(sitemap.contains(#"hreflang="fa""#))
        #expect(tree.read("output/robots.txt")?.contains("Sitemap: https://help.example.com/docs/sitemap.xml") == true)
    }

    @Test("footnote back-links are labelled in the page's language, not cmark-gfm's English")
    func footnoteLabels() throws {
        let tree = try SmallSite.tree([
            "content/fa/articles/billing/notes.md": "---\ntitle: یادداشت\n---\n\nمتن[^1]\n\n[^1]: توضیح\n",
            "content/en/articles/billing/notes.md": "---\ntitle: Notes\n---\n\nText[^1]\n\n[^1]: A note\n",
        ])
        #expect(SiteBuilder.build(SmallSite.options(tree)).errors == 0)
        let fa = try #require(tree.read("output/fa/articles/billing/notes/index.html"))
        #expect(fa.contains(#"data-footnote-backref aria-label="بازگشت به متن""#) && !fa.contains("Back to content"))
        #expect(tree.read("output/en/articles/billing/notes/index.html")?.contains(#"aria-label="Back to the text""#) == true)
    }

    @Test("titles, summaries and tags are escaped everywhere they appear")
    func escaping() throws {
        let tree = try SmallSite.tree([
            "content/en/articles/billing/refunds.md": """
            ---
            title: "<script>alert('t')</script> & \\"quotes\\""
            summary: "<img src=x onerror=alert(1)>"
            tags: ["<b>bold</b>"]
            ---
            Body.
            """
        ])
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(summary.errors == 0, "\(summary.diagnostics)")
        for page in ["output/en/articles/billing/refunds/index.html", "output/en/articles/billing/index.html", "output/en/segments/accountant/index.html"] {
            let html = try #require(tree.read(page))
            #expect(!html.contains("<script>alert"), "\(page)")
            #expect(!html.contains("<img src=x"), "\(page)")
            #expect(!html.contains("<b>bold"), "\(page)")
            #expect(html.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;") || !page.contains("refunds"))
        }
    }

    @Test("building twice gives byte-identical output")
    func deterministic() throws {
        let tree = try SmallSite.tree()
        #expect(SiteBuilder.build(SmallSite.options(tree, output: "a")).wrote)
        #expect(SiteBuilder.build(SmallSite.options(tree, output: "b")).wrote)
        let a = tree.snapshot("a")
        let b = tree.snapshot("b")
        #expect(a.count > 20)
        #expect(a == b)
    }

    @Test("the default content builds byte-identically twice, with no errors")
    func defaultContentDeterministic() throws {
        let tree = try TempTree()
        let options = { (out: String) in BuildOptions(content: Repo.content, templates: Repo.templates, output: tree.path + "/" + out) }
        let first = SiteBuilder.build(options("one"))
        #expect(first.errors == 0, "\(first.diagnostics.prefix(5))")
        #expect(first.warnings == 0, "\(first.diagnostics.prefix(5))")
        _ = SiteBuilder.build(options("two"))
        #expect(tree.snapshot("one") == tree.snapshot("two"))
        #expect(first.languages == 4)
    }

    @Test("the compiled template renderer produces exactly what swift-mustache produces")
    func compiledTemplatesMatchReference() throws {
        let (templates, _) = TemplateSet.load(from: Repo.templates)
        #expect(templates?.compiled != nil, "the default templates should not need the fallback renderer")
        let tree = try TempTree()
        var options = BuildOptions(content: Repo.content, templates: Repo.templates, output: tree.path + "/compiled")
        #expect(SiteBuilder.build(options).wrote)
        options.output = tree.path + "/reference"
        options.referenceTemplates = true
        #expect(SiteBuilder.build(options).wrote)
        let compiled = tree.snapshot("compiled")
        let reference = tree.snapshot("reference")
        #expect(compiled.count == reference.count)
        for (path, bytes) in reference.sorted(by: { $0.key < $1.key }) where compiled[path] != bytes {
            Issue.record("\(path) differs")
            break
        }
    }

    @Test("a template folder without the template of any page kind is an error naming it, and nothing is written", arguments: PageKinds.all.map { $0.template })
    func everyKindsTemplateIsRequired(_ template: String) throws {
        let tree = try TempTree()
        try FileManager.default.copyItem(atPath: Repo.templates, toPath: tree.path + "/templates")
        try FileManager.default.removeItem(atPath: tree.path + "/templates/\(template).mustache")
        let summary = SiteBuilder.build(BuildOptions(content: Repo.content, templates: tree.path + "/templates", output: tree.path + "/output"))
        #expect(!summary.wrote)
        let missing = summary.diagnostics.filter { $0.code == "missing-template" }
        #expect(missing.map(\.file) == ["\(template).mustache"])
        #expect(!tree.exists("output"))
    }

    @Test("a failed build leaves the previous output untouched; stale files disappear on success")
    func atomicOutput() throws {
        let tree = try SmallSite.tree()
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        let before = tree.snapshot("output")
        try tree.write("content/en/articles/billing/invoices.md", "---\ntitle: Invoices\n---\n\n[x](missing.md)\n")
        let failed = SiteBuilder.build(SmallSite.options(tree))
        #expect(!failed.wrote)
        #expect(failed.codes(.error) == ["broken-link", "broken-anchor"])
        #expect(tree.snapshot("output") == before)
        #expect(!FileManager.default.fileExists(atPath: tree.path + "/.output.waymark-new"))

        try FileManager.default.removeItem(atPath: tree.path + "/content/en/articles/billing/invoices.md")
        try tree.write("content/en/articles/billing/refunds.md", "---\ntitle: Refunds\n---\nNo links now.\n")
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        #expect(!tree.exists("output/en/articles/billing/invoices/index.html"))
        #expect(tree.exists("output/en/articles/billing/refunds/index.html"))
    }

    @Test("a failed build leaves the folder beside the output as it was: no spare, staging or lock file of its own")
    func failedBuildLeavesNothing() throws {
        let tree = try SmallSite.tree()
        func beside() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: tree.path)) ?? []).filter { $0 != "content" }.sorted() }
        let good = try #require(tree.read("content/en/articles/billing/invoices.md"))
        let broken = "---\ntitle: Invoices\n---\n\n[x](missing.md)\n"
        // A fresh folder: a failed build leaves nothing at all.
        try tree.write("content/en/articles/billing/invoices.md", broken)
        #expect(!SiteBuilder.build(SmallSite.options(tree)).wrote)
        #expect(beside() == [])
        // After one successful build (no spare yet), then after a second (the spare kept by design).
        try tree.write("content/en/articles/billing/invoices.md", good)
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        #expect(beside() == ["output"])
        try tree.write("content/en/articles/billing/invoices.md", broken)
        #expect(!SiteBuilder.build(SmallSite.options(tree)).wrote)
        #expect(beside() == ["output"])
        try tree.write("content/en/articles/billing/invoices.md", good)
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        #expect(beside() == [".output.waymark-spare", "output"])
        let before = tree.snapshot("output")
        try tree.write("content/en/articles/billing/invoices.md", broken)
        #expect(!SiteBuilder.build(SmallSite.options(tree)).wrote)
        #expect(beside() == [".output.waymark-spare", "output"])
        #expect(tree.snapshot("output") == before)
        // The spare is still the next build's staging folder.
        try tree.write("content/en/articles/billing/invoices.md", good)
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        #expect(beside() == [".output.waymark-spare", "output"])
        #expect(tree.snapshot("output") == before)
    }

    @Test("an unchanged tree is not built again; any change to inputs or output builds")
    func upToDate() throws {
        let tree = try SmallSite.tree()
        var options = SmallSite.options(tree)
        options.skipUnchanged = true
        options.tool = "test"
        #expect(SiteBuilder.build(options).wrote)
        let first = tree.snapshot("output")
        let again = SiteBuilder.build(options)
        #expect(again.upToDate && !again.wrote)
        #expect(tree.snapshot("output") == first)
        // Touching a file changes nothing; changing bytes, options, the tool or the output rebuilds.
        try tree.write("content/en/articles/billing/invoices.md", tree.read("content/en/articles/billing/invoices.md")!)
        #expect(SiteBuilder.build(options).upToDate)
        try tree.write("content/en/articles/billing/invoices.md", tree.read("content/en/articles/billing/invoices.md")! + "\nMore.\n")
        #expect(SiteBuilder.build(options).wrote)
        options.tool = "new binary"
        #expect(SiteBuilder.build(options).wrote)
        #expect(SiteBuilder.build(options).upToDate)
        try FileManager.default.removeItem(atPath: tree.path + "/output/en/articles/billing/refunds/index.html")
        #expect(SiteBuilder.build(options).wrote)
        #expect(tree.exists("output/en/articles/billing/refunds/index.html"))
    }

    @Test("waymark never replaces a folder it did not write")
    func refusesForeignOutput() throws {
        let tree = try SmallSite.tree(["precious/notes.txt": "keep me"])
        let summary = SiteBuilder.build(SmallSite.options(tree, output: "precious"))
        #expect(summary.codes().contains("invalid-output"))
        #expect(tree.read("precious/notes.txt") == "keep me")
    }

    @Test("every problem is reported in one run, each at its file, line and column")
    func allDiagnostics() throws {
        let tree = try SmallSite.tree([
            "content/en/articles/billing/broken.md": "---\ntitle: Broken\n---\n\nSee [this](nope.md).\n",
            "content/en/articles/billing/badyaml.md": "---\ntitle: [unclosed\n---\nText\n",
        ])
        try tree.write("content/en/articles/billing/latin1.md", Data([0x2D, 0x2D, 0x2D, 0x0A, 0x74, 0x3A, 0x20, 0xE9, 0x0A]))
        let summary = SiteBuilder.build(SmallSite.options(tree))
        let errors = summary.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code).sorted() == ["broken-link", "invalid-utf8", "invalid-yaml"])
        let broken = try #require(errors.first { $0.code == "broken-link" })
        #expect(broken.file == "en/articles/billing/broken.md")
        #expect(broken.location == Loc(line: 5, column: 5))
        let utf8 = try #require(errors.first { $0.code == "invalid-utf8" })
        #expect(utf8.location == Loc(line: 2, column: 4))
        let formatter = DiagnosticFormatter(content: "content", templates: "templates", output: "output")
        #expect(
            formatter.text(broken)
                == "content/en/articles/billing/broken.md:5:5: error: broken link: 'nope.md' does not exist (looked for en/articles/billing/nope.md)")
    }

    @Test("two files that map to one URL are an error")
    func duplicateURL() throws {
        let tree = try SmallSite.tree(["content/en/articles/billing/Refunds.md": "---\ntitle: Other\n---\n"])
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(summary.codes(.error).contains("duplicate-url"))
    }

    @Test("--strict turns warnings into failures")
    func strict() throws {
        let tree = try SmallSite.tree(["content/en/articles/billing/refunds.md": "---\ntitle: R\ntitel: typo\n---\n"])
        var options = SmallSite.options(tree)
        #expect(SiteBuilder.build(options).wrote)
        options.strict = true
        let strict = SiteBuilder.build(options)
        #expect(!strict.wrote)
        #expect(strict.failed(strict: true))
    }

    @Test("assets are copied; CSS and JS are fingerprinted")
    func assets() throws {
        let tree = try SmallSite.tree()
        try tree.write("content/en/assets/flow.txt", "steps")
        try tree.write("content/en/articles/billing/invoices.md", "---\ntitle: Invoices\n---\n\n## Due dates\n\n[Flow](../../assets/flow.txt)\n")
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        #expect(tree.read("output/en/assets/flow.txt") == "steps")
        #expect(tree.read("output/en/articles/billing/invoices/index.html")?.contains(#"href="/docs/en/assets/flow.txt""#) == true)
        let assets = try FileManager.default.contentsOfDirectory(atPath: tree.path + "/output/assets")
        #expect(assets.contains { $0.hasPrefix("style.") && $0.hasSuffix(".css") && $0.count == "style.0123456789.css".count })
    }

    @Test("--base-url overrides site.yml for every link")
    func baseURLOverride() throws {
        let tree = try SmallSite.tree()
        var options = SmallSite.options(tree)
        options.baseURL = "https://preview.example.org/pr-7/"
        #expect(SiteBuilder.build(options).wrote)
        let html = try #require(tree.read("output/en/articles/billing/refunds/index.html"))
        #expect(html.contains(#"href="https://preview.example.org/pr-7/en/articles/billing/refunds/""#))
        #expect(html.contains(#"href="/pr-7/en/articles/billing/invoices/#due-dates""#))
        #expect(!html.contains("\"/docs/"))
    }
}
