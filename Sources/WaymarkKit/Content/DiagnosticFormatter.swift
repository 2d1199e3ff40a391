import Foundation

/// Prints diagnostics for people (`path:line:col: error: message`), for tools (JSON) and for GitHub
/// Actions (workflow commands that annotate the pull request). The only place diagnostics become text.
public struct DiagnosticFormatter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, github
    }

    /// Folders that diagnostic paths are relative to, as the user named them (`content`, `templates`).
    public var roots: [Diagnostic.Root: String]

    public init(content: String, templates: String, output: String) {
        roots = [.content: content, .templates: templates, .output: output]
    }

    /// The path as the user would type it: `content/en/articles/x.md`.
    public func path(of diagnostic: Diagnostic) -> String? {
        guard let file = diagnostic.file else { return nil }
        var root = roots[diagnostic.root] ?? ""
        while root.hasSuffix("/") { root.removeLast() }
        if root.isEmpty || root == "." { return file }
        return root + "/" + file
    }

    /// One line for a terminal. File names and messages quote what contributors wrote (paths, keys,
    /// values), so control characters are shown as `\u{1B}` escapes: content cannot clear the screen or
    /// fake a green run.
    public func text(_ d: Diagnostic) -> String {
        var prefix = ""
        if let path = path(of: d) {
            prefix = Self.visible(path)
            if let location = d.location { prefix += ":\(location.line):\(location.column)" }
            prefix += ": "
        }
        return "\(prefix)\(d.severity.rawValue): \(Self.visible(d.message, keepingNewlines: true))"
    }

    /// `text` with C0 and C1 control characters (and DEL), bidi controls and line separators written as
    /// `\u{XX}`: a terminal would otherwise obey them, hiding or reordering the rest of the line (Persian
    /// letters and the zero-width non-joiner stay as they are). Multi-line messages (YAML errors quote the
    /// line) may keep their line breaks.
    public static func visible(_ text: String, keepingNewlines: Bool = false) -> String {
        let escaped = { (c: Unicode.Scalar) in (isControl(c) || isBidiControl(c)) && !(keepingNewlines && c == "\n") }
        guard text.unicodeScalars.contains(where: escaped) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if escaped(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) }

    /// Marks, embeddings, overrides and isolates that change the order text is shown in, and the line and
    /// paragraph separators.
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: return true
        default: return false
        }
    }

    public func github(_ d: Diagnostic) -> String {
        var properties: [String] = []
        if let path = path(of: d) { properties.append("file=" + escapeProperty(path)) }
        if let location = d.location {
            properties.append("line=\(location.line)")
            properties.append("col=\(location.column)")
        }
        properties.append("title=" + escapeProperty("waymark " + d.code))
        return "::\(d.severity == .error ? "error" : "warning") \(properties.joined(separator: ","))::\(escapeData(d.message))"
    }

    /// A stable document: `{"version": 1, "diagnostics": [...], "errors": N, "warnings": N}`; each
    /// diagnostic has `file`, `line`, `column` (null when unknown), `severity`, `code`, `message`.
    public func json(_ diagnostics: [Diagnostic]) -> String {
        let items: [JSON] = diagnostics.map { d in
            .object([
                ("file", path(of: d).map(JSON.string) ?? .null),
                ("line", d.location.map { .int($0.line) } ?? .null),
                ("column", d.location.map { .int($0.column) } ?? .null),
                ("severity", .string(d.severity.rawValue)),
                ("code", .string(d.code)),
                ("message", .string(d.message)),
            ])
        }
        return JSON.object([
            ("version", .int(1)),
            ("errors", .int(diagnostics.filter { $0.severity == .error }.count)),
            ("warnings", .int(diagnostics.filter { $0.severity == .warning }.count)),
            ("diagnostics", .array(items)),
        ]).encoded(pretty: true)
    }

    /// Every diagnostic in one format, ready to print.
    public func render(_ diagnostics: [Diagnostic], as format: Format) -> String {
        switch format {
        case .text: return diagnostics.map(text).joined(separator: "\n")
        case .github: return diagnostics.map(github).joined(separator: "\n")
        case .json: return json(diagnostics)
        }
    }

    private func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    private func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
