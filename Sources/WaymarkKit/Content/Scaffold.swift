import Foundation

/// `waymark new`: creates content files with correct front matter, never overwriting anything, and
/// registers new segments and languages in site.yml (edited as text, so comments and layout survive;
/// the result is parsed again before it is saved).
public struct Scaffold: Sendable {
    public var content: String
    public var templates: String
    public var today: Day

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ message: String) { description = message }
    }

    public init(content: String, templates: String = "templates", today: Day) {
        self.content = content
        self.templates = templates
        self.today = today
    }

    func config() throws -> SiteConfig {
        guard let text = try? String(contentsOfFile: content + "/site.yml", encoding: .utf8) else {
            throw Failure("\(content)/site.yml does not exist; run this inside a Waymark project")
        }
        let (config, diagnostics) = SiteConfig.parse(SourceFile(path: "site.yml", text: text))
        guard let config, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw Failure("site.yml has errors; run `waymark check` and fix them first")
        }
        return config
    }

    /// Writes a new file inside the content folder, refusing to replace anything (a dangling symbolic
    /// link included) or to write through a linked folder that leads outside it.
    func create(_ relative: String, _ text: String) throws -> String {
        let path = content + "/" + relative
        if FileSystem.entryExists(path) { throw Failure("\(path) already exists; not overwriting it") }
        let folder = (path as NSString).deletingLastPathComponent
        try FileSystem.createDirectory(folder)
        guard let root = FileSystem.realPath(content), let real = FileSystem.realPath(folder), real == root || real.hasPrefix(root + "/") else {
            throw Failure("\(folder) leads outside the content folder (a symbolic link?); not writing there")
        }
        do {
            try FileSystem.createNew(text, at: path)
        } catch let failure as POSIXFailure where failure.code == EEXIST || failure.code == ELOOP {
            throw Failure("\(path) already exists; not overwriting it")
        }
        return path
    }

    static func quoted(_ s: String) -> String {
        var out = ""
        JSON.quote(s, into: &out, htmlSafe: false)
        return out
    }

    static func checkSlug(_ slug: String, what: String) throws {
        guard SiteConfig.isIdentifier(slug) else {
            throw Failure("\(what) '\(slug)' may use only lowercase ASCII letters, digits and '-'")
        }
    }

    /// `<lang>/articles/<category>/<slug>.md`
    public func article(language: String, category: String, slug: String, title: String?) throws -> String {
        let config = try config()
        guard config.language(language) != nil else {
            throw Failure("'\(language)' is not a language in site.yml (\(config.languages.map(\.code).joined(separator: ", ")))")
        }
        try Self.checkSlug(category, what: "category")
        try Self.checkSlug(slug, what: "slug")
        let title = title ?? slug.replacingOccurrences(of: "-", with: " ").capitalizingFirst
        return try create(
            "\(language)/articles/\(category)/\(slug).md",
            """
            ---
            title: \(Self.quoted(title))
            summary: ""
            tags: []
            updated: \(today.iso)
            reviewed: \(today.iso)
            ---

            One or two sentences on what this article answers and for whom.

            ## First section

            Write the answer here. Link to other pages by their file path, as in
            `[another article](../\(category)/another-article.md)`; the build checks every link.

            """)
    }

    /// `<lang>/guides/<segment>/<NN>-<slug>.md`, numbered after the segment's last step.
    public func guide(language: String?, segment: String, slug: String, title: String?, stage: String?) throws -> String {
        let config = try config()
        let language = language ?? config.defaultLanguage
        guard config.language(language) != nil else { throw Failure("'\(language)' is not a language in site.yml") }
        guard config.segment(segment) != nil else {
            throw Failure(
                "'\(segment)' is not a segment in site.yml (\(config.segments.map(\.id).joined(separator: ", "))); create it with `waymark new segment \(segment)`"
            )
        }
        try Self.checkSlug(slug, what: "slug")
        let folder = "\(language)/guides/\(segment)"
        let existing = ((try? FileManager.default.contentsOfDirectory(atPath: content + "/" + folder)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
        let numbers = existing.compactMap { Int($0.prefix { $0.isASCII && $0.isNumber }) }
        let next = (numbers.max() ?? 0) + 1
        var chosenStage = stage ?? config.stages.first!.id
        if stage == nil, let last = existing.last,
            let text = try? String(contentsOfFile: content + "/" + folder + "/" + last, encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("stage:") })
        {
            chosenStage = line.dropFirst("stage:".count).trimmingCharacters(in: .whitespaces)
        }
        guard config.stage(chosenStage) != nil else {
            throw Failure("'\(chosenStage)' is not a stage in site.yml (\(config.stages.map(\.id).joined(separator: ", ")))")
        }
        let number = next < 10 ? "0\(next)" : String(next)
        let title = title ?? slug.replacingOccurrences(of: "-", with: " ").capitalizingFirst
        return try create(
            "\(folder)/\(number)-\(slug).md",
            """
            ---
            title: \(Self.quoted(title))
            summary: ""
            stage: \(chosenStage)
            duration: 15
            ---

            What this step achieves and why it comes now.

            ## What to do {#what-to-do}

            Explain the step with a concrete example.

            ## Checklist {#checklist}

            - [ ] First concrete action {#first-action}
            - [ ] Second concrete action {#second-action}

            """)
    }

    /// What a command did to one file, as `waymark new` reports it.
    public enum Change: Equatable, CustomStringConvertible {
        case created(String)
        /// An existing file edited in place (site.yml).
        case updated(String)

        public var description: String {
            switch self {
            case .created(let path): return "created \(path)"
            case .updated(let path): return "updated \(path)"
            }
        }
    }

    /// Adds the segment to site.yml and creates its landing file and first guide.
    public func segment(id: String, title: String?) throws -> [Change] {
        let config = try config()
        try Self.checkSlug(id, what: "segment id")
        if config.segment(id) != nil { throw Failure("segment '\(id)' already exists in site.yml") }
        let title = title ?? id.replacingOccurrences(of: "-", with: " ").capitalizingFirst
        let landing = "\(config.defaultLanguage)/landing/\(id).yml"
        if FileSystem.entryExists(content + "/" + landing) { throw Failure("\(content)/\(landing) already exists; not overwriting it") }
        try addToSiteConfig(key: "segments", entry: "{ id: \(id), title: \(Self.quoted(title)) }") { $0.segment(id) != nil }
        let files = [
            try create(
                landing,
                """
                title: \(Self.quoted(title))
                subtitle: "Who this is for and what they get out of the route."
                highlights:
                  - title: "First highlight"
                    text: "One sentence."
                featured: []
                cta:
                  text: "Follow the steps in order; each takes a few minutes."
                  label: "Start the route"

                """),
            try guide(language: config.defaultLanguage, segment: id, slug: "welcome", title: "Welcome", stage: config.stages.first!.id),
        ]
        return [.updated(content + "/site.yml")] + files.map(Change.created)
    }

    /// Adds the language to site.yml, creates its home page and a strings file to translate.
    public func language(code: String, name: String?, rightToLeft: Bool?) throws -> [Change] {
        let config = try config()
        guard SiteConfig.isLanguageCode(code) else { throw Failure("'\(code)' is not a language code (use BCP 47, such as de, pt-br)") }
        if config.language(code) != nil { throw Failure("language '\(code)' already exists in site.yml") }
        var entry = "{ code: \(code), name: \(Self.quoted(name ?? code))"
        if let rtl = rightToLeft, rtl != SiteConfig.rightToLeftLanguages.contains(code) { entry += ", direction: \(rtl ? "rtl" : "ltr")" }
        entry += " }"
        let home = "\(code)/landing/home.yml"
        if FileSystem.entryExists(content + "/" + home) { throw Failure("\(content)/\(home) already exists; not overwriting it") }
        try addToSiteConfig(key: "languages", entry: entry) { $0.language(code) != nil }
        var files: [Change] = [.updated(content + "/site.yml")]
        files.append(.created(try create(home, "title: \(Self.quoted(config.text(config.title, code)))\nsubtitle: \"\"\n")))
        let strings = templates + "/i18n/\(code).yml"
        if !FileManager.default.fileExists(atPath: strings), let english = try? String(contentsOfFile: templates + "/i18n/en.yml", encoding: .utf8) {
            try FileSystem.write("# Translate these interface strings into \(name ?? code); keys left out fall back to English.\n" + english, to: strings)
            files.append(.created(strings))
        }
        return files
    }

    /// Inserts `- entry` at the end of a top-level block list in site.yml, then checks the result.
    func addToSiteConfig(key: String, entry: String, verify: (SiteConfig) -> Bool) throws {
        let path = content + "/site.yml"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        var lines = original.components(separatedBy: "\n")
        if let start = lines.firstIndex(where: { $0.hasPrefix(key + ":") }) {
            let rest = lines[start].dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
            guard rest.isEmpty || rest.hasPrefix("#") else {
                throw Failure("site.yml writes `\(key)` on one line; add `- \(entry)` to it by hand")
            }
            var end = start + 1
            var indent = "  "
            while end < lines.count, lines[end].isEmpty || lines[end].hasPrefix(" ") || lines[end].hasPrefix("#") {
                let trimmed = lines[end].drop { $0 == " " }
                if trimmed.hasPrefix("- "), indent == "  " || end == start + 1 { indent = String(lines[end].prefix { $0 == " " }) }
                end += 1
            }
            while end > start + 1, lines[end - 1].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
            lines.insert(indent + "- " + entry, at: end)
        } else {
            if lines.last == "" { lines.removeLast() }
            lines += [key + ":", "  - " + entry, ""]
        }
        let updated = lines.joined(separator: "\n")
        let (parsed, diagnostics) = SiteConfig.parse(SourceFile(path: "site.yml", text: updated))
        guard let parsed, verify(parsed), !diagnostics.contains(where: { $0.severity == .error }) else {
            throw Failure("could not add the entry to site.yml automatically; add `- \(entry)` under `\(key):` by hand")
        }
        try FileSystem.write(updated, to: path)
    }
}

extension String {
    var capitalizingFirst: String { prefix(1).uppercased() + dropFirst() }
}
