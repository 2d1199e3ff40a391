import CCmarkGFM
import Foundation

/// The one place that talks to cmark-gfm. Everything outside this file sees Swift values.
///
/// A document is parsed once; a single walk over the tree collects headings, links, task items and
/// text, then the tree is edited in place (heading ids, rewritten URLs, checklist markup) and rendered
/// by cmark's own HTML renderer, which keeps its safe mode: without `unsafeHTML` raw HTML is dropped and
/// `javascript:`-style URLs are emptied by the C code we did not write.
enum CMark {
    /// The GFM extensions, registered once per process, with table cells that may hold our custom inlines
    /// (an image's `<img>` with its size and copies; see `waymark_table_can_contain` in the shim).
    fileprivate static let registerExtensions: Void = {
        waymark_register_extensions()
    }()

    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    static func render(_ input: MarkdownInput, resolveLink: (LinkReference) -> LinkTarget?) -> MarkdownOutput {
        _ = registerExtensions
        if let wide = widestTable(input.text, limit: input.maxTableColumns) {
            let error = Diagnostic.error(
                "table-too-wide",
                "this table has \(wide.columns) columns; the limit is \(input.maxTableColumns) (cmark-gfm's time grows with the square of a table's width): split the table, or raise `limits.tableColumns` in site.yml",
                at: SourceLocation(line: wide.line + input.lineOffset, column: 1))
            var output = MarkdownOutput.empty
            output.diagnostics = [error]
            return output
        }
        var options = CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8
        if input.allowRawHTML { options |= CMARK_OPT_UNSAFE }

        var walker = Walker(input: input)
        var output = parseAndRender(input.text, options: options) { root in
            walker.walk(root)
            return walker.finish(resolveLink: resolveLink)
        }
        // cmark-gfm names footnote back-links in English in its C code. Content cannot produce this
        // attribute: quotes in text and code are escaped.
        if walker.hasFootnotes {
            output.html = output.html.replacingBytes([
                (
                    of: #"data-footnote-backref aria-label="Back to content""#,
                    with: #"data-footnote-backref aria-label=""# + HTML.escape(input.labels.footnoteBack) + "\""
                )
            ])
        }
        return output
    }
}

extension CMark {
    /// Bare cmark-gfm, parse and render with the same options and extensions and nothing of ours: the
    /// baseline the linear-time checks compare against.
    static func bare(_ text: String) {
        _ = parseAndRender(text, options: CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8) { _ in MarkdownOutput.empty }
    }

    /// Parses `text` with the GFM extensions, lets `edit` read and change the tree, then renders it with
    /// cmark's HTML renderer into the returned output's `html`.
    fileprivate static func parseAndRender(_ text: String, options: Int32, edit: (OpaquePointer) -> MarkdownOutput) -> MarkdownOutput {
        _ = registerExtensions
        guard let parser = cmark_parser_new(options) else { fatalError("cmark_parser_new failed: out of memory") }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        text.utf8CString.withUnsafeBufferPointer { cmark_parser_feed(parser, $0.baseAddress, $0.count - 1) }
        guard let root = cmark_parser_finish(parser) else { fatalError("cmark_parser_finish failed") }
        defer { cmark_node_free(root) }
        var output = edit(root)
        guard let html = cmark_render_html(root, options, cmark_parser_get_syntax_extensions(parser)) else {
            fatalError("cmark_render_html failed: out of memory")
        }
        defer { free(html) }
        output.html = String(cString: html)
        return output
    }

    /// The first GFM table delimiter row (`|---|:--:|`) with more than `limit` columns: its line and width.
    /// One pass over the bytes; a row counts only when it holds nothing but pipes, dashes, colons and blanks.
    static func widestTable(_ text: String, limit: Int) -> (line: Int, columns: Int)? {
        // Nearly every file has fewer pipes in all than the limit allows in one line: one quick count.
        var text = text
        guard text.withUTF8({ bytes in bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "|") ? 1 : 0) } }) > limit else { return nil }
        var line = 1
        var pipes = 0
        var dashes = 0
        var onlyDelimiters = true
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\n"):
                if onlyDelimiters, dashes > 0, pipes > limit { return (line, pipes - 1) }
                line += 1
                pipes = 0
                dashes = 0
                onlyDelimiters = true
            case UInt8(ascii: "|"): pipes += 1
            case UInt8(ascii: "-"): dashes += 1
            case UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): break
            default: onlyDelimiters = false
            }
        }
        return onlyDelimiters && dashes > 0 && pipes > limit ? (line, pipes - 1) : nil
    }
}

private typealias Node = OpaquePointer

/// A text node's literal as UTF-8 bytes, without making a String (valid while the tree is).
private func literalBytes(_ node: Node) -> UnsafeBufferPointer<UInt8>? {
    cmark_node_get_literal(node).map { UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: strlen($0)) }
}

private func literal(_ node: Node) -> String {
    cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
}

/// Collects what the build needs from the tree in one pass, then applies edits after the pass
/// (editing while cmark's iterator runs would invalidate it).
private struct Walker {
    let input: MarkdownInput
    let lines: LineIndex
    var diagnostics: [Diagnostic] = []

    var headingNodes: [(Node, Heading, explicit: Bool)] = []
    var linkNodes: [(Node, LinkReference)] = []
    var taskNodes: [(Node, TaskItem)] = []
    /// Keys given out so far, each with the last suffix number tried for it.
    var taskKeys: [String: Int] = [:]
    /// Text per heading; `heading` indexes `headingNodes` (nil for text before the first heading).
    var sections: [(heading: Int?, text: String)] = [(nil, "")]
    var wordCount = 0
    var hasFootnotes = false
    var slugger = HeadingSlugger()
    /// Where raw HTML was written that the page will not show (no `unsafeHTML`).
    var droppedHTML: [SourceLocation] = []

    init(input: MarkdownInput) {
        self.input = input
        self.lines = LineIndex(input.text)
    }

    /// Where cmark-gfm says `node` starts.
    mutating func location(_ node: Node) -> SourceLocation {
        sourceLocation(line: Int(cmark_node_get_start_line(node)), byteColumn: Int(cmark_node_get_start_column(node)))
    }

    /// The one place a cmark-gfm position (a line of `input.text` and a byte column in it) becomes a
    /// `SourceLocation`: clamped into the text (`LineIndex.clamp`), then counted in scalars, continuing
    /// the previous conversion when it is on the same line and further right.
    mutating func sourceLocation(line: Int, byteColumn: Int) -> SourceLocation {
        let (line, byteColumn) = lines.clamp(line: line, byteColumn: byteColumn)
        let scalar: Int
        if columnCursor.line == line, columnCursor.byte <= byteColumn {
            scalar = columnCursor.scalar + lines.scalarCount(line: line, bytes: (columnCursor.byte - 1)..<(byteColumn - 1))
        } else {
            scalar = lines.scalarColumn(line: line, byteColumn: byteColumn)
        }
        columnCursor = (line, byteColumn, scalar)
        return SourceLocation(line: line + input.lineOffset, column: scalar)
    }

    mutating func walk(_ root: Node) {
        guard let iter = cmark_iter_new(root) else { return }
        defer { cmark_iter_free(iter) }
        var headingDepth = 0
        // Images inside an image's text are only text in the page (cmark writes the outer alt text).
        var imageDepth = 0
        // Body text is gathered as bytes straight from cmark's strings: no String per text node.
        var body: [UInt8] = []
        body.reserveCapacity(input.text.utf8.count)
        func append(_ node: Node) {
            if let bytes = literalBytes(node) { body.append(contentsOf: bytes) }
        }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iter) else { continue }
            let entering = event == CMARK_EVENT_ENTER
            if entering, cmark_node_parent(node) == root { topLevelBlocks += 1 }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING:
                if entering {
                    headingDepth += 1
                } else {
                    headingDepth -= 1
                    flush(&body)
                    addHeading(node)
                }
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if headingDepth == 0, node != calloutMarker { append(node) }
                if !openLinks.isEmpty, let bytes = literalBytes(node) { linkText.append(contentsOf: bytes) }
            case CMARK_NODE_CODE_BLOCK:
                // Search reads the code's own text, collected here before highlighting changes the tree.
                if headingDepth == 0 {
                    append(node)
                    body.append(0x0A)
                }
                var length: Int32 = 0
                var offset: Int32 = 0
                var character: CChar = 0
                if cmark_node_get_fenced(node, &length, &offset, &character) != 0 { codeBlocks.append(node) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                if headingDepth == 0 { body.append(0x20) }
                if !openLinks.isEmpty { linkText.append(0x20) }
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let isImage = cmark_node_get_type(node) == CMARK_NODE_IMAGE
                if isImage { imageDepth += entering ? 1 : -1 }
                if entering {
                    if isImage, imageDepth == 1 { imageBlocks[linkNodes.count] = topLevelBlocks }
                    openLinks.append((linkNodes.count, linkText.count))
                    addLink(node)
                } else if let open = openLinks.popLast() {
                    linkNodes[open.index].1.text = Self.text(linkText[open.start...], limit: Self.linkTextLimit)
                    if openLinks.isEmpty { linkText.removeAll(keepingCapacity: true) }
                }
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                // Safe mode drops it from the page; a comment loses nothing a reader would see.
                if !input.allowRawHTML, !literal(node).trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("<!--") {
                    droppedHTML.append(location(node))
                }
            case CMARK_NODE_FOOTNOTE_DEFINITION:
                hasFootnotes = true
            case CMARK_NODE_BLOCK_QUOTE:
                if entering { addCallout(node) } else { body.append(0x0A) }
            case CMARK_NODE_PARAGRAPH:
                if !entering { body.append(0x0A) }
            case CMARK_NODE_ITEM:
                if entering, isType(node, Self.tasklist) { addTask(node) }
                if !entering { body.append(0x0A) }
            default:
                // Table cells and rows are extension nodes: they end blocks of text too, which excerpts
                // separate ("31% · 92% · Add a logo", not "31% 92% Add a logo").
                if !entering, cmark_node_get_type(node) != CMARK_NODE_DOCUMENT, isType(node, Self.tableCell) || isType(node, Self.tableRow) {
                    body.append(0x0A)
                }
            }
        }
        flush(&body)
    }

    static let tasklist = Array("tasklist".utf8CString), tableCell = Array("table_cell".utf8CString), tableRow = Array("table_row".utf8CString)

    /// Compares an extension node's type name without making a String.
    func isType(_ node: Node, _ name: [CChar]) -> Bool {
        guard let t = cmark_node_get_type_string(node) else { return false }
        return name.withUnsafeBufferPointer { strcmp(t, $0.baseAddress!) == 0 }
    }

    /// Ends the current text section with what was collected so far.
    mutating func flush(_ body: inout [UInt8]) {
        guard !body.isEmpty else { return }
        var inWord = false
        for b in body {
            let space = b == 0x20 || b == 0x0A
            if !space, !inWord { wordCount += 1 }
            inWord = !space
        }
        sections[sections.count - 1].text += String(decoding: body, as: UTF8.self)
        body.removeAll(keepingCapacity: true)
    }

    mutating func addHeading(_ node: Node) {
        var text = inlineText(node)
        var id: String?
        let level = Int(cmark_node_get_heading_level(node))
        let explicit = stripExplicitKey(from: node)
        if let explicit {
            text = explicit.remainingText
            if slugger.claim(explicit.key) {
                id = explicit.key
            } else {
                diagnostics.append(.error("duplicate-heading-id", "heading id '\(explicit.key)' is used twice on this page", file: nil, at: location(node)))
            }
        }
        let heading = Heading(level: level, text: text, id: id ?? "", location: location(node))
        headingNodes.append((node, heading, explicit: id != nil))
        // Text under this heading starts a new section (level 1 headings in the body count too).
        sections.append((headingNodes.count - 1, ""))
    }

    /// Quotes that are callouts, with their kind and the `[!KIND]` text node to remove.
    var callouts: [(quote: Node, kind: String, marker: Node)] = []
    /// The marker of the callout being walked: not text of the page.
    var calloutMarker: Node?

    /// A quote whose first paragraph starts with a line holding only `[!KIND]` is a callout; an unknown
    /// kind stays a quote, with a warning (a typo would otherwise show the marker to readers).
    mutating func addCallout(_ quote: Node) {
        guard let paragraph = cmark_node_first_child(quote), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH,
            let text = cmark_node_first_child(paragraph), cmark_node_get_type(text) == CMARK_NODE_TEXT
        else { return }
        if let next = cmark_node_next(text), ![CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK].contains(cmark_node_get_type(next)) { return }
        let marker = literal(text).trimmingCharacters(in: .whitespaces)
        guard marker.hasPrefix("[!"), marker.hasSuffix("]"), marker.count > 3, marker.dropFirst(2).dropLast().allSatisfy(\.isLetter) else { return }
        let kind = marker.dropFirst(2).dropLast().lowercased()
        guard Callout.kinds.contains(kind) else {
            diagnostics.append(
                .warning(
                    "unknown-callout",
                    "'\(marker)' is not a callout (\(Callout.kinds.map { "[!\($0.uppercased())]" }.joined(separator: ", "))); it is shown as a plain quote",
                    at: location(quote)))
            return
        }
        callouts.append((quote, kind, text))
        calloutMarker = text
    }

    /// Top-level blocks entered so far, and for each image not inside another one (by its index in
    /// `linkNodes`) the block it is in: images in the first blocks are on the first screen.
    var topLevelBlocks = 0
    var imageBlocks: [Int: Int] = [:]
    /// Images in the first this many blocks load at once; the rest when the reader scrolls near them.
    static let firstScreenBlocks = 3

    /// Links and images being walked: the index of each in `linkNodes` and where its text starts in
    /// `linkText`. Their text is gathered in the same walk, so nested images cost one pass, not one
    /// per nesting level.
    var openLinks: [(index: Int, start: Int)] = []
    var linkText: [UInt8] = []
    /// A link's text is kept for checks (an image without alt text), never shown whole: a prefix is enough,
    /// and caps what thousands of nested images would copy.
    static let linkTextLimit = 256

    /// The link's text is filled in when the walk leaves it.
    mutating func addLink(_ node: Node) {
        let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
        let isImage = cmark_node_get_type(node) == CMARK_NODE_IMAGE
        let reference = LinkReference(destination: url, isImage: isImage, text: "", location: linkLocation(node, url: url))
        linkNodes.append((node, reference))
    }

    /// Trimmed text of gathered UTF-8 bytes, at most `limit` bytes of them (cut at a character boundary).
    static func text(_ bytes: ArraySlice<UInt8>, limit: Int = .max) -> String {
        var end = bytes.count > limit ? bytes.startIndex + limit : bytes.endIndex
        // Never split a UTF-8 sequence: back up over continuation bytes to the start of the cut one.
        if end < bytes.endIndex { while end > bytes.startIndex, bytes[end] & 0xC0 == 0x80 { end -= 1 } }
        return String(decoding: bytes[..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    /// Where the previous link's destination ended (line, byte offset in that line): links come in
    /// document order, so each is searched for after the one before, and a line with thousands of links
    /// is scanned once, not once per link.
    var linkCursor = (line: 0, offset: 0)
    /// The last byte-to-scalar column conversion, continued from when the next is further right.
    var columnCursor = (line: 0, byte: 1, scalar: 1)
    /// Bytes that link searches may scan without finding anything (see `linkLocation`).
    lazy var searchBudget = 4 * input.text.utf8.count + 65_536

    /// cmark-gfm's column for inlines after a soft line break is unreliable, so the position is confirmed by
    /// finding the destination in the source lines the node spans.
    mutating func linkLocation(_ node: Node, url: String) -> SourceLocation {
        let startLine = Int(cmark_node_get_start_line(node))
        let endLine = max(startLine, Int(cmark_node_get_end_line(node)))
        let needle = Array(url.utf8)
        // cmark's own position when the destination is not found (converted only then: a cost per link).
        guard !needle.isEmpty else { return location(node) }
        // Search the paragraph region; an autolink's text is its destination.
        var lineNumber = max(1, startLine)
        while lineNumber <= min(endLine + 1, lines.lineCount) {
            let bytes = lines.line(lineNumber)
            let from = linkCursor.line == lineNumber ? min(bytes.startIndex + linkCursor.offset, bytes.endIndex) : bytes.startIndex
            // After the previous link; from the line's start only when that finds nothing (a link nested
            // in an image's text comes before the image's own destination). Searches that find nothing
            // are paid from a budget in proportion to the file, so nesting cannot make this quadratic:
            // once it is spent, cmark's own position is used.
            guard searchBudget > 0 else { return location(node) }
            var found = bytes[from...].firstIndex(ofBytes: needle)
            if found == nil {
                searchBudget -= bytes.endIndex - from
                if from > bytes.startIndex {
                    // Successful or not, a search from the start is paid: nested images with distinct
                    // destinations would each rescan the line.
                    found = bytes.firstIndex(ofBytes: needle)
                    searchBudget -= (found ?? bytes.endIndex) - bytes.startIndex
                }
            }
            if let offset = found {
                linkCursor = (lineNumber, offset - bytes.startIndex + needle.count)
                let byteColumn = offset - bytes.startIndex + 1
                // Point at the `[` or `!` that starts the link when it is on the same line.
                var column = byteColumn
                if let open = bytes[min(from, offset)..<offset].lastIndex(of: UInt8(ascii: "[")) {
                    column = open - bytes.startIndex + 1
                    if open > bytes.startIndex, bytes[open - 1] == UInt8(ascii: "!") { column -= 1 }
                }
                if lineNumber == startLine, column < Int(cmark_node_get_start_column(node)) {
                    column = Int(cmark_node_get_start_column(node))
                }
                return sourceLocation(line: lineNumber, byteColumn: column)
            }
            lineNumber += 1
        }
        return location(node)
    }

    mutating func addTask(_ item: Node) {
        let checked = cmark_gfm_extensions_get_tasklist_item_checked(item)
        var text = ""
        var key: String?
        if let paragraph = cmark_node_first_child(item), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH {
            text = inlineText(paragraph)
            if let explicit = stripExplicitKey(from: paragraph) {
                text = explicit.remainingText
                key = explicit.key
            }
        }
        let position = taskNodes.count
        if key == nil, case .checklist(_, let aligned) = input.tasks, position < aligned.count { key = aligned[position] }
        let explicit = key != nil
        if key == nil {
            let slug = String(HeadingSlugger.slugify(text).prefix(48))
            key = slug.isEmpty ? "item-\(position + 1)" : slug
        }
        var unique = key!
        if explicit, taskKeys[unique] != nil {
            diagnostics.append(.error("duplicate-task-key", "checklist key '\(unique)' is used twice in this guide", at: location(item)))
        }
        // Repeated item texts get -2, -3…; the count kept per key makes a thousand equal items linear.
        var n = taskKeys[key!] ?? 1
        while taskKeys[unique] != nil {
            n += 1
            unique = "\(key!)-\(n)"
        }
        taskKeys[key!] = max(n, taskKeys[key!] ?? 1)
        taskKeys[unique] = taskKeys[unique] ?? 1
        taskNodes.append(
            (item, TaskItem(text: text, key: unique, explicitKey: explicit, checked: checked, location: location(item))))
    }

    /// Text of a node's inline children (emphasis, code and links flattened). One iterative walk: a
    /// heading with 50,000 nested emphasis levels costs its length, not its depth squared, and no stack.
    func inlineText(_ node: Node) -> String {
        guard let iter = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iter) }
        var out: [UInt8] = []
        while case let event = cmark_iter_next(iter), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let c = cmark_iter_get_node(iter) else { continue }
            switch cmark_node_get_type(c) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let bytes = literalBytes(c) { out.append(contentsOf: bytes) }
            // Tags are not text: headings, the table of contents, checklists and search never show them.
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: out.append(0x20)
            default: break
            }
        }
        return Self.text(out[...])
    }

    /// Removes a trailing `{#key}` from the last text of `node` and returns it, as in
    /// `## Activation rate {#activation-rate}` or `- [ ] Connect your bank {#connect-bank}`.
    func stripExplicitKey(from node: Node) -> (key: String, remainingText: String)? {
        guard let last = cmark_node_last_child(node), cmark_node_get_type(last) == CMARK_NODE_TEXT else { return nil }
        let value = literal(last)
        guard let key = ExplicitKey.parse(value) else { return nil }
        cmark_node_set_literal(last, key.before)
        return (key.key, inlineText(node))
    }

    mutating func finish(resolveLink: (LinkReference) -> LinkTarget?) -> MarkdownOutput {
        if let first = droppedHTML.first {
            let more = droppedHTML.count > 1 ? " (\(droppedHTML.count) places in this file, the first here)" : ""
            diagnostics.append(
                .warning(
                    "raw-html-dropped",
                    "raw HTML is not published\(more), and any text inside it is lost; write it in Markdown, or set `unsafeHTML: true` in site.yml if every contributor is trusted",
                    at: first))
        }
        // Automatic heading ids are assigned after explicit ones are known, so `{#x}` always wins.
        var headings: [Heading] = []
        for entry in headingNodes {
            var heading = entry.1
            if !entry.explicit { heading.id = slugger.slug(for: heading.text) }
            headings.append(heading)
            wrapHeading(entry.0, heading)
        }
        var images: [(Node, LinkTarget, ImageSource, block: Int)] = []
        for (i, (node, reference)) in linkNodes.enumerated() {
            guard let target = resolveLink(reference) else { continue }
            cmark_node_set_url(node, target.url)
            if let image = target.image, let block = imageBlocks[i] { images.append((node, target, image, block)) }
        }
        for (node, task) in taskNodes { renderTask(node, task) }
        for node in codeBlocks { renderCode(node) }
        for callout in callouts { renderCallout(callout.quote, kind: callout.kind, marker: callout.marker) }
        // Last: replacing an image frees its text, which may hold links set above.
        for (node, target, image, block) in images { renderImage(node, url: target.url, image, firstScreen: block <= Self.firstScreenBlocks) }
        let textSections = sections.compactMap { section -> TextSection? in
            guard let h = section.heading else {
                return section.text.isEmpty ? nil : TextSection(anchor: nil, heading: "", text: section.text)
            }
            return TextSection(anchor: headings[h].id, heading: headings[h].text, text: section.text)
        }
        return MarkdownOutput(
            html: "", headings: headings, links: linkNodes.map(\.1), tasks: taskNodes.map(\.1),
            sections: textSections, wordCount: wordCount, diagnostics: diagnostics)
    }

    /// Puts `replacement` where `node` is, with `node`'s children moved into it when `movingChildren`, and
    /// frees `node`. cmark-gfm refuses a node that the parent cannot hold (its insertions return 0): then
    /// `replacement` is freed and the tree is left as it was (cmark renders `node` its own way), and a
    /// warning at `node` says what the page lacks. Returns whether `node` was replaced.
    mutating func replace(_ node: Node, with replacement: Node, movingChildren: Bool, refused: String) -> Bool {
        guard cmark_node_insert_before(node, replacement) != 0, !movingChildren || moveChildren(of: node, after: nil, into: replacement) else {
            cmark_node_free(replacement)
            reportRefused(node, refused)
            return false
        }
        cmark_node_unlink(node)
        cmark_node_free(node)
        return true
    }

    /// Moves the children of `source` that follow `after` (all of them when nil) to the end of `target`.
    /// When `target` refuses one, puts back those moved, in their order, and returns false.
    func moveChildren(of source: Node, after: Node?, into target: Node) -> Bool {
        func next() -> Node? {
            if let after { return cmark_node_next(after) }
            return cmark_node_first_child(source)
        }
        var moved = 0
        while let child = next() {
            // Appending unlinks the child from `source` only when `target` accepts it.
            guard cmark_node_append_child(target, child) != 0 else {
                for _ in 0..<moved {
                    guard let last = cmark_node_last_child(target) else { break }
                    if let after { cmark_node_insert_after(after, last) } else { cmark_node_prepend_child(source, last) }
                }
                return false
            }
            moved += 1
        }
        return true
    }

    mutating func reportRefused(_ node: Node, _ consequence: String) {
        let at = location(node)
        diagnostics.append(
            .warning(
                "markup-refused",
                "\(consequence): cmark-gfm refused Waymark's markup in this place; please report it to Waymark's maintainers with this file", at: at))
    }

    /// Replaces `<hN>` with a custom block carrying the id: cmark's renderer has no attribute hook, and
    /// custom blocks are emitted verbatim (we build their markup, escaping the id ourselves).
    /// A link to the heading follows it, outside it so that the heading's accessible name stays its text.
    mutating func wrapHeading(_ heading: Node, _ h: Heading) {
        guard let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        let id = HTML.escape(h.id)
        let label = HTML.escape(Strings.fill(input.labels.headingLink, ["title": h.text]))
        cmark_node_set_on_enter(block, "<div class=\"heading heading-\(h.level)\"><h\(h.level) id=\"\(id)\">")
        cmark_node_set_on_exit(
            block,
            "</h\(h.level)><a class=\"heading-anchor\" href=\"#\(id)\" aria-label=\"\(label)\" data-copied=\"\(HTML.escape(input.labels.linkCopied))\">#</a></div>"
        )
        _ = replace(heading, with: block, movingChildren: true, refused: "this heading is shown without its id '\(h.id)', so links to it do not scroll to it")
    }

    /// A published image becomes an `<img>` with its size (the browser reserves the space before it
    /// loads), its smaller copies, and below the first screen `loading="lazy"` and `decoding="async"`. The
    /// markup is cmark's own (`src`, `alt` from the text, `title`) plus those attributes, which its renderer
    /// has no hook for; every value is escaped here.
    mutating func renderImage(_ image: Node, url: String, _ source: ImageSource, firstScreen: Bool) {
        guard let inline = cmark_node_new(CMARK_NODE_CUSTOM_INLINE) else { return }
        var tag = "<img src=\"\(HTML.escape(url))\" alt=\"\(HTML.escape(inlineText(image)))\""
        if let title = cmark_node_get_title(image), title.pointee != 0 { tag += " title=\"\(HTML.escape(String(cString: title)))\"" }
        if let width = source.width, let height = source.height { tag += " width=\"\(width)\" height=\"\(height)\"" }
        if let srcset = source.srcset { tag += " srcset=\"\(HTML.escape(srcset))\" sizes=\"\(HTML.escape(source.sizes))\"" }
        if !firstScreen { tag += " loading=\"lazy\" decoding=\"async\"" }
        cmark_node_set_on_enter(inline, tag + " />")
        cmark_node_set_on_exit(inline, "")
        _ = replace(image, with: inline, movingChildren: false, refused: "this image is shown without its size and smaller copies")
    }

    /// A callout's quote becomes a titled box; its `[!KIND]` line is removed (with the paragraph, when
    /// that line was all of it).
    mutating func renderCallout(_ quote: Node, kind: String, marker: Node) {
        guard let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        let title = HTML.escape(input.labels.callouts[kind] ?? kind)
        cmark_node_set_on_enter(block, "<div class=\"callout callout-\(kind)\" role=\"note\"><p class=\"callout-title\">\(title)</p>")
        cmark_node_set_on_exit(block, "</div>")
        guard replace(quote, with: block, movingChildren: true, refused: "this callout is shown as a plain quote") else { return }
        let paragraph = cmark_node_parent(marker)
        if let next = cmark_node_next(marker) {
            cmark_node_unlink(next)
            cmark_node_free(next)
        }
        cmark_node_unlink(marker)
        cmark_node_free(marker)
        if let paragraph, cmark_node_first_child(paragraph) == nil {
            cmark_node_unlink(paragraph)
            cmark_node_free(paragraph)
        }
    }

    /// Fenced code blocks, in order, for `renderCode`.
    var codeBlocks: [Node] = []
    /// Whether this document already warned that code could not be coloured.
    var warnedUnhighlighted = false
    /// What this document may still have highlighted.
    var highlightBudget = CodeHighlighter.Budget()

    /// A fenced block in a language `CodeHighlighter` knows becomes `<pre><code class="language-x">` (as
    /// cmark writes it) holding coloured runs; any other block is left to cmark-gfm.
    mutating func renderCode(_ node: Node) {
        let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
        switch input.highlighter.highlight(literal(node), info: info, budget: &highlightBudget) {
        case .plain: return
        case .unavailable(let reason):
            if !warnedUnhighlighted {
                warnedUnhighlighted = true
                diagnostics.append(
                    .warning(
                        CodeHighlighter.unavailableCode,
                        "code is shown without colours: GNU source-highlight could not read its language definition (\(reason)); install Debian's libsource-highlight-common (`make deps`)",
                        at: location(node)))
            }
        case .highlighted(let html):
            guard let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
            let language = HTML.escape(String(info.prefix { $0 != " " && $0 != "\t" }))
            cmark_node_set_on_enter(block, "<pre><code class=\"language-\(language)\">" + html + "</code></pre>")
            cmark_node_set_on_exit(block, "")
            _ = replace(node, with: block, movingChildren: false, refused: "this code is shown without colours")
        }
    }

    /// Articles show a read-only box; a guide's checklist item carries its storage id for the browser
    /// script, which turns it into a real checkbox. Without JavaScript both read as a plain list.
    mutating func renderTask(_ item: Node, _ task: TaskItem) {
        guard let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        switch input.tasks {
        case .static:
            cmark_node_set_on_enter(block, "<div class=\"task-item\" data-checked=\"\(task.checked)\">")
        case .checklist(let scope, _):
            let id = HTML.escape(scope + "#" + task.key)
            cmark_node_set_on_enter(block, "<div class=\"task-item\" data-task=\"\(id)\" data-key=\"\(HTML.escape(task.key))\">")
        }
        cmark_node_set_on_exit(block, "</div>")
        // The box becomes the item's only child, holding what the item held.
        guard cmark_node_prepend_child(item, block) != 0, moveChildren(of: item, after: block, into: block) else {
            cmark_node_free(block)
            reportRefused(item, "this checklist item is shown with cmark-gfm's own checkbox, which the guide's progress does not track")
            return
        }
        cmark_node_set_syntax_extension(item, nil)
    }
}

/// The `{#key}` suffix writers use for explicit heading ids and checklist keys.
enum ExplicitKey {
    /// Splits `"Text {#key}"` into `("Text", "key")`. Keys are ASCII letters, digits, `-`, `_`, `.` and `:`.
    static func parse(_ text: String) -> (before: String, key: String)? {
        let scalars = Array(text.unicodeScalars)
        var end = scalars.count
        while end > 0, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
        guard end >= 4, scalars[end - 1] == "}" else { return nil }
        guard let open = scalars[..<(end - 1)].lastIndex(of: "{"), open + 1 < end - 1, scalars[open + 1] == "#"
        else { return nil }
        let key = scalars[(open + 2)..<(end - 1)]
        guard !key.isEmpty, key.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.:".unicodeScalars.contains($0)) })
        else { return nil }
        var before = String.UnicodeScalarView(scalars[..<open])
        while let l = before.last, l == " " || l == "\t" { before.removeLast() }
        return (String(before), String(String.UnicodeScalarView(key)))
    }
}
