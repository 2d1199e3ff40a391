import Foundation

/// Content-health figures of a site: what `waymark report` draws and `waymark check` turns into warnings.
public struct HealthData: Sendable {
    public struct LanguageCoverage: Sendable {
        public var code: String
        public var name: String
        /// Pages of the default language that exist in this language, and how many there are.
        public var translated: Int
        public var total: Int
    }

    public struct RouteTime: Sendable {
        public var segment: String
        public var title: String
        /// Minutes per stage, in stage order.
        public var minutes: [Int]
    }

    public struct StaleArticle: Sendable {
        public var path: String
        public var title: String
        public var reviewed: Day?
        public var ageDays: Int
        public var limitDays: Int
    }

    public var today: Day
    public var siteTitle: String
    public var defaultLanguage: String
    public var languages: [LanguageCoverage]
    public var stages: [(id: String, title: String)]
    public var segments: [(id: String, title: String)]
    /// Guides per segment (row) and stage (column), in the default language.
    public var cells: [[Int]]
    public var routes: [RouteTime]
    public var stale: [StaleArticle]
    /// Days since each article was reviewed (-1: never), for the age histogram.
    public var ages: [Int]
    /// Broken links and anchors per top-level folder (`en/articles`, `vi/guides`, …).
    public var brokenLinks: [(folder: String, count: Int)]
    public var orphans: [String]
    public var duplicateTitles: [String]
    /// Routes, steps, items and page titles, for reading event logs against (`report --events`).
    public var onboarding: OnboardingOutline
}

extension HealthData {
    /// Checks beyond what a build needs (`waymark check` and `report`) and the figures behind them, from
    /// the site model, the Markdown stage's renderings (for the link graph) and the build's diagnostics.
    static func compute(_ site: SiteIndex, rendered: [RenderedDocument], options: BuildOptions, all: [Diagnostic]) -> (HealthData, [Diagnostic]) {
        let config = site.config
        let today = options.today ?? Day.today
        let defaults = config.defaultLanguage
        var issues: [Diagnostic] = []
        let top = SourceLocation(line: 1, column: 1)

        // Translation coverage and missing translations (guides and landing pages are reported by the build).
        var coverage: [HealthData.LanguageCoverage] = []
        let originals = site.documents.filter { $0.language == defaults }
        for language in config.languages {
            var translated = 0
            for d in originals {
                if site.translationsOf(d)[language.code] != nil {
                    translated += 1
                } else if d.kind == .article {
                    issues.append(
                        .warning("missing-translation", "article has no \(language.name) (\(language.code)) translation", file: d.sourcePath, at: top))
                }
            }
            coverage.append(.init(code: language.code, name: language.name, translated: translated, total: originals.count))
        }

        // Stale articles: reviewed (or updated) longer ago than reviewEvery.
        var stale: [HealthData.StaleArticle] = []
        var ages: [Int] = []
        for d in site.documents where d.kind == .article && d.fallbackFrom == nil {
            let limit = d.frontMatter.reviewEvery ?? config.reviewEvery
            let reviewed = d.frontMatter.reviewed ?? d.frontMatter.updated
            let age = reviewed.map { today.ordinal - $0.ordinal } ?? Int.max
            ages.append(age == Int.max ? -1 : age)
            if age > limit {
                stale.append(.init(path: d.sourcePath, title: d.title, reviewed: reviewed, ageDays: age == Int.max ? -1 : age, limitDays: limit))
                let at = d.frontMatter.locations["reviewed"] ?? d.frontMatter.locations["updated"] ?? top
                let message =
                    reviewed.map { "article was last reviewed on \($0.iso), \(age) days ago (review every \(limit) days); check it and update `reviewed`" }
                    ?? "article has no `reviewed` or `updated` date; add `reviewed: \(today.iso)` once it is checked"
                issues.append(.warning("stale-article", message, file: d.sourcePath, at: at))
            }
        }

        // Orphans: articles nothing links to, features, or routes to.
        var linked: Set<String> = []
        for r in rendered { linked.formUnion(r.linkTargets) }
        for (language, names) in site.landings {
            for landing in names.values {
                for f in landing.featured {
                    if let p = LinkResolver.normalize([language] + f.path.split(separator: "/").map(String.init)) { linked.insert(p) }
                }
            }
        }
        var orphans: [String] = []
        for d in site.documents where d.kind == .article && d.fallbackFrom == nil && !linked.contains(d.sourcePath) {
            orphans.append(d.sourcePath)
            issues.append(
                .warning(
                    "orphan-article", "no page links to this article and no landing page features it; readers can only find it by search", file: d.sourcePath,
                    at: top))
        }

        // The same title twice in one language confuses search results and navigation.
        var titles: [String: String] = [:]
        var duplicates: [String] = []
        for d in site.documents where d.fallbackFrom == nil {
            let key = d.language + "\u{0}" + d.title.lowercased()
            if let other = titles[key] {
                duplicates.append(d.sourcePath)
                issues.append(
                    .warning("duplicate-title", "\(other) has the same title, “\(d.title)”", file: d.sourcePath, at: d.frontMatter.locations["title"] ?? top))
            } else {
                titles[key] = d.sourcePath
            }
        }

        // Segment × stage cells without a guide, in the default language.
        var cells: [[Int]] = []
        for segment in config.segments {
            var row: [Int] = []
            for stage in config.stages {
                let n = site.documents.filter { $0.kind == .guide && $0.language == defaults && $0.group == segment.id && $0.frontMatter.stage == stage.id }
                    .count
                row.append(n)
                if n == 0 {
                    issues.append(
                        Diagnostic(
                            .warning, "empty-stage", "segment '\(segment.id)' has no guide in stage '\(stage.id)'", file: "site.yml",
                            at: config.locations["segments.\(segment.id)"]))
                }
            }
            cells.append(row)
        }

        let routes: [HealthData.RouteTime] = config.segments.map { segment in
            let route = site.routes.first { $0.language == defaults && $0.segment == segment.id }
            return .init(
                segment: segment.id, title: config.text(segment.title, defaults),
                minutes: config.stages.indices.map { i in
                    route?.steps.filter { $0.stageIndex == i }.reduce(0) { $0 + $1.duration } ?? 0
                })
        }

        var broken: [String: Int] = [:]
        for d in (all + issues) where d.code == "broken-link" || d.code == "broken-anchor" {
            let folder = (d.file ?? "").split(separator: "/").prefix(2).joined(separator: "/")
            broken[folder, default: 0] += 1
        }

        let data = HealthData(
            today: today, siteTitle: config.text(config.title, defaults), defaultLanguage: defaults, languages: coverage,
            stages: config.stages.map { ($0.id, config.text($0.title, defaults)) },
            segments: config.segments.map { ($0.id, config.text($0.title, defaults)) },
            cells: cells, routes: routes, stale: stale.sorted { $0.ageDays > $1.ageDays }, ages: ages,
            brokenLinks: broken.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            orphans: orphans.sorted(), duplicateTitles: duplicates.sorted(), onboarding: OnboardingOutline.of(site, rendered: rendered))
        return (data, issues)
    }
}

extension Day {
    /// The current date in UTC; only the CLI's default, never read inside the pipeline itself.
    public static var today: Day {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
}
