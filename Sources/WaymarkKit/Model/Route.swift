/// One segment's onboarding route in one language: its guides ordered by stage (the order of `stages` in
/// site.yml), then by `order`.
public struct Route: Sendable {
    public var language: String
    public var segment: String
    public var steps: [Step]

    public struct Step: Sendable {
        /// Index into the site's documents: the guide in this language, or the default language's guide
        /// when this language has no translation yet (`isFallback`).
        public var document: Int
        public var isFallback: Bool
        public var stageIndex: Int
        public var order: Int
        /// Where the step is published in this route's language.
        public var urlPath: String
        public var translationKey: String
        /// Minutes, 0 when the writer gave no duration.
        public var duration: Int
    }

    /// Steps grouped by stage, in stage order, skipping stages without steps.
    public var stages: [(stageIndex: Int, steps: [Int])] { Self.grouped(stageIndices: steps.map(\.stageIndex)) }

    /// Step numbers (positions in `stageIndices`) grouped by their stage, in order: what a route's pages
    /// and its outline show under each stage heading.
    static func grouped(stageIndices: [Int]) -> [(stageIndex: Int, steps: [Int])] {
        var out: [(Int, [Int])] = []
        for (i, stage) in stageIndices.enumerated() {
            if out.last?.0 == stage { out[out.count - 1].1.append(i) } else { out.append((stage, [i])) }
        }
        return out
    }
}

/// Builds every route of a site and reports route problems.
///
/// Translation policy: when a language lacks a step that the default language has, the route keeps the
/// step and shows the default-language text with a visible notice (and a warning at build time). Skipping
/// it would give each language a different route, different step numbers, and progress that no longer
/// lines up when a customer switches language.
enum RouteBuilder {
    static func build(documents: [Document], config: SiteConfig) -> ([Route], [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var routes: [Route] = []
        let stageIndex = Dictionary(uniqueKeysWithValues: config.stages.enumerated().map { ($1.id, $0) })
        // guides[segment][language] = document indices
        var guides: [String: [String: [Int]]] = [:]
        for (i, d) in documents.enumerated() where d.kind == .guide {
            guides[d.group, default: [:]][d.language, default: []].append(i)
        }
        for segment in config.segments {
            let byLanguage = guides[segment.id] ?? [:]
            let defaults = byLanguage[config.defaultLanguage] ?? []
            for language in config.languages {
                let own = byLanguage[language.code] ?? []
                let ownKeys = Set(own.map { documents[$0].translationKey })
                var steps: [Route.Step] = []
                for i in own {
                    let d = documents[i]
                    guard let stage = d.frontMatter.stage.flatMap({ stageIndex[$0] }) else { continue }
                    steps.append(
                        Route.Step(
                            document: i, isFallback: false, stageIndex: stage, order: d.frontMatter.order ?? 0,
                            urlPath: d.urlPath, translationKey: d.translationKey, duration: d.frontMatter.duration ?? 0))
                }
                if language.code != config.defaultLanguage {
                    for i in defaults where !ownKeys.contains(documents[i].translationKey) {
                        let d = documents[i]
                        guard let stage = d.frontMatter.stage.flatMap({ stageIndex[$0] }) else { continue }
                        diagnostics.append(
                            .warning(
                                "missing-translation",
                                "guide has no \(language.name) (\(language.code)) translation; the \(language.code) route shows this text with a notice",
                                file: d.sourcePath, at: SourceLocation(line: 1, column: 1)))
                        steps.append(
                            Route.Step(
                                document: i, isFallback: true, stageIndex: stage, order: d.frontMatter.order ?? 0,
                                urlPath: "\(language.code)/guides/\(d.group)/\(d.slug)/", translationKey: d.translationKey,
                                duration: d.frontMatter.duration ?? 0))
                    }
                }
                steps.sort { ($0.stageIndex, $0.order, $0.translationKey) < ($1.stageIndex, $1.order, $1.translationKey) }
                // Two of this language's own steps in one stage with the same order: the writer must choose.
                var seen: [String: Int] = [:]
                for step in steps where !step.isFallback {
                    let key = "\(step.stageIndex)/\(step.order)"
                    if let other = seen[key] {
                        let d = documents[step.document]
                        diagnostics.append(
                            .error(
                                "duplicate-order",
                                "two steps of the \(segment.id) route have order \(step.order) in stage '\(config.stages[step.stageIndex].id)': this one and \(documents[other].sourcePath); give each a different order",
                                file: d.sourcePath, at: d.frontMatter.locations["order"] ?? SourceLocation(line: 1, column: 1)))
                    } else {
                        seen[key] = step.document
                    }
                }
                if steps.isEmpty {
                    if language.code == config.defaultLanguage {
                        diagnostics.append(
                            Diagnostic(
                                .warning, "empty-route",
                                "segment '\(segment.id)' has no guides, so its route is empty; add guides in \(language.code)/guides/\(segment.id)/",
                                file: "site.yml", at: config.locations["segments.\(segment.id)"]))
                    }
                    continue
                }
                routes.append(Route(language: language.code, segment: segment.id, steps: steps))
            }
        }
        return (routes, diagnostics)
    }
}
