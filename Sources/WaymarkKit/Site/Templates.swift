import Foundation
import Mustache

/// The Mustache templates, UI strings and static assets of a template folder, parsed once per build.
///
/// swift-mustache renders a missing partial or template as an empty string; this wrapper checks every
/// reference up front and reports it as a diagnostic with the template's file and line instead.
public struct TemplateSet: Sendable {
    public let directory: String
    let library: MustacheLibrary
    let strings: StringCatalog
    /// Static files from `assets/`: source name → fingerprinted output path (`assets/style.3f9a1c2b.css`).
    public let assets: [String: String]
    /// Output path → bytes for every asset, and for the files of `root/` (`embed.js`), which are published
    /// at the site's base path under their own names: other sites link to them, so no fingerprint.
    let assetFiles: [(path: String, bytes: [UInt8])]
    /// Changes whenever any template, string or asset changes; part of every cached page's key.
    let fingerprint: UInt64
    /// Templates in `partials/cached/`: they see only site-wide values (`site`, `t`, `assets`, `lang`,
    /// `dir`), so they are rendered once per language and pages include the result as `{{{cached.name}}}`
    /// (like Hugo's partialCached): a few variables per page instead of dozens.
    let cachedPartials: [String]
    /// The fast renderer for these templates; nil when a template needs swift-mustache.
    let compiled: CompiledTemplates?
    /// Render with swift-mustache even when the compiled renderer could (for the parity test).
    var useReference = false

    /// Names of the templates the folder has (`article`, `partials/toc`, …).
    let names: Set<String>

    /// A template that one command needs but the folder lacks (`report` for `waymark report`).
    public struct Missing: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "template '\(name).mustache' is missing from the template folder; copy it from Waymark's default templates/" }
    }

    func has(_ name: String) -> Bool { names.contains(name) }

    public static func load(from directory: String) -> (TemplateSet?, [Diagnostic]) {
        FastHTMLEscaping.register()
        var diagnostics: [Diagnostic] = []
        func report(_ code: String, _ message: String, file: String? = nil, at location: SourceLocation? = nil) {
            diagnostics.append(Diagnostic(.error, code, message, file: file, at: location, root: .templates))
        }
        guard FileSystem.isDirectory(directory), let entries = try? FileSystem.walk(directory) else {
            report("missing-templates", "template folder '\(directory)' does not exist (use --templates DIR)")
            return (nil, diagnostics)
        }
        var library = MustacheLibrary()
        var sources: [String: String] = [:]
        var fingerprint = StableHasher()
        var assetFiles: [(String, [UInt8])] = []
        var assets: [String: String] = [:]
        // Published scripts and stylesheets, and the parts their `//@include` lines name (scripts/).
        var published: [(String, [UInt8])] = []
        var parts: [String: [UInt8]] = [:]
        for entry in entries where !entry.isDirectory && entry.symlinkTarget == nil {
            let path = entry.path
            if path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if path.hasSuffix(".mustache") {
                let name = String(path.dropLast(".mustache".count))
                guard let bytes = try? FileSystem.readBytes(directory + "/" + path),
                    let text = String(validating: bytes, as: UTF8.self)
                else {
                    report("invalid-template", "template is not readable UTF-8 text", file: path)
                    continue
                }
                fingerprint.add(path)
                fingerprint.add(bytes)
                do {
                    library.register(try MustacheTemplate(string: FastHTMLEscaping.pragma + text), named: name)
                    sources[name] = text
                } catch let error as MustacheTemplate.ParserError {
                    // The pragma is a line of its own, so the writer's line numbers are one less.
                    let line = max(1, error.context.lineNumber - 1)
                    report(
                        "invalid-template", "template syntax: \(error.error)", file: path, at: SourceLocation(line: line, column: error.context.columnNumber))
                } catch {
                    report("invalid-template", "template syntax: \(error)", file: path)
                }
            } else if path.hasPrefix("assets/") || path.hasPrefix("root/"), let bytes = try? FileSystem.readBytes(directory + "/" + path) {
                published.append((path, bytes))
            } else if path.hasPrefix("scripts/"), let bytes = try? FileSystem.readBytes(directory + "/" + path) {
                parts[String(path.dropFirst("scripts/".count))] = bytes
            } else if let bytes = try? FileSystem.readBytes(directory + "/" + path) {
                // Interface strings (`i18n/`) are read by `StringCatalog`; they change pages all the same.
                fingerprint.add(path)
                fingerprint.add(bytes)
            }
        }
        for (path, source) in published {
            let bytes = includingParts(source, parts: parts, file: path) { report($0, $1, file: $2, at: $3) }
            fingerprint.add(path)
            fingerprint.add(bytes)
            if path.hasPrefix("root/") {
                assetFiles.append((String(path.dropFirst("root/".count)), path.hasSuffix(".js") ? withoutLineComments(bytes) : bytes))
                continue
            }
            let name = String(path.dropFirst("assets/".count))
            let output = "assets/" + fingerprinted(name, bytes)
            assets[name] = output
            assetFiles.append((output, bytes))
        }
        // Every page kind's template: a folder missing one cannot build (it would publish empty pages).
        for name in PageKinds.templates where sources[name] == nil {
            report("missing-template", "required template '\(name).mustache' is missing", file: name + ".mustache")
        }
        for (name, text) in sources.sorted(by: { $0.key < $1.key }) {
            for (partial, location) in partialReferences(in: text) where sources[partial] == nil {
                report("missing-partial", "partial '\(partial)' does not exist (expected \(partial).mustache)", file: name + ".mustache", at: location)
            }
        }
        let strings = StringCatalog.load(from: directory, diagnostics: &diagnostics)
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        return (
            TemplateSet(
                directory: directory, library: library, strings: strings, assets: assets, assetFiles: assetFiles, fingerprint: fingerprint.value,
                cachedPartials: sources.keys.filter { $0.hasPrefix("partials/cached/") }.sorted(),
                compiled: CompiledTemplates(sources: sources), names: Set(sources.keys)), diagnostics
        )
    }

    /// `{{> name}}` and `{{< name}}` tags with their positions.
    static func partialReferences(in text: String) -> [(String, SourceLocation)] {
        var out: [(String, SourceLocation)] = []
        for (lineIndex, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line[...]
            while let open = rest.range(of: "{{") {
                let after = rest[open.upperBound...].drop { $0 == " " }
                guard let sigil = after.first, sigil == ">" || sigil == "<", let close = after.range(of: "}}") else {
                    rest = rest[open.upperBound...]
                    continue
                }
                let name = after[after.index(after: after.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, !name.hasPrefix("*") {
                    let column = line.distance(from: line.startIndex, to: open.lowerBound) + 1
                    out.append((name, SourceLocation(line: lineIndex + 1, column: column)))
                }
                rest = after[close.upperBound...]
            }
        }
        return out
    }

    /// `style.css` → `style.1a2b3c4d5e.css`: a content hash in the name lets hosts cache assets forever.
    static func fingerprinted(_ name: String, _ bytes: [UInt8]) -> String {
        Fingerprint.name(name, FNV1a.hash(bytes))
    }

    /// The page as UTF-8 bytes, ready to write.
    func renderBytes(_ name: String, _ context: [String: Any]) -> [UInt8] {
        if let compiled, !useReference { return compiled.render(name, context) }
        // Presence was verified at load time.
        return Array((library.render(context, withTemplate: name) ?? "").utf8)
    }

    func render(_ name: String, _ context: [String: Any]) -> String {
        String(decoding: renderBytes(name, context), as: UTF8.self)
    }

    func strings(for language: String, defaultLanguage: String) -> Strings {
        strings.strings(for: language, defaultLanguage: defaultLanguage)
    }
}

/// swift-mustache escapes `{{value}}` Character by Character with a dictionary lookup each, which was the
/// largest single cost of rendering pages. This content type escapes the same five characters
/// (`& < > " '`) on UTF-8 bytes and returns text without them untouched. Every template is parsed with a
/// leading `{{% CONTENT_TYPE: WAYMARK_HTML }}`, so template authors write plain Mustache.
struct FastHTMLEscaping: MustacheContentType {
    static let name = "WAYMARK_HTML"
    /// On a line of its own so that it is a standalone tag and leaves the template's first line alone.
    static let pragma = "{{% CONTENT_TYPE: \(name) }}\n"
    private static let registered: Void = { MustacheContentTypes.register(FastHTMLEscaping(), named: name) }()

    static func register() { _ = registered }

    func escapeText(_ text: String) -> String { HTML.escape(text) }
}
