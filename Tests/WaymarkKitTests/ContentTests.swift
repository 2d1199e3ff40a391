import Testing

@testable import WaymarkKit

@Suite("Content model")
struct ContentTests {
    @Test("localized strings fall back to the default language")
    func localizedFallback() {
        let s = LocalizedString(values: ["en": "Help", "vi": "Trợ giúp"])
        #expect(s.resolve("vi", fallback: "en") == "Trợ giúp")
        #expect(s.resolve("fa", fallback: "en") == "Help")
        #expect(LocalizedString("Same").resolve("fa", fallback: "en") == "Same")
    }

    @Test("site.yml: defaults, right-to-left languages and base path")
    func siteConfig() {
        let (config, diagnostics) = SiteConfig.parse(
            SourceFile(
                path: "site.yml",
                text: """
                    title: Help
                    baseURL: https://example.com/help
                    languages:
                      - { code: en, name: English }
                      - { code: fa, name: فارسی }
                      - { code: ar, name: العربية, direction: ltr }
                    """))
        #expect(diagnostics.isEmpty)
        let c = try! #require(config)
        #expect(c.defaultLanguage == "en")
        #expect(c.basePath == "/help/")
        #expect(c.language("fa")?.direction == .rtl)
        #expect(c.language("ar")?.direction == .ltr)
        #expect(c.stages.map(\.id) == ["welcome", "first-value", "adoption", "mastery"])
        #expect(c.text(c.stages[0].title, "vi") == "Chào mừng")
    }

    @Test("site.yml problems are located and suggested")
    func siteConfigErrors() {
        let (_, diagnostics) = SiteConfig.parse(
            SourceFile(
                path: "site.yml",
                text: """
                    titel: Help
                    languages:
                      - { code: EN }
                    """))
        #expect(diagnostics.map(\.code) == ["unknown-key", "invalid-language", "invalid-site-config"])
        #expect(diagnostics[0].message.contains("did you mean 'title'"))
        #expect(diagnostics[1].location == Loc(line: 3, column: 13))
    }

    @Test("front matter is split by bytes and typed, with errors at file lines")
    func frontMatter() {
        guard case .found(let yaml, let body, let offset) = FrontMatter.split("---\r\ntitle: A\r\ntags: x\r\n---\r\nBody") else {
            Issue.record("front matter not found")
            return
        }
        #expect(offset == 4)
        #expect(body == "Body")
        let (fm, diagnostics) = FrontMatter.parse(yaml: yaml, file: "a.md", kind: .article)
        #expect(diagnostics.isEmpty)
        #expect(fm.title == "A")
        #expect(fm.tags == ["x"])

        let (_, errors) = FrontMatter.parse(yaml: "title: ok\nupdated: 2026-13-01\ndraft: maybe\n", file: "b.md", kind: .article)
        #expect(errors.map(\.code) == ["invalid-date", "invalid-yaml-type"])
        #expect(errors.map { $0.location!.line } == [3, 4])
    }

    @Test("missing, unterminated and empty front matter")
    func frontMatterShapes() {
        if case .none = FrontMatter.split("# Just markdown") {} else { Issue.record("expected none") }
        if case .unterminated = FrontMatter.split("---\ntitle: x\n") {} else { Issue.record("expected unterminated") }
        let (_, d) = FrontMatter.parse(yaml: "summary: s\n", file: "c.md", kind: .guide)
        #expect(d.map(\.code) == ["missing-title", "missing-stage"])
    }

    @Test("YAML syntax errors point into the Markdown file, not the YAML snippet")
    func yamlErrorLine() {
        let (_, d) = FrontMatter.parse(yaml: "title: ok\ntags: [a, b\nsummary: x\n", file: "d.md", kind: .article)
        #expect(d.first?.code == "invalid-yaml")
        #expect((d.first?.location?.line ?? 0) >= 3)
    }

    @Test("invalid UTF-8 is reported at the first bad byte")
    func invalidUTF8() {
        let bytes = Array("---\ntitle: ok\n---\nBad: ".utf8) + [0xC3, 0x28] + Array(" end".utf8)
        guard case .failure(let d) = SourceFile.decode(path: "x.md", bytes: bytes) else {
            Issue.record("expected failure")
            return
        }
        #expect(d.location == Loc(line: 4, column: 6))
        // A BOM is dropped, not reported.
        guard case .success(let s) = SourceFile.decode(path: "y.md", bytes: [0xEF, 0xBB, 0xBF] + Array("hi".utf8)) else {
            Issue.record("BOM rejected")
            return
        }
        #expect(s.text == "hi")
    }

    @Test("translations link by path; guide numbers set the order; drafts are left out")
    func loading() throws {
        let tree = try SmallSite.tree([
            "content/en/articles/billing/draft.md": "---\ntitle: D\ndraft: true\n---\n",
            "content/de/articles/x.md": "---\ntitle: X\n---\n",
        ])
        let bag = DiagnosticBag()
        let content = try #require(ContentLoader(root: tree.path + "/content").load(diagnostics: bag))
        let refunds = content.documents.filter { $0.localPath == "articles/billing/refunds.md" }
        #expect(refunds.map(\.language).sorted() == ["en", "fa"])
        #expect(Set(refunds.map(\.translationKey)).count == 1)
        let guide = try #require(content.documents.first { $0.kind == .guide })
        #expect(guide.slug == "01-welcome")
        #expect(guide.urlPath == "en/guides/accountant/01-welcome/")
        #expect(guide.frontMatter.order == 1)
        #expect(bag.all.map(\.code) == ["unknown-language"])
        let site = SiteIndex(content: content, includeDrafts: false, diagnostics: bag)
        #expect(!site.documents.contains { $0.slug == "draft" })
        #expect(SiteIndex(content: content, includeDrafts: true, diagnostics: DiagnosticBag()).documents.contains { $0.slug == "draft" })
    }
}
