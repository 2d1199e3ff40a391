/// What the Markdown stage needs to know about one document.
public struct MarkdownInput: Sendable {
    /// Markdown text of the body (front matter already removed).
    public var text: String
    /// Lines in the file before `text` starts, so positions are reported in file coordinates.
    public var lineOffset: Int
    /// Raw HTML passes through only when the site opts in (`unsafeHTML: true`).
    public var allowRawHTML: Bool
    /// How GFM task-list items render; see `TaskRendering`.
    public var tasks: TaskRendering
    /// Tables wider than this are an error instead of being parsed: cmark-gfm's table extension takes
    /// time quadratic in the number of columns (`limits.tableColumns` in site.yml).
    public var maxTableColumns: Int

    public init(
        text: String, lineOffset: Int = 0, allowRawHTML: Bool = false, tasks: TaskRendering = .static, maxTableColumns: Int = SiteConfig.Limits().tableColumns
    ) {
        self.text = text
        self.lineOffset = lineOffset
        self.allowRawHTML = allowRawHTML
        self.tasks = tasks
        self.maxTableColumns = maxTableColumns
    }
}

/// Task-list items (`- [ ] Do this`) are either a read-only list (articles) or the checklist of an
/// onboarding step, whose items carry the storage ids the browser keeps progress under.
///
/// An item's key is, in order of preference: the writer's explicit `{#key}`; the key of the item at the
/// same position in the default-language version (`alignedKeys`), so translations share progress; or a
/// slug of the item's own text, so editing or inserting *other* items never changes it.
public enum TaskRendering: Sendable, Equatable {
    case `static`
    /// `scope` prefixes every item id (the guide's translation key); `alignedKeys` are the default
    /// language's item keys by position (empty when rendering the default language itself).
    case checklist(scope: String, alignedKeys: [String])
}

public struct Heading: Sendable, Hashable {
    public var level: Int
    public var text: String
    public var id: String
    public var location: SourceLocation
}

/// A link or image destination as the writer typed it, with where it was typed.
public struct LinkReference: Sendable, Hashable {
    public var destination: String
    public var isImage: Bool
    /// Plain text of the link (the alt text for an image).
    public var text: String
    public var location: SourceLocation
}

public struct TaskItem: Sendable, Hashable {
    /// Plain text of the item, without its `{#key}`.
    public var text: String
    /// Identifies the item within its guide; see `TaskRendering`.
    public var key: String
    /// True when the key was written as `{#key}`, here or in the default-language version.
    public var explicitKey: Bool
    public var checked: Bool
    public var location: SourceLocation
}

/// Text under one heading, for search and excerpts. The text before the first heading has no anchor.
public struct TextSection: Sendable, Hashable {
    public var anchor: String?
    public var heading: String
    public var text: String
}

public struct MarkdownOutput: Sendable {
    public var html: String
    public var headings: [Heading]
    public var links: [LinkReference]
    public var tasks: [TaskItem]
    public var sections: [TextSection]
    public var wordCount: Int
    public var diagnostics: [Diagnostic]
    /// Whether the page has footnotes (whose back-links cmark-gfm labels in English; see `Localization`).
    public var hasFootnotes = false
}
