extension PageRenderer {
    func articleCard(_ index: Int, language: String) -> [String: Any] {
        let d = site.documents[index]
        return [
            "title": d.title, "href": factory.href(d.urlPath), "summary": d.frontMatter.summary ?? false,
            "updated": factory.date(d.frontMatter.updated, language),
        ]
    }

    func languageVersions(_ pathFor: (String) -> String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: site.config.languages.map { ($0.code, pathFor($0.code)) })
    }

    func featuredCards(_ landing: LandingFile?, language: String) -> [[String: Any]] {
        (landing?.featured ?? []).compactMap { featured in
            guard let target = LinkResolver.normalize([language] + featured.path.split(separator: "/").map(String.init)),
                let i = site.byPath[target]
            else { return nil }
            return articleCard(i, language: language)
        }
    }

    func highlights(_ landing: LandingFile?) -> [[String: Any]] {
        (landing?.highlights ?? []).map { ["title": $0.title, "text": $0.text] }
    }

    func writeHome(_ language: String) {
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
                "articles": category.articles.prefix(4).map { articleCard($0, language: language) },
            ]
        }
        var meta = PageMeta(
            kind: "home", title: landing?.title ?? config.text(config.title, language), urlPath: "\(language)/",
            description: landing?.subtitle, translations: languageVersions { "\($0)/" })
        meta.isHome = true
        meta.xDefaultOverride = ""
        meta.fields = [
            "subtitle": landing?.subtitle ?? config.description.map { config.text($0, language) } ?? false,
            "highlights": highlights(landing),
            "featured": featuredCards(landing, language: language),
            "segments": segments,
            "categories": categories,
        ]
        writePage(meta, language: language, template: "home")
    }

    func writeArticleIndex(_ language: String) {
        let t = factory.strings[language]!
        var meta = PageMeta(kind: "articles", title: t["allArticles"], urlPath: "\(language)/articles/", translations: languageVersions { "\($0)/articles/" })
        if unchangedSince(meta, language: language, inputs: []) { return }
        let categories: [[String: Any]] = (site.categories[language] ?? []).map { category in
            [
                "title": site.config.categoryTitle(category.id, language),
                "href": factory.href("\(language)/articles/\(category.id)/"),
                "articles": category.articles.map { articleCard($0, language: language) },
            ]
        }
        meta.fields = ["categories": categories]
        writePage(meta, language: language, template: "articles", reusable: false)
    }

    func writeCategory(_ language: String, _ category: (id: String, articles: [Int])) {
        let config = site.config
        let t = factory.strings[language]!
        let title = config.categoryTitle(category.id, language)
        let urlPath = "\(language)/articles/\(category.id)/"
        let versions = Dictionary(
            uniqueKeysWithValues: config.languages.compactMap { l in
                (site.categories[l.code] ?? []).contains { $0.id == category.id } ? (l.code, "\(l.code)/articles/\(category.id)/") : nil
            })
        var meta = PageMeta(
            kind: "category", title: title, urlPath: urlPath,
            description: config.category(category.id)?.description.map { config.text($0, language) },
            translations: versions, breadcrumbs: [(t["allArticles"], "\(language)/articles/")])
        if unchangedSince(meta, language: language, inputs: []) { return }
        meta.fields = [
            "articles": category.articles.map { articleCard($0, language: language) },
            "count": t.format("articleCount", ["n": t.number(category.articles.count)]),
        ]
        writePage(meta, language: language, template: "category", reusable: false)
    }

    func writeSearchPage(_ language: String) {
        let t = factory.strings[language]!
        var meta = PageMeta(kind: "search", title: t["search"], urlPath: "\(language)/search/", translations: languageVersions { "\($0)/search/" })
        meta.noindex = true
        meta.fields = [
            "segments": site.config.segments.map { ["id": $0.id, "title": site.config.text($0.title, language)] },
            "stages": site.config.stages.map { ["id": $0.id, "title": site.config.text($0.title, language)] },
        ]
        writePage(meta, language: language, template: "search")
    }

    /// `/404.html` (default language, linking every language) and `/<lang>/404.html` for hosts that
    /// can serve a 404 page per folder.
    func writeNotFound(_ language: String?) {
        let code = language ?? site.config.defaultLanguage
        let t = factory.strings[code]!
        var meta = PageMeta(kind: "404", title: t["notFoundTitle"], urlPath: language.map { "\($0)/404.html" } ?? "404.html", translations: [:])
        meta.noindex = true
        meta.fields = [
            "homes": site.config.languages.map { ["name": $0.name, "code": $0.code, "href": factory.href("\($0.code)/")] },
            "isRoot": language == nil,
        ]
        let html = templates.render("404", factory.context(language: code, page: meta))
        write(language.map { "\($0)/404.html" } ?? "404.html", html)
    }

    /// The site root: a list of languages; the browser script forwards returning visitors to the language
    /// they chose before, or to the first of their browser languages the site has.
    func writeLanguageChooser() {
        let config = site.config
        let code = config.defaultLanguage
        var meta = PageMeta(kind: "languages", title: config.text(config.title, code), urlPath: "", translations: languageVersions { "\($0)/" })
        meta.isHome = true
        meta.xDefaultOverride = ""
        meta.fields = [
            "languages": config.languages.map { l in
                [
                    "code": l.code, "name": l.name, "dir": l.direction.rawValue, "href": factory.href("\(l.code)/"),
                    "title": config.text(config.title, l.code),
                ] as [String: Any]
            },
            "defaultHref": factory.href("\(code)/"),
        ]
        writePage(meta, language: code, template: "languages")
    }
}
