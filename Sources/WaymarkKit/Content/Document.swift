/// What kind of Markdown page a file is, decided by the folder it lives in.
public enum DocumentKind: String, Sendable, Hashable {
    case article, guide
}

/// Front matter of an article or guide, read and typed by `FrontMatter.parse`.
public struct FrontMatter: Sendable, Hashable {
    public var title: String = ""
    public var summary: String?
    public var tags: [String] = []
    /// Old URL paths of the page (`/en/articles/billing/old-name/`), each published as a redirect to it.
    public var aliases: [Alias] = []
    /// Segment ids; nil means "relevant to all segments".
    public var segments: [String]?
    public var updated: Day?
    public var reviewed: Day?
    /// Days after `reviewed` when an article counts as stale (overrides the site-wide setting).
    public var reviewEvery: Int?
    public var draft = false
    public var translationKey: String?
    public var stage: String?
    public var order: Int?
    public var duration: Int?
    /// Where each key was written, for diagnostics about its value.
    public var locations: [String: SourceLocation] = [:]

    /// One entry of `aliases:` as written, and where: a problem with it is reported at the entry.
    public struct Alias: Sendable, Hashable {
        public var path: String
        public var location: SourceLocation
    }
}

/// One Markdown article or guide after loading: its front matter, its body and where it goes.
public struct Document: Sendable {
    public var kind: DocumentKind
    public var language: String
    /// Path relative to the content root (`en/articles/billing/refunds.md`).
    public var sourcePath: String
    /// Path below the language folder (`articles/billing/refunds.md`).
    public var localPath: String
    public var frontMatter: FrontMatter
    public var body: String
    /// Lines before `body` in the file (the front matter block).
    public var bodyLineOffset: Int
    /// Category folder for articles, segment id for guides.
    public var group: String
    /// The last URL segment: the file name without `.md`, lowercased.
    public var slug: String
    /// Links the versions of one page across languages.
    public var translationKey: String
    /// Site-relative URL path without leading slash, ending in `/` (`en/articles/billing/refunds/`).
    public var urlPath: String
    /// Set on an article published in `language` from another language's text, because `language` has
    /// no translation yet: the language of the text (see `SiteIndex`). Its `sourcePath` is where the
    /// translation would be, which is how links written in `language` find it.
    public var fallbackFrom: String? = nil

    public var title: String { frontMatter.title }
}

/// A landing page definition (`landing/home.yml` or `landing/<segment>.yml`).
public struct LandingFile: Sendable, Hashable {
    public var language: String
    public var sourcePath: String
    /// `home` or a segment id.
    public var name: String
    public var title: String?
    public var subtitle: String?
    public var highlights: [Highlight] = []
    public var featured: [Featured] = []
    public var cta: CallToAction?

    public struct Highlight: Sendable, Hashable {
        public var title: String
        public var text: String
    }

    /// A content path listed under `featured`, resolved against the language folder.
    public struct Featured: Sendable, Hashable {
        public var path: String
        public var location: SourceLocation
    }

    public struct CallToAction: Sendable, Hashable {
        public var text: String?
        public var label: String?
    }
}
