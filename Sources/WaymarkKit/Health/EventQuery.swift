import Foundation

/// A search query as `report --events` counts it: trimmed, lower-cased, in Unicode NFC, and cut to
/// `maxCharacters` characters (and `maxScalars` code points) on a character boundary, so that `" Refund"`
/// and `"refund"` count together and a 60 kB query from a hostile collector costs what a short one does.
///
/// The cut is made while reading the line: only the first 408 code points after the leading white space
/// become a `String` (up to `4 × maxScalars + 8` when combining marks make that too few: enough for
/// `maxScalars` after NFC, which joins at most 4 into one); the rest is only scanned for text that is not
/// white space.
struct EventQuery: Hashable, Sendable {
    var text: String
    /// The query was longer than the limits and `text` is its beginning; a cut query never equals a
    /// query that was not cut, whatever its text.
    var cut: Bool

    static let maxCharacters = 200
    /// A bound on the bytes a single character may bring (a letter with hundreds of combining marks).
    static let maxScalars = 800

    init(text: String, cut: Bool = false) {
        self.text = text
        self.cut = cut
    }

    /// The query in `raw` (UTF-8 as decoded from the event; invalid bytes become U+FFFD).
    init(_ raw: UnsafeBufferPointer<UInt8>) {
        func space(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
        // Most queries are short ASCII: no Foundation call for them (the same result as below).
        var start = 0
        var end = raw.count
        while start < end, space(raw[start]) { start += 1 }
        while end > start, space(raw[end - 1]) { end -= 1 }
        if end - start <= Self.maxCharacters, !raw[start..<end].contains(where: { $0 >= 0x80 }) {
            let ascii = UnsafeBufferPointer(rebasing: raw[start..<end])
            self.init(
                text: String(
                    unsafeUninitializedCapacity: ascii.count,
                    initializingUTF8With: { out in
                        for (k, b) in ascii.enumerated() { out[k] = (0x41...0x5A).contains(b) ? b | 0x20 : b }
                        return ascii.count
                    }))
            return
        }
        let rest = UnsafeBufferPointer(rebasing: raw[start...])
        // Twice the characters kept is enough for text without combining marks; more only when needed.
        var budget = 2 * Self.maxCharacters + 8
        while true {
            let (scalars, more) = Self.prefix(rest, budget)
            let normal = Self.trimmed(Substring(String(scalars).lowercased().precomposedUnicode))
            var characters = 0
            var kept = 0
            var stop = normal.startIndex
            for index in normal.indices {
                let size = normal[index].unicodeScalars.count
                guard characters < Self.maxCharacters, kept + size <= Self.maxScalars else { break }
                characters += 1
                kept += size
                stop = normal.index(after: index)
            }
            // Only the last character may change with what follows the prefix (more marks, NFC): when the
            // cut is not before it, or it is the one character (cut by code points), read a longer prefix.
            if more, budget < Self.maxBudget, stop == normal.endIndex || stop == normal.startIndex {
                budget = min(2 * budget, Self.maxBudget)
                continue
            }
            var text = normal[..<stop]
            if stop == normal.startIndex, !normal.isEmpty {
                // One character longer than the limit (only made up that way): its first code points.
                text = Substring(normal.unicodeScalars.prefix(Self.maxScalars))
            }
            let cut = more || text.endIndex < normal.endIndex
            self.init(text: String(cut ? Self.trimmed(text) : text), cut: cut)
            return
        }
    }

    /// Enough code points for `maxScalars` after NFC, which joins at most 4 into one.
    static let maxBudget = 4 * maxScalars + 8
    private static let white = CharacterSet.whitespacesAndNewlines

    /// The first `budget` code points after the leading white space, and whether text other than white
    /// space follows them (the rest is scanned, never kept).
    private static func prefix(_ raw: UnsafeBufferPointer<UInt8>, _ budget: Int) -> (String.UnicodeScalarView, more: Bool) {
        var scalars = String.UnicodeScalarView()
        var taken = 0
        var bytes = raw.makeIterator()
        var decoder = UTF8()
        while true {
            let scalar: Unicode.Scalar
            switch decoder.decode(&bytes) {
            case .scalarValue(let s): scalar = s
            case .error: scalar = "\u{FFFD}"
            case .emptyInput: return (scalars, false)
            }
            if taken == 0, white.contains(scalar) { continue }
            if taken == budget {
                if white.contains(scalar) { continue }
                return (scalars, true)
            }
            scalars.append(scalar)
            taken += 1
        }
    }

    private static func trimmed(_ s: Substring) -> Substring {
        var v = s.unicodeScalars
        while let c = v.first, white.contains(c) { v = v.dropFirst() }
        while let c = v.last, white.contains(c) { v = v.dropLast() }
        return Substring(v)
    }
}
