import Foundation

/// A content file that is not a page: an image, a PDF, a download.
public struct ContentAsset: Sendable, Hashable {
    /// Content-relative path (`en/assets/flow.png`).
    public var path: String
    /// Changes when the file's size or modification time does (see `Job.stamp`).
    var stamp: UInt64
}

/// Everything read from a content folder, before any page is rendered.
public struct ContentSet: Sendable {
    public var config: SiteConfig
    /// Articles and guides of every language, drafts included, in source-path order.
    public var documents: [Document]
    public var landings: [LandingFile]
    /// Files published as they are (images, PDFs), in path order.
    public var assets: [ContentAsset]
    /// Every content-relative file path that exists, for link checks against non-page files.
    public var files: Set<String>
    /// Hash of site.yml's bytes: cached pages of the preview server depend on everything in it.
    public var configFingerprint: UInt64 = 0
}

/// Reads `content/`: site.yml, then every language folder in parallel.
public struct ContentLoader: Sendable {
    public var root: String

    public init(root: String) {
        self.root = root
    }

    /// Reads the content tree. With a `memo` from an earlier load, files whose size and modification
    /// time did not change are not read or parsed again.
    func load(diagnostics: DiagnosticBag, memo: StageMemo<ParsedFile>? = nil) -> ContentSet? {
        guard FileSystem.isDirectory(root) else {
            diagnostics.report(.error("missing-content", "content folder '\(root)' does not exist"))
            return nil
        }
        guard let siteBytes = try? FileSystem.readBytes(root + "/site.yml") else {
            diagnostics.report(.error("missing-site-config", "site.yml is missing: every content folder needs one (see the README)", file: "site.yml"))
            return nil
        }
        let siteSource: SourceFile
        switch SourceFile.decode(path: "site.yml", bytes: siteBytes) {
        case .success(let s): siteSource = s
        case .failure(let d):
            diagnostics.report(d)
            return nil
        }
        let (parsedConfig, configDiagnostics) = SiteConfig.parse(siteSource)
        diagnostics.report(contentsOf: configDiagnostics)
        guard let config = parsedConfig else { return nil }

        let entries: [FileSystem.Entry]
        do {
            entries = try FileSystem.walk(root)
        } catch {
            diagnostics.report(.error("unreadable-content", "\(error)"))
            return nil
        }
        let realRoot = FileSystem.realPath(root) ?? root
        var jobs: [Job] = []
        var assets: [ContentAsset] = []
        var files: Set<String> = []
        let languageCodes = Set(config.languages.map(\.code))

        for entry in entries {
            let parts = entry.path.split(separator: "/").map(String.init)
            if Self.isIgnored(parts) { continue }
            if entry.isSpecial {
                diagnostics.report(
                    .error("special-file", "not a regular file (a pipe, device or socket); only regular files are read, so remove it", file: entry.path))
                continue
            }
            if let target = entry.symlinkTarget {
                guard let target, target == realRoot || target.hasPrefix(realRoot + "/") else {
                    diagnostics.report(.error("unsafe-symlink", "symbolic link points outside the content folder; it is not read", file: entry.path))
                    continue
                }
                if FileSystem.isDirectory(target) {
                    diagnostics.report(
                        .warning("symlinked-folder", "symbolic links to folders are not followed; move or copy the folder instead", file: entry.path))
                    continue
                }
            }
            if parts.count == 1 {
                if entry.isDirectory {
                    if !languageCodes.contains(parts[0]) {
                        diagnostics.report(
                            .error(
                                "unknown-language",
                                "folder '\(parts[0])' is not a language listed in site.yml (\(config.languages.map(\.code).joined(separator: ", "))); add it under `languages` or rename the folder",
                                file: entry.path))
                    }
                } else if parts[0] != "site.yml", !parts[0].lowercased().hasPrefix("readme") {
                    diagnostics.report(.warning("ignored-file", "file is ignored: content files belong in a language folder", file: entry.path))
                }
                continue
            }
            let language = parts[0]
            guard languageCodes.contains(language), !entry.isDirectory else { continue }
            files.insert(entry.path)
            let section = parts[1]
            let name = parts[parts.count - 1]
            let isMarkdown = name.lowercased().hasSuffix(".md")
            switch section {
            case "articles" where isMarkdown:
                if parts.count < 4 {
                    diagnostics.report(
                        .error("misplaced-article", "articles must be inside a category folder: \(language)/articles/<category>/\(name)", file: entry.path))
                } else {
                    jobs.append(Job(path: entry.path, kind: .markdown(.article), stamp: Job.stamp(entry)))
                }
            case "guides" where isMarkdown:
                if parts.count != 4 {
                    diagnostics.report(
                        .error("misplaced-guide", "guides must be directly inside a segment folder: \(language)/guides/<segment>/\(name)", file: entry.path))
                } else {
                    jobs.append(Job(path: entry.path, kind: .markdown(.guide), stamp: Job.stamp(entry)))
                }
            case "landing" where parts.count == 3 && (name.hasSuffix(".yml") || name.hasSuffix(".yaml")):
                jobs.append(Job(path: entry.path, kind: .landing, stamp: Job.stamp(entry)))
            case "articles", "guides", "assets":
                if isMarkdown {
                    diagnostics.report(.warning("ignored-file", "Markdown files in assets/ are copied, not rendered", file: entry.path))
                }
                assets.append(ContentAsset(path: entry.path, stamp: Job.stamp(entry)))
            default:
                diagnostics.report(
                    .warning("ignored-file", "file is ignored: expected articles/, guides/, landing/ or assets/ in a language folder", file: entry.path))
            }
        }

        let root = self.root
        let results = jobs.concurrentMap { job -> ParsedFile in
            // The size limit is an input too: raising it must re-read a file refused before.
            let key = StageKey.of(job.stamp, UInt64(config.limits.fileKB))
            if let cached = memo?.value(job.path, key: key) { return cached }
            let result = job.run(root: root, config: config)
            memo?.store(job.path, key: key, result)
            return result
        }
        var documents: [Document] = []
        var landings: [LandingFile] = []
        for result in results {
            diagnostics.report(contentsOf: result.diagnostics)
            if let d = result.document { documents.append(d) }
            if let l = result.landing { landings.append(l) }
        }
        return ContentSet(
            config: config, documents: documents, landings: landings, assets: assets, files: files, configFingerprint: FNV1a.hash(siteBytes))
    }
}

extension ContentLoader {
    /// Hidden files and folders and editors' backups (`.x.md.swp`, `x.md~`), by path component: never content.
    static func isIgnored(_ components: some Sequence<some StringProtocol>) -> Bool {
        components.contains { $0.hasPrefix(".") || $0.hasSuffix("~") }
    }

    /// Reads and parses one Markdown file as `load` would, outside a whole load (the preview's re-render
    /// of an edited page).
    func parseMarkdown(_ path: String, kind: DocumentKind, config: SiteConfig) -> ParsedFile {
        Job(path: path, kind: .markdown(kind), stamp: 0).run(root: root, config: config)
    }

    /// Reads and parses one landing file as `load` would.
    func parseLanding(_ path: String, config: SiteConfig) -> ParsedFile {
        Job(path: path, kind: .landing, stamp: 0).run(root: root, config: config)
    }
}

/// Reading and parsing one file; runs on any core.
private struct Job: Sendable {
    enum Kind: Sendable {
        case markdown(DocumentKind)
        case landing
    }

    var path: String
    var kind: Kind
    /// The load stage's key: the file's size and modification time, the only inputs it checks before
    /// reading a file again (every later stage keys on content).
    var stamp: UInt64

    static func stamp(_ entry: FileSystem.Entry) -> UInt64 {
        var h = StableHasher()
        h.add([UInt64(bitPattern: Int64(entry.size)), UInt64(bitPattern: Int64(entry.modified))])
        return h.value
    }

    typealias Result = ParsedFile

    func run(root: String, config: SiteConfig) -> Result {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readBytes(root + "/" + path, limit: config.limits.fileKB * 1024)
        } catch let error as FileTooLarge {
            let message =
                "file is \(error.size / 1024) KiB; the limit is \(error.limit / 1024) KiB: split it into several pages, or raise `limits.fileKB` in site.yml"
            return Result(diagnostics: [.error("file-too-large", message, file: path, at: SourceLocation(line: 1, column: 1))])
        } catch {
            return Result(diagnostics: [.error("unreadable-file", "\(error)", file: path)])
        }
        let source: SourceFile
        switch SourceFile.decode(path: path, bytes: bytes) {
        case .success(let s): source = s
        case .failure(let d): return Result(diagnostics: [d])
        }
        switch kind {
        case .markdown(let kind): return document(source, kind: kind)
        case .landing: return landing(source)
        }
    }

    func document(_ source: SourceFile, kind: DocumentKind) -> Result {
        let parts = path.split(separator: "/").map(String.init)
        let language = parts[0]
        let localPath = parts.dropFirst().joined(separator: "/")
        let (yaml, body, offset): (Substring, Substring, Int)
        switch FrontMatter.split(source.text) {
        case .none:
            let message =
                source.text.isEmpty
                ? "file is empty; a page needs front matter with a title (---, title: ..., ---)"
                : "missing front matter: start the file with a `---` line, `title: ...`, and a closing `---` line"
            return Result(diagnostics: [.error("missing-front-matter", message, file: path, at: SourceLocation(line: 1, column: 1))])
        case .unterminated:
            return Result(diagnostics: [
                .error(
                    "unterminated-front-matter", "front matter starting here is not closed by a `---` line", file: path, at: SourceLocation(line: 1, column: 1))
            ])
        case .found(let y, let b, let o): (yaml, body, offset) = (y, b, o)
        }
        var (fm, diagnostics) = FrontMatter.parse(yaml: yaml, file: path, kind: kind)
        let stem = String(parts[parts.count - 1].dropLast(3))
        let slug = Self.urlSegment(stem)
        let group = parts[2]
        let urlPath: String
        let translationKey: String
        switch kind {
        case .article:
            let folders = parts[2..<(parts.count - 1)].map(Self.urlSegment)
            urlPath = "\(language)/articles/\(folders.joined(separator: "/"))/\(slug)/"
            translationKey = fm.translationKey ?? String(localPath.dropLast(3))
        case .guide:
            // `03-connect-bank.md`: the number orders the step unless `order` says otherwise. The URL and the
            // default translation key keep the whole name, as for articles; writers who renumber steps and
            // want to keep readers' checklist progress set `translationKey`.
            let digits = stem.prefix { $0.isASCII && $0.isNumber }
            if fm.order == nil, !digits.isEmpty, stem.dropFirst(digits.count).first == "-" { fm.order = Int(digits) }
            if fm.order == nil {
                diagnostics.append(
                    .error(
                        "missing-order", "a guide needs an order: name the file NN-\(stem).md or add `order: N`", file: path,
                        at: SourceLocation(line: 1, column: 1)))
            }
            urlPath = "\(language)/guides/\(Self.urlSegment(group))/\(slug)/"
            translationKey = fm.translationKey ?? String(localPath.dropLast(3))
        }
        if slug.isEmpty {
            diagnostics.append(.error("invalid-file-name", "file name gives an empty URL; rename the file", file: path, at: SourceLocation(line: 1, column: 1)))
            return Result(diagnostics: diagnostics)
        }
        let document = Document(
            kind: kind, language: language, sourcePath: path, localPath: localPath, frontMatter: fm,
            body: String(body), bodyLineOffset: offset, group: group, slug: slug,
            translationKey: translationKey, urlPath: urlPath)
        return Result(document: document, diagnostics: diagnostics)
    }

    func landing(_ source: SourceFile) -> Result {
        let parts = path.split(separator: "/").map(String.init)
        let fileName = parts[parts.count - 1]
        let name = String(fileName[..<fileName.lastIndex(of: ".")!])
        var landing = LandingFile(language: parts[0], sourcePath: path, name: name)
        var reader = YAMLReader(file: path)
        guard let root = reader.parse(source.text) else {
            return Result(landing: reader.diagnostics.isEmpty ? landing : nil, diagnostics: reader.diagnostics)
        }
        guard let pairs = reader.mapping(root, what: "a landing file") else { return Result(diagnostics: reader.diagnostics) }
        reader.checkKeys(pairs, known: ["title", "subtitle", "highlights", "featured", "cta"], what: "landing file")
        for (key, _, value) in pairs {
            switch key {
            case "title": landing.title = reader.string(value, what: "title")
            case "subtitle": landing.subtitle = reader.string(value, what: "subtitle")
            case "highlights":
                guard case .sequence(let items) = value else {
                    reader.error("invalid-yaml-type", "highlights must be a list of `- title: ... text: ...` entries", at: value)
                    continue
                }
                for item in items {
                    guard let fields = reader.mapping(item, what: "a highlight") else { continue }
                    reader.checkKeys(fields, known: ["title", "text"], what: "highlight")
                    let title = fields.first { $0.key == "title" }.flatMap { reader.string($0.value, what: "highlight title") }
                    let text = fields.first { $0.key == "text" }.flatMap { reader.string($0.value, what: "highlight text") }
                    if title == nil, text == nil {
                        reader.error("invalid-highlight", "a highlight needs a title or a text", at: item)
                        continue
                    }
                    landing.highlights.append(.init(title: title ?? "", text: text ?? ""))
                }
            case "featured":
                guard case .sequence(let items) = value else {
                    reader.error("invalid-yaml-type", "featured must be a list of content paths such as articles/billing/refunds.md", at: value)
                    continue
                }
                for item in items {
                    if let p = reader.string(item, what: "featured path") {
                        landing.featured.append(.init(path: p, location: reader.location(of: item)))
                    }
                }
            case "cta":
                if case .scalar = value {
                    landing.cta = .init(text: nil, label: reader.string(value, what: "cta"))
                } else if let fields = reader.mapping(value, what: "cta") {
                    reader.checkKeys(fields, known: ["text", "label"], what: "cta")
                    landing.cta = .init(
                        text: fields.first { $0.key == "text" }.flatMap { reader.string($0.value, what: "cta text") },
                        label: fields.first { $0.key == "label" }.flatMap { reader.string($0.value, what: "cta label") })
                }
            default: break
            }
        }
        return Result(landing: landing, diagnostics: reader.diagnostics)
    }

    /// A file or folder name as it appears in URLs: lowercase, runs of spaces as one `-`. Other
    /// characters (including non-Latin letters) are kept and percent-encoded only in links.
    static func urlSegment(_ name: String) -> String {
        var out = ""
        var pendingDash = false
        for ch in name.nfc.lowercased() {
            if ch.isWhitespace {
                pendingDash = !out.isEmpty
                continue
            }
            if pendingDash {
                out.append("-")
                pendingDash = false
            }
            out.append(ch)
        }
        return out
    }
}

/// The result of reading one content file, as the loader produces it.
struct ParsedFile: Sendable {
    var document: Document?
    var landing: LandingFile?
    var diagnostics: [Diagnostic] = []
}
