/// Builds the dictionaries that Mustache templates render.
///
/// Templates get plain `[String: Any]` dictionaries rather than structs: swift-mustache reads structs
/// through `Mirror`, which measured 2–3× slower per page. Absent values are written as `false` rather than
/// left out, because Mustache looks a missing key up in the enclosing contexts and could find a
/// same-named value there.
///
/// It is also the site-wide half of every page's inputs (the other half is the page kind's `Input`): it
/// holds site.yml, the templates and their strings, the build options and the categories each language
/// has (the header lists them), and nothing of the pages themselves. `PageRenderer.siteKey` covers it.
struct PageContextFactory: Sendable {
    let config: SiteConfig
    let templates: TemplateSet
    let options: BuildOptions
    let baseURL: String
    let basePath: String
    /// Per language: the parts of every page's context that do not depend on the page.
    private let chrome: Chrome
    let strings: [String: Strings]

    init(config: SiteConfig, categories: [String: [(id: String, articles: [Int])]], templates: TemplateSet, options: BuildOptions) {
        self.config = config
        self.templates = templates
        self.options = options
        baseURL = options.baseURL(config)
        let path = options.basePath(config)
        basePath = path
        var strings: [String: Strings] = [:]
        var chrome: [String: [String: Any]] = [:]
        for language in config.languages {
            let t = templates.strings(for: language.code, defaultLanguage: config.defaultLanguage)
            strings[language.code] = t
            let code = language.code
            let categories: [[String: Any]] = (categories[code] ?? []).map { category in
                [
                    "title": config.categoryTitle(category.id, code),
                    "href": path + URLPath.encode("\(code)/articles/\(category.id)/"),
                ]
            }
            let segments: [[String: Any]] = config.segments.map { segment in
                [
                    "id": segment.id,
                    "title": config.text(segment.title, code),
                    "href": path + URLPath.encode("\(code)/segments/\(segment.id)/"),
                ]
            }
            // The preview never sends: a writer's clicks are not customers' onboarding.
            let analyticsEndpoint: Any = options.liveReload ? false : (config.analyticsEndpoint.map { $0 as Any } ?? false)
            chrome[code] = [
                "lang": code,
                "dir": language.direction.rawValue,
                "rtl": language.direction == .rtl,
                "t": t.table,
                "site": [
                    "title": config.text(config.title, code),
                    "description": config.description.map { config.text($0, code) } ?? false,
                    "home": path + URLPath.encode("\(code)/"),
                    "root": path,
                    "search": path + URLPath.encode("\(code)/search/"),
                    "searchIndex": path + "search/" + URLPath.encode(code) + "/",
                    "basePath": path,
                    "categories": categories,
                    "segments": segments,
                    "multilingual": config.languages.count > 1,
                    "feed": path + URLPath.encode("\(code)/feed.xml"),
                    "feedbackEndpoint": config.feedbackEndpoint ?? "",
                    "analyticsEndpoint": analyticsEndpoint,
                ] as [String: Any],
                "assets": [
                    "css": path + (templates.assets["style.css"] ?? "assets/style.css"),
                    "js": path + (templates.assets["waymark.js"] ?? "assets/waymark.js"),
                    "route": path + (templates.assets["route.js"] ?? "assets/route.js"),
                    "icon": templates.assets["icon.svg"].map { path + $0 } ?? false,
                ] as [String: Any],
                "liveReload": options.liveReload,
                "scriptStrings": JSON.object(Self.scriptStringKeys.map { ($0, JSON.string(t[$0])) } + [("digits", .string(String(t.digits)))])
                    .encoded(htmlSafe: true),
            ]
        }
        for (code, values) in chrome {
            var rendered: [String: String] = [:]
            for name in templates.cachedPartials {
                rendered[String(name.dropFirst("partials/cached/".count))] = templates.render(name, values)
            }
            chrome[code]!["cached"] = rendered
        }
        self.chrome = Chrome(values: chrome)
        self.strings = strings
    }

    /// Interface strings the route and checklist script needs, inlined in the pages that show progress
    /// (home, landing, route and step pages); the search strings travel in the search index's meta.json.
    static let scriptStringKeys = [
        "minutes", "hours", "hoursMinutes", "oneDay", "days", "progressItems", "progressSteps", "progressBoth", "timeLeft", "routeComplete", "stageComplete",
        "nextStageHint", "stepComplete", "nextStepHint", "routeFinished", "routeFinishedSummary", "routeFinishedTime", "routeFinishedNext",
        "routeDone", "continueAt", "reviewRoute", "continueYourRoute", "stepDone", "resetConfirm", "resetStageConfirm", "importDone", "importFailed",
        "analyticsOn", "analyticsOff",
        "analyticsRefused", "analyticsTurnOff", "analyticsTurnOn", "analyticsRenewed", "copyCode", "codeCopied",
    ]
    static let searchStringKeys = [
        "searchResults", "searchOneResult", "searchNoResults", "searchLoading", "searchSeeAll", "searchDidYouMean", "searchFeatured",
        "searchShowingResultsFor", "searchInsteadFor",
    ]

    func href(_ urlPath: String) -> String { basePath + URLPath.encode(urlPath) }

    /// The writer-facing "edit this page" URL of a content file, when site.yml sets `editURL`.
    func editURL(_ sourcePath: String) -> Any {
        guard let pattern = config.editURL else { return false }
        return pattern.replacingOccurrences(of: "{path}", with: URLPath.encode(sourcePath))
    }
    func absolute(_ urlPath: String) -> String { baseURL + URLPath.encode(urlPath) }

    /// A page's context: the language chrome plus `page`, `content` and anything page-specific.
    func context(language: String, page: PageMeta, extra: [String: Any] = [:]) -> [String: Any] {
        var context: [String: Any] = chrome.values[language] ?? chrome.values[config.defaultLanguage]!
        let t = strings[language]!
        let siteTitle = config.text(config.title, language)
        var pageDict: [String: Any] = [
            "title": page.title,
            "documentTitle": page.isHome ? siteTitle : "\(page.title) · \(siteTitle)",
            "description": page.description ?? config.description.map { config.text($0, language) } ?? false,
            "canonical": absolute(page.canonicalPath ?? page.urlPath),
            "url": href(page.urlPath),
            "noindex": page.noindex,
            "kind": page.kind,
            "scripted": ["home", "landing", "route", "step"].contains(page.kind),
        ]
        // hreflang alternates list every language version; x-default points at the default language's.
        let versions = page.translations.filter { !page.copies.contains($0.key) }.sorted { $0.key < $1.key }
        pageDict["alternates"] =
            versions.count > 1
            ? versions.map { ["hreflang": $0.key, "href": absolute($0.value)] as [String: Any] } : [[String: Any]]()
        pageDict["xDefault"] = versions.count > 1 ? xDefaultPath(page).map(absolute) ?? false : false
        pageDict["translations"] = config.languages.compactMap { l -> [String: Any]? in
            guard let path = page.translations[l.code] else { return nil }
            return ["code": l.code, "name": l.name, "href": href(path), "current": l.code == language, "dir": l.direction.rawValue]
        }
        pageDict["hasTranslations"] = page.translations.count > 1
        var crumbs: [[String: Any]] = [["title": t["home"], "href": href("\(language)/"), "last": false]]
        for crumb in page.breadcrumbs { crumbs.append(["title": crumb.title, "href": href(crumb.urlPath), "last": false]) }
        if !page.isHome { crumbs.append(["title": page.title, "href": false, "last": true]) }
        pageDict["breadcrumbs"] = page.isHome ? [[String: Any]]() : crumbs
        pageDict["breadcrumbsJSON"] =
            page.isHome
            ? false
            : JSONText.breadcrumbList(
                crumbs.enumerated().map { i, c in
                    (c["title"] as! String, i == crumbs.count - 1 ? absolute(page.urlPath) : baseURL + String((c["href"] as! String).dropFirst(basePath.count)))
                })
        for (k, v) in page.fields { pageDict[k] = v }
        context["page"] = pageDict
        for (k, v) in extra { context[k] = v }
        return context
    }

    /// Which version search engines should show readers whose language the site lacks.
    func xDefaultPath(_ page: PageMeta) -> String? {
        if let o = page.xDefaultOverride { return o }
        let d = config.defaultLanguage
        return page.copies.contains(d) ? nil : page.translations[d]
    }

    /// `updated` as the reader's language writes dates, plus the ISO form for `<time datetime>`.
    func date(_ day: Day?, _ language: String) -> Any {
        guard let day else { return false }
        return ["display": strings[language]!.date(day), "iso": day.iso]
    }

    /// A duration as readers say it: `45 min`, `2 h`, `2 h 5 min` (in their language and digits).
    func minutes(_ n: Int, _ language: String) -> String {
        strings[language]!.duration(minutes: n)
    }
}

/// The per-language parts of every context. Plain `[String: Any]` on purpose: templates look values up by
/// casting to `[String: Any]`, and a dictionary of `any Sendable` would be converted element by element on
/// every lookup. Built once, then only read, so sharing it across threads is safe.
final class Chrome: @unchecked Sendable {
    let values: [String: [String: Any]]
    init(values: [String: [String: Any]]) { self.values = values }
}

/// What every page tells the layout about itself.
struct PageMeta {
    var kind: String
    var title: String
    var urlPath: String
    var description: String?
    /// language code → URL path of each language version, this one included.
    var translations: [String: String]
    /// Ancestors between Home and this page.
    var breadcrumbs: [(title: String, urlPath: String)] = []
    var isHome = false
    var noindex = false
    /// Set when this page repeats another page's text (a fallback step): search engines index that one.
    var canonicalPath: String?
    /// Languages whose version is such a copy: offered to readers, not listed as hreflang alternates.
    var copies: Set<String> = []
    /// The `x-default` alternate when it is not the default language's version (home pages use the
    /// language chooser at the site root).
    var xDefaultOverride: String?
    /// For the sitemap's `<lastmod>`.
    var lastModified: Day?
    /// Page-specific values merged into `page`.
    var fields: [String: Any] = [:]
}
