extension PageContextFactory {
    func tocContext(_ entries: [TOCEntry]) -> [[String: Any]] {
        entries.map { ["id": $0.id, "text": $0.text, "children": tocContext($0.children)] }
    }

    func link(_ title: String, _ urlPath: String) -> [String: Any] {
        ["title": title, "href": href(urlPath)]
    }

    func link(_ link: PageLink?) -> Any {
        link.map { self.link($0.title, $0.urlPath) } ?? false
    }

    /// The notice of a page shown in `page`'s language but written in `text`'s (a step or article not
    /// translated yet), with the language and direction of its text; the template's `fallback` value.
    func fallbackNotice(_ key: String, text: String, page: String) -> [String: Any] {
        let source = config.language(text)!
        return ["notice": strings[page]!.format(key, ["language": source.name]), "lang": source.code, "dir": source.direction.rawValue]
    }
}

extension PageRenderer {
    /// Pages of a document as language → URL path (translations and fallback copies).
    func translationPaths(_ d: Document) -> [String: String] {
        site.versionsOf(d).pages.mapValues { site.documents[$0].urlPath }
    }

    func pageLink(_ index: Int) -> PageLink {
        PageLink(title: site.documents[index].title, urlPath: site.documents[index].urlPath)
    }
}

/// A knowledge-base article: `<lang>/articles/<category>/<slug>/`.
enum ArticlePage: PageKind {
    static let template = "article"

    struct Input: PageInput {
        var language: String
        @Exact var title: String
        @Exact var urlPath: String
        var sourcePath: String
        var category: String
        /// For a copy of the default language's text: that language.
        var fallbackFrom: String?
        var frontMatter: FrontMatter
        var rendering: Rendering
        var translations: [String: String]
        /// Languages whose version is a copy of another's text.
        var copies: Set<String>
        /// The articles before and after this one in its category.
        var prev: PageLink?
        var next: PageLink?
        var related: [ArticleCard]
    }

    static func inputs(_ r: PageRenderer) -> [Input] {
        inputs(r, r.site.documents.indices.filter { r.site.documents[$0].kind == .article })
    }

    /// The inputs of some articles (site document indices).
    static func inputs(_ r: PageRenderer, _ indices: [Int]) -> [Input] { indices.map { input(r, $0) } }

    private static func input(_ r: PageRenderer, _ index: Int) -> Input {
        let d = r.site.documents[index]
        let (prev, next) = r.site.neighbours[index] ?? (nil, nil)
        return Input(
            language: d.language, title: d.title, urlPath: d.urlPath, sourcePath: d.sourcePath, category: d.group, fallbackFrom: d.fallbackFrom,
            frontMatter: d.frontMatter, rendering: Rendering(r.rendered[index]), translations: r.translationPaths(d),
            copies: r.site.versionsOf(d).copies, prev: prev.map(r.pageLink), next: next.map(r.pageLink),
            related: (r.related[index] ?? []).map { r.cards[$0] })
    }

    static func meta(_ a: Input, _ f: PageContextFactory) -> PageMeta {
        var meta = PageMeta(
            kind: "article", title: a.title, urlPath: a.urlPath, description: a.frontMatter.summary, translations: a.translations,
            breadcrumbs: [(f.config.categoryTitle(a.category, a.language), "\(a.language)/articles/\(a.category)/")])
        meta.noindex = a.frontMatter.draft
        // Copies of the default language's text are not offered to search engines as alternates, and
        // point at the original.
        meta.copies = a.copies
        if let source = a.fallbackFrom, let original = a.translations[source] {
            meta.canonicalPath = original
        } else {
            meta.lastModified = a.frontMatter.updated
        }
        return meta
    }

    static func context(_ a: Input, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any] {
        let config = f.config
        let language = a.language
        let rendered = a.rendering.value
        let t = f.strings[language]!
        let fm = a.frontMatter
        let segments: [[String: Any]] = (fm.segments ?? []).compactMap { id in
            config.segment(id).map { f.link(config.text($0.title, language), "\(language)/segments/\($0.id)/") }
        }
        let readingMinutes = max(1, (rendered.wordCount + 199) / 200)
        meta.fields = [
            "summary": fm.summary ?? false,
            "updated": f.date(fm.updated, language),
            "toc": f.tocContext(rendered.toc),
            "hasToc": rendered.toc.count >= 2,
            "tags": fm.tags,
            "readingTime": t.format("readingTime", ["n": t.number(readingMinutes)]),
            "prev": f.link(a.prev),
            "next": f.link(a.next),
            "hasPrevNext": a.prev != nil || a.next != nil,
            "category": f.link(meta.breadcrumbs[0].title, meta.breadcrumbs[0].urlPath),
            "segments": segments,
            "draft": fm.draft,
            "related": a.related.map { f.card($0, language: language) },
            "fallback": a.fallbackFrom.map { f.fallbackNotice("fallbackArticleNotice", text: $0, page: language) } ?? false,
            // A copy is edited in the original it comes from.
            "editURL": f.editURL(a.fallbackFrom.map { $0 + a.sourcePath.drop { $0 != "/" } } ?? a.sourcePath),
            "feedback": true,
            "isArticle": true,
            "jsonLD": StructuredData.article(
                headline: a.title, description: fm.summary, language: language, url: f.absolute(a.urlPath), modified: fm.updated,
                publisher: config.text(config.title, language)),
        ]
        return ["content": rendered.html]
    }
}
