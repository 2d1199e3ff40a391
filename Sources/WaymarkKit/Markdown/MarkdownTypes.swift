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
    /// Words the page gets from Markdown itself, in the page's language.
    public var labels: MarkdownLabels
    /// Colours fenced code (tests give one with other language files).
    var highlighter = CodeHighlighter.shared

    public init(
        text: String, lineOffset: Int = 0, allowRawHTML: Bool = false, tasks: TaskRendering = .static,
        maxTableColumns: Int = SiteConfig.Limits().tableColumns, labels: MarkdownLabels = MarkdownLabels()
    ) {
        self.labels = labels
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

/// Where a link or image leads, as the page will have it.
public struct LinkTarget: Sendable, Hashable {
    public var url: String
    /// Set for an image published by the site: the `<img>` gets its size and `srcset`.
    public var image: ImageSource?

    public init(url: String, image: ImageSource? = nil) {
        self.url = url
        self.image = image
    }
}

/// What a page needs to show a published image without moving text while it loads.
public struct ImageSource: Sendable, Hashable {
    public var width: Int?
    public var height: Int?
    /// `url 480w, url 960w, url 1600w` (copies, then the image itself); nil without copies.
    public var srcset: String?
    /// How wide the page shows images, for the browser to pick from `srcset`.
    public var sizes: String

    public init(width: Int?, height: Int?, srcset: String? = nil, sizes: String = SiteConfig.Images().sizes) {
        self.width = width
        self.height = height
        self.srcset = srcset
        self.sizes = sizes
    }
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

    /// Nothing rendered (a document refused before parsing, or a render whose results are not read).
    static let empty = MarkdownOutput(html: "", headings: [], links: [], tasks: [], sections: [], wordCount: 0, diagnostics: [])
}

/// Words the Markdown stage writes into a page itself, from the interface strings of the page's language
/// (`templates/i18n/<lang>.yml`); English when rendering outside a site.
public struct MarkdownLabels: Sendable, Hashable {
    /// The footnote back-link's accessible name (cmark-gfm writes "Back to content" in its C code).
    public var footnoteBack = "Back to the text"
    /// A heading link's accessible name, with `{title}`.
    public var headingLink = "Link to this section: {title}"
    /// Shown and announced when a heading link was copied.
    public var linkCopied = "Link copied"
    /// Callout titles by kind (`note`, `tip`, `important`, `warning`, `caution`).
    public var callouts: [String: String] = ["note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution"]

    public init() {}

    /// Stands for the labels in stage keys.
    var fingerprint: String {
        ([footnoteBack, headingLink, linkCopied] + Callout.kinds.map { callouts[$0] ?? "" }).joined(separator: "\u{1F}")
    }
}

/// GitHub-style alerts: a quote whose first line is `[!NOTE]` (or TIP, IMPORTANT, WARNING, CAUTION).
public enum Callout {
    public static let kinds = ["note", "tip", "important", "warning", "caution"]
}
