/// One kind of page. Its pages are computed in two steps so that what a page reads is a value the
/// build can compare:
///
/// 1. `inputs(_:)` reads the site model, the Markdown renderings and the related articles and returns one
///    `Input` per page: everything the page shows, and nothing else;
/// 2. `meta(_:_:)` and `context(_:_:_:)` turn one input into the template's values. They receive only the
///    input and the site-wide settings (`PageContextFactory`: site.yml, templates, strings, options), so a
///    page cannot read what is not in its input.
///
/// With a memo, a page whose input (and the site-wide settings) hashes as in the previous build keeps
/// its previous bytes without building its context: keys are derived from the input, never assembled by
/// hand. A new kind of page is one conforming type, listed in `PageKinds.all`.
protocol PageKind: Sendable {
    associatedtype Input: PageInput
    /// The template that renders pages of this kind; every kind's template is required.
    static var template: String { get }
    /// The input of every page of this kind in the site: the one place a kind reads the site model.
    static func inputs(_ r: PageRenderer) -> [Input]
    /// What the page is before its template fields (URL, title, translations, breadcrumbs): what the
    /// layout and the sitemap need, also when the page's previous bytes are reused.
    static func meta(_ input: Input, _ f: PageContextFactory) -> PageMeta
    /// Fills `meta.fields` (the template's `page.*`) and returns the page's top-level values (`content`).
    static func context(_ input: Input, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any]
    /// Where the page is written, relative to the output folder.
    static func outputPath(_ meta: PageMeta) -> String
}

/// Everything one page reads besides the site-wide settings.
protocol PageInput: Hashable, Sendable {
    /// The language the page is written in.
    var language: String { get }
}

extension PageKind {
    static func outputPath(_ meta: PageMeta) -> String { meta.urlPath + "index.html" }
}

/// The registry of page kinds: the page jobs, the required templates, the preview's routing of open
/// pages and the golden tests all read this one list.
enum PageKinds {
    /// Article pages first: they are most of the site, and their bodies are dropped once written.
    static let all: [any PageKind.Type] = [
        ArticlePage.self, RoutePage.self, RouteDocumentPage.self, StepPage.self, LandingPage.self, HomePage.self, ArticleIndexPage.self,
        CategoryPage.self, SearchPage.self, NotFoundPage.self, LanguageChooserPage.self, RedirectPage.self,
    ]

    /// The templates a template folder must have: the layout and every kind's.
    static var templates: [String] { ["base"] + all.map { $0.template } }
}

extension PageRenderer {
    /// Writes one page, reusing its previous bytes when its input and the site-wide settings are unchanged.
    func write<Kind: PageKind>(_ kind: Kind.Type, _ input: Kind.Input) {
        var meta = Kind.meta(input, factory)
        let path = Kind.outputPath(meta)
        // The template is part of the key: one path can hold another kind's page in the next build.
        if let memo, memo.unchanged(path, key: StageKey.of(input, StageKey.of(Kind.template, siteKey))), sink.reuse(path) {
            record(meta, language: input.language, reused: true)
            return
        }
        let extra = Kind.context(input, factory, &meta)
        write(path, templates.renderBytes(Kind.template, factory.context(language: input.language, page: meta, extra: extra)))
        record(meta, language: input.language, reused: false)
    }

    /// The jobs that write the pages at some URL paths (`en/articles/x/`, `en/404.html`), whatever
    /// their kind: the preview renders the pages open in browsers first.
    func pageJobs(at urls: Set<String>) -> [@Sendable () -> Void] {
        PageKinds.all.flatMap { jobs($0, at: urls) }
    }

    private func jobs<Kind: PageKind>(_ kind: Kind.Type, at urls: Set<String>) -> [@Sendable () -> Void] {
        jobs(kind) { urls.contains(Kind.meta($0, factory).urlPath) }
    }

    /// The jobs that write every page of the given kinds. The redirect pages of aliases are among them
    /// only once `writeAliases` has accepted them.
    func pageJobs(of kinds: [any PageKind.Type] = PageKinds.all) -> [@Sendable () -> Void] {
        kinds.flatMap { jobs($0) { _ in true } }
    }

    /// Every page of a kind as (language, output path), in the kind's order.
    func outputPaths(of kind: any PageKind.Type) -> [(language: String, path: String)] {
        func paths<Kind: PageKind>(_ kind: Kind.Type) -> [(language: String, path: String)] {
            Kind.inputs(self).map { ($0.language, Kind.outputPath(Kind.meta($0, factory))) }
        }
        return paths(kind)
    }

    private func jobs<Kind: PageKind>(_ kind: Kind.Type, where include: (Kind.Input) -> Bool) -> [@Sendable () -> Void] {
        Kind.inputs(self).filter(include).map { input in { self.write(Kind.self, input) } }
    }
}
