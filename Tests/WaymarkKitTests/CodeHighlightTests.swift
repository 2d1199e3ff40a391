import CWaymarkHighlight
import Foundation
import Testing

@testable import WaymarkKit

@Suite("Code highlighting")
struct CodeHighlightTests {
    func render(_ text: String, highlighter: CodeHighlighter = .shared) -> MarkdownOutput {
        var input = MarkdownInput(text: text)
        input.highlighter = highlighter
        return Markdown.render(input)
    }

    func fence(_ language: String, _ code: String) -> String { "```\(language)\n\(code)\n```\n" }

    /// The inside of the first `<code>` element.
    func codeHTML(_ html: String) -> String {
        guard let open = html.range(of: "\">"), let close = html.range(of: "</code></pre>") else { return html }
        return String(html[open.upperBound..<close.lowerBound])
    }

    /// The text a reader sees in highlighted HTML: tags removed, entities decoded. Fails the test on any
    /// tag other than our spans.
    func visibleText(_ html: String) -> String {
        var text = ""
        var rest = Substring(html)
        while let lt = rest.firstIndex(of: "<") {
            text += rest[..<lt]
            guard let gt = rest[lt...].firstIndex(of: ">") else { break }
            let tag = rest[lt...gt]
            #expect(tag == "</span>" || (tag.hasPrefix("<span class=\"hl-") && !tag.dropFirst(6).contains("<")), "unexpected tag \(tag)")
            rest = rest[rest.index(after: gt)...]
        }
        text += rest
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test("each language the issue names is coloured, with our classes, at build time")
    func languagesColoured() {
        let samples: [(String, String, String)] = [
            ("sh", "curl -s \"$API/v1\" # list", "hl-comment"),
            ("json", "{\"segment\": \"developer\", \"step\": 3}", "hl-attribute"),
            ("yaml", "webhook:\n  url: \"https://x\"\n  retries: 3", "hl-attribute"),
            ("js", "const a = 'x'; // note", "hl-keyword"),
            ("typescript", "interface Step { done: boolean }", "hl-type"),
            ("python", "def send(n):\n    return 42", "hl-keyword"),
            ("swift", "struct Hook { let url: URL }", "hl-keyword"),
            ("sql", "SELECT id FROM steps WHERE done = 1;", "hl-keyword"),
            ("http", "POST /v1/webhooks HTTP/1.1\nContent-Type: application/json", "hl-attribute"),
            ("html", "<a href=\"/x\">Go</a>", "hl-"),
            ("xml", "<step id=\"a\">Go</step>", "hl-"),
            ("css", ".step { color: red; }", "hl-"),
            ("diff", "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new", "hl-inserted"),
        ]
        for (language, code, expected) in samples {
            let out = render(fence(language, code))
            #expect(out.diagnostics.isEmpty, "\(language): \(out.diagnostics)")
            #expect(out.html.hasPrefix("<pre><code class=\"language-\(language)\">"), "\(language): \(out.html)")
            #expect(out.html.contains("<span class=\"\(expected)"), "\(language) has no \(expected): \(out.html)")
            #expect(visibleText(codeHTML(out.html)) == code + "\n", "\(language) changed its text: \(out.html)")
        }
    }

    @Test("a JSON payload is coloured exactly as a reader expects")
    func jsonRuns() {
        let out = render(fence("json", "{\"ok\": true, \"n\": 42}"))
        #expect(
            codeHTML(out.html)
                == "{<span class=\"hl-attribute\">&quot;ok&quot;</span>: <span class=\"hl-keyword\">true</span>, <span class=\"hl-attribute\">&quot;n&quot;</span>: <span class=\"hl-number\">42</span>}\n"
        )
    }

    @Test("nothing in code escapes its element, in any language: markup, entities, quotes, controls, Persian")
    func escaping() {
        let hostile = [
            "</code></pre><script>alert(1)</script>", "a & b &amp; &lt; \"q\" 'q' <!-- -->", "\"</code><img src=x onerror=alert(1)>\"",
            "# </span><b>x</b>", "x = \"\u{1}\u{7F}\"", "// پرداخت «صورتحساب» ۱۲۳ — Привет — Tiếng Việt", "'é' \"€\" /* 😀 */",
            "--- a<b\n+++ b&c\n@@ -1 +1 @@\n-</code>&amp;\n+<script>'\"",
        ]
        for language in Set(CodeHighlighter.languages.keys).sorted() {
            var coloured = 0
            defer { #expect(coloured > 0, "\(language) coloured none of the hostile samples") }
            for code in hostile {
                let out = render(fence(language, code))
                if out.html.contains("<span class=\"hl-") { coloured += 1 }
                let inner = codeHTML(out.html)
                #expect(!inner.contains("<script") && !inner.contains("<img") && !inner.contains("<b>"), "\(language): \(inner)")
                let expected = code.unicodeScalars.map { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F ? "\u{FFFD}" : String($0) }.joined()
                #expect(visibleText(inner) == expected + "\n", "\(language) lost or changed text: \(inner)")
            }
        }
    }

    @Test("NUL and invalid UTF-8 in code become U+FFFD, and no tag splits a character")
    func invalidBytes() {
        // Content is decoded with repair (invalid sequences become U+FFFD); cmark-gfm replaces NUL.
        let code = String(decoding: [0xFF, 0x00, 0xC3, 0x28, 0xE2, 0x82] as [UInt8], as: UTF8.self)
        let out = render(fence("json", "{\"a\": \"" + code + "\"}"))
        #expect(out.html.contains("hl-attribute") && !out.html.contains("\u{0}"))
        #expect(visibleText(codeHTML(out.html)) == "{\"a\": \"" + code.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") + "\"}\n")
        // A run that ends inside a character (a rule's `.` matching one byte) is moved to its start.
        let split = CodeHighlighter.html(
            "é!ب", [waymark_token(start: 0, length: 1, kind: 1), waymark_token(start: 1, length: 2, kind: 3), waymark_token(start: 3, length: 2, kind: 0)])
        #expect(split == "<span class=\"hl-string\">é!</span>ب")
    }

    @Test("an unknown language, or none, renders as before with no warning")
    func unknownLanguage() {
        for info in ["klingon", "", "text", "mermaid"] {
            let out = render(fence(info, "a <b> & c"))
            #expect(out.diagnostics.isEmpty)
            #expect(!out.html.contains("hl-") && out.html.contains("a &lt;b&gt; &amp; c"), "\(out.html)")
        }
        // Indented code has no language.
        #expect(!render("    SELECT 1;\n").html.contains("hl-"))
    }

    @Test("language names after the fence are case-insensitive, with attributes after them")
    func infoStrings() {
        #expect(render(fence("JSON", "{\"a\": 1}")).html.contains("hl-number"))
        #expect(render(fence("sh {title=\"x\"}", "echo hi # c")).html.contains("hl-comment"))
    }

    @Test("blocks over the size limits stay plain, whole")
    func limits() {
        let longLine = "[" + String(repeating: "\"v\", ", count: CodeHighlighter.maxLineBytes / 5 + 1) + "1]"
        let long = render(fence("json", longLine))
        #expect(!long.html.contains("hl-") && long.html.contains("&quot;v&quot;, 1]"))
        let big = String(repeating: "{\"key\": \"value\", \"n\": 1}\n", count: CodeHighlighter.maxBytes / 25 + 1)
        let out = render(fence("json", big))
        #expect(!out.html.contains("hl-") && out.diagnostics.isEmpty)
        // Many lines near the longest allowed: within the bytes, over the sum of squared line lengths.
        let wide = String(repeating: "[" + String(repeating: "1, ", count: 300) + "2]\n", count: 10)
        #expect(!render(fence("json", wide)).html.contains("hl-"))
        #expect(render(fence("json", String(wide.prefix(904 * 8)))).html.contains("hl-"))
        // Just under both limits is coloured.
        #expect(render(fence("json", String(longLine.prefix(CodeHighlighter.maxLineBytes - 2)) + "1]")).html.contains("hl-"))
    }

    @Test("a document's blocks share one budget: past four of the costliest blocks, the rest stay plain")
    func documentBudget() {
        // Blocks just within the per-block limits (eight lines of 988 bytes): the costliest shape.
        let costly = fence("json", String(repeating: "[" + String(repeating: "1, ", count: 328) + "2]\n", count: 8))
        let out = render(Array(repeating: costly, count: 12).joined(separator: "\n"))
        let coloured = out.html.components(separatedBy: "<pre><code class=\"language-json\">").dropFirst().filter { $0.contains("hl-") }
        #expect(coloured.count == 4, "\(coloured.count) blocks coloured")
        #expect(out.html.components(separatedBy: "<pre>").count - 1 == 12)
        // Small blocks are not held back by the budget.
        let small = render(Array(repeating: fence("json", "{\"a\": 1}"), count: 200).joined(separator: "\n")).html
        #expect(small.components(separatedBy: "<pre><code class=\"language-json\">").dropFirst().filter { $0.contains("hl-") }.count == 200)
    }

    @Test("missing language files: code stays plain, with one warning naming the fix")
    func missingDefinitions() {
        let broken = CodeHighlighter(dataDirectory: "/nonexistent/source-highlight")
        let out = render(fence("json", "{\"a\": 1}") + "\n" + fence("sh", "ls") + "\n" + fence("klingon", "x"), highlighter: broken)
        #expect(!out.html.contains("hl-") && out.html.contains("{&quot;a&quot;: 1}"))
        #expect(out.diagnostics.map(\.code) == [CodeHighlighter.unavailableCode], "\(out.diagnostics)")
        #expect(out.diagnostics.first?.location == SourceLocation(line: 1, column: 1))
        #expect(out.diagnostics.first?.message.contains("libsource-highlight-common") == true)
        // Waymark's own definitions do not need those files.
        #expect(render(fence("yaml", "a: 1"), highlighter: broken).html.contains("hl-attribute"))
    }

    @Test("search text is the code itself, without highlighting markup")
    func searchText() {
        let out = render("Intro.\n\n" + fence("json", "{\"webhookSecret\": \"abc\"}"))
        let text = out.sections.map(\.text).joined()
        #expect(text.contains("{\"webhookSecret\": \"abc\"}") && !text.contains("span") && !text.contains("&quot;"))
    }

    @Test("the same code gives the same bytes, rendered once or on every core at once")
    func deterministic() {
        let doc = ["sh", "json", "yaml", "ts", "python", "swift", "sql", "http", "html", "css", "diff"].map {
            fence($0, "a = \"b\" # c\n{\"x\": [1, 2]}\n<p class=\"y\">z</p>\n+ added\n")
        }.joined(separator: "\n")
        let once = render(doc).html
        let parallel = Array(0..<64).concurrentMap { _ in render(doc).html }
        #expect(parallel.allSatisfy { $0 == once })
        #expect(once.contains("hl-"))
    }
}
