import Foundation
import Testing

@testable import WaymarkKit

@Suite("Markdown rendering")
struct MarkdownTests {
    func render(_ text: String, lineOffset: Int = 0, raw: Bool = false, tasks: TaskRendering = .static) -> MarkdownOutput {
        Markdown.render(MarkdownInput(text: text, lineOffset: lineOffset, allowRawHTML: raw, tasks: tasks))
    }

    @Test("raw HTML the page drops is reported where it was written; its tags never reach headings or checklists")
    func droppedRawHTML() {
        let out = render(
            "Intro.\n\n<details>\n<summary>More</summary>\nHidden text\n</details>\n\n## Fees <em>now</em>\n\n<!-- a note for writers -->\n",
            lineOffset: 4, tasks: .checklist(scope: "g", alignedKeys: []))
        let warning = out.diagnostics.first { $0.code == "raw-html-dropped" }
        #expect(warning?.location == SourceLocation(line: 7, column: 1) && warning?.message.contains("3 places") == true, "\(out.diagnostics)")
        #expect(!out.html.contains("Hidden text") && !out.html.contains("<details>"))
        #expect(out.headings.map(\.text) == ["Fees now"])
        let task = render("- [ ] Send the <b>invoice</b>\n", tasks: .checklist(scope: "g", alignedKeys: []))
        #expect(task.tasks.map(\.text) == ["Send the invoice"])
        // A site that allows raw HTML gets no warning, and still no tags in text.
        let allowed = render("<details>\n<summary>More</summary>\n</details>\n\n## Fees <em>now</em>\n", raw: true)
        #expect(allowed.diagnostics.isEmpty && allowed.headings.map(\.text) == ["Fees now"] && allowed.html.contains("<details>"))
        #expect(render("<!-- only a comment -->\n").diagnostics.isEmpty)
    }

    @Test("links with the same destination on one line are each located where they are written")
    func repeatedLinksOnOneLine() {
        let out = render("Intro: [first](missing.md), then ![pic](a.png) and [sëcond](missing.md).\n", lineOffset: 3)
        #expect(out.links.map(\.location) == [SourceLocation(line: 4, column: 8), SourceLocation(line: 4, column: 34), SourceLocation(line: 4, column: 52)])
    }

    @Test("deep nesting keeps every word: emphasis in a heading, images in images, equal checklist items")
    func deepNesting() {
        // 20,000 levels: the text walk is iterative (a recursive one overflows the stack or goes quadratic).
        let depth = 20_000
        let heading = render("# " + String(repeating: "*a ", count: depth) + "b" + String(repeating: " c*", count: depth) + "\n")
        #expect(heading.headings.count == 1 && heading.headings[0].text.hasPrefix("a a a") && heading.headings[0].text.hasSuffix("c c c"))
        #expect(heading.headings[0].text.split(separator: " ").count == 2 * depth + 1)
        // Each nested image keeps the start of its own alt text, the innermost first in its text.
        let images = render(String(repeating: "![x ", count: 3) + "core" + "](i.png)" + "](j.png)" + "](k.png)\n")
        #expect(images.links.map(\.destination) == ["k.png", "j.png", "i.png"])
        #expect(images.links.map(\.text) == ["x x x core", "x x core", "x core"])
        let long = render("![" + String(repeating: "é", count: 1000) + "](a.png)\n")
        #expect(long.links[0].text.utf8.count <= 256 && long.links[0].text.allSatisfy { $0 == "é" })
        // Keys of equal items count on from the last one given.
        let items = render(String(repeating: "- [ ] Same\n", count: 4) + "- [ ] Same-2\n", tasks: .checklist(scope: "g", alignedKeys: []))
        #expect(items.tasks.map(\.key) == ["same", "same-2", "same-3", "same-4", "same-2-2"])
    }

    @Test("GitHub-style callouts: each kind titled in the page's language, marker removed, unknown kinds stay quotes with a warning")
    func callouts() {
        var labels = MarkdownLabels()
        labels.callouts = ["note": "یادداشت", "tip": "نکته", "important": "مهم", "warning": "هشدار", "caution": "احتیاط"]
        for kind in Callout.kinds {
            let out = Markdown.render(MarkdownInput(text: "> [!\(kind.uppercased())]\n> Read *this* first.\n", labels: labels))
            #expect(
                out.html.contains(#"<div class="callout callout-\#(kind)" role="note"><p class="callout-title">\#(labels.callouts[kind]!)</p>"#), "\(out.html)")
            #expect(out.html.contains("<p>Read <em>this</em> first.</p>") && !out.html.contains("[!") && !out.html.contains("<blockquote>"))
            #expect(
                out.sections.map(\.text).joined().trimmingCharacters(in: .whitespacesAndNewlines) == "Read this first.", "the marker is not searchable text")
            #expect(out.diagnostics.isEmpty)
        }
        // Lowercase works as on GitHub; the marker alone makes a callout of the following blocks.
        let alone = render("> [!tip]\n>\n> - one\n> - two\n")
        #expect(alone.html.hasPrefix(#"<div class="callout callout-tip" role="note"><p class="callout-title">Tip</p>"#) && alone.html.contains("<li>one</li>"))
        let unknown = render("Intro.\n\n> [!DANGER]\n> Careful.\n", lineOffset: 2)
        #expect(unknown.html.contains("<blockquote>") && unknown.html.contains("[!DANGER]"))
        #expect(unknown.diagnostics.map(\.code) == ["unknown-callout"] && unknown.diagnostics[0].location == SourceLocation(line: 5, column: 1))
        // Not a marker: text after it on the same line, or a plain quote.
        #expect(render("> [!NOTE] and more\n").html.contains("<blockquote>"))
        #expect(render("> Just a quote.\n").html == "<blockquote>\n<p>Just a quote.</p>\n</blockquote>\n")
    }

    @Test("headings carry a labelled link to themselves, after the heading so its name stays its text; footnote links are labelled too")
    func headingLinksAndFootnotes() {
        var labels = MarkdownLabels()
        labels.headingLink = "پیوند به این بخش: {title}"
        labels.linkCopied = "کپی شد"
        labels.footnoteBack = "بازگشت به متن"
        let out = Markdown.render(MarkdownInput(text: "## نرخ \"فعال\" {#rate}\n\nمتن[^1]\n\n[^1]: توضیح\n", labels: labels))
        #expect(
            out.html.contains(
                ##"<div class="heading heading-2"><h2 id="rate">\##nنرخ &quot;فعال&quot;\##n</h2><a class="heading-anchor" href="#rate" aria-label="پیوند به این بخش: نرخ &quot;فعال&quot;" data-copied="کپی شد">#</a></div>"##
            ), "\(out.html)")
        #expect(out.html.contains(#"data-footnote-backref aria-label="بازگشت به متن""#) && !out.html.contains("Back to content"))
    }

    @Test("heading ids keep Vietnamese, Persian and Russian letters")
    func headingIDsInFourScripts() {
        let out = render(
            """
            ## Chỉ số là gì?
            ## نرخ فعال‌سازی چیست؟
            ## Отток клиентов: формула
            ## Time to value (TTV)
            """)
        #expect(out.headings.map(\.id) == ["chỉ-số-là-gì", "نرخ-فعالسازی-چیست", "отток-клиентов-формула", "time-to-value-ttv"])
        #expect(out.html.contains(#"<h2 id="chỉ-số-là-gì">"#))
    }

    @Test("decomposed and precomposed Vietnamese give the same id")
    func nfcIDs() {
        let decomposed = "## Chi\u{0309} so\u{0302}\u{0301}"
        #expect(render(decomposed).headings[0].id == "chỉ-số")
    }

    @Test("ids are unique, never empty and never only dashes")
    func uniqueAndNonEmpty() {
        let out = render("## Setup\n## Setup\n## ???\n## — !\n## Setup")
        #expect(out.headings.map(\.id) == ["setup", "setup-1", "section", "section-1", "setup-2"])
    }

    @Test("explicit {#id} wins, is stripped from the text, and automatic ids avoid it")
    func explicitIDs() {
        let out = render("## Setup\n## Rate of activation {#setup}")
        #expect(out.headings.map(\.id) == ["setup-1", "setup"])
        #expect(out.headings[1].text == "Rate of activation")
        #expect(!out.html.contains("{#"))
    }

    @Test("a duplicate explicit id is an error")
    func duplicateExplicit() {
        let out = render("## A {#x}\n## B {#x}")
        #expect(out.diagnostics.map(\.code) == ["duplicate-heading-id"])
    }

    @Test("table of contents nests level 3 under level 2")
    func toc() {
        let out = render("# Title\n## A\n### A1\n### A2\n## B\n#### deep")
        #expect(out.tableOfContents.map(\.text) == ["A", "B"])
        #expect(out.tableOfContents[0].children.map(\.id) == ["a1", "a2"])
    }

    @Test("links are reported where they were typed, in file lines and character columns")
    func linkLocations() {
        var seen: [(String, Loc)] = []
        _ = Markdown.render(MarkdownInput(text: "Intro [a](x.md) and\nmore «текст» [b](../y.md#z) end.\n\n![alt](img.png)", lineOffset: 4)) { link in
            seen.append((link.destination, link.location))
            return LinkTarget?.none
        }
        #expect(seen.map(\.0) == ["x.md", "../y.md#z", "img.png"])
        #expect(seen.map(\.1) == [Loc(line: 5, column: 7), Loc(line: 6, column: 14), Loc(line: 8, column: 1)])
    }

    @Test("positions cmark-gfm gives outside the text are clamped into it: the 35-byte fuzz crasher is located, not a crash")
    func positionsOutsideTheText() throws {
        // cmark-gfm gives the links before this table column 0 (their paragraph's last line became the header).
        let bytes = Array("---\n---\n/\n[]()[^1]\na||\n-|-\n\n[^1\n]:n".utf8)
        FuzzTargets.document(bytes)
        let body = "/\n[]()[^1]\na||\n-|-\n\n[^1\n]:n"
        let out = render(body, lineOffset: 2)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        for link in out.links {
            let line = link.location.line - 2
            #expect(line >= 1 && line <= lines.count, "\(link.location)")
            #expect(link.location.column >= 1 && link.location.column <= lines[line - 1].unicodeScalars.count + 1, "\(link.location)")
        }
        // The gate itself: lines and columns outside the text come back inside it.
        let index = LineIndex("ab\né\n")
        #expect(index.clamp(line: 0, byteColumn: -5) == (1, 1))
        #expect(index.clamp(line: 2, byteColumn: 99) == (2, 3))
        #expect(index.clamp(line: 7, byteColumn: 2) == (3, 1))
        #expect(index.scalarColumn(line: 2, byteColumn: 3) == 2)
    }

    @Test("raw HTML and javascript: URLs are dropped unless the site opts in")
    func safeMode() {
        let text = "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick=\"evil()\">b</b>"
        let safe = render(text)
        #expect(!safe.html.contains("<script"))
        #expect(!safe.html.contains("onclick"))
        #expect(!safe.html.contains("javascript:"))
        let unsafe = render(text, raw: true)
        #expect(unsafe.html.contains("<b onclick"))
        // The GFM tag filter still disarms <script> when raw HTML is on.
        #expect(unsafe.html.contains("&lt;script>"))
    }

    @Test("GFM: tables, strikethrough, autolinks and footnotes")
    func gfm() {
        let out = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ www.example.com\n\nNote[^1].\n\n[^1]: The note.")
        #expect(out.html.contains("<table>"))
        #expect(out.html.contains("<del>old</del>"))
        #expect(out.html.contains(#"<a href="http://www.example.com">"#))
        #expect(out.html.contains(#"class="footnotes""#))
    }

    @Test("checklist keys: explicit, aligned to the default language, or derived from the text")
    func taskKeys() {
        let guide = "- [ ] Sign the letter {#sign}\n- [ ] Send documents\n- [x] Send documents"
        let out = render(guide, tasks: .checklist(scope: "guides/acc/welcome", alignedKeys: []))
        #expect(out.tasks.map(\.key) == ["sign", "send-documents", "send-documents-2"])
        #expect(out.tasks.map(\.text) == ["Sign the letter", "Send documents", "Send documents"])
        #expect(out.html.contains(#"data-task="guides/acc/welcome#sign""#))
        // A translation without keys takes the default language's keys by position.
        let translated = render(
            "- [ ] Подписать письмо\n- [ ] Отправить документы", tasks: .checklist(scope: "guides/acc/welcome", alignedKeys: ["sign", "send-documents"]))
        #expect(translated.tasks.map(\.key) == ["sign", "send-documents"])
    }

    @Test("inserting an item does not change the keys of the others")
    func keysStableUnderInsertion() {
        let before = render("- [ ] Connect bank\n- [ ] Invite team", tasks: .checklist(scope: "g", alignedKeys: []))
        let after = render("- [ ] Pick a plan\n- [ ] Connect bank\n- [ ] Invite team", tasks: .checklist(scope: "g", alignedKeys: []))
        #expect(Set(before.tasks.map(\.key)).isSubset(of: Set(after.tasks.map(\.key))))
    }

    @Test("text sections follow headings, for search")
    func sections() {
        let out = render("Intro text.\n\n## First {#one}\n\nBody *one*.\n\n## Second\n\n- item")
        #expect(out.sections.map(\.anchor) == [nil, "one", "second"])
        #expect(out.sections[1].text.contains("Body one."))
        #expect(out.wordCount == 5)
    }
}
