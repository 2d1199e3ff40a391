import Foundation
import Testing

@testable import WaymarkKit

/// Hostile and broken input: each case gives a clear diagnostic or a correct page, never a crash, a hang,
/// or a file outside the output folder.
@Suite("Bad input battery")
struct BadInputTests {
    func build(_ overrides: [String: String?], extra: (TempTree) throws -> Void = { _ in }) throws -> (TempTree, BuildSummary) {
        let tree = try SmallSite.tree(overrides)
        try extra(tree)
        return (tree, SiteBuilder.build(SmallSite.options(tree)))
    }

    @Test("BOM and CRLF files build into correct pages")
    func bomAndCRLF() throws {
        let (tree, summary) = try build([:]) { tree in
            try tree.write(
                "content/en/articles/billing/crlf.md",
                Data([0xEF, 0xBB, 0xBF])
                    + Data(
                        "---\r\ntitle: \"Windows\"\r\nsummary: Saved on Windows\r\n---\r\n\r\n## Heading {#h}\r\n\r\nText with [a link](refunds.md).\r\n".utf8))
        }
        #expect(summary.errors == 0, "\(summary.diagnostics)")
        let page = try #require(tree.read("output/en/articles/billing/crlf/index.html"))
        #expect(page.contains("<h1>Windows</h1>"))
        #expect(page.contains(#"<h2 id="h">"#))
        #expect(page.contains(#"href="/docs/en/articles/billing/refunds/""#))
    }

    @Test("tabs in YAML, unterminated front matter and empty files are located errors")
    func brokenFrontMatter() throws {
        let (_, summary) = try build([
            "content/en/articles/billing/tabs.md": "---\ntitle: ok\n\tsummary: indented with a tab\n---\n",
            "content/en/articles/billing/open.md": "---\ntitle: never closed\n\nbody",
            "content/en/articles/billing/empty.md": "",
            "content/en/landing/home.yml": "title: [broken\n",
        ])
        let byFile = Dictionary(grouping: summary.diagnostics.filter { $0.severity == .error }, by: { $0.file ?? "" })
        #expect(byFile["en/articles/billing/tabs.md"]?.first?.code == "invalid-yaml")
        #expect(byFile["en/articles/billing/tabs.md"]?.first?.location?.line == 3)
        #expect(byFile["en/articles/billing/tabs.md"]?.first?.message.contains("tab") == true)
        #expect(byFile["en/articles/billing/open.md"]?.map(\.code) == ["unterminated-front-matter"])
        #expect(byFile["en/articles/billing/empty.md"]?.map(\.code) == ["missing-front-matter"])
        #expect(byFile["en/landing/home.yml"]?.first?.code == "invalid-yaml")
        #expect(!summary.wrote)
    }

    @Test("a 10 MB article, deep nesting and an enormous table build without crashing, once limits.fileKB allows the size")
    func largeAndDeep() throws {
        let paragraph = String(repeating: "Onboarding text that goes on. ", count: 40) + "\n\n"
        let big = "---\ntitle: Big\n---\n\n" + String(repeating: "## Part\n\n" + paragraph, count: 10_000_000 / (paragraph.utf8.count + 10))
        let quotes = "---\ntitle: Quotes\n---\n\n" + String(repeating: ">", count: 10_000) + " deep\n"
        // `- - - item` nests a list in a list on one line: 10,000 levels in 20 kB.
        let lists = "---\ntitle: Lists\n---\n\n" + String(repeating: "- ", count: 10_000) + "item\n"
        let table =
            "---\ntitle: Table\n---\n\n| " + (0..<200).map { "c\($0)" }.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: 200) + "\n"
            + String(repeating: "| " + (0..<200).map { "v\($0)" }.joined(separator: " | ") + " |\n", count: 2_000)
        let files = [
            "content/en/articles/billing/big.md": big, "content/en/articles/billing/quotes.md": quotes,
            "content/en/articles/billing/lists.md": lists, "content/en/articles/billing/table.md": table,
        ]
        // Over the default limit (4 MiB): a located error that names the setting, and nothing is published.
        let (_, refused) = try build(files)
        let tooLarge = refused.diagnostics.filter { $0.code == "file-too-large" }
        #expect(tooLarge.map(\.file) == ["en/articles/billing/big.md"] && tooLarge.first?.location == SourceLocation(line: 1, column: 1))
        #expect(tooLarge.first?.message.contains("limits.fileKB") == true && !refused.wrote)
        let (tree, summary) = try build(files.merging(["content/site.yml": SmallSite.siteYML + "\nlimits: { fileKB: 12000 }\n"]) { $1 })
        #expect(summary.errors == 0, "\(summary.diagnostics.prefix(3))")
        #expect((tree.read("output/en/articles/billing/big/index.html")?.utf8.count ?? 0) > 9_000_000)
        #expect(tree.read("output/en/articles/billing/quotes/index.html")?.contains("deep") == true)
        #expect(tree.read("output/en/articles/billing/table/index.html")?.contains("v199") == true)
        #expect(tree.exists("output/en/articles/billing/lists/index.html"))
    }

    @Test("a table wider than limits.tableColumns is a located error, not minutes of cmark-gfm's quadratic table parsing")
    func wideTable() throws {
        let row = { (cell: String) in "|" + String(repeating: cell + "|", count: 300) + "\n" }
        let table = "---\ntitle: Wide\n---\n\nIntro.\n\n" + row("a") + row("-") + row("b")
        let (_, summary) = try build(["content/en/articles/billing/wide.md": table])
        let error = summary.diagnostics.first { $0.code == "table-too-wide" }
        #expect(error?.file == "en/articles/billing/wide.md" && error?.location == SourceLocation(line: 8, column: 1), "\(summary.diagnostics)")
        #expect(error?.message.contains("300 columns") == true && error?.message.contains("limits.tableColumns") == true)
        let (tree, raised) = try build([
            "content/en/articles/billing/wide.md": table, "content/site.yml": SmallSite.siteYML + "\nlimits:\n  tableColumns: 400\n",
        ])
        #expect(raised.errors == 0 && tree.read("output/en/articles/billing/wide/index.html")?.contains("<table>") == true)
    }

    @Test("paths may not leave the content folder: links, featured pages and symbolic links")
    func escapes() throws {
        let outside = try TempTree(["secret.md": "---\ntitle: Secret\n---\nTop secret\n", "secret-dir/x.md": "---\ntitle: X\n---\n"])
        let (tree, summary) = try build([
            "content/en/articles/billing/evil.md": "---\ntitle: Evil\n---\n\n[passwd](../../../../../../etc/passwd) ![x](../../../../../etc/hostname)\n",
            "content/en/landing/accountant.yml": "title: A\nfeatured:\n  - ../../../etc/passwd\n  - /etc/passwd\n",
        ]) { tree in
            try FileManager.default.createSymbolicLink(
                atPath: tree.path + "/content/en/articles/billing/link.md", withDestinationPath: outside.path + "/secret.md")
            try FileManager.default.createSymbolicLink(atPath: tree.path + "/content/en/articles/linked", withDestinationPath: outside.path + "/secret-dir")
        }
        let codes = summary.diagnostics.map(\.code)
        #expect(codes.filter { $0 == "link-outside-content" }.count >= 3)
        #expect(codes.contains("unsafe-symlink"))
        #expect(codes.contains("broken-featured"))
        #expect(!summary.wrote)
        // Nothing was read from outside, and nothing was written outside the output folder.
        let written = (try? FileManager.default.subpathsOfDirectory(atPath: tree.path)) ?? []
        #expect(!written.contains { $0.hasSuffix("secret/index.html") })
        #expect(outside.snapshot("").count == 2)
    }

    @Test("file names with spaces and non-Latin letters get working, encoded URLs")
    func fileNames() throws {
        let (tree, summary) = try build([
            "content/en/articles/billing/Late Fees.md": "---\ntitle: Late fees\n---\n\nSee [hoàn tiền](../billing/hoàn%20tiền.md).\n",
            "content/en/articles/billing/hoàn tiền.md": "---\ntitle: Hoàn tiền\n---\n\nBack to [fees](Late%20Fees.md).\n",
        ])
        #expect(summary.errors == 0, "\(summary.diagnostics)")
        #expect(tree.exists("output/en/articles/billing/late-fees/index.html"))
        #expect(tree.exists("output/en/articles/billing/hoàn-tiền/index.html"))
        let page = try #require(tree.read("output/en/articles/billing/late-fees/index.html"))
        #expect(page.contains(#"href="/docs/en/articles/billing/ho%C3%A0n-ti%E1%BB%81n/""#))
    }

    @Test("output paths are checked to stay inside the output folder")
    func outputPaths() throws {
        let tree = try TempTree()
        let writer = try OutputWriter(output: tree.path + "/out")
        try writer.write("a/b/index.html", Array("ok".utf8))
        writer.abort()
        #expect(!tree.exists("out"))
    }

    @Test("--output naming a regular file is an error and the file stays, build after build")
    func outputIsAFile() throws {
        let tree = try SmallSite.tree()
        try tree.write("notes.txt", "my notes\n")
        for _ in 0..<2 {
            let summary = SiteBuilder.build(SmallSite.options(tree, output: "notes.txt"))
            #expect(!summary.wrote && summary.diagnostics.contains { $0.code == "invalid-output" && $0.message.contains("is a file") })
        }
        #expect(tree.read("notes.txt") == "my notes\n")
        #expect(!tree.exists(".notes.txt.waymark-spare") && !tree.exists(".notes.txt.waymark-new"))
    }

    @Test("--output through a symbolic link: the folder it points to is swapped and the link stays a link")
    func outputThroughSymlink() throws {
        let tree = try SmallSite.tree()
        try FileManager.default.createDirectory(atPath: tree.path + "/deploy", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tree.path + "/link", withDestinationPath: tree.path + "/deploy")
        for round in 0..<3 {
            try tree.write("content/en/articles/billing/round.md", "---\ntitle: Round \(round)\n---\n\nText.\n")
            let summary = SiteBuilder.build(SmallSite.options(tree, output: "link"))
            #expect(summary.wrote, "\(summary.diagnostics)")
            let link = try FileManager.default.destinationOfSymbolicLink(atPath: tree.path + "/link")
            #expect(link == tree.path + "/deploy", "round \(round): the link was replaced")
            #expect(tree.read("deploy/en/articles/billing/round/index.html")?.contains("Round \(round)") == true, "round \(round): stale output")
        }
    }

    @Test("one build at a time per output: a second one fails clearly, and can build once the first is done")
    func concurrentBuildsAreLocked() throws {
        let tree = try SmallSite.tree()
        let first = try OutputWriter(output: tree.path + "/output")
        #expect(throws: OutputError.self) { try OutputWriter(output: tree.path + "/output") }
        let blocked = SiteBuilder.build(SmallSite.options(tree))
        #expect(!blocked.wrote && blocked.diagnostics.contains { $0.message.contains("another waymark build is writing") })
        first.abort()
        let next = SiteBuilder.build(SmallSite.options(tree))
        #expect(next.wrote, "\(next.diagnostics)")
        #expect(tree.exists("output/en/index.html"))
    }

    /// URLs a browser would send to another host, run as script, or read differently than they look.
    static let hostileURLs = [
        "//evil.example/c", "/\\evil.example/c", "\\\\evil.example/c", "\\/evil.example/c", "/\t/evil.example/c", "/\n/evil.example/c",
        "/c\r\n", "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>x</script>",
        "vbscript:x", "mailto:a@b.example", "https://user@evil.example/c", "https://user:pw@evil.example/c",
        "https://help.example.com\\@evil.example/", "https:///c", "https:evil.example/c", "https:/evil.example/c", "http://evil.example:99999/",
        "http://evil.example:/", "https://evil%2eexample/", "/c\u{202E}gpj.exe", "/c\u{2066}", "/c\u{200B}", "/c\u{0}", "/c d", "/c\u{00A0}",
        "https://evil.example/\u{2028}", "/c\"onload=\"x", "/c<x>", "/c`x", "c", "./c", "", String(repeating: "/", count: 3) + "evil.example",
    ]

    @Test("one URL validator: baseURL, --base-url, analytics.endpoint, feedback.endpoint and editURL refuse every hostile URL at its line")
    func configuredURLs() throws {
        /// `value` as a YAML double-quoted scalar, invisible characters as escapes.
        func yaml(_ value: String) -> String {
            "\""
                + value.unicodeScalars.map { c -> String in
                    if c == "\\" || c == "\"" { return "\\" + String(c) }
                    if c.value >= 0x20 && c.value < 0x7F { return String(c) }
                    return "\\U" + String(repeating: "0", count: 8 - String(c.value, radix: 16).count) + String(c.value, radix: 16)
                }.joined() + "\""
        }
        for bad in Self.hostileURLs {
            #expect(ConfigURL.problem(bad, allowed: .siteRoot) != nil, "baseURL \(bad.debugDescription)")
            #expect(ConfigURL.problem(bad, allowed: .endpoint) != nil, "endpoint \(bad.debugDescription)")
            #expect(ConfigURL.problem(bad, allowed: .absolute) != nil, "editURL \(bad.debugDescription)")
            // In site.yml: each setting is a located error at the line that holds it, and nothing is kept.
            let text =
                SmallSite.siteYML.replacingOccurrences(of: "https://help.example.com/docs/", with: yaml(bad))
                + "\nanalytics: { endpoint: \(yaml(bad)) }\nfeedback:\n  endpoint: \(yaml(bad))\neditURL: \(yaml(bad + "{path}"))\n"
            let (config, problems) = SiteConfig.parse(SourceFile(path: "site.yml", text: text))
            // Control characters are refused by the YAML reader before the URL check (`control-character`).
            let expected = ["invalid-base-url": 2, "invalid-analytics-endpoint": 11, "invalid-feedback-endpoint": 13, "invalid-edit-url": 14]
            #expect(
                problems.map { $0.location?.line ?? 0 }.sorted() == [2, 11, 13, 14]
                    && problems.allSatisfy { $0.code == "control-character" || expected[$0.code] == $0.location?.line },
                "\(bad.debugDescription): \(problems)")
            #expect(config?.baseURL == "/" && config?.analyticsEndpoint == nil && config?.feedbackEndpoint == nil && config?.editURL == nil)
            #expect(problems.allSatisfy { !$0.message.unicodeScalars.contains { $0.value < 0x20 } }, "messages show invisible characters as escapes")
            // On the command line: the build stops before writing anything.
            let fresh = try SmallSite.tree()
            var options = SmallSite.options(fresh)
            options.baseURL = bad
            let overridden = SiteBuilder.build(options)
            #expect(
                !overridden.wrote && overridden.diagnostics.contains { $0.code == "invalid-base-url" && $0.message.hasPrefix("--base-url") },
                "--base-url \(bad.debugDescription)")
        }
        for good in ["https://help.example.com/docs/", "http://localhost:8080/", "http://[::1]:8080/", "HTTPS://Help.Example.com", "/help/", "/"] {
            #expect(ConfigURL.problem(good, allowed: .siteRoot) == nil, "\(good)")
            let fresh = try SmallSite.tree()
            var options = SmallSite.options(fresh)
            options.baseURL = good
            #expect(SiteBuilder.build(options).wrote, "--base-url \(good)")
        }
        // Per setting: the base has no query or fragment (links are appended to it); editURL is never a path.
        for good in ["/collect", "/collect?site=help&v=1", "https://collect.example.com/w?x=1#y", "https://bücher.example/c"] {
            #expect(ConfigURL.problem(good, allowed: .endpoint) == nil, "\(good)")
        }
        #expect(ConfigURL.problem("/help/?x=1", allowed: .siteRoot) != nil && ConfigURL.problem("https://h.example/#a", allowed: .siteRoot) != nil)
        #expect(ConfigURL.problem("/edit/{path}", allowed: .absolute) != nil)
        #expect(ConfigURL.problem("https://github.com/acme/help/edit/main/content/{path}", allowed: .absolute) == nil)
    }

    @Test("stage and segment ids that a JavaScript object treats specially are located errors")
    func reservedIDs() {
        let text =
            SmallSite.siteYML.replacingOccurrences(of: "id: accountant", with: "id: constructor")
            + "\nstages:\n  - { id: prototype }\n  - { id: welcome }\n"
        let (config, problems) = SiteConfig.parse(SourceFile(path: "site.yml", text: text))
        #expect(problems.map { "\($0.code) \($0.location?.line ?? 0)" } == ["invalid-site-config 8", "invalid-site-config 12"], "\(problems)")
        #expect(problems.allSatisfy { $0.message.contains("reserved") })
        #expect(config?.segments.isEmpty == true && config?.stages.map(\.id) == ["welcome"])
    }

    @Test("control characters in front matter are located errors and never reach pages or feeds")
    func controlCharacters() throws {
        let (tree, summary) = try build(["content/en/articles/billing/nul.md": "---\ntitle: \"a\\0b\\ec\"\n---\n\nText.\n"])
        let error = summary.diagnostics.first { $0.code == "control-character" }
        #expect(
            error?.file == "en/articles/billing/nul.md" && error?.location?.line == 2 && error?.message.contains("U+0000") == true, "\(summary.diagnostics)")
        #expect(!summary.wrote && !tree.exists("output/en/feed.xml"))
    }

    @Test("text diagnostics show control characters from file names and messages as escapes")
    func terminalEscapes() {
        let formatter = DiagnosticFormatter(content: "content", templates: "templates", output: "output")
        let d = Diagnostic.error("broken-link", "unknown key 'x\u{1B}[2J'", file: "en/\u{1B}]0;owned\u{07}.md", at: SourceLocation(line: 1, column: 1))
        let line = formatter.text(d)
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 }, "\(line.debugDescription)")
        #expect(line.contains("\\u{1B}[2J") && line.contains("en/\\u{1B}]0;owned\\u{7}.md"))
    }

    @Test("special files in content (a FIFO, a link to /dev/zero) are located errors, read never, with the up-to-date check too")
    func specialFiles() throws {
        let tree = try SmallSite.tree()
        #expect(mkfifo(tree.path + "/content/en/articles/billing/pipe.md", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: tree.path + "/content/en/articles/billing/zero.md", withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(
            atPath: tree.path + "/content/en/articles/billing/linked.md", withDestinationPath: tree.path + "/content/en/articles/billing/pipe.md")
        var options = SmallSite.options(tree)
        options.skipUnchanged = true
        let start = Date()
        let summary = SiteBuilder.build(options)
        #expect(Date().timeIntervalSince(start) < 60, "the build hung on a special file")
        #expect(!summary.wrote)
        #expect(
            summary.diagnostics.contains { $0.file == "en/articles/billing/pipe.md" && $0.message.contains("not a regular file") && $0.severity == .error },
            "\(summary.diagnostics)")
        #expect(summary.diagnostics.contains { $0.file == "en/articles/billing/zero.md" }, "\(summary.diagnostics)")
        #expect(
            summary.diagnostics.contains { $0.file == "en/articles/billing/linked.md" && $0.message.contains("not a regular file") }, "\(summary.diagnostics)")
    }
}
