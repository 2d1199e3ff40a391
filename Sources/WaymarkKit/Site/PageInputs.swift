/// Values that several page kinds' inputs share. They are computed once per build from the site model
/// (`PageRenderer.init`), so a listing of a thousand articles copies cards rather than rebuilding them.

/// What a listing shows of a page: its title, link, summary and date.
struct ArticleCard: Hashable, Sendable {
    @Exact var title: String
    @Exact var urlPath: String
    @Exact var summary: String?
    var updated: Day?
}

/// A link to another page by its title.
struct PageLink: Hashable, Sendable {
    @Exact var title: String
    @Exact var urlPath: String
}

/// A category of a language with its articles' cards, in order.
struct CategoryCards: Hashable, Sendable {
    var id: String
    var count: Int
    var cards: [ArticleCard]
}

/// A document's Markdown rendering inside a page's input, stood for by the Markdown stage's key (which
/// covers everything the rendering holds: HTML, headings, checklist).
typealias Rendering = Keyed<RenderedDocument>

extension Keyed<RenderedDocument> {
    init(_ rendered: RenderedDocument) { self.init(key: rendered.key, value: rendered) }
}

/// A route as its pages show it: the route, step, landing and whole-route pages and `route.json` all read
/// this one value.
struct RouteView: Hashable, Sendable {
    var language: String
    var segment: String
    var steps: [Step]
    /// The languages that have a route for this segment (the pages' language versions).
    var languages: [String]

    struct Step: Hashable, Sendable {
        var translationKey: String
        @Exact var title: String
        @Exact var urlPath: String
        var stageIndex: Int
        var duration: Int
        var isFallback: Bool
        /// The language the step's text is written in: the default language's for a fallback copy.
        var textLanguage: String
        var checklist: [ChecklistItem]
    }

    struct ChecklistItem: Hashable, Sendable {
        var key: String
        @Exact var text: String
    }

    init(_ route: Route, site: SiteIndex, rendered: [RenderedDocument]) {
        language = route.language
        segment = route.segment
        steps = route.steps.map { step in
            let d = site.documents[step.document]
            return Step(
                translationKey: step.translationKey, title: d.title, urlPath: step.urlPath, stageIndex: step.stageIndex, duration: step.duration,
                isFallback: step.isFallback, textLanguage: d.language,
                checklist: rendered[step.document].tasks.map { ChecklistItem(key: $0.key, text: $0.text) })
        }
        languages = site.routes.filter { $0.segment == route.segment }.map(\.language)
    }

    /// Steps grouped by stage, in stage order, skipping stages without steps.
    var stages: [(stageIndex: Int, steps: [Int])] { Route.grouped(stageIndices: steps.map(\.stageIndex)) }

    var totalMinutes: Int { steps.reduce(0) { $0 + $1.duration } }
}
