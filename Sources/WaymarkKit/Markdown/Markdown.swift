/// Markdown to HTML with cmark-gfm (GFM tables, strikethrough, autolinks, tag filter, task lists and
/// footnotes), plus what the site needs from each document: heading ids and the table of contents,
/// link targets to rewrite and check, checklist items, and plain text for search.
public enum Markdown {
    /// Renders `input`. `resolveLink` receives every link and image as typed and returns where it leads
    /// in the page (nil keeps it as written); it is called synchronously on the calling thread.
    public static func render(_ input: MarkdownInput, resolveLink: (LinkReference) -> LinkTarget? = { _ in nil }) -> MarkdownOutput {
        CMark.render(input, resolveLink: resolveLink)
    }
}

/// One entry of a page's table of contents, nested by heading level.
public struct TOCEntry: Sendable, Hashable {
    public var id: String
    public var text: String
    public var children: [TOCEntry]
}

extension MarkdownOutput {
    /// Level-2 headings with their level-3 children: deeper levels make a sidebar too long to scan.
    public var tableOfContents: [TOCEntry] {
        var entries: [TOCEntry] = []
        for heading in headings where heading.level == 2 || heading.level == 3 {
            let entry = TOCEntry(id: heading.id, text: heading.text, children: [])
            if heading.level == 3, !entries.isEmpty {
                entries[entries.count - 1].children.append(entry)
            } else {
                entries.append(entry)
            }
        }
        return entries
    }
}
