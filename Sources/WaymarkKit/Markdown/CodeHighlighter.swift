import CWaymarkHighlight
import Foundation

/// Colours fenced code at build time with GNU source-highlight (libsource-highlight, through the C
/// functions of `CWaymarkHighlight`): the page gets `<span class="hl-…">` runs and needs no script.
///
/// source-highlight only splits the text into runs of a kind; this file writes the HTML and escapes every
/// byte itself, so nothing the engine returns reaches a page unescaped. Its language definitions are read
/// at run time from Debian's `/usr/share/source-highlight`; the four languages it lacks (YAML, TypeScript,
/// Swift, HTTP) are definitions of ours in its format, compiled into Waymark (`HighlightLanguages`).
///
/// Its definition parser and its regular-expression states hold process-wide state, so every call into it
/// holds one lock: measured on the 1× bench corpus, highlighting is a small part of a build
/// (docs/design-notes.md), and a lock keeps its output deterministic.
final class CodeHighlighter: @unchecked Sendable {
    /// Part of the Markdown stage's key: raise it whenever highlighted output may change (a new language,
    /// a changed definition, other classes), so `serve` and incremental builds re-render code.
    static let version = 1

    /// The warning when code cannot be coloured; a build reports it once (`MarkdownStage.run`).
    static let unavailableCode = "code-not-highlighted"

    /// The highlighter the build uses, with Debian's language files.
    static let shared = CodeHighlighter(dataDirectory: "/usr/share/source-highlight")

    /// Blocks larger than this stay plain: source-highlight's time per byte is far above cmark-gfm's.
    static let maxBytes = 64 * 1024
    /// Blocks with a longer line stay plain: source-highlight searches each rule to the end of the line
    /// from every token, so a line costs time quadratic in its length (a 44 kB JSON line took 12 s).
    static let maxLineBytes = 1000
    /// And blocks whose lines' squared lengths add up to more than this: the bound on that quadratic
    /// time per block (64 kB of 120-byte lines is within it; 64 kB of 1,000-byte lines is not).
    static let maxLineWeight = 8_000_000

    /// What one document may have highlighted in all: its blocks' bytes and squared line lengths. Past
    /// it, further blocks stay plain, so no file costs more than about four of the costliest blocks
    /// (0.5 s) however many it holds: 1 MB of such blocks took 14.6 s before this bound.
    struct Budget {
        var bytes = 256 * 1024
        var weight = 4 * CodeHighlighter.maxLineWeight
    }

    /// The result of `highlight`.
    enum Result: Equatable {
        /// The inside of `<code>`: escaped text with `<span class="hl-…">` runs.
        case highlighted(String)
        /// Not a language Waymark highlights, or a block over the limits: cmark-gfm renders it as before.
        case plain
        /// The language's definition could not be read (source-highlight's files are missing or damaged):
        /// the block is plain, and the build warns once with `reason`.
        case unavailable(reason: String)
    }

    let dataDirectory: String
    /// Languages tried so far, by definition file: nil when loaded, else why not.
    private var failures: [String: String?] = [:]
    /// One lock for every instance: source-highlight's state is per process.
    private static let lock = Lock()

    init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    /// The definition file for a fence's info string (its first word, any case), or nil: unknown languages
    /// stay plain without a warning, as on GitHub.
    static func definition(forInfo info: String) -> String? {
        let word = info.prefix { $0 != " " && $0 != "\t" && $0 != "{" }.lowercased()
        return languages[word]
    }

    /// Languages by the names writers put after the fence. Each issue-22 language and its common
    /// aliases; others source-highlight has (C, Go, Java, Ruby, Rust, PHP…) by their usual names.
    static let languages: [String: String] = {
        var map: [String: String] = [:]
        let names: [(String, [String])] = [
            ("sh.lang", ["sh", "bash", "shell", "zsh", "console", "shell-session"]),
            ("json.lang", ["json", "jsonc", "json5"]),
            ("yaml.lang", ["yaml", "yml"]),
            ("javascript.lang", ["js", "javascript", "jsx", "mjs", "cjs"]),
            ("typescript.lang", ["ts", "typescript", "tsx"]),
            ("python.lang", ["py", "python", "python3"]),
            ("swift.lang", ["swift"]),
            ("sql.lang", ["sql", "postgresql", "mysql", "sqlite"]),
            ("http.lang", ["http"]),
            ("html.lang", ["html", "htm", "xhtml"]),
            ("xml.lang", ["xml", "svg", "plist"]),
            ("css.lang", ["css"]),
            ("diff.lang", ["diff", "patch"]),
            ("c.lang", ["c", "h"]),
            ("cpp.lang", ["cpp", "c++", "cxx", "hpp"]),
            ("csharp.lang", ["cs", "csharp"]),
            ("go.lang", ["go", "golang"]),
            ("java.lang", ["java"]),
            ("php.lang", ["php"]),
            ("ruby.lang", ["rb", "ruby"]),
            ("rust.lang", ["rs", "rust"]),
            ("makefile.lang", ["make", "makefile"]),
            ("properties.lang", ["ini", "properties"]),
        ]
        for (file, aliases) in names { for a in aliases { map[a] = file } }
        return map
    }()

    /// The run kinds of `waymark_token_kind` by value, as CSS classes.
    static let classes = [
        "", "hl-keyword", "hl-type", "hl-string", "hl-comment", "hl-number", "hl-function", "hl-variable", "hl-attribute", "hl-meta",
        "hl-inserted", "hl-deleted",
    ]

    /// Highlights `code` (a code block's literal, valid UTF-8 as cmark-gfm gives it) as `info`'s language,
    /// within the limits of one block and what is left of its document's `budget`.
    func highlight(_ code: String, info: String, budget: inout Budget) -> Result {
        guard let file = Self.definition(forInfo: info) else { return .plain }
        let bytes = code.utf8.count
        guard bytes <= Self.maxBytes, bytes <= budget.bytes, let weight = Self.lineWeight(code), weight <= min(Self.maxLineWeight, budget.weight) else {
            return .plain
        }
        budget.bytes -= bytes
        budget.weight -= weight
        let name = dataDirectory + "/" + file
        var runs: [waymark_token] = []
        let status: Result? = Self.lock.withLock {
            if let failure = load(file, name: name) { return .unavailable(reason: failure) }
            var tokens: UnsafeMutablePointer<waymark_token>?
            var count = 0
            var error = [CChar](repeating: 0, count: 512)
            let ok = code.utf8CString.withUnsafeBufferPointer {
                waymark_highlight(name, $0.baseAddress, $0.count - 1, &tokens, &count, &error, error.count) == 0
            }
            // A regular expression that gave up (boost's complexity limit) leaves the block plain.
            guard ok, let tokens else { return .plain }
            runs = Array(UnsafeBufferPointer(start: tokens, count: count))
            waymark_highlight_free(tokens)
            return nil
        }
        if let status { return status }
        return .highlighted(Self.html(code, runs))
    }

    /// Loads `file` once (the lock is held); returns why it could not be, or nil.
    private func load(_ file: String, name: String) -> String? {
        if let known = failures[file] { return known }
        var error = [CChar](repeating: 0, count: 1024)
        var failure: String?
        if let embedded = HighlightLanguages.definitions[file] {
            failure = Self.loadEmbedded(name: name, file: file, text: embedded)
        } else if waymark_highlight_load(name, dataDirectory, file, &error, error.count) != 0 {
            failure = Self.message(error)
        }
        failures[file] = .some(failure)
        return failure
    }

    /// source-highlight reads definitions from files only: ours are written to a private temporary folder,
    /// parsed, and the folder removed.
    private static func loadEmbedded(name: String, file: String, text: String) -> String? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-highlight-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(at: folder) }
            try Data(text.utf8).write(to: folder.appendingPathComponent(file))
            var error = [CChar](repeating: 0, count: 1024)
            return waymark_highlight_load(name, folder.path, file, &error, error.count) == 0 ? nil : Self.message(error)
        } catch {
            return "cannot write Waymark's definition of \(file) to \(folder.path): \(error.localizedDescription)"
        }
    }

    /// The C string the bridge wrote into `buffer`.
    private static func message(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The sum of the squares of the lines' lengths, or nil when a line is over `maxLineBytes`.
    static func lineWeight(_ code: String) -> Int? {
        var length = 0
        var weight = 0
        for b in code.utf8 {
            if b == 0x0A {
                weight += length * length
                length = 0
            } else {
                length += 1
                if length > maxLineBytes { return nil }
            }
        }
        return weight + length * length
    }

    /// The runs as HTML. A run boundary inside a UTF-8 sequence (a rule whose `.` matched one byte of a
    /// multi-byte character) moves back to the character's start, so a tag never splits a character.
    static func html(_ code: String, _ runs: [waymark_token]) -> String {
        let bytes = Array(code.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        var position = 0
        for (i, run) in runs.enumerated() {
            var end = i == runs.count - 1 ? bytes.count : Int(run.start) + Int(run.length)
            end = min(max(end, position), bytes.count)
            while end < bytes.count, end > position, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            guard end > position else { continue }
            let kind = Int(run.kind)
            let cls = kind > 0 && kind < classes.count ? classes[kind] : ""
            if !cls.isEmpty { out.append(contentsOf: "<span class=\"\(cls)\">".utf8) }
            HTML.appendEscaped(bytes: bytes[position..<end], to: &out)
            if !cls.isEmpty { out.append(contentsOf: "</span>".utf8) }
            position = end
        }
        if position < bytes.count { HTML.appendEscaped(bytes: bytes[position...], to: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}
