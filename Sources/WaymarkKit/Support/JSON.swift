/// A JSON value with ordered object keys, written deterministically (Foundation's JSONSerialization
/// orders keys differently across platforms and escapes `/`).
public indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.encoded() == b.encoded() }

    /// Compact JSON. With `htmlSafe`, `<`, `>` and `&` are escaped so the text can sit inside a
    /// `<script>` element without closing it.
    public func encoded(pretty: Bool = false, htmlSafe: Bool = false) -> String {
        var out = ""
        write(into: &out, pretty: pretty, indent: 0, htmlSafe: htmlSafe)
        return out
    }

    private func write(into out: inout String, pretty: Bool, indent: Int, htmlSafe: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
                out += String(Int(d))
            } else if d.isFinite {
                out += String(d)
            } else {
                out += "null"
            }
        case .string(let s): JSON.quote(s, into: &out, htmlSafe: htmlSafe)
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                item.write(into: &out, pretty: pretty, indent: indent + 1, htmlSafe: htmlSafe)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case .object(let pairs):
            if pairs.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                JSON.quote(key, into: &out, htmlSafe: htmlSafe)
                out += pretty ? ": " : ":"
                value.write(into: &out, pretty: pretty, indent: indent + 1, htmlSafe: htmlSafe)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    static func quote(_ s: String, into out: inout String, htmlSafe: Bool) {
        // Most strings need no escaping at all: append them whole.
        let plain = s.utf8.allSatisfy { b in
            b >= 0x20 && b != 0x22 && b != 0x5C && b != 0xE2 && !(htmlSafe && (b == 0x3C || b == 0x3E || b == 0x26))
        }
        if plain {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where htmlSafe: out += "\\u003c"
            case ">" where htmlSafe: out += "\\u003e"
            case "&" where htmlSafe: out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// Structured data snippets (schema.org JSON-LD) shared by several page types.
enum JSONText {
    static func breadcrumbList(_ items: [(name: String, url: String)]) -> String {
        JSON.object([
            ("@context", .string("https://schema.org")),
            ("@type", .string("BreadcrumbList")),
            (
                "itemListElement",
                .array(
                    items.enumerated().map { i, item in
                        .object([
                            ("@type", .string("ListItem")), ("position", .int(i + 1)), ("name", .string(item.name)),
                            ("item", .string(item.url)),
                        ])
                    })
            ),
        ]).encoded(htmlSafe: true)
    }
}
