extension PageContextFactory {
    func routePath(_ language: String, _ segment: String) -> String { "\(language)/segments/\(segment)/route/" }
    func landingPath(_ language: String, _ segment: String) -> String { "\(language)/segments/\(segment)/" }
    func routeDocumentPath(_ language: String, _ segment: String) -> String { routePath(language, segment) + "all/" }

    /// The route as data: written as `route.json` for products that embed the route, and inlined in route,
    /// step and landing pages for the progress script. Ids are stable across languages (see `TaskRendering`).
    func routeJSON(_ route: RouteView) -> JSON {
        let language = route.language
        let steps: [JSON] = route.steps.enumerated().map { n, step in
            .object([
                ("id", .string(step.translationKey)),
                ("number", .int(n + 1)),
                ("title", .string(step.title)),
                ("url", .string(absolute(step.urlPath))),
                ("path", .string(href(step.urlPath))),
                ("stage", .string(config.stages[step.stageIndex].id)),
                ("minutes", .int(step.duration)),
                ("language", .string(step.textLanguage)),
                ("fallback", .bool(step.isFallback)),
                (
                    "checklist",
                    .array(
                        step.checklist.map { task in
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
            ("url", .string(absolute(routePath(language, route.segment)))),
            ("path", .string(href(routePath(language, route.segment)))),
            ("totalMinutes", .int(route.totalMinutes)),
            ("stages", .array(stages)),
            ("steps", .array(steps)),
        ])
    }

    /// Language versions of a route's pages: every language that has this segment's route.
    func routeVersions(_ route: RouteView, path: (String, String) -> String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: route.languages.map { ($0, path($0, route.segment)) })
    }

    /// What a route's overview and step pages share: its title, link and breadcrumb.
    func routeShared(_ route: RouteView) -> (title: String, href: String, landingCrumb: (String, String)) {
        let segmentTitle = config.text(config.segment(route.segment)!.title, route.language)
        let t = strings[route.language]!
        return (
            t.format("routeTitle", ["segment": segmentTitle]), href(routePath(route.language, route.segment)),
            (segmentTitle, landingPath(route.language, route.segment))
        )
    }

    /// A route's stages for a template, in the route's language: each stage's id, title, description and
    /// time, and its steps' number, title, link and time plus the fields `step` adds.
    func stagesContext(_ route: RouteView, step extra: (Int, RouteView.Step) -> [String: Any]) -> [[String: Any]] {
        let language = route.language
        let t = strings[language]!
        return route.stages.map { stage in
            let s = config.stages[stage.stageIndex]
            return [
                "id": s.id,
                "title": config.text(s.title, language),
                "description": s.description.map { config.text($0, language) } ?? false,
                "time": minutes(stage.steps.reduce(0) { $0 + route.steps[$1].duration }, language),
                "steps": stage.steps.map { i -> [String: Any] in
                    let step = route.steps[i]
                    let fields: [String: Any] = [
                        "number": t.number(i + 1), "title": step.title, "href": href(step.urlPath), "time": minutes(step.duration, language),
                    ]
                    return fields.merging(extra(i, step)) { _, own in own }
                },
            ]
        }
    }
}

extension PageRenderer {
    /// `route.json` of a route: the route as data for products that embed it (docs/route-json.md), with
    /// what the `embed.js` widget needs besides (`embedFields`).
    func writeRouteJSON(_ route: RouteView) {
        guard case .object(let fields) = factory.routeJSON(route) else { return }
        write(
            factory.landingPath(route.language, route.segment) + "route.json",
            JSON.object(fields + factory.embedFields(route.language)).encoded(pretty: true) + "\n")
    }
}

/// A segment's onboarding route in one language: every stage and step, `<lang>/segments/<s>/route/`.
enum RoutePage: PageKind {
    static let template = "route"

    struct Input: PageInput {
        var route: RouteView
        var language: String { route.language }
    }

    static func inputs(_ r: PageRenderer) -> [Input] { r.routeViews.map { Input(route: $0) } }

    static func meta(_ input: Input, _ f: PageContextFactory) -> PageMeta {
        let route = input.route
        let segment = f.config.segment(route.segment)!
        let shared = f.routeShared(route)
        return PageMeta(
            kind: "route", title: shared.title, urlPath: f.routePath(route.language, route.segment),
            description: segment.description.map { f.config.text($0, route.language) }, translations: f.routeVersions(route, path: f.routePath),
            breadcrumbs: [shared.landingCrumb])
    }

    static func context(_ input: Input, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any] {
        let config = f.config
        let route = input.route
        let language = route.language
        let t = f.strings[language]!
        let segment = config.segment(route.segment)!
        let title = f.routeShared(route).title
        let stages = f.stagesContext(route) { i, step in
            [
                "key": step.translationKey,
                "items": step.checklist.isEmpty ? false : t.format("checklistItems", ["n": t.number(step.checklist.count)]),
                "fallback": step.isFallback,
            ]
        }
        meta.fields = [
            "segment": ["id": segment.id, "title": config.text(segment.title, language)],
            "totalTime": f.minutes(route.totalMinutes, language),
            "stepCount": t.format("stepCount", ["n": t.number(route.steps.count)]),
            "stages": stages,
            "startHref": f.href(route.steps[0].urlPath),
            "allHref": f.href(f.routeDocumentPath(language, route.segment)),
            "routeJSON": f.routeJSON(route).encoded(htmlSafe: true),
            "jsonLD": StructuredData.howTo(
                name: title, description: segment.description.map { config.text($0, language) }, language: language,
                url: f.absolute(f.routePath(language, route.segment)), totalMinutes: route.totalMinutes,
                steps: route.steps.map { ($0.title, f.absolute($0.urlPath)) }),
        ]
        return [:]
    }
}

/// One step of a route, with previous/next across stages and the route's progress:
/// `<lang>/guides/<segment>/<step>/`. A step missing in a language is the default language's text.
enum StepPage: PageKind {
    static let template = "step"

    struct Input: PageInput {
        var route: RouteView
        var step: Int
        var rendering: Rendering
        var summary: String?
        var updated: Day?
        var sourcePath: String
        /// For a fallback copy: the URL path of the original it copies.
        var original: String?
        /// The same step in every route of the segment that has it, and which of those are copies.
        var versions: [String: String]
        var copies: Set<String>
        var language: String { route.language }
    }

    static func inputs(_ r: PageRenderer) -> [Input] { r.site.routes.indices.flatMap { inputs(r, route: $0) } }

    /// The steps of one route.
    static func inputs(_ r: PageRenderer, route n: Int) -> [Input] {
        let site = r.site
        let route = site.routes[n]
        return route.steps.indices.map { i in
            let step = route.steps[i]
            let d = site.documents[step.document]
            var versions: [String: String] = [:]
            var copies: Set<String> = []
            for other in site.routes where other.segment == route.segment {
                if let s = other.steps.first(where: { $0.translationKey == step.translationKey }) {
                    versions[other.language] = s.urlPath
                    if s.isFallback { copies.insert(other.language) }
                }
            }
            return Input(
                route: r.routeViews[n], step: i, rendering: Rendering(r.rendered[step.document]), summary: d.frontMatter.summary,
                updated: d.frontMatter.updated, sourcePath: d.sourcePath, original: step.isFallback ? d.urlPath : nil, versions: versions,
                copies: copies)
        }
    }

    static func meta(_ input: Input, _ f: PageContextFactory) -> PageMeta {
        let route = input.route
        let step = route.steps[input.step]
        let shared = f.routeShared(route)
        var meta = PageMeta(
            kind: "step", title: step.title, urlPath: step.urlPath, description: input.summary, translations: input.versions,
            breadcrumbs: [shared.landingCrumb, (shared.title, f.routePath(route.language, route.segment))])
        // Copies of the default text are not offered to search engines as alternates.
        meta.copies = input.copies
        if let original = input.original { meta.canonicalPath = original } else { meta.lastModified = input.updated }
        return meta
    }

    static func context(_ input: Input, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any] {
        let config = f.config
        let route = input.route
        let language = route.language
        let step = route.steps[input.step]
        let n = input.step
        let t = f.strings[language]!
        let rendered = input.rendering.value
        let stage = config.stages[step.stageIndex]
        let shared = f.routeShared(route)
        func neighbour(_ i: Int) -> Any {
            guard route.steps.indices.contains(i) else { return false }
            let other = route.steps[i]
            let crosses = other.stageIndex != step.stageIndex
            return [
                "title": other.title, "href": f.href(other.urlPath),
                "stage": crosses ? config.text(config.stages[other.stageIndex].title, language) : false,
            ] as [String: Any]
        }
        meta.fields = [
            "stage": ["id": stage.id, "title": config.text(stage.title, language)],
            "segment": ["id": route.segment, "title": config.text(config.segment(route.segment)!.title, language)],
            "stepOf": t.format("stepOf", ["n": t.number(n + 1), "total": t.number(route.steps.count)]),
            "stepKey": step.translationKey,
            "time": f.minutes(step.duration, language),
            "prev": neighbour(n - 1),
            "next": neighbour(n + 1),
            "route": ["title": shared.title, "href": shared.href],
            "hasChecklist": !rendered.tasks.isEmpty,
            "toc": f.tocContext(rendered.toc),
            "hasToc": rendered.toc.count >= 2,
            "routeJSON": f.routeJSON(route).encoded(htmlSafe: true),
            "fallback": step.isFallback ? f.fallbackNotice("fallbackNotice", text: step.textLanguage, page: language) : false,
            "updated": f.date(input.updated, language),
            "editURL": f.editURL(input.sourcePath),
            "feedback": true,
        ]
        return ["content": rendered.html]
    }
}

/// A segment's landing page: `<lang>/segments/<segment>/`, from `landing/<segment>.yml` (or site.yml).
enum LandingPage: PageKind {
    static let template = "landing"

    struct Input: PageInput {
        var language: String
        var segment: String
        var landing: LandingFile?
        var route: RouteView?
        var featured: [ArticleCard]
        /// Per category, the segment's articles that "Start here" does not feature.
        var groups: [CategoryCards]
    }

    static func inputs(_ r: PageRenderer) -> [Input] {
        let (site, config) = (r.site, r.site.config)
        return config.languages.flatMap { l in
            let language = l.code
            return config.segments.map { segment in
                let landing = site.landings[language]?[segment.id]
                if landing == nil, let original = site.landings[config.defaultLanguage]?[segment.id], language != config.defaultLanguage {
                    r.diagnostics.report(
                        .warning(
                            "missing-translation", "landing page has no \(language) translation; the \(language) page is generated from site.yml",
                            file: original.sourcePath))
                }
                // "Articles for you" lists what "Start here" does not: a featured article is shown once.
                let featured = r.featuredDocuments(landing, language: language)
                let shown = Set(featured)
                let groups: [CategoryCards] = (site.categories[language] ?? []).compactMap { category in
                    let relevant = category.articles.filter {
                        !shown.contains($0) && (site.documents[$0].frontMatter.segments?.contains(segment.id) ?? false)
                    }
                    return relevant.isEmpty ? nil : CategoryCards(id: category.id, count: relevant.count, cards: relevant.map { r.cards[$0] })
                }
                return Input(
                    language: language, segment: segment.id, landing: landing,
                    route: r.routeViews.first { $0.language == language && $0.segment == segment.id }, featured: featured.map { r.cards[$0] },
                    groups: groups)
            }
        }
    }

    static func meta(_ input: Input, _ f: PageContextFactory) -> PageMeta {
        let config = f.config
        let segment = config.segment(input.segment)!
        return PageMeta(
            kind: "landing", title: input.landing?.title ?? config.text(segment.title, input.language),
            urlPath: f.landingPath(input.language, input.segment),
            description: input.landing?.subtitle ?? segment.description.map { config.text($0, input.language) },
            translations: f.languageVersions { f.landingPath($0, input.segment) })
    }

    static func context(_ input: Input, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any] {
        let config = f.config
        let (language, segmentID, landing) = (input.language, input.segment, input.landing)
        let t = f.strings[language]!
        let segment = config.segment(segmentID)!
        var cta: Any = false
        if let route = input.route {
            cta =
                [
                    "text": landing?.cta?.text ?? false,
                    "label": landing?.cta?.label ?? t["startRoute"],
                    "startHref": f.href(route.steps[0].urlPath),
                    "routeHref": f.href(f.routePath(language, segmentID)),
                    "routeSummary": t.format("routeSummary", ["steps": t.number(route.steps.count), "time": f.minutes(route.totalMinutes, language)]),
                    "routeJSON": f.routeJSON(route).encoded(htmlSafe: true),
                ] as [String: Any]
        }
        meta.fields = [
            "segment": ["id": segmentID, "title": config.text(segment.title, language)],
            "subtitle": landing?.subtitle ?? segment.description.map { config.text($0, language) } ?? false,
            "highlights": f.highlights(landing),
            "featured": input.featured.map { f.card($0, language: language) },
            "cta": cta,
            "articleGroups": input.groups.map { group in
                [
                    "title": config.categoryTitle(group.id, language),
                    "href": f.href("\(language)/articles/\(group.id)/"),
                    "articles": group.cards.map { f.card($0, language: language) },
                ] as [String: Any]
            },
        ]
        return [:]
    }
}

/// A route as one document, `<lang>/segments/<s>/route/all/`: every step's text in order under its stage,
/// checklists as boxes, the total time; for reading offline, printing and saving as PDF.
enum RouteDocumentPage: PageKind {
    static let template = "route-all"

    struct Input: PageInput {
        var route: RouteView
        /// Each step's rendering, in route order.
        var bodies: [Rendering]
        var language: String { route.language }
    }

    static func inputs(_ r: PageRenderer) -> [Input] {
        zip(r.site.routes, r.routeViews).map { route, view in Input(route: view, bodies: route.steps.map { Rendering(r.rendered[$0.document]) }) }
    }

    static func meta(_ input: Input, _ f: PageContextFactory) -> PageMeta {
        let route = input.route
        let shared = f.routeShared(route)
        let t = f.strings[route.language]!
        var meta = PageMeta(
            kind: "route-all", title: t.format("routeAllTitle", ["route": shared.landingCrumb.0]),
            urlPath: f.routeDocumentPath(route.language, route.segment),
            description: f.config.segment(route.segment)!.description.map { f.config.text($0, route.language) },
            translations: f.routeVersions(route, path: f.routeDocumentPath),
            breadcrumbs: [shared.landingCrumb, (shared.title, f.routePath(route.language, route.segment))])
        // The steps' own pages are what search engines should send readers to.
        meta.noindex = true
        return meta
    }

    static func context(_ input: Input, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any] {
        let config = f.config
        let route = input.route
        let language = route.language
        let t = f.strings[language]!
        let stages = f.stagesContext(route) { i, step in
            [
                "anchor": "step-\(i + 1)",
                "content": RouteDocumentPage.scoped(input.bodies[i].value.html, prefix: "s\(i + 1)-"),
                "fallback": step.isFallback ? f.fallbackNotice("fallbackNotice", text: step.textLanguage, page: language) : false,
            ]
        }
        meta.fields = [
            "segment": ["id": route.segment, "title": config.text(config.segment(route.segment)!.title, language)],
            "totalTime": f.minutes(route.totalMinutes, language),
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
enum RedirectPage: PageKind {
    static let template = "redirect"

    /// The route folders' redirects, and the aliases that `writeAliases` accepted once the rest of the
    /// site was written.
    static func inputs(_ r: PageRenderer) -> [Redirect] { routeFolders(r) + r.acceptedAliases }

    static func routeFolders(_ r: PageRenderer) -> [Redirect] {
        r.routeViews.map { route in
            Redirect(
                from: "\(route.language)/guides/\(route.segment)/", to: r.factory.routePath(route.language, route.segment),
                title: r.factory.routeShared(route).title, language: route.language)
        }
    }

    static func meta(_ input: Redirect, _ f: PageContextFactory) -> PageMeta {
        var meta = PageMeta(kind: "redirect", title: input.title, urlPath: input.from, translations: [:])
        meta.noindex = true
        meta.canonicalPath = input.to
        return meta
    }

    static func context(_ input: Redirect, _ f: PageContextFactory, _ meta: inout PageMeta) -> [String: Any] {
        meta.fields = ["target": f.href(input.to), "moved": f.strings[input.language]!.format("movedTo", ["title": input.title])]
        return [:]
    }

    static func outputPath(_ meta: PageMeta) -> String { OutputPaths.file(meta.urlPath) }
}

/// One redirect: from an old URL path to a page's.
struct Redirect: PageInput {
    var from: String
    var to: String
    var title: String
    var language: String
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
        var accepted: [Redirect] = []
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
            accepted.append(Redirect(from: alias.from, to: d.urlPath, title: d.title, language: d.language))
        }
        acceptedAliases = accepted
        _ = accepted.concurrentMap { redirect -> Bool in
            self.write(RedirectPage.self, redirect)
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
        let pairs = RedirectPage.inputs(self).map { ($0.from, $0.to) }
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
