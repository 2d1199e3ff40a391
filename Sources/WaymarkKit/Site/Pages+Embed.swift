extension PageContextFactory {
    /// Interface strings the embeddable widget (`embed.js`) shows, sent in each route.json in its
    /// language: the widget runs on another site's page, which has none of the help center's strings.
    static let embedStringKeys = [
        "routeTitle", "minutes", "hours", "hoursMinutes", "oneDay", "days", "progressItems", "progressSteps", "progressBoth", "timeLeft", "routeComplete",
        "stageComplete", "nextStageHint", "stepComplete", "nextStepHint", "routeFinished", "routeFinishedSummary", "routeFinishedTime", "stepDone",
        "embedOpenStep", "embedNewTab",
    ]

    /// What route.json adds to the route's data for the widget (docs/route-json.md): the language's
    /// direction, the widget's strings, and the analytics endpoint, so the widget sends the same beacon
    /// as the site's pages (never from the live preview, like the pages).
    func embedFields(_ language: String) -> [(String, JSON)] {
        let t = strings[language]!
        let strings = Self.embedStringKeys.map { ($0, JSON.string(t[$0])) } + [("digits", .string(String(t.digits)))]
        var fields: [(String, JSON)] = [
            ("direction", .string(config.language(language)!.direction.rawValue)),
            ("strings", .object(strings)),
        ]
        if !options.liveReload, let endpoint = config.analyticsEndpoint { fields.append(("analytics", .string(endpoint))) }
        return fields
    }
}
