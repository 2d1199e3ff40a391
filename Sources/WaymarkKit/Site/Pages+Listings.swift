extension PageContextFactory {
    func card(_ card: ArticleCard, language: String) -> [String: Any] {
        ["title": card.title, "href": href(card.urlPath), "summary": card.summary ?? false, "updated": date(card.updated, language)]
    }

    func languageVersions(_ pathFor: (String) -> String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: config.languages.map { ($0.code, pathFor($0.code)) })
    }

    func highlights(_ landing: LandingFile?) -> [[String: Any]] {
        (landing?.highlights ?? []).map { ["title": $0.title, "text": $0.text] }
    }
}

extension PageRenderer {
    /// The documents a landing file features, in its order (an unknown path was reported when loading).
    func featuredDocuments(_ landing: LandingFile?, language: String) -> [Int] {
        (landing?.featured ?? []).compactMap { featured in
            LinkResolver.normalize([language] + featured.path.split(separator: "/").map(String.init)).flatMap { site.byPath[$0] }
        }
    }

    /// A language's categories with the cards of their articles (the first `limit` of each).
    func categoryCards(_ language: String, limit: Int = .max) -> [CategoryCards] {
        (site.categories[language] ?? []).map { CategoryCards(id: $0.id, count: $0.articles.count, cards: $0.articles.prefix(limit).map { cards[$0] }) }
    }
}

/// A language's home page: `<lang>/`, from `landing/home.yml`, with the segment picker and categories.
enum HomePage: PageKind {
    static let template = "home"

    struct Input: PageInput {
        var language: String
        var landing: LandingFile?
        /// Per segment with a route in this language: its steps and minutes.
        var routes: [String: RouteSummary]
        /// Each category with its first four cards.
        var categories: [CategoryCards]
        var featured: [ArticleCard]
    }

    struct RouteSummary: Hashable, Sendable {
        var steps: Int
        var minutes: Int
    }

    static func inputs(_ r: PageRenderer) -> [Input] {
        r.site.config.languages.map { language in
            let code = language.code
            let landing = r.site.landings[code]?["home"]
            var routes: [String: RouteSummary] = [:]
            for route in r.routeViews where route.language == code {
                routes[route.segment] = RouteSummary(steps: route.steps.count, minutes: route.totalMinutes)
            }
            return Input(
                language: code, landing: landing, routes: routes, categories: r.categoryCards(code, limit: 4),
                featured: r.featuredDocuments(landing, language: code).map { r.cards[$0] })
        }
    }

    static func meta(_ input: Input, _ f: PageContextFactory) -> PageMeta {
        let config = f.config
        var meta = PageMeta(
            kind: "home", title: input.landing?.title ?? config.text(config.title, input.language), urlPath: "\(input.language)/",
            description: input.landing?.subtitle, translations: f.languageVersions { "\($0)/" })
        meta.isHome = true
        meta.xDefaultOverride = ""
        return meta
    }

    static func context(_ input: Input, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any] {
        let config = f.config
        let language = input.language
        let t = f.strings[language]!
        let segments: [[String: Any]] = config.segments.map { segment in
            let route = input.routes[segment.id]
            return [
                "id": segment.id,
                "title": config.text(segment.title, language),
                "description": segment.description.map { config.text($0, language) } ?? false,
                "href": f.href("\(language)/segments/\(segment.id)/"),
                "routeHref": route.map { _ in f.href("\(language)/segments/\(segment.id)/route/") } ?? false,
                "routeSummary": route.map { t.format("routeSummary", ["steps": t.number($0.steps), "time": f.minutes($0.minutes, language)]) } ?? false,
            ]
        }
        let categories: [[String: Any]] = input.categories.map { category in
            [
                "title": config.categoryTitle(category.id, language),
                "description": config.category(category.id)?.description.map { config.text($0, language) } ?? false,
                "href": f.href("\(language)/articles/\(category.id)/"),
                "count": t.format("articleCount", ["n": t.number(category.count)]),
                "articles": category.cards.map { f.card($0, language: language) },
            ]
        }
        meta.fields = [
            "subtitle": input.landing?.subtitle ?? config.description.map { config.text($0, language) } ?? false,
            "highlights": f.highlights(input.landing),
            "featured": input.featured.map { f.card($0, language: language) },
            "segments": segments,
            "categories": categories,
        ]
        return [:]
    }
}

/// Every article of a language by category: `<lang>/articles/`.
enum ArticleIndexPage: PageKind {
    static let template = "articles"

    struct Input: PageInput {
        var language: String
        var categories: [CategoryCards]
    }

    static func inputs(_ r: PageRenderer) -> [Input] { r.site.config.languages.map { Input(language: $0.code, categories: r.categoryCards($0.code)) } }

    static func meta(_ input: Input, _ f: PageContextFactory) -> PageMeta {
        PageMeta(
            kind: "articles", title: f.strings[input.language]!["allArticles"], urlPath: "\(input.language)/articles/",
            translations: f.languageVersions { "\($0)/articles/" })
    }

    static func context(_ input: Input, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any] {
        let language = input.language
        meta.fields = [
            "categories": input.categories.map { category in
                [
                    "title": f.config.categoryTitle(category.id, language),
                    "href": f.href("\(language)/articles/\(category.id)/"),
                    "articles": category.cards.map { f.card($0, language: language) },
                ] as [String: Any]
            }
        ]
        return [:]
    }
}

/// One category's articles: `<lang>/articles/<category>/`.
enum CategoryPage: PageKind {
    static let template = "category"

    struct Input: PageInput {
        var language: String
        var category: CategoryCards
        /// The languages that have this category (the page's language versions).
        var languages: [String]
    }

    static func inputs(_ r: PageRenderer) -> [Input] {
        let config = r.site.config
        return config.languages.flatMap { l in
            r.categoryCards(l.code).map { category in
                Input(
                    language: l.code, category: category,
                    languages: config.languages.map(\.code).filter { (r.site.categories[$0] ?? []).contains { $0.id == category.id } })
            }
        }
    }

    static func meta(_ input: Input, _ f: PageContextFactory) -> PageMeta {
        let (config, language, id) = (f.config, input.language, input.category.id)
        return PageMeta(
            kind: "category", title: config.categoryTitle(id, language), urlPath: "\(language)/articles/\(id)/",
            description: config.category(id)?.description.map { config.text($0, language) },
            translations: Dictionary(uniqueKeysWithValues: input.languages.map { ($0, "\($0)/articles/\(id)/") }),
            breadcrumbs: [(f.strings[language]!["allArticles"], "\(language)/articles/")])
    }

    static func context(_ input: Input, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any] {
        let t = f.strings[input.language]!
        meta.fields = [
            "articles": input.category.cards.map { f.card($0, language: input.language) },
            "count": t.format("articleCount", ["n": t.number(input.category.count)]),
        ]
        return [:]
    }
}

/// A page that reads nothing of the site but its language and site.yml.
struct LanguageInput: PageInput {
    var language: String
}

/// The search page: `<lang>/search/` (`?q=` runs a query), with the filters.
enum SearchPage: PageKind {
    static let template = "search"

    static func inputs(_ r: PageRenderer) -> [LanguageInput] { r.site.config.languages.map { LanguageInput(language: $0.code) } }

    static func meta(_ input: LanguageInput, _ f: PageContextFactory) -> PageMeta {
        var meta = PageMeta(
            kind: "search", title: f.strings[input.language]!["search"], urlPath: "\(input.language)/search/",
            translations: f.languageVersions { "\($0)/search/" })
        meta.noindex = true
        return meta
    }

    static func context(_ input: LanguageInput, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any] {
        let config = f.config
        meta.fields = [
            "segments": config.segments.map { ["id": $0.id, "title": config.text($0.title, input.language)] },
            "stages": config.stages.map { ["id": $0.id, "title": config.text($0.title, input.language)] },
        ]
        return [:]
    }
}

/// `/404.html` (default language, linking every language) and `/<lang>/404.html` for hosts that can
/// serve a 404 page per folder.
enum NotFoundPage: PageKind {
    static let template = "404"

    struct Input: PageInput {
        /// Nil for the site root's.
        var folder: String?
        var language: String
    }

    static func inputs(_ r: PageRenderer) -> [Input] {
        r.site.config.languages.map { Input(folder: $0.code, language: $0.code) } + [Input(folder: nil, language: r.site.config.defaultLanguage)]
    }

    static func meta(_ input: Input, _ f: PageContextFactory) -> PageMeta {
        var meta = PageMeta(
            kind: "404", title: f.strings[input.language]!["notFoundTitle"], urlPath: input.folder.map { "\($0)/404.html" } ?? "404.html",
            translations: [:])
        meta.noindex = true
        return meta
    }

    static func outputPath(_ meta: PageMeta) -> String { meta.urlPath }

    static func context(_ input: Input, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any] {
        meta.fields = [
            "homes": f.config.languages.map { ["name": $0.name, "code": $0.code, "href": f.href("\($0.code)/")] },
            "isRoot": input.folder == nil,
        ]
        return [:]
    }
}

/// The site root: a list of languages; the browser script forwards returning visitors to the language
/// they chose before, or to the first of their browser languages the site has.
enum LanguageChooserPage: PageKind {
    static let template = "languages"

    static func inputs(_ r: PageRenderer) -> [LanguageInput] { [LanguageInput(language: r.site.config.defaultLanguage)] }

    static func meta(_ input: LanguageInput, _ f: PageContextFactory) -> PageMeta {
        let config = f.config
        var meta = PageMeta(kind: "languages", title: config.text(config.title, input.language), urlPath: "", translations: f.languageVersions { "\($0)/" })
        meta.isHome = true
        meta.xDefaultOverride = ""
        return meta
    }

    static func context(_ input: LanguageInput, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any] {
        let config = f.config
        meta.fields = [
            "languages": config.languages.map { l in
                [
                    "code": l.code, "name": l.name, "dir": l.direction.rawValue, "href": f.href("\(l.code)/"),
                    "title": config.text(config.title, l.code),
                ] as [String: Any]
            },
            "defaultHref": f.href("\(input.language)/"),
        ]
        return [:]
    }
}
