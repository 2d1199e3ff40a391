import Yams

/// `content/site.yml`: languages, stages, segments, categories and site-wide options.
public struct SiteConfig: Sendable {
    public var title: LocalizedString
    public var description: LocalizedString?
    /// Absolute URL of the site root, always ending in `/` (`https://help.example.com/docs/`).
    public var baseURL: String
    public var defaultLanguage: String
    public var languages: [Language]
    public var stages: [Stage]
    public var segments: [Segment]
    public var categories: [Category]
    /// Raw HTML in Markdown is dropped unless the site opts in.
    public var unsafeHTML: Bool
    /// Search synonyms: language code → groups of words that find each other.
    public var synonyms: [String: [[String]]] = [:]
    /// Days after an article's `reviewed` date (or `updated`) when `waymark check` calls it stale.
    public var reviewEvery = 365
    /// "Edit this page" link pattern with `{path}` for the content-relative file path, e.g.
    /// `https://github.com/acme/help/edit/main/content/{path}`.
    public var editURL: String?
    /// Where "Was this helpful?" votes are POSTed (as JSON in a text/plain body); nil keeps them local.
    public var feedbackEndpoint: String?
    /// Where the browser sends reader events in batches (JSON lines, docs/analytics.md); nil: nothing leaves
    /// the browser (the events are still dispatched in the page for an embedding product).
    public var analyticsEndpoint: String?
    /// Caps on what one file may cost to build (see `Limits`).
    public var limits = Limits()
    /// Responsive image sizes (see `Images`).
    public var images = Images()
    /// Where each top-level key and list entry was written, for diagnostics that point into site.yml.
    public var locations: [String: SourceLocation] = [:]

    public struct Language: Sendable, Hashable {
        public var code: String
        public var name: String
        public var direction: TextDirection
    }

    public enum TextDirection: String, Sendable { case ltr, rtl }

    /// `limits:` in site.yml. Content may come from outside contributors' pull requests that CI builds
    /// unattended; every stage is linear in its input, and these cap the input where a dependency is not.
    public struct Limits: Sendable, Hashable {
        /// Largest content file, in KiB (a 4 MiB Markdown page is already far beyond any real article).
        public var fileKB = 4096
        /// Most columns in one Markdown table (cmark-gfm's table extension is quadratic in columns).
        public var tableColumns = 256
        /// Images larger than this, in KiB, get a warning: a 3 MB screenshot is seconds on a phone's
        /// connection, and exporting it smaller (or as JPEG/WebP) fixes it at the source.
        public var imageKB = 500
        /// Images with more pixels than this get no smaller copies (a warning at the file): decoding one
        /// takes about 4 bytes a pixel, and a PNG of a few dozen bytes can declare billions of pixels.
        /// 50 million is above a 48-megapixel phone photo (8000 × 6000).
        public var imagePixels = 50_000_000

        public init() {}
    }

    /// `images:` in site.yml: the widths of the smaller copies made of each PNG, JPEG and WebP image (with
    /// libvips), offered to browsers in `srcset` with `sizes`, so a phone downloads a copy near its screen's
    /// width instead of the full screenshot.
    public struct Images: Sendable, Hashable {
        /// Widths in pixels, ascending; a copy is made for each one narrower than the image. Empty: none.
        public var widths: [Int] = []
        /// The `sizes` attribute: how wide images are shown. The default matches the default stylesheet's
        /// text column (36rem; the page width less its padding on a phone).
        public var sizes = "(min-width: 38rem) 36rem, calc(100vw - 2rem)"
        static let maxWidths = 6

        public init() {}
    }

    /// A stage, segment or category: an id used in files and URLs, a title and a description.
    public struct Entry: Sendable, Hashable {
        public var id: String
        public var title: LocalizedString
        public var description: LocalizedString?
    }

    public typealias Stage = Entry
    public typealias Segment = Entry
    public typealias Category = Entry

    public func language(_ code: String) -> Language? { languages.first { $0.code == code } }
    public func stage(_ id: String) -> Stage? { stages.first { $0.id == id } }
    public func segment(_ id: String) -> Segment? { segments.first { $0.id == id } }
    public func category(_ id: String) -> Category? { categories.first { $0.id == id } }

    /// A category's title in `language`; an undeclared category folder `getting-started` reads as
    /// "Getting started".
    func categoryTitle(_ id: String, _ language: String) -> String {
        if let c = category(id) { return text(c.title, language) }
        let words = String(id.map { $0 == "-" ? " " : $0 })
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    public func text(_ value: LocalizedString, _ language: String) -> String {
        value.resolve(language, fallback: defaultLanguage)
    }

    /// The path part of `baseURL` (`/docs/`), prefixed to every link so the site works under a sub-path.
    public var basePath: String {
        guard let schemeEnd = baseURL.range(of: "://") else { return baseURL.hasPrefix("/") ? baseURL : "/" }
        let afterHost = baseURL[schemeEnd.upperBound...]
        guard let slash = afterHost.firstIndex(of: "/") else { return "/" }
        return String(afterHost[slash...])
    }

    /// Languages written right to left by default, so `direction` is needed only to override.
    static let rightToLeftLanguages: Set<String> = ["ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "ku-arab"]

    /// The stages used when site.yml lists none: the onboarding journey our routes are built around.
    static let defaultStages: [Stage] = [
        Stage(id: "welcome", title: LocalizedString(values: ["en": "Welcome", "vi": "Chào mừng", "fa": "خوش‌آمد", "ru": "Знакомство"])),
        Stage(
            id: "first-value", title: LocalizedString(values: ["en": "First value", "vi": "Giá trị đầu tiên", "fa": "نخستین ارزش", "ru": "Первая ценность"])),
        Stage(id: "adoption", title: LocalizedString(values: ["en": "Adoption", "vi": "Áp dụng", "fa": "پذیرش", "ru": "Внедрение"])),
        Stage(id: "mastery", title: LocalizedString(values: ["en": "Mastery", "vi": "Thành thạo", "fa": "تسلط", "ru": "Мастерство"])),
    ]
}

extension SiteConfig {
    static let knownKeys = [
        "title", "description", "baseURL", "defaultLanguage", "languages", "stages", "segments", "categories",
        "unsafeHTML", "synonyms", "reviewEvery", "editURL", "feedback", "limits", "images", "analytics",
    ]

    /// Reads site.yml, reporting every problem; returns nil only when nothing usable could be read.
    static func parse(_ source: SourceFile) -> (SiteConfig?, [Diagnostic]) {
        var reader = YAMLReader(file: source.path)
        guard let root = reader.parse(source.text) else {
            if reader.diagnostics.isEmpty {
                reader.diagnostics.append(
                    .error("invalid-site-config", "site.yml is empty; it needs at least `languages`", file: source.path, at: SourceLocation(line: 1, column: 1))
                )
            }
            return (nil, reader.diagnostics)
        }
        guard let pairs = reader.mapping(root, what: "site.yml") else { return (nil, reader.diagnostics) }
        reader.checkKeys(pairs, known: knownKeys, what: "site.yml")
        var config = SiteConfig(
            title: LocalizedString("Help Center"), description: nil, baseURL: "/", defaultLanguage: "",
            languages: [], stages: defaultStages, segments: [], categories: [], unsafeHTML: false)
        var sawLanguages = false
        for (key, keyNode, value) in pairs {
            config.locations[key] = reader.location(of: keyNode)
            switch key {
            case "title": config.title = reader.localized(value, what: "title") ?? config.title
            case "description": config.description = reader.localized(value, what: "description")
            case "baseURL":
                if let url = reader.string(value, what: "baseURL") {
                    if let problem = ConfigURL.problem(url, allowed: .siteRoot) {
                        reader.error("invalid-base-url", "baseURL \(problem)", at: value)
                    } else {
                        config.baseURL = url.hasSuffix("/") ? url : url + "/"
                    }
                }
            case "defaultLanguage": config.defaultLanguage = reader.string(value, what: "defaultLanguage") ?? ""
            case "languages":
                sawLanguages = true
                config.languages = parseList(value, what: "languages", reader: &reader, config: &config) { entry, fields, reader in
                    guard let code = fields["code"].flatMap({ reader.string($0, what: "language code") }) else {
                        reader.error("invalid-language", "each language needs a `code`, such as `code: en`", at: entry)
                        return nil
                    }
                    guard isLanguageCode(code) else {
                        reader.error("invalid-language", "'\(code)' is not a language code (use BCP 47, such as en, vi, fa, pt-BR)", at: fields["code"]!)
                        return nil
                    }
                    var direction: TextDirection = rightToLeftLanguages.contains(code.lowercased()) ? .rtl : .ltr
                    if let d = fields["direction"] {
                        switch reader.string(d, what: "direction") {
                        case "rtl": direction = .rtl
                        case "ltr": direction = .ltr
                        default: reader.error("invalid-language", "direction must be ltr or rtl", at: d)
                        }
                    }
                    let name = fields["name"].flatMap { reader.string($0, what: "language name") } ?? code
                    return (code, Language(code: code, name: name, direction: direction))
                }
            case "stages":
                config.stages = entries(value, what: "stage", reader: &reader, config: &config)
                if config.stages.isEmpty { reader.error("invalid-site-config", "stages must list at least one stage", at: value) }
            case "segments": config.segments = entries(value, what: "segment", reader: &reader, config: &config)
            case "categories": config.categories = entries(value, what: "category", reader: &reader, config: &config)
            case "unsafeHTML": config.unsafeHTML = reader.bool(value, what: "unsafeHTML") ?? false
            case "editURL":
                if let url = reader.string(value, what: "editURL") {
                    if let problem = ConfigURL.problem(url, allowed: .absolute) {
                        reader.error("invalid-edit-url", "editURL \(problem)", at: value)
                    } else if !url.contains("{path}") {
                        reader.error(
                            "invalid-edit-url", "editURL must contain {path}, such as https://github.com/acme/help/edit/main/content/{path}", at: value)
                    } else {
                        config.editURL = url
                    }
                }
            case "feedback":
                guard let fields = reader.mapping(value, what: "feedback") else { continue }
                reader.checkKeys(fields, known: ["endpoint"], what: "feedback")
                config.feedbackEndpoint = endpoint(fields, of: "feedback", reader: &reader)
            case "analytics":
                guard let fields = reader.mapping(value, what: "analytics") else { continue }
                reader.checkKeys(fields, known: ["endpoint"], what: "analytics")
                config.analyticsEndpoint = endpoint(fields, of: "analytics", reader: &reader)
            case "limits":
                guard let fields = reader.mapping(value, what: "limits") else { continue }
                reader.checkKeys(fields, known: ["fileKB", "tableColumns", "imageKB", "imagePixels"], what: "limits")
                for (name, _, node) in fields {
                    switch name {
                    case "fileKB": config.limits.fileKB = reader.int(node, what: "limits.fileKB", range: 1...1_048_576) ?? config.limits.fileKB
                    case "tableColumns":
                        config.limits.tableColumns = reader.int(node, what: "limits.tableColumns", range: 1...100_000) ?? config.limits.tableColumns
                    case "imageKB": config.limits.imageKB = reader.int(node, what: "limits.imageKB", range: 1...1_048_576) ?? config.limits.imageKB
                    case "imagePixels":
                        config.limits.imagePixels = reader.int(node, what: "limits.imagePixels", range: 1...1_000_000_000) ?? config.limits.imagePixels
                    default: break
                    }
                }
            case "images":
                guard let fields = reader.mapping(value, what: "images") else { continue }
                reader.checkKeys(fields, known: ["widths", "sizes"], what: "images")
                for (name, _, node) in fields {
                    switch name {
                    case "widths":
                        guard case .sequence(let list) = node else {
                            reader.error("invalid-yaml-type", "images.widths must be a list of pixel widths, such as [480, 960]", at: node)
                            continue
                        }
                        let widths = list.compactMap { reader.int($0, what: "each of images.widths", range: 16...8192) }
                        // Every width is one more resize of every image, in every build.
                        if widths.count > Images.maxWidths {
                            reader.error("invalid-images", "images.widths lists \(widths.count) widths; at most \(Images.maxWidths) are allowed", at: node)
                        }
                        config.images.widths = Array(Array(Set(widths)).sorted().prefix(Images.maxWidths))
                    case "sizes":
                        if let sizes = reader.string(node, what: "images.sizes") { config.images.sizes = sizes }
                    default: break
                    }
                }
            case "reviewEvery": config.reviewEvery = reader.int(value, what: "reviewEvery (days)", range: 1...3650) ?? config.reviewEvery
            case "synonyms":
                // synonyms: { en: [[signup, registration], [churn rate, attrition]] }
                guard let languages = reader.mapping(value, what: "synonyms") else { continue }
                for (language, _, groups) in languages {
                    guard case .sequence(let list) = groups else {
                        reader.error("invalid-yaml-type", "synonyms.\(language) must be a list of word lists, such as [[signup, registration]]", at: groups)
                        continue
                    }
                    for group in list {
                        let words = reader.stringList(group, what: "a synonym group")
                        if words.count < 2 {
                            reader.warning("invalid-synonyms", "a synonym group needs at least two words", at: group)
                        } else {
                            // An entry with spaces (`churn rate`) is a phrase: its words, adjacent.
                            config.synonyms[language, default: []].append(words)
                        }
                    }
                }
            default: break
            }
        }
        let top = SourceLocation(line: 1, column: 1)
        if !sawLanguages || config.languages.isEmpty {
            reader.diagnostics.append(
                .error(
                    "invalid-site-config", "site.yml must list at least one language under `languages`", file: source.path,
                    at: config.locations["languages"] ?? top))
            return (nil, reader.diagnostics)
        }
        if config.defaultLanguage.isEmpty {
            config.defaultLanguage = config.languages[0].code
        } else if config.language(config.defaultLanguage) == nil {
            reader.diagnostics.append(
                .error(
                    "invalid-site-config",
                    "defaultLanguage '\(config.defaultLanguage)' is not one of the languages (\(config.languages.map(\.code).joined(separator: ", ")))",
                    file: source.path, at: config.locations["defaultLanguage"] ?? top))
            config.defaultLanguage = config.languages[0].code
        }
        return (config, reader.diagnostics)
    }

    /// `<section>.endpoint`, where the browser posts to: an http(s) URL or a path on this site.
    private static func endpoint(_ fields: [(key: String, keyNode: Yams.Node, value: Yams.Node)], of section: String, reader: inout YAMLReader) -> String? {
        guard let node = fields.first(where: { $0.key == "endpoint" })?.value, let url = reader.string(node, what: "\(section) endpoint") else { return nil }
        if let problem = ConfigURL.problem(url, allowed: .endpoint) {
            reader.error("invalid-\(section)-endpoint", "\(section).endpoint \(problem)", at: node)
            return nil
        }
        return url
    }

    /// `stages`, `segments` or `categories`: entries with an id, a localized title and description.
    private static func entries(_ node: Yams.Node, what: String, reader: inout YAMLReader, config: inout SiteConfig) -> [Entry] {
        let list = what == "category" ? "categories" : what + "s"
        return parseList(node, what: list, reader: &reader, config: &config) { entry, fields, reader in
            guard let id = identifier(fields["id"], in: entry, what: what, reader: &reader) else { return nil }
            return (
                id,
                Entry(
                    id: id, title: fields["title"].flatMap { reader.localized($0, what: "\(what) title") } ?? LocalizedString(id),
                    description: fields["description"].flatMap { reader.localized($0, what: "\(what) description") })
            )
        }
    }

    /// Parses a list of mappings with ids, reporting duplicates at the second occurrence.
    private static func parseList<T>(
        _ node: Yams.Node, what: String, reader: inout YAMLReader, config: inout SiteConfig,
        _ make: (Yams.Node, [String: Yams.Node], inout YAMLReader) -> (String, T)?
    ) -> [T] {
        guard case .sequence(let sequence) = node else {
            reader.error("invalid-yaml-type", "\(what) must be a list of entries starting with `-`", at: node)
            return []
        }
        var out: [T] = []
        var seen: Set<String> = []
        for entry in sequence {
            guard let pairs = reader.mapping(entry, what: "an entry of \(what)") else { continue }
            var fields: [String: Yams.Node] = [:]
            for pair in pairs { fields[pair.key] = pair.value }
            reader.checkKeys(pairs, known: ["id", "code", "name", "direction", "title", "description"], what: "\(what) entry")
            guard let (id, value) = make(entry, fields, &reader) else { continue }
            if !seen.insert(id).inserted {
                reader.error("duplicate-id", "'\(id)' appears twice in \(what)", at: entry)
                continue
            }
            config.locations["\(what).\(id)"] = reader.location(of: entry)
            out.append(value)
        }
        return out
    }

    private static func identifier(_ node: Yams.Node?, in entry: Yams.Node, what: String, reader: inout YAMLReader) -> String? {
        guard let node, let id = reader.string(node, what: "\(what) id") else {
            reader.error("invalid-site-config", "each \(what) needs an `id`", at: entry)
            return nil
        }
        guard isIdentifier(id) else {
            reader.error("invalid-site-config", "\(what) id '\(id)' may use only lowercase ASCII letters, digits and '-' (it appears in URLs)", at: node)
            return nil
        }
        // The reader's progress is stored under stage and segment ids, and the browser script ignores
        // these keys wherever progress comes from (storage, imported files): see route.js.
        guard !reservedIDs.contains(id) else {
            reader.error("invalid-site-config", "\(what) id '\(id)' is reserved by the browser script; choose another id", at: node)
            return nil
        }
        return id
    }

    /// Keys a JavaScript object treats specially; never ids.
    static let reservedIDs: Set<String> = ["constructor", "prototype"]

    static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
            && s.first != "-"
    }

    static func isLanguageCode(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLowercase })
        else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}
