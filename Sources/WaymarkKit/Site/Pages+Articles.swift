extension PageRenderer {
    /// Pages of a document as language → URL path (translations and fallback copies).
    func translationPaths(_ d: Document) -> [String: String] {
        site.versionsOf(d).pages.mapValues { site.documents[$0].urlPath }
    }

    func tocContext(_ entries: [TOCEntry]) -> [[String: Any]] {
        entries.map { ["id": $0.id, "text": $0.text, "children": tocContext($0.children)] }
    }

    func link(_ title: String, _ urlPath: String) -> [String: Any] {
        ["title": title, "href": factory.href(urlPath)]
    }

    /// What an article page is, before its template fields (enough for the sitemap).
    func articlePage(_ d: Document) -> PageMeta {
        let categoryTitle = site.config.categoryTitle(d.group, d.language)
        var meta = PageMeta(
            kind: "article", title: d.title, urlPath: d.urlPath, description: d.frontMatter.summary,
            translations: translationPaths(d), breadcrumbs: [(categoryTitle, "\(d.language)/articles/\(d.group)/")])
        meta.noindex = d.frontMatter.draft
        // Copies of the default language's text are not offered to search engines as alternates, and
        // point at the original.
        meta.copies = site.versionsOf(d).copies
        if let source = d.fallbackFrom, let original = meta.translations[source] {
            meta.canonicalPath = original
        } else {
            meta.lastModified = d.frontMatter.updated
        }
        return meta
    }
}

/// A knowledge-base article: `<lang>/articles/<category>/<slug>/`.
struct ArticlePage: PageKind {
    static let template = "article"
    var index: Int
    var language: String

    static func all(_ r: PageRenderer) -> [ArticlePage] {
        r.site.documents.indices.filter { r.site.documents[$0].kind == .article }.map { ArticlePage(index: $0, language: r.site.documents[$0].language) }
    }

    func meta(_ r: PageRenderer) -> PageMeta { r.articlePage(r.site.documents[index]) }

    /// Its Markdown rendering (whose key stands for the body), its front matter, URL and translations,
    /// and the cards of its neighbours and related articles.
    func inputs(_ r: PageRenderer) -> [UInt64]? {
        let d = r.site.documents[index]
        var h = ContextHasher()
        // Front matter's own Hashable: the memo lives in one process, so per-process seeds are fine.
        h.add([r.rendered[index].key, UInt64(bitPattern: Int64(d.frontMatter.hashValue))])
        h.add(any: [d.urlPath, d.translationKey, d.fallbackFrom ?? ""])
        for (language, path) in r.translationPaths(d).sorted(by: { $0.key < $1.key }) { h.add(any: [language, path]) }
        // A copy that becomes a translation keeps its URL but becomes an hreflang alternate.
        h.add(any: r.site.versionsOf(d).copies.sorted())
        let (prev, next) = neighbours(r)
        for i in [prev, next].compactMap({ $0 }) + (r.related[index] ?? []) { r.addCard(i, to: &h) }
        h.add(any: [prev != nil, next != nil])
        return [h.value]
    }

    /// The articles before and after this one in its category.
    func neighbours(_ r: PageRenderer) -> (prev: Int?, next: Int?) { r.site.neighbours[index] ?? (nil, nil) }

    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any] {
        let site = r.site
        let factory = r.factory
        let d = site.documents[index]
        let rendered = r.rendered[index]
        let t = factory.strings[language]!
        let (before, after) = neighbours(r)
        let prev: Any = before.map { r.link(site.documents[$0].title, site.documents[$0].urlPath) } ?? false
        let next: Any = after.map { r.link(site.documents[$0].title, site.documents[$0].urlPath) } ?? false
        let fm = d.frontMatter
        let segments: [[String: Any]] = (fm.segments ?? []).compactMap { id in
            site.config.segment(id).map { r.link(site.config.text($0.title, language), "\(language)/segments/\($0.id)/") }
        }
        let readingMinutes = max(1, (rendered.wordCount + 199) / 200)
        meta.fields = [
            "summary": fm.summary ?? false,
            "updated": factory.date(fm.updated, language),
            "toc": r.tocContext(rendered.toc),
            "hasToc": rendered.toc.count >= 2,
            "tags": fm.tags,
            "readingTime": t.format("readingTime", ["n": t.number(readingMinutes)]),
            "prev": prev,
            "next": next,
            "hasPrevNext": !(prev is Bool) || !(next is Bool),
            "category": r.link(meta.breadcrumbs[0].title, meta.breadcrumbs[0].urlPath),
            "segments": segments,
            "draft": fm.draft,
            "related": (r.related[index] ?? []).map { r.articleCard($0, language: language) },
            "fallback": d.fallbackFrom.map { r.fallbackNotice("fallbackArticleNotice", text: $0, page: language) } ?? false,
            // A copy is edited in the original it comes from.
            "editURL": factory.editURL(d.fallbackFrom.map { $0 + d.sourcePath.drop { $0 != "/" } } ?? d.sourcePath),
            "feedback": true,
            "isArticle": true,
            "jsonLD": StructuredData.article(
                headline: d.title, description: fm.summary, language: language, url: factory.absolute(d.urlPath),
                modified: fm.updated, publisher: site.config.text(site.config.title, language)),
        ]
        return ["content": rendered.html]
    }
}
