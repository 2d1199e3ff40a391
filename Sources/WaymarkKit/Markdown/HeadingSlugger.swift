/// Makes heading ids that read well in every script and stay unique on a page.
///
/// The scheme follows GitHub's (lowercase, drop punctuation, spaces become `-`) so links written against
/// a GitHub preview keep working, but keeps letters and marks of every script: `## Chỉ số là gì?` becomes
/// `chỉ-số-là-gì`, `## نرخ فعال‌سازی` becomes `نرخ-فعالسازی`, `## Отток клиентов` becomes `отток-клиентов`.
/// Text is NFC-normalized first so decomposed and precomposed Vietnamese give the same id. A heading with
/// no letters or digits at all gets `section`, never an empty or all-dash id. Duplicates get `-1`, `-2`.
public struct HeadingSlugger: Sendable {
    private var used: [String: Int] = [:]

    public init() {}

    /// Records an id chosen explicitly by the writer (`{#id}`) so automatic ids do not collide with it.
    /// Returns false when the id was already taken on this page.
    public mutating func claim(_ id: String) -> Bool {
        if used[id] != nil { return false }
        used[id] = 0
        return true
    }

    public mutating func slug(for text: String) -> String {
        var base = Self.slugify(text)
        if base.isEmpty { base = "section" }
        guard var count = used[base] else {
            used[base] = 0
            return base
        }
        var candidate: String
        repeat {
            count += 1
            candidate = "\(base)-\(count)"
        } while used[candidate] != nil
        used[base] = count
        used[candidate] = 0
        return candidate
    }

    /// The id for `text` without uniqueness suffixes; empty when the text has no letters or digits.
    public static func slugify(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var hasContent = false
        for scalar in text.nfc.unicodeScalars {
            // ASCII without the Unicode property tables (the same result; most headings are ASCII).
            if scalar.isASCII {
                let v = scalar.value
                if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || v == 0x5F || v == 0x2D {
                    out.append(scalar)
                    hasContent = hasContent || (v != 0x5F && v != 0x2D)
                } else if v >= 0x41 && v <= 0x5A {
                    out.append(Unicode.Scalar(v + 0x20)!)
                    hasContent = true
                } else if v == 0x20 || v == 0x09 || v == 0x0A {
                    out.append("-")
                }
                continue
            }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
                // Most letters have no lowercase of their own: skip building the mapping's string for them.
                if scalar.properties.changesWhenLowercased {
                    for lower in scalar.properties.lowercaseMapping.unicodeScalars { out.append(lower) }
                } else {
                    out.append(scalar)
                }
                hasContent = true
            case .connectorPunctuation where scalar == "_":
                out.append(scalar)
            case .dashPunctuation where scalar == "-":
                out.append(scalar)
            case .spaceSeparator:
                out.append("-")
            default:
                if scalar == "\t" || scalar == "\n" { out.append("-") }
            }
        }
        return hasContent ? String(out) : ""
    }
}

extension String {
    /// NFC form; skips the Foundation call for the common all-ASCII case.
    var nfc: String {
        if utf8.allSatisfy({ $0 < 0x80 }) { return self }
        return precomposedUnicode
    }
}
