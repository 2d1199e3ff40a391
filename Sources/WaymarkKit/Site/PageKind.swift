/// One kind of page. It owns where its pages are published, the template that renders them, the
/// context they get and the inputs that context reads; `PageRenderer.write` does the rest (reuse,
/// rendering, writing, the sitemap). A new kind of page is one conforming type, listed in
/// `PageRenderer.pageJobs`.
protocol PageKind: Sendable {
    /// The template that renders pages of this kind.
    static var template: String { get }
    /// Every page of this kind in the site.
    static func all(_ r: PageRenderer) -> [Self]
    /// The language the page is written in.
    var language: String { get }
    /// What the page is before its template fields (URL, title, translations, breadcrumbs): what the
    /// layout and the sitemap need.
    func meta(_ r: PageRenderer) -> PageMeta
    /// With a memo: the page's own inputs when they, with the site-wide ones (`PageRenderer.siteKey`),
    /// decide its bytes, so an unchanged page is known without building its context. Nil (the default)
    /// keys the page by its whole template context instead.
    func inputs(_ r: PageRenderer) -> [UInt64]?
    /// Fills `meta.fields` (the template's `page.*`) and returns the page's top-level values (`content`).
    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any]
    /// Where the page is written, relative to the output folder.
    func outputPath(_ meta: PageMeta) -> String
}

extension PageKind {
    func inputs(_ r: PageRenderer) -> [UInt64]? { nil }
    func outputPath(_ meta: PageMeta) -> String { meta.urlPath + "index.html" }
}

extension PageRenderer {
    /// Writes one page of any kind, reusing its previous bytes when its inputs are unchanged.
    func write<Kind: PageKind>(_ page: Kind) {
        var meta = page.meta(self)
        let path = page.outputPath(meta)
        let inputs = memo == nil ? nil : page.inputs(self)
        if let inputs, unchangedSince(path, meta, language: page.language, inputs: inputs) { return }
        let extra = page.context(self, &meta)
        writePage(meta, path: path, language: page.language, template: Kind.template, extra: extra, reusable: inputs == nil)
    }

    /// The jobs that write the pages at some URL paths (`en/articles/x/`, `en/404.html`), whatever
    /// their kind: the preview renders the pages open in browsers first.
    func pageJobs(at urls: Set<String>) -> [@Sendable () -> Void] {
        let (articles, rest) = pageJobs { kind in
            // Article pages are most of the site: their URL without building their description.
            if let article = kind as? ArticlePage { return urls.contains(site.documents[article.index].urlPath) }
            return urls.contains(kind.meta(self).urlPath)
        }
        return articles + rest
    }

    /// The jobs that write every page of every kind: article pages first (the bulk, after which their
    /// bodies are dropped), then the rest.
    func pageJobs(where include: (any PageKind) -> Bool = { _ in true }) -> (articles: [@Sendable () -> Void], rest: [@Sendable () -> Void]) {
        var rest: [@Sendable () -> Void] = []
        func add<Kind: PageKind>(_ kind: Kind.Type) { for page in Kind.all(self) where include(page) { rest.append { self.write(page) } } }
        add(RoutePage.self)
        add(RouteDocumentPage.self)
        add(RedirectPage.self)
        add(StepPage.self)
        add(LandingPage.self)
        add(HomePage.self)
        add(ArticleIndexPage.self)
        add(CategoryPage.self)
        add(SearchPage.self)
        add(NotFoundPage.self)
        add(LanguageChooserPage.self)
        return (ArticlePage.all(self).filter(include).map { page in { self.write(page) } }, rest)
    }
}
