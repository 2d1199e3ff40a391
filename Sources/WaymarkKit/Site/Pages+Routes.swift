extension PageRenderer {
    func routePath(_ language: String, _ segment: String) -> String { "\(language)/segments/\(segment)/route/" }
    func landingPath(_ language: String, _ segment: String) -> String { "\(language)/segments/\(segment)/" }

    /// The route as data: written as `route.json` for products that embed the route, and inlined in route
    /// and step pages for the progress script. Ids are stable across languages (see `TaskRendering`).
    func routeJSON(_ route: Route) -> JSON {
        let config = site.config
        let language = route.language
        let steps: [JSON] = route.steps.enumerated().map { n, step in
            let d = site.documents[step.document]
            let tasks = rendered[step.document].tasks
            return .object([
                ("id", .string(step.translationKey)),
                ("number", .int(n + 1)),
                ("title", .string(d.title)),
                ("url", .string(factory.absolute(step.urlPath))),
                ("path", .string(factory.href(step.urlPath))),
                ("stage", .string(config.stages[step.stageIndex].id)),
                ("minutes", .int(step.duration)),
                ("language", .string(d.language)),
                ("fallback", .bool(step.isFallback)),
                (
                    "checklist",
                    .array(
                        tasks.map { task in
                            .object([("id", .string(step.translationKey + "#" + task.key)), ("key", .string(task.key)), ("text", .string(task.text))])
                        })
                ),
            ])
        }
        let stages: [JSON] = route.stages.map { stage in
            let s = config.stages[stage.stageIndex]
            return .object([
                ("id", .string(s.id)),
                ("title", .string(config.text(s.title, language))),
                ("minutes", .int(stage.steps.reduce(0) { $0 + route.steps[$1].duration })),
                ("steps", .array(stage.steps.map { .int($0 + 1) })),
            ])
        }
        let segment = config.segment(route.segment)!
        return .object([
            ("version", .int(1)),
            ("language", .string(language)),
            ("segment", .object([("id", .string(segment.id)), ("title", .string(config.text(segment.title, language)))])),
            ("url", .string(factory.absolute(routePath(language, route.segment)))),
            ("path", .string(factory.href(routePath(language, route.segment)))),
            ("totalMinutes", .int(route.totalMinutes)),
            ("stages", .array(stages)),
            ("steps", .array(steps)),
        ])
    }

    /// Language versions of a route page: every language that has this segment's route.
    func routeVersions(_ segment: String, path: (String, String) -> String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: site.routes.filter { $0.segment == segment }.map { ($0.language, path($0.language, segment)) })
    }

    /// A route's stages for a template, in the route's language: each stage's id, title, description and
    /// time, and its steps' number, title, link and time plus the fields `step` adds.
    func stagesContext(_ route: Route, step extra: (Int, Route.Step) -> [String: Any]) -> [[String: Any]] {
        let config = site.config
        let language = route.language
        let t = factory.strings[language]!
        return route.stages.map { stage in
            let s = config.stages[stage.stageIndex]
            return [
                "id": s.id,
                "title": config.text(s.title, language),
                "description": s.description.map { config.text($0, language) } ?? false,
                "time": factory.minutes(stage.steps.reduce(0) { $0 + route.steps[$1].duration }, language),
                "steps": stage.steps.map { i -> [String: Any] in
                    let step = route.steps[i]
                    let fields: [String: Any] = [
                        "number": t.number(i + 1), "title": site.documents[step.document].title, "href": factory.href(step.urlPath),
                        "time": factory.minutes(step.duration, language),
                    ]
                    return fields.merging(extra(i, step)) { _, own in own }
                },
            ]
        }
    }

    /// The notice of a page shown in `page`'s language but written in `text`'s (a step or article not
    /// translated yet), with the language and direction of its text; the template's `fallback` value.
    func fallbackNotice(_ key: String, text: String, page: String) -> [String: Any] {
        let source = site.config.language(text)!
        return ["notice": factory.strings[page]!.format(key, ["language": source.name]), "lang": source.code, "dir": source.direction.rawValue]
    }

    /// `route.json` of a route: the route as data for products that embed it (docs/route-json.md), with
    /// what the `embed.js` widget needs besides (`embedFields`).
    func writeRouteJSON(_ route: Route) {
        guard case .object(let fields) = routeJSON(route) else { return }
        write(landingPath(route.language, route.segment) + "route.json", JSON.object(fields + embedFields(route)).encoded(pretty: true) + "\n")
    }

    /// What a route's overview and step pages share: its title, link, breadcrumb and inline data.
    func routeShared(_ route: Route) -> (title: String, href: String, landingCrumb: (String, String), inline: String) {
        let segmentTitle = site.config.text(site.config.segment(route.segment)!.title, route.language)
        let t = factory.strings[route.language]!
        return (
            t.format("routeTitle", ["segment": segmentTitle]), factory.href(routePath(route.language, route.segment)),
            (segmentTitle, landingPath(route.language, route.segment)), routeJSON(route).encoded(htmlSafe: true)
        )
    }
}

/// A segment's onboarding route in one language: every stage and step, `<lang>/segments/<s>/route/`.
struct RoutePage: PageKind {
    static let template = "route"
    var route: Int
    var language: String

    static func all(_ r: PageRenderer) -> [RoutePage] { r.site.routes.indices.map { RoutePage(route: $0, language: r.site.routes[$0].language) } }

    func meta(_ r: PageRenderer) -> PageMeta {
        let route = r.site.routes[self.route]
        let segment = r.site.config.segment(route.segment)!
        return PageMeta(
            kind: "route", title: r.routeShared(route).title, urlPath: r.routePath(language, route.segment),
            description: segment.description.map { r.site.config.text($0, language) },
            translations: r.routeVersions(route.segment, path: r.routePath), breadcrumbs: [r.routeShared(route).landingCrumb])
    }

    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any] {
        let (site, factory) = (r.site, r.factory)
        let config = site.config
        let route = site.routes[self.route]
        let t = factory.strings[language]!
        let segment = config.segment(route.segment)!
        let shared = r.routeShared(route)
        let stages = r.stagesContext(route) { i, step in
            let tasks = r.rendered[step.document].tasks.count
            return [
                "key": step.translationKey,
                "items": tasks > 0 ? t.format("checklistItems", ["n": t.number(tasks)]) : false,
                "fallback": step.isFallback,
            ]
        }
        meta.fields = [
            "segment": ["id": segment.id, "title": config.text(segment.title, language)],
            "totalTime": factory.minutes(route.totalMinutes, language),
            "stepCount": t.format("stepCount", ["n": t.number(route.steps.count)]),
            "stages": stages,
            "startHref": factory.href(route.steps[0].urlPath),
            "allHref": factory.href(RouteDocumentPage.path(r, language, route.segment)),
            "routeJSON": shared.inline,
            "jsonLD": StructuredData.howTo(
                name: shared.title, description: segment.description.map { config.text($0, language) }, language: language,
                url: factory.absolute(r.routePath(language, route.segment)), totalMinutes: route.totalMinutes,
                steps: route.steps.map { (site.documents[$0.document].title, factory.absolute($0.urlPath)) }),
        ]
        return [:]
    }
}

/// One step of a route, with previous/next across stages and the route's progress:
/// `<lang>/guides/<segment>/<step>/`. A step missing in a language is the default language's text.
struct StepPage: PageKind {
    static let template = "step"
    var route: Int
    var step: Int
    var language: String

    static func all(_ r: PageRenderer) -> [StepPage] {
        r.site.routes.indices.flatMap { n in r.site.routes[n].steps.indices.map { StepPage(route: n, step: $0, language: r.site.routes[n].language) } }
    }

    func meta(_ r: PageRenderer) -> PageMeta {
        let site = r.site
        let route = site.routes[self.route]
        let step = route.steps[self.step]
        let d = site.documents[step.document]
        // Language versions: the same step in every route that has it; copies of the default text are
        // not offered to search engines as alternates.
        var versions: [String: String] = [:]
        var copies: Set<String> = []
        for other in site.routes where other.segment == route.segment {
            if let s = other.steps.first(where: { $0.translationKey == step.translationKey }) {
                versions[other.language] = s.urlPath
                if s.isFallback { copies.insert(other.language) }
            }
        }
        let shared = r.routeShared(route)
        var meta = PageMeta(
            kind: "step", title: d.title, urlPath: step.urlPath, description: d.frontMatter.summary,
            translations: versions, breadcrumbs: [shared.landingCrumb, (shared.title, r.routePath(language, route.segment))])
        meta.copies = copies
        if step.isFallback { meta.canonicalPath = d.urlPath } else { meta.lastModified = d.frontMatter.updated }
        return meta
    }

    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any] {
        let (site, factory) = (r.site, r.factory)
        let config = site.config
        let route = site.routes[self.route]
        let step = route.steps[self.step]
        let n = self.step
        let t = factory.strings[language]!
        let d = site.documents[step.document]
        let rendered = r.rendered[step.document]
        let stage = config.stages[step.stageIndex]
        let shared = r.routeShared(route)
        func neighbour(_ i: Int) -> Any {
            guard route.steps.indices.contains(i) else { return false }
            let other = route.steps[i]
            let crosses = other.stageIndex != step.stageIndex
            return [
                "title": site.documents[other.document].title, "href": factory.href(other.urlPath),
                "stage": crosses ? config.text(config.stages[other.stageIndex].title, language) : false,
            ] as [String: Any]
        }
        meta.fields = [
            "stage": ["id": stage.id, "title": config.text(stage.title, language)],
            "segment": ["id": route.segment, "title": config.text(config.segment(route.segment)!.title, language)],
            "stepOf": t.format("stepOf", ["n": t.number(n + 1), "total": t.number(route.steps.count)]),
            "stepKey": step.translationKey,
            "time": factory.minutes(step.duration, language),
            "prev": neighbour(n - 1),
            "next": neighbour(n + 1),
            "route": ["title": shared.title, "href": shared.href],
            "hasChecklist": !rendered.tasks.isEmpty,
            "toc": r.tocContext(rendered.toc),
            "hasToc": rendered.toc.count >= 2,
            "routeJSON": shared.inline,
            "fallback": step.isFallback ? r.fallbackNotice("fallbackNotice", text: d.language, page: language) : false,
            "updated": factory.date(d.frontMatter.updated, language),
            "editURL": factory.editURL(d.sourcePath),
            "feedback": true,
        ]
        return ["content": rendered.html]
    }
}
/// A segment's landing page: `<lang>/segments/<segment>/`, from `landing/<segment>.yml` (or site.yml).
struct LandingPage: PageKind {
    static let template = "landing"
    var language: String
    var segment: String

    static func all(_ r: PageRenderer) -> [LandingPage] {
        r.site.config.languages.flatMap { l in r.site.config.segments.map { LandingPage(language: l.code, segment: $0.id) } }
    }

    func meta(_ r: PageRenderer) -> PageMeta {
        let config = r.site.config
        let segment = config.segment(self.segment)!
        let landing = r.site.landings[language]?[self.segment]
        return PageMeta(
            kind: "landing", title: landing?.title ?? config.text(segment.title, language), urlPath: r.landingPath(language, self.segment),
            description: landing?.subtitle ?? segment.description.map { config.text($0, language) },
            translations: r.languageVersions { r.landingPath($0, self.segment) })
    }

    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any] {
        let (site, factory, segmentID) = (r.site, r.factory, self.segment)
        let config = site.config
        let t = factory.strings[language]!
        let segment = config.segment(segmentID)!
        let landing = site.landings[language]?[segmentID]
        if landing == nil, let original = site.landings[config.defaultLanguage]?[segmentID], language != config.defaultLanguage {
            r.diagnostics.report(
                .warning(
                    "missing-translation", "landing page has no \(language) translation; the \(language) page is generated from site.yml",
                    file: original.sourcePath))
        }
        let segmentTitle = config.text(segment.title, language)
        let route = site.routes.first { $0.language == language && $0.segment == segmentID }
        // "Articles for you" lists what "Start here" does not: a featured article is shown once.
        let featured = r.featuredDocuments(landing, language: language)
        let shown = Set(featured)
        var groups: [[String: Any]] = []
        for category in site.categories[language] ?? [] {
            let relevant = category.articles.filter {
                !shown.contains($0) && (site.documents[$0].frontMatter.segments?.contains(segmentID) ?? false)
            }
            if relevant.isEmpty { continue }
            groups.append([
                "title": config.categoryTitle(category.id, language),
                "href": factory.href("\(language)/articles/\(category.id)/"),
                "articles": relevant.map { r.articleCard($0, language: language) },
            ])
        }
        var cta: Any = false
        if let route {
            cta =
                [
                    "text": landing?.cta?.text ?? false,
                    "label": landing?.cta?.label ?? t["startRoute"],
                    "startHref": factory.href(route.steps[0].urlPath),
                    "routeHref": factory.href(r.routePath(language, segmentID)),
                    "routeSummary": t.format("routeSummary", ["steps": t.number(route.steps.count), "time": factory.minutes(route.totalMinutes, language)]),
                    "routeJSON": r.routeJSON(route).encoded(htmlSafe: true),
                ] as [String: Any]
        }
        meta.fields = [
            "segment": ["id": segmentID, "title": segmentTitle],
            "subtitle": landing?.subtitle ?? segment.description.map { config.text($0, language) } ?? false,
            "highlights": r.highlights(landing),
            "featured": featured.map { r.articleCard($0, language: language) },
            "cta": cta,
            "articleGroups": groups,
        ]
        return [:]
    }
}

/// A route as one document, `<lang>/segments/<s>/route/all/`: every step's text in order under its stage,
/// checklists as boxes, the total time; for reading offline, printing and saving as PDF.
struct RouteDocumentPage: PageKind {
    static let template = "route-all"
    var route: Int
    var language: String

    static func all(_ r: PageRenderer) -> [RouteDocumentPage] {
        r.site.routes.indices.map { RouteDocumentPage(route: $0, language: r.site.routes[$0].language) }
    }

    static func path(_ r: PageRenderer, _ language: String, _ segment: String) -> String { r.routePath(language, segment) + "all/" }

    func meta(_ r: PageRenderer) -> PageMeta {
        let route = r.site.routes[self.route]
        let shared = r.routeShared(route)
        let t = r.factory.strings[language]!
        var meta = PageMeta(
            kind: "route-all", title: t.format("routeAllTitle", ["route": shared.landingCrumb.0]), urlPath: Self.path(r, language, route.segment),
            description: r.site.config.segment(route.segment)!.description.map { r.site.config.text($0, language) },
            translations: r.routeVersions(route.segment) { Self.path(r, $0, $1) },
            breadcrumbs: [shared.landingCrumb, (shared.title, r.routePath(language, route.segment))])
        // The steps' own pages are what search engines should send readers to.
        meta.noindex = true
        return meta
    }

    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any] {
        let (site, factory) = (r.site, r.factory)
        let config = site.config
        let route = site.routes[self.route]
        let t = factory.strings[language]!
        let stages = r.stagesContext(route) { i, step in
            [
                "anchor": "step-\(i + 1)",
                "content": RouteDocumentPage.scoped(r.rendered[step.document].html, prefix: "s\(i + 1)-"),
                "fallback": step.isFallback ? r.fallbackNotice("fallbackNotice", text: site.documents[step.document].language, page: language) : false,
            ]
        }
        meta.fields = [
            "segment": ["id": route.segment, "title": config.text(config.segment(route.segment)!.title, language)],
            "totalTime": factory.minutes(route.totalMinutes, language),
            "stepCount": t.format("stepCount", ["n": t.number(route.steps.count)]),
            "stages": stages,
        ]
        return [:]
    }

    /// A step's HTML made to live beside the others on one page: its ids (headings, footnotes) and the
    /// links to them get `prefix`, and its headings go two levels down, under the stage (h2) and step
    /// (h3) headings. Content cannot forge these patterns: quotes and angle brackets in text are escaped,
    /// and raw HTML passes only when the site trusts every writer (`unsafeHTML`).
    static func scoped(_ html: String, prefix: String) -> String {
        // Two passes: a heading's `<h2 ` and its ` id="` share the space.
        let scoped = html.replacingBytes([(of: " id=\"", with: " id=\"" + prefix), (of: " href=\"#", with: " href=\"#" + prefix)])
        var headings: [(of: String, with: String)] = []
        for level in 1...5 {
            let lower = min(level + 2, 6)
            headings += [("<h\(level) ", "<h\(lower) "), ("<h\(level)>", "<h\(lower)>"), ("</h\(level)>", "</h\(lower)>")]
        }
        return scoped.replacingBytes(headings)
    }
}

/// A page that sends readers on to another: an old address of a page (front matter `aliases`) and the
/// folder of a route's steps, `<lang>/guides/<segment>/`, which leads to the route page instead of a 404
/// or a server's directory listing. Redirect pages work on any static host; servers that can answer
/// with a real 301 use the redirect maps (`writeRedirectMaps`), made from the same list.
struct RedirectPage: PageKind {
    static let template = "redirect"
    var from: String
    var to: String
    var title: String
    var language: String

    /// The route folders' redirects, and the aliases that `writeAliases` accepted once the rest of the
    /// site was written.
    static func all(_ r: PageRenderer) -> [RedirectPage] { routeFolders(r) + r.acceptedAliases }

    static func routeFolders(_ r: PageRenderer) -> [RedirectPage] {
        r.site.routes.map { route in
            RedirectPage(
                from: "\(route.language)/guides/\(route.segment)/", to: r.routePath(route.language, route.segment), title: r.routeShared(route).title,
                language: route.language)
        }
    }

    func meta(_ r: PageRenderer) -> PageMeta {
        var meta = PageMeta(kind: "redirect", title: title, urlPath: from, translations: [:])
        meta.noindex = true
        meta.canonicalPath = to
        return meta
    }

    func context(_ r: PageRenderer, _ meta: inout PageMeta) -> [String: Any] {
        meta.fields = ["target": r.factory.href(to), "moved": r.factory.strings[language]!.format("movedTo", ["title": title])]
        return [:]
    }

    func outputPath(_ meta: PageMeta) -> String { OutputPaths.file(from) }
}

extension PageRenderer {
    /// The longest address nginx's map holds with `map_hash_bucket_size 512` (docs/nginx/waymark.conf):
    /// a key takes its length plus 2, rounded up to 8, plus two pointers, in one bucket.
    static let longestMapKey = 494

    /// Checks every alias against everything else the build wrote (`written`: pages, route folders,
    /// assets, search and index files, feeds, sitemaps) and against the aliases before it, reporting a
    /// located error at each alias that would take or break a published path; writes the redirect pages
    /// of the rest, then the redirect maps. Runs after every other file is written, so the check sees
    /// the whole output.
    func writeAliases(besides written: [String]) {
        let redirects = Dictionary(RedirectPage.routeFolders(self).map { (OutputPaths.file($0.from), OutputPaths.Claimant.routeFolder) }) { a, _ in a }
        var paths = OutputPaths(files: written, redirects: redirects)
        let base = URLPath.decode(factory.basePath) ?? factory.basePath
        var accepted: [RedirectPage] = []
        for alias in site.aliases {
            let d = site.documents[alias.to]
            let display = "/" + alias.from
            let length = (base + alias.from).utf8.count
            if length > Self.longestMapKey {
                let problem =
                    "is \(length) bytes long as an address (with the base path \(base)); nginx's redirect map holds at most \(Self.longestMapKey) (map_hash_bucket_size 512 in docs/nginx/waymark.conf)"
                diagnostics.report(.error("invalid-alias", "alias \(display) \(problem)", file: d.sourcePath, at: alias.at))
                continue
            }
            if let problem = paths.claim(alias.from, by: .alias(file: d.sourcePath)) {
                diagnostics.report(.error("alias-conflict", "alias \(display) \(problem)", file: d.sourcePath, at: alias.at))
                continue
            }
            accepted.append(RedirectPage(from: alias.from, to: d.urlPath, title: d.title, language: d.language))
        }
        acceptedAliases = accepted
        _ = accepted.concurrentMap { page -> Bool in
            self.write(page)
            return true
        }
        writeRedirectMaps()
    }

    /// The redirect pages' old and new paths as maps servers read: `_redirects` (Netlify, Cloudflare
    /// Pages: `from to 301`, paths percent-encoded as their rules compare them, which also keeps a path's
    /// spaces from splitting the line) and `redirects.map` for nginx's `map $uri` (docs/nginx/waymark.conf),
    /// whose keys are decoded as nginx compares `$uri` (spaces, any script), quoted for its configuration
    /// syntax. Paths include the base path; a folder alias also matches without its final slash.
    func writeRedirectMaps() {
        let pairs = RedirectPage.all(self).map { ($0.from, $0.to) }
        let base = URLPath.decode(factory.basePath) ?? factory.basePath
        var netlify = ""
        var nginx = "# Generated by waymark: old URL -> new URL, for `map $uri $waymark_redirect { include …/redirects.map; }`.\n"
        for (from, to) in pairs.sorted(by: { $0.0 < $1.0 }) {
            let target = factory.href(to)
            // In a map's value `$` starts a variable; a path's `$` (from the base path) is sent as `%24`.
            let value = Self.nginxString(target.replacingOccurrences(of: "$", with: "%24"))
            for source in from.hasSuffix("/") ? [from, String(from.dropLast())] : [from] {
                netlify += "\(factory.href(source)) \(target) 301\n"
                nginx += "\(Self.nginxString(base + source)) \(value);\n"
            }
        }
        write("_redirects", netlify)
        write("redirects.map", nginx)
    }

    /// `s` as a double-quoted string of nginx's configuration syntax: inside quotes `;`, `{`, `#`, `$`
    /// (in a map's keys) and spaces are plain text, and only `\` and `"` need a backslash.
    static func nginxString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
