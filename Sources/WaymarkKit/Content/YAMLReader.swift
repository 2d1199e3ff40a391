import Yams

/// What the typing functions of `YAMLReader` need from a parsed YAML node. Yams' nodes provide it, and so
/// do `PlainYAML`'s (front matter of plain `key: value` lines, read without libyaml), so both are typed by
/// the same code and give the same values and diagnostics.
protocol YAMLNode {
    var shape: YAMLShape<Self> { get }
    /// Line and column (counted in Unicode scalars, from 1) in the YAML text; nil when unknown.
    var position: (line: Int, column: Int)? { get }
}

/// A node's kind and contents, one level deep.
enum YAMLShape<Node> {
    /// A scalar's text, and whether it was written plain (unquoted): only plain `~`, `null` and `yes` are special.
    case scalar(String, plain: Bool)
    case sequence([Node])
    case mapping([(Node, Node)])
    /// An alias (`*name`): nothing we read accepts one.
    case other
}

extension Yams.Node: YAMLNode {
    var shape: YAMLShape<Yams.Node> {
        switch self {
        case .scalar(let scalar): .scalar(scalar.string, plain: scalar.style == .plain)
        case .sequence(let sequence): .sequence(Array(sequence))
        case .mapping(let mapping): .mapping(mapping.map { ($0.key, $0.value) })
        case .alias: .other
        }
    }

    var position: (line: Int, column: Int)? { mark.map { ($0.line, $0.column) } }
}

/// Reads YAML into our own types, reporting every problem at its line and column in the *containing*
/// file (front matter starts a few lines into a Markdown file).
///
/// Parsing uses Yams' basic resolver: no regex-based implicit typing, so `2026-01-05` stays text until we
/// read it as a date, `no` is not silently a boolean in a title, and parsing costs a third as much.
struct YAMLReader {
    let file: String
    /// Lines of the file before the YAML text begins (1 for front matter after a `---` line).
    let lineOffset: Int
    var diagnostics: [Diagnostic] = []

    init(file: String, lineOffset: Int = 0) {
        self.file = file
        self.lineOffset = lineOffset
    }

    /// Parses one YAML document; nil (with a diagnostic) when it is not valid YAML.
    mutating func parse(_ text: String) -> Node? {
        do {
            return try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            let (message, mark) = Self.describe(error)
            let location =
                mark.map { SourceLocation(line: $0.line + lineOffset, column: $0.column) }
                ?? SourceLocation(line: lineOffset + 1, column: 1)
            diagnostics.append(.error("invalid-yaml", message, file: file, at: location))
        } catch {
            diagnostics.append(.error("invalid-yaml", "invalid YAML: \(error)", file: file, at: SourceLocation(line: lineOffset + 1, column: 1)))
        }
        return nil
    }

    private static func describe(_ error: YamlError) -> (String, Mark?) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if problem.contains("cannot start any token") {
                message += " (YAML does not allow tabs for indentation, and text starting with @, ` or % must be quoted)"
            } else if let context {
                message += " (\(context.text))"
            }
            return (message, mark)
        case .reader(let problem, _, _, _):
            return ("invalid YAML: \(problem)", nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ("duplicate key \(duplicates.joined(separator: ", ")) in YAML mapping", context.mark)
        default:
            return ("invalid YAML: \(error)", nil)
        }
    }

    func location(of node: some YAMLNode) -> SourceLocation {
        guard let mark = node.position else { return SourceLocation(line: lineOffset + 1, column: 1) }
        return SourceLocation(line: mark.line + lineOffset, column: mark.column)
    }

    mutating func error(_ code: String, _ message: String, at node: some YAMLNode) {
        diagnostics.append(.error(code, message, file: file, at: location(of: node)))
    }

    mutating func warning(_ code: String, _ message: String, at node: some YAMLNode) {
        diagnostics.append(.warning(code, message, file: file, at: location(of: node)))
    }

    /// The pairs of a mapping in document order; reports anything else.
    mutating func mapping<N: YAMLNode>(_ node: N, what: String) -> [(key: String, keyNode: N, value: N)]? {
        guard case .mapping(let mapping) = node.shape else {
            error("invalid-yaml-type", "\(what) must be a mapping of `key: value` lines", at: node)
            return nil
        }
        var pairs: [(key: String, keyNode: N, value: N)] = []
        for (key, value) in mapping {
            guard case .scalar(let string, _) = key.shape else {
                error("invalid-yaml-type", "keys in \(what) must be plain text", at: key)
                continue
            }
            pairs.append((string, key, value))
        }
        return pairs
    }

    /// Reports keys that are not among `known`, suggesting the closest known key for likely typos.
    mutating func checkKeys<N: YAMLNode>(_ pairs: [(key: String, keyNode: N, value: N)], known: [String], what: String) {
        for pair in pairs where !known.contains(pair.key) {
            var message = "unknown key '\(pair.key)' in \(what)"
            if let suggestion = closestMatch(to: pair.key, among: known) { message += "; did you mean '\(suggestion)'?" }
            warning("unknown-key", message, at: pair.keyNode)
        }
    }

    mutating func string(_ node: some YAMLNode, what: String) -> String? {
        switch node.shape {
        case .scalar(let string, let plain):
            if plain, string == "~" || string == "null" || string.isEmpty {
                return nil
            }
            // Control characters (YAML escapes such as "\0" or "\e") would reach pages, feeds and terminals.
            if let bad = string.unicodeScalars.first(where: { $0 != "\t" && $0 != "\n" && DiagnosticFormatter.isControl($0) }) {
                error(
                    "control-character", "\(what) contains the control character U+\(String(format: "%04X", bad.value)); remove it", at: node)
                return nil
            }
            return string
        default:
            error("invalid-yaml-type", "\(what) must be text", at: node)
            return nil
        }
    }

    /// A list of texts; a single text is accepted as a one-element list (`tags: billing`).
    mutating func stringList(_ node: some YAMLNode, what: String) -> [String] {
        locatedStringList(node, what: what).map(\.text)
    }

    /// A list of texts, each with where it was written.
    mutating func locatedStringList(_ node: some YAMLNode, what: String) -> [(text: String, location: SourceLocation)] {
        switch node.shape {
        case .scalar:
            return string(node, what: what).map { [($0, location(of: node))] } ?? []
        case .sequence(let sequence):
            var out: [(text: String, location: SourceLocation)] = []
            for item in sequence {
                if let s = string(item, what: "each entry of \(what)") { out.append((s, location(of: item))) }
            }
            return out
        default:
            error("invalid-yaml-type", "\(what) must be a list such as [a, b]", at: node)
            return []
        }
    }

    mutating func bool(_ node: some YAMLNode, what: String) -> Bool? {
        if case .scalar(let string, plain: true) = node.shape {
            switch string {
            case "true", "True", "TRUE", "yes", "Yes", "on": return true
            case "false", "False", "FALSE", "no", "No", "off": return false
            default: break
            }
        }
        error("invalid-yaml-type", "\(what) must be true or false", at: node)
        return nil
    }

    mutating func int(_ node: some YAMLNode, what: String, range: ClosedRange<Int> = 0...1_000_000) -> Int? {
        if case .scalar(let string, _) = node.shape, let value = Int(string.trimmingSpaces), range.contains(value) {
            return value
        }
        error("invalid-yaml-type", "\(what) must be a whole number between \(range.lowerBound) and \(range.upperBound)", at: node)
        return nil
    }

    mutating func date(_ node: some YAMLNode, what: String) -> Day? {
        if case .scalar(let string, _) = node.shape, let day = Day(iso: string) { return day }
        error("invalid-date", "\(what) must be a date written YYYY-MM-DD", at: node)
        return nil
    }

    /// A string or a map from language code to string (`title: { en: Help, vi: Trợ giúp }`).
    mutating func localized(_ node: some YAMLNode, what: String) -> LocalizedString? {
        switch node.shape {
        case .scalar:
            return string(node, what: what).map { LocalizedString($0) }
        case .mapping:
            guard let pairs = mapping(node, what: what) else { return nil }
            var values: [String: String] = [:]
            for pair in pairs {
                if let s = string(pair.value, what: "\(what) (\(pair.key))") { values[pair.key] = s }
            }
            return LocalizedString(values: values)
        default:
            error("invalid-yaml-type", "\(what) must be text or a map from language code to text", at: node)
            return nil
        }
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return s
    }
}

/// The known word nearest to `word` within two edits, for "did you mean" hints.
func closestMatch(to word: String, among candidates: [String]) -> String? {
    var best: (String, Int)?
    for candidate in candidates {
        let d = editDistance(Array(word.lowercased()), Array(candidate.lowercased()))
        if d <= 2, d < (best?.1 ?? Int.max) { best = (candidate, d) }
    }
    return best?.0
}

/// Edit distance: insertions, deletions and substitutions; with `swaps`, a swap of neighbours counts as
/// one edit too (optimal string alignment), as a typist's slip does (search suggestions).
func editDistance<T: Equatable>(_ a: [T], _ b: [T], swaps: Bool = false) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            if swaps, i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], before[j - 2] + 1) }
        }
        (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
}
