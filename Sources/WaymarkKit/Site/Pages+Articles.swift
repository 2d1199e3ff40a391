extension PageRenderer {
    /// Translations of a document as language → URL path.
    func translationPaths(_ d: Document) -> [String: String] {
        site.translationsOf(d).mapValues { site.documents[$0].urlPath }
    }

    func tocContext(_ entries: [TOCEntry]) -> [[String: Any]] {
        entries.map { ["id": $0.id, "text": $0.text, "children": tocContext($0.children)] }
    }

    func link(_ title: String, _ urlPath: String) -> [String: Any] {
        ["title": title, "href": factory.href(urlPath)]
    }

    func writeArticle(_ d: Document, index: Int, rendered r: RenderedDocument, related: [Int]) {
        var meta = articlePage(d)
        if unchangedSince(meta, language: d.language, inputs: [r.key] + related.map { UInt64($0) }) { return }
        let language = d.language
        let t = factory.strings[language]!
        let siblings = site.categories[language]?.first { $0.id == d.group }?.articles ?? []
        var prev: Any = false
        var next: Any = false
        if let position = siblings.firstIndex(of: index) {
            if position > 0 {
                let p = site.documents[siblings[position - 1]]
                prev = link(p.title, p.urlPath)
            }
            if position + 1 < siblings.count {
                let n = site.documents[siblings[position + 1]]
                next = link(n.title, n.urlPath)
            }
        }
        let fm = d.frontMatter
        let segments: [[String: Any]] = (fm.segments ?? []).compactMap { id in
            site.config.segment(id).map { link(site.config.text($0.title, language), "\(language)/segments/\($0.id)/") }
        }
        let readingMinutes = max(1, (r.wordCount + 199) / 200)
        meta.fields = [
            "summary": fm.summary ?? false,
            "updated": factory.date(fm.updated, language),
            "toc": tocContext(r.toc),
            "hasToc": r.toc.count >= 2,
            "tags": fm.tags,
            "readingTime": t.format("readingTime", ["n": t.number(readingMinutes)]),
            "prev": prev,
            "next": next,
            "hasPrevNext": !(prev is Bool) || !(next is Bool),
            "category": link(meta.breadcrumbs[0].title, meta.breadcrumbs[0].urlPath),
            "segments": segments,
            "draft": fm.draft,
            "related": related.map { articleCard($0, language: language) },
            "editURL": factory.editURL(d.sourcePath),
            "feedback": true,
            "isArticle": true,
            "jsonLD": StructuredData.article(
                headline: d.title, description: fm.summary, language: language, url: factory.absolute(d.urlPath),
                modified: fm.updated, publisher: site.config.text(site.config.title, language)),
        ]
        writePage(meta, language: language, template: "article", extra: ["content": r.html], reusable: false)
    }

    /// What an article page is, before its template fields (enough for the sitemap).
    func articlePage(_ d: Document) -> PageMeta {
        let categoryTitle = site.config.categoryTitle(d.group, d.language)
        var meta = PageMeta(
            kind: "article", title: d.title, urlPath: d.urlPath, description: d.frontMatter.summary,
            translations: translationPaths(d), breadcrumbs: [(categoryTitle, "\(d.language)/articles/\(d.group)/")])
        meta.noindex = d.frontMatter.draft
        meta.lastModified = d.frontMatter.updated
        return meta
    }
}
