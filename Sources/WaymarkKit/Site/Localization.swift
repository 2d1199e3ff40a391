import Foundation
import Yams

/// User-interface strings for one language, from `templates/i18n/<lang>.yml`, falling back key by key
/// to the site's default language and then to English, so a new language works before it is translated.
public struct Strings: Sendable {
    public let language: String
    private let values: [String: String]
    /// Month names, January first, for dates in pages.
    let months: [String]
    /// Pattern with `{day}`, `{month}` and `{year}`.
    let datePattern: String
    /// Digits used to write numbers (`0123456789` or `۰۱۲۳۴۵۶۷۸۹`).
    let digits: [Character]

    init(language: String, chain: [[String: String]]) {
        self.language = language
        var merged: [String: String] = [:]
        for table in chain.reversed() { merged.merge(table) { _, new in new } }
        values = merged
        months = (merged["months"] ?? "January,February,March,April,May,June,July,August,September,October,November,December")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        datePattern = merged["datePattern"] ?? "{day} {month} {year}"
        let d = Array(merged["digits"] ?? "0123456789")
        digits = d.count == 10 ? d : Array("0123456789")
    }

    public subscript(key: String) -> String { values[key] ?? key }

    /// The words the Markdown stage writes into pages itself.
    var markdownLabels: MarkdownLabels {
        var labels = MarkdownLabels()
        labels.footnoteBack = self["footnoteBack"]
        labels.headingLink = self["headingLink"]
        labels.linkCopied = self["linkCopied"]
        for kind in Callout.kinds { labels.callouts[kind] = self["callout" + kind.prefix(1).uppercased() + kind.dropFirst()] }
        return labels
    }

    /// The table as a Mustache context (`{{t.search}}`).
    var table: [String: String] { values }

    /// Replaces `{name}` placeholders: `format("stepOf", ["n": "2", "total": "6"])`.
    public func format(_ key: String, _ arguments: [String: String]) -> String {
        Self.fill(self[key], arguments)
    }

    /// One pass over the pattern (Foundation's replacingOccurrences bridges through NSString, which
    /// showed up in profiles of large builds).
    static func fill(_ pattern: String, _ arguments: [String: String]) -> String {
        guard pattern.utf8.contains(0x7B) else { return pattern }
        var out = ""
        var rest = pattern[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            if let value = arguments[name] { out += value } else { out += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    /// A number in this language's digits.
    public func number(_ n: Int) -> String {
        let ascii = String(n)
        if digits.elementsEqual("0123456789") { return ascii }
        return String(ascii.map { c in c.wholeNumberValue.map { digits[$0] } ?? c })
    }

    public func duration(minutes n: Int) -> String {
        if n < 60 { return format("minutes", ["n": number(n)]) }
        if n % 60 == 0 { return format("hours", ["h": number(n / 60)]) }
        return format("hoursMinutes", ["h": number(n / 60), "m": number(n % 60)])
    }

    public func date(_ day: Day) -> String {
        Self.fill(
            datePattern,
            [
                "day": number(day.day),
                "month": months.indices.contains(day.month - 1) ? months[day.month - 1] : String(day.month),
                "year": number(day.year),
            ])
    }
}

/// Loads every `i18n/*.yml` file of a template folder.
struct StringCatalog: Sendable {
    private var tables: [String: [String: String]] = [:]

    static func load(from directory: String, diagnostics: inout [Diagnostic]) -> StringCatalog {
        var catalog = StringCatalog()
        let folder = directory + "/i18n"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return catalog }
        for name in names.sorted() where name.hasSuffix(".yml") {
            let path = "i18n/" + name
            guard let bytes = try? FileSystem.readBytes(folder + "/" + name) else { continue }
            var reader = YAMLReader(file: path)
            let text = String(decoding: bytes, as: UTF8.self)
            guard let root = reader.parse(text), let pairs = reader.mapping(root, what: "a strings file") else {
                diagnostics.append(
                    contentsOf: reader.diagnostics.map {
                        var d = $0
                        d.root = .templates
                        return d
                    })
                continue
            }
            var table: [String: String] = [:]
            for pair in pairs {
                if case .sequence = pair.value {
                    table[pair.key] = reader.stringList(pair.value, what: pair.key).joined(separator: ",")
                } else if let s = reader.string(pair.value, what: pair.key) {
                    table[pair.key] = s
                }
            }
            diagnostics.append(
                contentsOf: reader.diagnostics.map {
                    var d = $0
                    d.root = .templates
                    return d
                })
            catalog.tables[String(name.dropLast(4))] = table
        }
        return catalog
    }

    func strings(for language: String, defaultLanguage: String) -> Strings {
        let base = language.split(separator: "-").first.map(String.init) ?? language
        var chain: [[String: String]] = []
        for code in [language, base, defaultLanguage, "en"] {
            if let t = tables[code] { chain.append(t) }
        }
        return Strings(language: language, chain: chain)
    }
}
