extension PageRenderer {
    func articleCard(_ index: Int, language: String) -> [String: Any] {
        let d = site.documents[index]
        return [
            "title": d.title, "href": factory.href(d.urlPath), "summary": d.frontMatter.summary ?? false,
            "updated": factory.date(d.frontMatter.updated, language),
        ]
    }

    /// Adds what `articleCard` shows of an article to a page's inputs.
    func addCard(_ index: Int, to h: inout ContextHasher) {
        let d = site.documents[index]
        h.add(any: [d.title, d.urlPath, d.frontMatter.summary ?? "", d.frontMatter.updated?.iso ?? ""])
    }

    /// The inputs of a page that lists article cards: the cards, in order.
    func cardsKey(_ indices: some Sequence<Int>) -> [UInt64] {
        var h = ContextHasher()
        for i in indices { addCard(i, to: &h) }
        return [h.value]
    }

    func languageVersions(_ pathFor: (String) -> String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: site.config.languages.map { ($0.code, pathFor($0.code)) })
    }

    /// The documents a landing file features, in its order (an unknown path was reported when loading).
    func featuredDocuments(_ landing: LandingFile?, language: String) -> [Int] {
        (landing?.featured ?? []).compactMap { featured in
            LinkResolver.normalize([language] + featured.path.split(separator: "/").map(String.init)).flatMap { site.byPath[$0] }
        }
    }

    func featuredCards(_ landing: LandingFile?, language: String) -> [[String: Any]] {
        featuredDocuments(landing, language: language).map { articleCard($0, language: language) }
    }

    func highlights(_ landing: LandingFile?) -> [[String: Any]] {
        (landing?.highlights ?? []).map { ["title": $0.title, "text": $0.text] }
    }
}

/// A language's home page: `<lang>/`, from `landing/home.yml`, with the segment picker and categories.
struct HomePage: PageKind {
    static let template = "home"
    var language: String

    static func all(_ r: PageRenderer) -> [HomePage] { r.site.config.languages.map { HomePage(language: $0.code) } }

    func meta(_ r: PageRenderer) -> PageMeta {
        let config = r.site.config
        let landing = r.site.landings[language]?["home"]
        var meta = PageMeta(
            kind: "home", title: landing?.title ?? config.text(config.title, language), urlPath: "\(language)/",
            description: landing?.subtitle, translations: r.languageVersions { "\($0)/" })
        meta.isHome = true
        meta.xDefaultOverride = ""
        return meta
    }

    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any] {
        let (site, factory) = (r.site, r.factory)
        let config = site.config
        let landing = site.landings[language]?["home"]
        let t = factory.strings[language]!
        let segments: [[String: Any]] = config.segments.map { segment in
            let route = site.routes.first { r in r.language == language && r.segment == segment.id }
            return [
                "id": segment.id,
                "title": config.text(segment.title, language),
                "description": segment.description.map { config.text($0, language) } ?? false,
                "href": factory.href("\(language)/segments/\(segment.id)/"),
                "routeHref": route.map { _ in factory.href("\(language)/segments/\(segment.id)/route/") } ?? false,
                "routeSummary": route.map { t.format("routeSummary", ["steps": t.number($0.steps.count), "time": factory.minutes($0.totalMinutes, language)]) }
                    ?? false,
            ]
        }
        let categories: [[String: Any]] = (site.categories[language] ?? []).map { category in
            [
                "title": config.categoryTitle(category.id, language),
                "description": config.category(category.id)?.description.map { config.text($0, language) } ?? false,
                "href": factory.href("\(language)/articles/\(category.id)/"),
                "count": t.format("articleCount", ["n": t.number(category.articles.count)]),
                "articles": category.articles.prefix(4).map { r.articleCard($0, language: language) },
            ]
        }
        meta.fields = [
            "subtitle": landing?.subtitle ?? config.description.map { config.text($0, language) } ?? false,
            "highlights": r.highlights(landing),
            "featured": r.featuredCards(landing, language: language),
            "segments": segments,
            "categories": categories,
        ]
        return [:]
    }
}

/// Every article of a language by category: `<lang>/articles/`.
struct ArticleIndexPage: PageKind {
    static let template = "articles"
    var language: String

    static func all(_ r: PageRenderer) -> [ArticleIndexPage] { r.site.config.languages.map { ArticleIndexPage(language: $0.code) } }

    func meta(_ r: PageRenderer) -> PageMeta {
        PageMeta(
            kind: "articles", title: r.factory.strings[language]!["allArticles"], urlPath: "\(language)/articles/",
            translations: r.languageVersions { "\($0)/articles/" })
    }

    /// The cards of every article of the language, by category.
    func inputs(_ r: PageRenderer) -> [UInt64]? { r.cardsKey((r.site.categories[language] ?? []).flatMap(\.articles)) }

    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any] {
        let categories: [[String: Any]] = (r.site.categories[language] ?? []).map { category in
            [
                "title": r.site.config.categoryTitle(category.id, language),
                "href": r.factory.href("\(language)/articles/\(category.id)/"),
                "articles": category.articles.map { r.articleCard($0, language: language) },
            ]
        }
        meta.fields = ["categories": categories]
        return [:]
    }
}

/// One category's articles: `<lang>/articles/<category>/`.
struct CategoryPage: PageKind {
    static let template = "category"
    var language: String
    var category: String

    static func all(_ r: PageRenderer) -> [CategoryPage] {
        r.site.config.languages.flatMap { l in (r.site.categories[l.code] ?? []).map { CategoryPage(language: l.code, category: $0.id) } }
    }

    func meta(_ r: PageRenderer) -> PageMeta {
        let (site, config) = (r.site, r.site.config)
        let t = r.factory.strings[language]!
        let versions = Dictionary(
            uniqueKeysWithValues: config.languages.compactMap { l in
                (site.categories[l.code] ?? []).contains { $0.id == category } ? (l.code, "\(l.code)/articles/\(category)/") : nil
            })
        return PageMeta(
            kind: "category", title: config.categoryTitle(category, language), urlPath: "\(language)/articles/\(category)/",
            description: config.category(category)?.description.map { config.text($0, language) },
            translations: versions, breadcrumbs: [(t["allArticles"], "\(language)/articles/")])
    }

    /// The cards of its articles, in order.
    func inputs(_ r: PageRenderer) -> [UInt64]? { r.cardsKey(r.site.categories[language]?.first { $0.id == category }?.articles ?? []) }

    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any] {
        let t = r.factory.strings[language]!
        let articles = r.site.categories[language]?.first { $0.id == category }?.articles ?? []
        meta.fields = [
            "articles": articles.map { r.articleCard($0, language: language) },
            "count": t.format("articleCount", ["n": t.number(articles.count)]),
        ]
        return [:]
    }
}

/// The search page: `<lang>/search/` (`?q=` runs a query), with the filters.
struct SearchPage: PageKind {
    static let template = "search"
    var language: String

    static func all(_ r: PageRenderer) -> [SearchPage] { r.site.config.languages.map { SearchPage(language: $0.code) } }

    func meta(_ r: PageRenderer) -> PageMeta {
        var meta = PageMeta(
            kind: "search", title: r.factory.strings[language]!["search"], urlPath: "\(language)/search/", translations: r.languageVersions { "\($0)/search/" })
        meta.noindex = true
        return meta
    }

    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any] {
        let config = r.site.config
        meta.fields = [
            "segments": config.segments.map { ["id": $0.id, "title": config.text($0.title, language)] },
            "stages": config.stages.map { ["id": $0.id, "title": config.text($0.title, language)] },
        ]
        return [:]
    }
}

/// `/404.html` (default language, linking every language) and `/<lang>/404.html` for hosts that can
/// serve a 404 page per folder.
struct NotFoundPage: PageKind {
    static let template = "404"
    /// Nil for the site root's.
    var folder: String?
    var language: String

    static func all(_ r: PageRenderer) -> [NotFoundPage] {
        r.site.config.languages.map { NotFoundPage(folder: $0.code, language: $0.code) } + [NotFoundPage(folder: nil, language: r.site.config.defaultLanguage)]
    }

    func meta(_ r: PageRenderer) -> PageMeta {
        var meta = PageMeta(
            kind: "404", title: r.factory.strings[language]!["notFoundTitle"], urlPath: folder.map { "\($0)/404.html" } ?? "404.html", translations: [:])
        meta.noindex = true
        return meta
    }

    func outputPath(_ meta: PageMeta) -> String { meta.urlPath }

    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any] {
        meta.fields = [
            "homes": r.site.config.languages.map { ["name": $0.name, "code": $0.code, "href": r.factory.href("\($0.code)/")] },
            "isRoot": folder == nil,
        ]
        return [:]
    }
}

/// The site root: a list of languages; the browser script forwards returning visitors to the language
/// they chose before, or to the first of their browser languages the site has.
struct LanguageChooserPage: PageKind {
    static let template = "languages"
    var language: String

    static func all(_ r: PageRenderer) -> [LanguageChooserPage] { [LanguageChooserPage(language: r.site.config.defaultLanguage)] }

    func meta(_ r: PageRenderer) -> PageMeta {
        let config = r.site.config
        var meta = PageMeta(kind: "languages", title: config.text(config.title, language), urlPath: "", translations: r.languageVersions { "\($0)/" })
        meta.isHome = true
        meta.xDefaultOverride = ""
        return meta
    }

    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any] {
        let config = r.site.config
        meta.fields = [
            "languages": config.languages.map { l in
                [
                    "code": l.code, "name": l.name, "dir": l.direction.rawValue, "href": r.factory.href("\(l.code)/"),
                    "title": config.text(config.title, l.code),
                ] as [String: Any]
            },
            "defaultHref": r.factory.href("\(language)/"),
        ]
        return [:]
    }
}
