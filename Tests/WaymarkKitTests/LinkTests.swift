import Testing

@testable import WaymarkKit

@Suite("Link rewriting")
struct LinkTests {
    let resolver = LinkResolver(
        pages: [
            "en/articles/billing/refunds.md": "en/articles/billing/refunds/",
            "en/articles/start/first steps.md": "en/articles/start/first-steps/",
            "vi/articles/billing/hoàn-tiền.md": "vi/articles/billing/hoàn-tiền/",
        ],
        drafts: ["en/articles/billing/secret.md"],
        files: ["en/assets/flow.png", "en/articles/billing/refunds.md"],
        basePath: "/docs/")

    func link(_ destination: String, image: Bool = false) -> LinkReference {
        LinkReference(destination: destination, isImage: image, text: "t", location: Loc(line: 7, column: 3))
    }

    @Test("relative Markdown paths become page URLs and keep their anchor for checking")
    func relative() {
        let r = resolver.resolve(link("../billing/refunds.md#asking-for-a-refund"), from: "en/articles/start/intro.md")
        #expect(r.url == "/docs/en/articles/billing/refunds/#asking-for-a-refund")
        #expect(r.anchorCheck?.targetPath == "en/articles/billing/refunds.md")
        #expect(r.diagnostics.isEmpty)
    }

    @Test("percent-encoded and non-ASCII paths resolve, and URLs are encoded")
    func encoded() {
        #expect(resolver.resolve(link("first%20steps.md"), from: "en/articles/start/a.md").url == "/docs/en/articles/start/first-steps/")
        #expect(resolver.resolve(link("hoàn-tiền.md"), from: "vi/articles/billing/a.md").url == "/docs/vi/articles/billing/ho%C3%A0n-ti%E1%BB%81n/")
    }

    @Test("broken links are errors at the link, with a suggestion")
    func broken() {
        let r = resolver.resolve(link("../billing/refund.md"), from: "en/articles/start/a.md")
        #expect(r.diagnostics.map(\.code) == ["broken-link"])
        #expect(r.diagnostics[0].location == Loc(line: 7, column: 3))
        #expect(r.diagnostics[0].message.contains("did you mean '../billing/refunds.md'"))
    }

    @Test("links may not leave the content folder")
    func escaping() {
        let r = resolver.resolve(link("../../../../../etc/passwd"), from: "en/articles/start/a.md")
        #expect(r.diagnostics.map(\.code) == ["link-outside-content"])
        #expect(r.url == nil)
    }

    @Test("drafts, assets, external and unsafe links")
    func kinds() {
        #expect(resolver.resolve(link("../billing/secret.md"), from: "en/articles/start/a.md").diagnostics.map(\.code) == ["link-to-draft"])
        #expect(resolver.resolve(link("../../assets/flow.png", image: true), from: "en/articles/start/a.md").url == "/docs/en/assets/flow.png")
        #expect(resolver.resolve(link("https://example.com/x.md"), from: "en/a.md").url == nil)
        #expect(resolver.resolve(link("/en/search/"), from: "en/a.md").url == "/docs/en/search/")
        #expect(resolver.resolve(link("javascript:alert(1)"), from: "en/a.md").diagnostics.map(\.code) == ["unsafe-link"])
        #expect(resolver.resolve(link("#local"), from: "en/a.md").anchorCheck?.targetPath == "en/a.md")
    }
}
