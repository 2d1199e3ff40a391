/// What the onboarding metrics need to know about the site: every route (segment × language) with its
/// stages, steps and checklist items in route order, and the title of every published page. Taken from
/// the build's model by `HealthData.compute`, so events are read against the content as it is now.
public struct OnboardingOutline: Sendable {
    public struct Route: Sendable {
        public var segment: String
        public var segmentTitle: String
        public var language: String
        /// Whether the language is written right to left: its titles are drawn as RTL text in the charts.
        public var rightToLeft: Bool
        /// The stages that have steps in this route, in site.yml order.
        public var stages: [Stage]
        public var steps: [Step]
        /// Index into `stages` of the "first value" stage: the stage `first-value`, else the route's second
        /// stage (nil for a route with one stage).
        public var firstValueStage: Int?
    }

    public struct Stage: Sendable {
        public var id: String
        public var title: String
    }

    public struct Step: Sendable {
        /// The guide's translation key, the step id in events (the same in every language).
        public var key: String
        public var title: String
        /// Index into the route's `stages`.
        public var stage: Int
        public var items: [Item]
    }

    public struct Item: Sendable {
        /// `<step>#<key>`, the checklist item id in events.
        public var id: String
        public var text: String
    }

    public var routes: [Route] = []
    /// The site's language codes: events in another language are counted as unknown content.
    public var languages: [String] = []
    /// Published pages by the URL path a browser reports (base path included, such as
    /// `/docs/en/articles/billing/refunds/`): their titles.
    public var pageTitles: [String: String] = [:]
}

extension OnboardingOutline {
    /// The outline of a built site, from its routes and the checklist items of their guides' renderings.
    static func of(_ site: SiteIndex, rendered: [RenderedDocument]) -> OnboardingOutline {
        let config = site.config
        let base = config.basePath
        var outline = OnboardingOutline()
        outline.languages = config.languages.map(\.code)
        for d in site.documents { outline.pageTitles[base + d.urlPath] = d.title }
        for route in site.routes {
            var stages: [Stage] = []
            var stageOf: [Int: Int] = [:]
            for (stageIndex, _) in route.stages {
                stageOf[stageIndex] = stages.count
                let stage = config.stages[stageIndex]
                stages.append(Stage(id: stage.id, title: config.text(stage.title, route.language)))
            }
            let steps = route.steps.map { step in
                let d = site.documents[step.document]
                outline.pageTitles[base + step.urlPath] = d.title
                let tasks = step.document < rendered.count ? rendered[step.document].tasks : []
                return Step(
                    key: step.translationKey, title: d.title, stage: stageOf[step.stageIndex]!,
                    items: tasks.map { Item(id: step.translationKey + "#" + $0.key, text: $0.text) })
            }
            let firstValue = stages.firstIndex { $0.id == "first-value" } ?? (stages.count > 1 ? 1 : nil)
            outline.routes.append(
                Route(
                    segment: route.segment, segmentTitle: config.segment(route.segment).map { config.text($0.title, route.language) } ?? route.segment,
                    language: route.language, rightToLeft: config.language(route.language)?.direction == .rtl, stages: stages, steps: steps,
                    firstValueStage: firstValue))
        }
        return outline
    }
}
