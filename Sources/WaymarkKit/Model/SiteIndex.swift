/// The published site as a model: which documents are pages, their URLs, translations, categories,
/// routes and landing pages. Built once per build from a `ContentSet`, checked, then shared read-only by
/// the renderers on every core.
struct SiteIndex: Sendable {
    let config: SiteConfig
    /// Published documents (drafts only with `--drafts`), in source-path order.
    private(set) var documents: [Document]
    let byPath: [String: Int]
    /// (kind, translationKey) → language → document index.
    let translations: [String: [String: Int]]
    /// (kind, translationKey) → language → the document published there from the default language's
    /// text (`Document.fallbackFrom`), for languages without a translation.
    let fallbacks: [String: [String: Int]]
    /// Per language: categories in display order, each with its articles in display order.
    private(set) var categories: [String: [(id: String, articles: [Int])]]
    /// Each article's previous and next article in its category (document indices), from `categories`.
    private(set) var neighbours: [Int: (prev: Int?, next: Int?)]
    let routes: [Route]
    /// Redirects from old URL paths (front matter `aliases`, validated as paths, decoded) to document
    /// indices, with where each was written. Whether each takes nothing else the site publishes is checked
    /// once every other file is written (`PageRenderer.writeAliases`).
    let aliases: [(from: String, to: Int, at: SourceLocation)]
    /// language → landing name (`home` or a segment id) → landing file.
    private(set) var landings: [String: [String: LandingFile]]
    let assets: [ContentAsset]
    let files: Set<String>
    let configFingerprint: UInt64
    let drafts: Set<String>

    static func translationID(_ d: Document) -> String { "\(d.kind.rawValue):\(d.translationKey)" }

    init(content: ContentSet, includeDrafts: Bool, diagnostics: DiagnosticBag) {
        let config = content.config
        self.config = config
        var documents: [Document] = []
        var drafts: Set<String> = []
        for d in content.documents {
            if d.frontMatter.draft, !includeDrafts { drafts.insert(d.sourcePath) } else { documents.append(d) }
        }
        self.drafts = drafts
        assets = content.assets
        files = content.files
        configFingerprint = content.configFingerprint

        let stageIDs = config.stages.map(\.id)
        let segmentIDs = config.segments.map(\.id)
        var issues: [Diagnostic] = []
        var kept: [Document] = []
        for d in documents {
            let fm = d.frontMatter
            let top = SourceLocation(line: 1, column: 1)
            if let segments = fm.segments {
                for s in segments where !segmentIDs.contains(s) {
                    issues.append(
                        .error(
                            "unknown-segment", "unknown segment '\(s)' (site.yml defines: \(segmentIDs.joined(separator: ", ")))", file: d.sourcePath,
                            at: fm.locations["segments"] ?? top))
                }
            }
            if d.kind == .guide {
                if !segmentIDs.contains(d.group) {
                    issues.append(
                        .error(
                            "unknown-segment",
                            "guide folder '\(d.group)' is not a segment in site.yml (\(segmentIDs.joined(separator: ", "))); add the segment or move the guide",
                            file: d.sourcePath, at: top))
                }
                if let stage = fm.stage, !stageIDs.contains(stage) {
                    var message = "unknown stage '\(stage)' (site.yml stages: \(stageIDs.joined(separator: ", ")))"
                    if let s = closestMatch(to: stage, among: stageIDs) { message += "; did you mean '\(s)'?" }
                    issues.append(.error("unknown-stage", message, file: d.sourcePath, at: fm.locations["stage"] ?? top))
                }
            }
            kept.append(d)
        }
        diagnostics.report(contentsOf: issues)
        self.documents = kept

        var byPath: [String: Int] = [:]
        var translations: [String: [String: Int]] = [:]
        for (i, d) in kept.enumerated() {
            byPath[d.sourcePath] = i
            let id = Self.translationID(d)
            if let other = translations[id]?[d.language] {
                diagnostics.report(
                    .error(
                        "duplicate-translation-key", "translationKey '\(d.translationKey)' is also used by \(kept[other].sourcePath) in the same language",
                        file: d.sourcePath, at: d.frontMatter.locations["translationKey"] ?? SourceLocation(line: 1, column: 1)))
            } else {
                translations[id, default: [:]][d.language] = i
            }
        }
        // An article missing in a language is published there from the default language, with a notice
        // and a canonical link to the original, as steps are: links, listings and featured entries in that
        // language lead to it, and it is still reported as a missing translation. Not where the same path
        // or URL belongs to a page of that language with another translation key.
        var fallbacks: [String: [String: Int]] = [:]
        var urls = Set(kept.map(\.urlPath))
        let originals = kept.filter { $0.kind == .article && $0.language == config.defaultLanguage && !$0.frontMatter.draft }
        for d in originals {
            for language in config.languages.map(\.code) where translations[Self.translationID(d)]?[language] == nil {
                let copy = Self.fallbackCopy(d, language: language)
                guard byPath[copy.sourcePath] == nil, urls.insert(copy.urlPath).inserted else { continue }
                byPath[copy.sourcePath] = kept.count
                fallbacks[Self.translationID(d), default: [:]][language] = kept.count
                kept.append(copy)
            }
        }
        self.documents = kept
        self.fallbacks = fallbacks
        var aliases: [(from: String, to: Int, at: SourceLocation)] = []
        for (i, d) in kept.enumerated() where d.fallbackFrom == nil {
            for alias in d.frontMatter.aliases {
                switch Self.aliasPath(alias.path) {
                case .success(let path): aliases.append((path, i, alias.location))
                case .failure(let problem):
                    diagnostics.report(
                        .error(
                            "invalid-alias",
                            "alias '\(DiagnosticFormatter.visible(alias.path))' \(problem.reason); an alias is an old URL path of this page, such as /en/articles/billing/old-name/",
                            file: d.sourcePath, at: alias.location))
                }
            }
        }
        self.aliases = aliases
        self.byPath = byPath
        self.translations = translations

        var categories: [String: [(id: String, articles: [Int])]] = [:]
        for language in config.languages.map(\.code) { categories[language] = Self.categories(of: language, kept, config) }
        self.categories = categories
        self.neighbours = Self.neighbours(categories)

        let (routes, routeIssues) = RouteBuilder.build(documents: kept, config: config)
        diagnostics.report(contentsOf: routeIssues)
        self.routes = routes

        var landings: [String: [String: LandingFile]] = [:]
        for landing in content.landings {
            if landing.name != "home", !segmentIDs.contains(landing.name) {
                diagnostics.report(
                    .error(
                        "unknown-segment",
                        "landing file for unknown segment '\(landing.name)'; landing files are home.yml or <segment>.yml for a segment in site.yml (\(segmentIDs.joined(separator: ", ")))",
                        file: landing.sourcePath, at: SourceLocation(line: 1, column: 1)))
                continue
            }
            diagnostics.report(contentsOf: Self.featuredProblems(landing, byPath: byPath, drafts: drafts))
            landings[landing.language, default: [:]][landing.name] = landing
        }
        for segment in config.segments where landings[config.defaultLanguage]?[segment.id] == nil {
            diagnostics.report(
                Diagnostic(
                    .warning, "missing-landing",
                    "segment '\(segment.id)' has no landing file; add \(config.defaultLanguage)/landing/\(segment.id).yml (a generic page is generated meanwhile)",
                    file: "site.yml", at: config.locations["segments.\(segment.id)"]))
        }
        self.landings = landings
    }

    /// Published URL paths with the file each comes from, checking that no two pages share one.
    func checkUniqueURLs(extra: [(url: String, source: String)], diagnostics: DiagnosticBag) {
        var owners: [String: String] = [:]
        var all = documents.map { ($0.urlPath, $0.sourcePath) }
        for route in routes {
            for step in route.steps where step.isFallback { all.append((step.urlPath, documents[step.document].sourcePath)) }
        }
        all += extra
        for (url, source) in all {
            if let other = owners[url], other != source {
                diagnostics.report(
                    .error(
                        "duplicate-url", "this page and \(other) would both be published at /\(url); rename one of them", file: source,
                        at: SourceLocation(line: 1, column: 1)))
            } else {
                owners[url] = source
            }
        }
    }

    /// The same site with new versions of some documents whose place in it is unchanged (see
    /// `samePlace`), for the preview's re-render of an edited page. Orders and checks derived from the
    /// old titles are kept: the rebuild that follows such a render redoes them.
    ///
    /// Their fallback copies in other languages follow them, and the categories of their languages are
    /// sorted again: a title decides an article's place in its category, and with it its neighbours.
    func replacingDocuments(_ replacements: [Int: Document]) -> SiteIndex {
        var copy = self
        var languages: Set<String> = []
        for (i, d) in replacements {
            precondition(Self.samePlace(d, documents[i]))
            copy.documents[i] = d
            languages.insert(d.language)
            for j in fallbackCopies(of: i) {
                copy.documents[j] = Self.fallbackCopy(d, language: documents[j].language)
                languages.insert(documents[j].language)
            }
        }
        for language in languages { copy.categories[language] = Self.categories(of: language, copy.documents, config) }
        copy.neighbours = Self.neighbours(copy.categories)
        return copy
    }

    /// Whether two versions of a document have the same place in the site: path, translations, segments,
    /// stage, order and duration (which make routes), publication and aliases. Title, summary, tags and
    /// dates may differ.
    static func samePlace(_ a: Document, _ b: Document) -> Bool {
        let x = a.frontMatter
        let y = b.frontMatter
        return a.sourcePath == b.sourcePath && a.urlPath == b.urlPath && a.translationKey == b.translationKey && x.segments == y.segments
            && x.stage == y.stage && x.order == y.order && x.duration == y.duration && x.draft == y.draft
            && x.aliases.map(\.path) == y.aliases.map(\.path)
    }

    /// The site with an existing landing file edited; nil when its featured pages have problems (the
    /// rebuild reports them).
    func replacingLanding(_ landing: LandingFile) -> SiteIndex? {
        guard landings[landing.language]?[landing.name] != nil, Self.featuredProblems(landing, byPath: byPath, drafts: drafts).isEmpty else { return nil }
        var copy = self
        copy.landings[landing.language]![landing.name] = landing
        return copy
    }

    /// Featured entries of a landing file that name no published page.
    static func featuredProblems(_ landing: LandingFile, byPath: [String: Int], drafts: Set<String>) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for featured in landing.featured {
            let target = LinkResolver.normalize([landing.language] + featured.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
            guard let target else {
                out.append(
                    .error(
                        "link-outside-content", "featured path '\(featured.path)' points outside the content folder", file: landing.sourcePath,
                        at: featured.location))
                continue
            }
            if byPath[target] == nil {
                let why =
                    drafts.contains(target)
                    ? "is a draft, which is not published"
                    : "does not exist (paths are relative to the \(landing.language)/ folder, such as articles/billing/refunds.md)"
                out.append(.error("broken-featured", "featured page '\(featured.path)' \(why)", file: landing.sourcePath, at: featured.location))
            }
        }
        return out
    }

    /// The documents published in other languages from document `i`'s text.
    func fallbackCopies(of i: Int) -> [Int] {
        let d = documents[i]
        return (fallbacks[Self.translationID(d)] ?? [:]).values.filter { documents[$0].fallbackFrom == d.language }.sorted()
    }

    /// A document published in `language` from its text in another, until it is translated.
    static func fallbackCopy(_ d: Document, language: String) -> Document {
        var copy = d
        copy.language = language
        copy.sourcePath = language + d.sourcePath.drop { $0 != "/" }
        copy.urlPath = language + d.urlPath.drop { $0 != "/" }
        copy.fallbackFrom = d.language
        return copy
    }

    /// A language's categories: site.yml order first, then any other folders alphabetically; articles by
    /// `order`, then title, then path.
    static func categories(of language: String, _ documents: [Document], _ config: SiteConfig) -> [(id: String, articles: [Int])] {
        let declared = config.categories.map(\.id)
        var groups: [String: [Int]] = [:]
        // By index: a `for d in documents` would copy every document (a dozen references each).
        for i in documents.indices where documents[i].kind == .article && documents[i].language == language {
            groups[documents[i].group, default: []].append(i)
        }
        let order = declared.filter { groups[$0] != nil } + groups.keys.filter { !declared.contains($0) }.sorted()
        return order.map { id in
            // Sort keys computed once per article, not once per comparison.
            let keyed = groups[id]!.map { i in (i, documents[i].frontMatter.order ?? Int.max, documents[i].title.lowercased(), documents[i].sourcePath) }
            return (id, keyed.sorted { ($0.1, $0.2, $0.3) < ($1.1, $1.2, $1.3) }.map(\.0))
        }
    }

    static func neighbours(_ categories: [String: [(id: String, articles: [Int])]]) -> [Int: (prev: Int?, next: Int?)] {
        var neighbours: [Int: (prev: Int?, next: Int?)] = [:]
        for category in categories.values.joined() {
            let list = category.articles
            for (position, i) in list.enumerated() {
                neighbours[i] = (position > 0 ? list[position - 1] : nil, position + 1 < list.count ? list[position + 1] : nil)
            }
        }
        return neighbours
    }

    /// Forgets the documents' Markdown once it is rendered (the later stages read the renderings).
    mutating func dropBodies() {
        for i in documents.indices { documents[i].body = "" }
    }

    struct AliasProblem: Error {
        var reason: String
    }

    /// An alias as an output URL path, as servers compare it (decoded, like nginx's `$uri`): written
    /// from the site root as a browser's address bar shows it, plain (`/fa/راهنما/`, `/en/old name/`) or
    /// percent-encoded (`/en/old%20name/`); a folder (`…/`) unless it names an `.html` file. A literal `?`
    /// or `#` starts a query or fragment, which servers never see, and browsers turn `\` into `/`: an old
    /// address that held one in its path is written `%3F`, `%23`, `%5C`. Control characters (CR, LF, NUL)
    /// can never be in a request's path, and bidirectional controls would show a path other than it is.
    static func aliasPath(_ alias: String) -> Result<String, AliasProblem> {
        guard alias.hasPrefix("/") else { return .failure(AliasProblem(reason: "does not start with / (paths are from the site root)")) }
        if let c = alias.first(where: { $0 == "?" || $0 == "#" || $0 == "\\" }) {
            let name = c == "?" ? "? (a query)" : c == "#" ? "# (a fragment)" : "\\ (browsers turn it into /)"
            return .failure(
                AliasProblem(reason: "contains \(name); if the old address had it in its path, write it %\(String(c.asciiValue!, radix: 16, uppercase: true))"))
        }
        guard var path = URLPath.decode(alias.dropFirst()) else {
            return .failure(AliasProblem(reason: "has a % that does not start a UTF-8 escape such as %20 or %D8%A7 (write a literal % as %25)"))
        }
        if let bad = path.unicodeScalars.first(where: {
            DiagnosticFormatter.isControl($0) || DiagnosticFormatter.isBidiControl($0)
        }) {
            return .failure(AliasProblem(reason: "contains the control character U+\(String(format: "%04X", bad.value)), which no address can hold"))
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.isEmpty { return .failure(AliasProblem(reason: "is the site root")) }
        if parts.dropLast().contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) || parts.last == "." || parts.last == ".." {
            return .failure(AliasProblem(reason: "has an empty, . or .. segment"))
        }
        if parts.contains(where: { $0.utf8.count > 255 }) {
            return .failure(AliasProblem(reason: "has a segment longer than 255 bytes, which file systems cannot hold as a name"))
        }
        if !path.hasSuffix("/"), !path.hasSuffix(".html") { path += "/" }
        return .success(path)
    }

    /// A URL path written as an alias that names it (`aliasPath` reads it back): the characters an alias
    /// cannot hold as they are (`%`, `?`, `#`, `\`) percent-encoded, the rest as it is.
    static func aliasText(_ urlPath: String) -> String {
        var out = ""
        for c in urlPath.unicodeScalars {
            if c == "%" || c == "?" || c == "#" || c == "\\" { out += "%" + String(c.value, radix: 16, uppercase: true) } else { out.unicodeScalars.append(c) }
        }
        return out
    }

    /// Every published version of a document, by language code.
    func translationsOf(_ d: Document) -> [String: Int] {
        translations[Self.translationID(d)] ?? [:]
    }

    /// Every page of a document by language: its translations and the fallback copies published where
    /// it has none.
    func versionsOf(_ d: Document) -> (pages: [String: Int], copies: Set<String>) {
        let copies = fallbacks[Self.translationID(d)] ?? [:]
        return (translationsOf(d).merging(copies) { real, _ in real }, Set(copies.keys))
    }
}
