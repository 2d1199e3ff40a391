import Foundation
import Testing

@testable import WaymarkKit

@Suite("Content health and writer tools")
struct HealthTests {
    func check(_ overrides: [String: String?], today: String = "2026-11-27") throws -> BuildSummary {
        let tree = try SmallSite.tree(overrides)
        var options = SmallSite.options(tree)
        options.dryRun = true
        options.health = true
        options.today = Day(iso: today)
        return SiteBuilder.build(options)
    }

    @Test("check reports missing translations, stale and orphan articles, duplicate titles and empty stages")
    func checks() throws {
        let summary = try check([
            "content/en/articles/billing/old.md": "---\ntitle: Old\nreviewed: 2024-01-02\n---\n\nSee [refunds](refunds.md).\n",
            "content/en/articles/billing/twin.md": "---\ntitle: invoices\nupdated: 2026-11-01\n---\n",
        ])
        #expect(!summary.wrote)
        let codes = summary.diagnostics.map(\.code)
        #expect(codes.contains("missing-translation"))
        // Articles published in Persian from the English text are still missing translations, and nothing
        // is reported at the copies' paths (no such files exist).
        let missing = summary.diagnostics.filter { $0.code == "missing-translation" && $0.message.contains("(fa)") && $0.file?.contains("/articles/") == true }
            .compactMap(\.file)
        #expect(Set(missing) == ["en/articles/billing/invoices.md", "en/articles/billing/old.md", "en/articles/billing/twin.md"])
        #expect(!summary.diagnostics.contains { $0.file?.hasPrefix("fa/articles/billing/") == true && $0.file != "fa/articles/billing/refunds.md" })
        let stale = try #require(summary.diagnostics.first { $0.code == "stale-article" && $0.file == "en/articles/billing/old.md" })
        #expect(stale.location == Loc(line: 3, column: 1))
        #expect(stale.message.contains("2024-01-02"))
        let orphans = summary.diagnostics.filter { $0.code == "orphan-article" }.compactMap(\.file)
        #expect(orphans.contains("en/articles/billing/old.md"))
        #expect(!orphans.contains("en/articles/billing/refunds.md"))  // featured on the accountant landing page
        #expect(summary.diagnostics.contains { $0.code == "duplicate-title" && $0.file == "en/articles/billing/twin.md" })
        #expect(summary.diagnostics.filter { $0.code == "empty-stage" }.count == 2)  // adoption and mastery
        let health = try #require(summary.health)
        #expect(health.languages.map(\.code) == ["en", "fa"])
        #expect(health.languages[1].translated == 1)
        #expect(health.cells == [[1, 1, 0, 0]])
        #expect(health.routes.first?.minutes == [10, 30, 0, 0])
    }

    @Test("a per-article reviewEvery overrides the site's")
    func reviewEvery() throws {
        let summary = try check([
            "content/en/articles/billing/invoices.md": "---\ntitle: Invoices\nreviewed: 2026-10-01\nreviewEvery: 30\n---\n\n## Due dates\n"
        ])
        #expect(summary.diagnostics.contains { $0.code == "stale-article" && $0.file == "en/articles/billing/invoices.md" })
    }

    @Test("diagnostics print as text, JSON and GitHub workflow commands")
    func formats() throws {
        let d = Diagnostic.error("broken-link", "broken link: 'a.md', 50% sure\nsecond line", file: "en/x.md", at: SourceLocation(line: 3, column: 7))
        let f = DiagnosticFormatter(content: "content", templates: "templates", output: "output")
        #expect(f.text(d) == "content/en/x.md:3:7: error: broken link: 'a.md', 50% sure\nsecond line")
        #expect(f.github(d) == "::error file=content/en/x.md,line=3,col=7,title=waymark broken-link::broken link: 'a.md', 50%25 sure%0Asecond line")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(f.json([d]).utf8)) as? [String: Any])
        #expect(json["version"] as? Int == 1 && json["errors"] as? Int == 1)
        let item = try #require((json["diagnostics"] as? [[String: Any]])?.first)
        #expect(item["file"] as? String == "content/en/x.md")
        #expect(item["line"] as? Int == 3 && item["column"] as? Int == 7)
        #expect(item["severity"] as? String == "error" && item["code"] as? String == "broken-link")
    }

    @Test("the report draws charts as inline SVG and lists every finding; JSON carries the same figures")
    func report() throws {
        let summary = try check(["content/en/articles/billing/invoices.md": "---\ntitle: Invoices\n---\n\n## Due dates\n\n[x](missing.md)\n"])
        let health = try #require(summary.health)
        let templates = try #require(TemplateSet.load(from: Repo.templates).0)
        let html = try HealthReport.html(
            health, diagnostics: summary.diagnostics, formatter: DiagnosticFormatter(content: "content", templates: "t", output: "o"), templates: templates)
        #expect(html.components(separatedBy: "<svg role=\"img\"").count - 1 == 5)
        let captions = html.matches(of: #/<p class="caption">([^<]*)</p>/#).map { String($0.output.1) }
        #expect(captions.count == 5 && !captions.contains { $0.contains("`") }, "captions show literal backticks: \(captions)")
        #expect(html.contains(#"<meta name="robots" content="noindex">"#))
        #expect(html.contains("<code>content/en/articles/billing/invoices.md:7:1</code> error: broken link"))
        // Findings quote keys and commands in backticks for terminals; the page shows them as code.
        #expect(HealthReport.codeSpans("update `reviewed` <now>") == "update <code>reviewed</code> &lt;now&gt;")
        #expect(HealthReport.codeSpans("`a` and `b") == "<code>a</code> and `b")
        #expect(!html.contains("<script"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(HealthReport.json(health, diagnostics: summary.diagnostics).utf8)) as? [String: Any])
        #expect((json["brokenLinks"] as? [String: Int])?["en/articles"] == 1)
    }

    @Test("new article and guide: correct front matter, next free number, never overwrite")
    func scaffoldFiles() throws {
        let tree = try SmallSite.tree()
        let s = Scaffold(content: tree.path + "/content", templates: Repo.templates, today: Day(iso: "2026-11-27")!)
        let article = try s.article(language: "en", category: "billing", slug: "taxes", title: "Taxes: how \"VAT\" works")
        #expect(tree.read("content/en/articles/billing/taxes.md")?.contains(#"title: "Taxes: how \"VAT\" works""#) == true)
        #expect(throws: Scaffold.Failure.self) { try s.article(language: "en", category: "billing", slug: "taxes", title: nil) }
        #expect(article.hasSuffix("taxes.md"))
        let guide = try s.guide(language: nil, segment: "accountant", slug: "month-end", title: nil, stage: nil)
        #expect(guide.hasSuffix("en/guides/accountant/03-month-end.md"))
        #expect(tree.read("content/en/guides/accountant/03-month-end.md")?.contains("stage: first-value") == true)
        #expect(throws: Scaffold.Failure.self) { try s.guide(language: nil, segment: "nurses", slug: "x", title: nil, stage: nil) }
        // The scaffolded files build without errors.
        #expect(SiteBuilder.build(SmallSite.options(tree)).errors == 0)
    }

    @Test("new never writes through a symbolic link: a dangling one, or a folder that leads outside content/")
    func scaffoldSymlinks() throws {
        let tree = try SmallSite.tree()
        let outside = try TempTree()
        let s = Scaffold(content: tree.path + "/content", templates: Repo.templates, today: Day(iso: "2026-11-27")!)
        try FileManager.default.createSymbolicLink(atPath: tree.path + "/content/en/articles/billing/taxes.md", withDestinationPath: outside.path + "/taxes.md")
        #expect(throws: Scaffold.Failure.self) { try s.article(language: "en", category: "billing", slug: "taxes", title: nil) }
        #expect(!outside.exists("taxes.md"))
        try FileManager.default.createSymbolicLink(atPath: tree.path + "/content/en/articles/linked", withDestinationPath: outside.path)
        #expect(throws: Scaffold.Failure.self) { try s.article(language: "en", category: "linked", slug: "fees", title: nil) }
        #expect(!outside.exists("fees.md"))
    }

    @Test("new segment and language edit site.yml and keep it valid")
    func scaffoldConfig() throws {
        let tree = try SmallSite.tree()
        let s = Scaffold(content: tree.path + "/content", templates: tree.path + "/templates", today: Day(iso: "2026-11-27")!)
        try FileManager.default.createDirectory(atPath: tree.path + "/templates/i18n", withIntermediateDirectories: true)
        try tree.write("templates/i18n/en.yml", "search: \"Search\"\n")
        let segment = try s.segment(id: "developer", title: "Developers")
        // site.yml is reported as edited, not as created.
        #expect(segment.first == .updated(tree.path + "/content/site.yml") && segment.dropFirst().allSatisfy { "\($0)".hasPrefix("created ") })
        #expect(segment.map(\.description).contains("created \(tree.path)/content/en/landing/developer.yml"))
        let language = try s.language(code: "ar", name: "العربية", rightToLeft: nil)
        #expect(language.first == .updated(tree.path + "/content/site.yml") && language.count == 3)
        let (config, diagnostics) = SiteConfig.parse(SourceFile(path: "site.yml", text: tree.read("content/site.yml")!))
        #expect(diagnostics.isEmpty)
        #expect(config?.segment("developer") != nil)
        #expect(config?.language("ar")?.direction == .rtl)
        #expect(tree.exists("content/en/landing/developer.yml"))
        #expect(tree.exists("content/en/guides/developer/01-welcome.md"))
        #expect(tree.exists("content/ar/landing/home.yml"))
        #expect(tree.read("templates/i18n/ar.yml")?.contains("search:") == true)
        #expect(throws: Scaffold.Failure.self) { try s.segment(id: "developer", title: nil) }
        #expect(SiteBuilder.build(SmallSite.options(tree)).errors == 0)
    }
}
