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

    func writeRoute(_ route: Route) {
        let config = site.config
        let language = route.language
        let t = factory.strings[language]!
        let segment = config.segment(route.segment)!
        let segmentTitle = config.text(segment.title, language)
        let json = routeJSON(route)
        write(landingPath(language, route.segment) + "route.json", json.encoded(pretty: true) + "\n")
        let inline = json.encoded(htmlSafe: true)
        let routeHref = factory.href(routePath(language, route.segment))
        let landingCrumb = (segmentTitle, landingPath(language, route.segment))
        let routeTitle = t.format("routeTitle", ["segment": segmentTitle])

        // Overview page.
        let stages: [[String: Any]] = route.stages.map { stage in
            let s = config.stages[stage.stageIndex]
            return [
                "id": s.id,
                "title": config.text(s.title, language),
                "description": s.description.map { config.text($0, language) } ?? false,
                "time": factory.minutes(stage.steps.reduce(0) { $0 + route.steps[$1].duration }, language),
                "steps": stage.steps.map { i -> [String: Any] in
                    let step = route.steps[i]
                    let tasks = rendered[step.document].tasks.count
                    return [
                        "number": t.number(i + 1), "title": site.documents[step.document].title,
                        "href": factory.href(step.urlPath), "key": step.translationKey,
                        "time": factory.minutes(step.duration, language),
                        "items": tasks > 0 ? t.format("checklistItems", ["n": t.number(tasks)]) : false,
                        "fallback": step.isFallback,
                    ]
                },
            ]
        }
        var meta = PageMeta(
            kind: "route", title: routeTitle, urlPath: routePath(language, route.segment),
            description: segment.description.map { config.text($0, language) },
            translations: routeVersions(route.segment, path: routePath), breadcrumbs: [landingCrumb])
        meta.fields = [
            "segment": ["id": segment.id, "title": segmentTitle],
            "totalTime": factory.minutes(route.totalMinutes, language),
            "stepCount": t.format("stepCount", ["n": t.number(route.steps.count)]),
            "stages": stages,
            "startHref": factory.href(route.steps[0].urlPath),
            "routeJSON": inline,
            "jsonLD": StructuredData.howTo(
                name: routeTitle, description: segment.description.map { config.text($0, language) }, language: language,
                url: factory.absolute(routePath(language, route.segment)), totalMinutes: route.totalMinutes,
                steps: route.steps.map { (site.documents[$0.document].title, factory.absolute($0.urlPath)) }),
        ]
        writePage(meta, language: language, template: "route")

        // One page per step.
        for (n, step) in route.steps.enumerated() {
            writeStep(route, n, step, inline: inline, routeTitle: routeTitle, routeHref: routeHref, landingCrumb: landingCrumb)
        }
    }

    private func writeStep(_ route: Route, _ n: Int, _ step: Route.Step, inline: String, routeTitle: String, routeHref: String, landingCrumb: (String, String))
    {
        let config = site.config
        let language = route.language
        let t = factory.strings[language]!
        let d = site.documents[step.document]
        let r = rendered[step.document]
        let stage = config.stages[step.stageIndex]
        func neighbour(_ i: Int) -> Any {
            guard route.steps.indices.contains(i) else { return false }
            let other = route.steps[i]
            let crosses = other.stageIndex != step.stageIndex
            return [
                "title": site.documents[other.document].title, "href": factory.href(other.urlPath),
                "stage": crosses ? config.text(config.stages[other.stageIndex].title, language) : false,
            ] as [String: Any]
        }
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
        var meta = PageMeta(
            kind: "step", title: d.title, urlPath: step.urlPath, description: d.frontMatter.summary,
            translations: versions, breadcrumbs: [landingCrumb, (routeTitle, routePath(language, route.segment))])
        meta.copies = copies
        if step.isFallback { meta.canonicalPath = d.urlPath } else { meta.lastModified = d.frontMatter.updated }
        let sourceLanguage = config.language(d.language)!
        meta.fields = [
            "stage": ["id": stage.id, "title": config.text(stage.title, language)],
            "segment": ["id": route.segment, "title": config.text(config.segment(route.segment)!.title, language)],
            "stepOf": t.format("stepOf", ["n": t.number(n + 1), "total": t.number(route.steps.count)]),
            "stepKey": step.translationKey,
            "time": factory.minutes(step.duration, language),
            "prev": neighbour(n - 1),
            "next": neighbour(n + 1),
            "route": ["title": routeTitle, "href": routeHref],
            "hasChecklist": !r.tasks.isEmpty,
            "toc": tocContext(r.toc),
            "hasToc": r.toc.count >= 2,
            "routeJSON": inline,
            "fallback": step.isFallback
                ? ["notice": t.format("fallbackNotice", ["language": sourceLanguage.name]), "lang": d.language, "dir": sourceLanguage.direction.rawValue]
                    as [String: Any]
                : false,
            "updated": factory.date(d.frontMatter.updated, language),
            "editURL": factory.editURL(d.sourcePath),
            "feedback": true,
        ]
        writePage(meta, language: language, template: "step", extra: ["content": r.html])
    }

    func writeLanding(_ language: String, _ segmentID: String) {
        let config = site.config
        let t = factory.strings[language]!
        let segment = config.segment(segmentID)!
        let landing = site.landings[language]?[segmentID]
        if landing == nil, let original = site.landings[config.defaultLanguage]?[segmentID], language != config.defaultLanguage {
            diagnostics.report(
                .warning(
                    "missing-translation", "landing page has no \(language) translation; the \(language) page is generated from site.yml",
                    file: original.sourcePath))
        }
        let segmentTitle = config.text(segment.title, language)
        let route = site.routes.first { $0.language == language && $0.segment == segmentID }
        var groups: [[String: Any]] = []
        for category in site.categories[language] ?? [] {
            let relevant = category.articles.filter { site.documents[$0].frontMatter.segments?.contains(segmentID) ?? false }
            if relevant.isEmpty { continue }
            groups.append([
                "title": config.categoryTitle(category.id, language),
                "href": factory.href("\(language)/articles/\(category.id)/"),
                "articles": relevant.map { articleCard($0, language: language) },
            ])
        }
        var cta: Any = false
        if let route {
            cta =
                [
                    "text": landing?.cta?.text ?? false,
                    "label": landing?.cta?.label ?? t["startRoute"],
                    "startHref": factory.href(route.steps[0].urlPath),
                    "routeHref": factory.href(routePath(language, segmentID)),
                    "routeSummary": t.format("routeSummary", ["steps": t.number(route.steps.count), "time": factory.minutes(route.totalMinutes, language)]),
                    "routeJSON": routeJSON(route).encoded(htmlSafe: true),
                ] as [String: Any]
        }
        var meta = PageMeta(
            kind: "landing", title: landing?.title ?? segmentTitle, urlPath: landingPath(language, segmentID),
            description: landing?.subtitle ?? segment.description.map { config.text($0, language) },
            translations: languageVersions { landingPath($0, segmentID) })
        meta.fields = [
            "segment": ["id": segmentID, "title": segmentTitle],
            "subtitle": landing?.subtitle ?? segment.description.map { config.text($0, language) } ?? false,
            "highlights": highlights(landing),
            "featured": featuredCards(landing, language: language),
            "cta": cta,
            "articleGroups": groups,
        ]
        writePage(meta, language: language, template: "landing")
    }
}
