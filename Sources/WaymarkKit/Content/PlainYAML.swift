/// Front matter the way writers nearly always write it — one `key: value` line per key, the value plain,
/// simply quoted or a one-line list `[a, b]` — read by scanning bytes instead of through libyaml and Yams'
/// node tree (measured: about a tenth of the cost, bench/README.md). Anything else (comments, blank
/// lines with spaces, nested blocks, escapes, anchors, tabs, `\r`, a repeated key, a character YAML treats
/// specially) makes `parse` return nil, and the caller reads the text with Yams as before. What it accepts
/// it reads exactly as YAML does, so the typed front matter and its diagnostics are the same either way
/// (`PlainYAMLTests` compares both readers on the fixtures and the benchmark corpus).
struct PlainYAML: YAMLNode {
    let shape: YAMLShape<PlainYAML>
    let line: Int
    let column: Int

    var position: (line: Int, column: Int)? { (line, column) }

    /// The mapping `text` holds, or nil when it is not of the plain shape described above.
    static func parse(_ text: Substring) -> PlainYAML? {
        var scanner = Scanner(bytes: Array(text.utf8))
        return scanner.document()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var i = 0
        var line = 1
        /// How far into the current line scalars were counted, and how many: columns are counted on from
        /// there, so a line of 50,000 list items costs linear time, not quadratic.
        var counted = 0
        var scalars = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        /// The column (in Unicode scalars, from 1) of `i`, which only moves forward within a line.
        mutating func column() -> Int {
            for b in bytes[counted..<i] where b & 0xC0 != 0x80 { scalars += 1 }
            counted = i
            return scalars + 1
        }

        mutating func document() -> PlainYAML? {
            var pairs: [(PlainYAML, PlainYAML)] = []
            var keys: Set<String> = []
            while i < bytes.count {
                if bytes[i] == 0x0A {  // an empty line
                    nextLine()
                    continue
                }
                guard let key = key(), keys.insert(key).inserted, let value = value() else { return nil }
                pairs.append((PlainYAML(shape: .scalar(key, plain: true), line: line, column: 1), value))
                guard i == bytes.count || bytes[i] == 0x0A else { return nil }
                if i < bytes.count { nextLine() }
            }
            guard !pairs.isEmpty else { return nil }
            return PlainYAML(shape: .mapping(pairs), line: 1, column: 1)
        }

        mutating func nextLine() {
            i += 1
            line += 1
            counted = i
            scalars = 0
        }

        /// `name: ` at the start of a line: letters, digits, `_` and `-`, starting with a letter.
        mutating func key() -> String? {
            let start = i
            guard i < bytes.count, Self.isLetter(bytes[i]) else { return nil }
            while i < bytes.count, Self.isLetter(bytes[i]) || (bytes[i] >= 0x30 && bytes[i] <= 0x39) || bytes[i] == 0x5F || bytes[i] == 0x2D {
                i += 1
            }
            let end = i
            guard i + 1 < bytes.count, bytes[i] == 0x3A, bytes[i + 1] == 0x20 else { return nil }
            i += 2
            while i < bytes.count, bytes[i] == 0x20 { i += 1 }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }

        static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

        /// The value after `key: `, ending at the end of the line.
        mutating func value() -> PlainYAML? {
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case 0x22, 0x27: return quoted()
            case 0x5B: return list()
            default: return plain(inList: false)
            }
        }

        /// `"text"` or `'text'` without escapes, quotes or line breaks inside, nothing after it.
        mutating func quoted() -> PlainYAML? {
            let quote = bytes[i]
            let (startLine, startColumn) = (line, column())
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != quote {
                guard bytes[i] != 0x5C, bytes[i] != 0x0A, let next = Self.printable(bytes, at: i) else { return nil }
                i = next
            }
            guard i < bytes.count else { return nil }
            let string = String(decoding: bytes[start..<i], as: UTF8.self)
            i += 1
            return PlainYAML(shape: .scalar(string, plain: false), line: startLine, column: startColumn)
        }

        /// A plain scalar: no indicator first, no `: `, ` #` or trailing `:` or space (YAML would read
        /// those differently); in a list also no `,`, brackets or braces.
        mutating func plain(inList: Bool) -> PlainYAML? {
            let (startLine, startColumn) = (line, column())
            let start = i
            guard i < bytes.count, !Self.indicators.contains(bytes[i]) else { return nil }
            while i < bytes.count, bytes[i] != 0x0A {
                let b = bytes[i]
                if inList, b == 0x2C || b == 0x5D { break }
                if b == 0x3A || b == 0x23 || (inList && (b == 0x5B || b == 0x7B || b == 0x7D)) { return nil }
                guard let next = Self.printable(bytes, at: i) else { return nil }
                i = next
            }
            guard i > start, bytes[i - 1] != 0x20 else { return nil }
            let string = String(decoding: bytes[start..<i], as: UTF8.self)
            return PlainYAML(shape: .scalar(string, plain: true), line: startLine, column: startColumn)
        }

        /// `[a, b]`: plain items separated by a comma and single spaces.
        mutating func list() -> PlainYAML? {
            let (startLine, startColumn) = (line, column())
            i += 1
            var items: [PlainYAML] = []
            if i < bytes.count, bytes[i] == 0x5D {
                i += 1
                return PlainYAML(shape: .sequence([]), line: startLine, column: startColumn)
            }
            while true {
                guard let item = plain(inList: true), i < bytes.count else { return nil }
                items.append(item)
                if bytes[i] == 0x5D {
                    i += 1
                    return PlainYAML(shape: .sequence(items), line: startLine, column: startColumn)
                }
                guard bytes[i] == 0x2C, i + 1 < bytes.count, bytes[i + 1] == 0x20 else { return nil }
                i += 2
            }
        }

        /// Characters that start something other than a plain scalar, or a space (the value would be indented).
        static let indicators: Set<UInt8> = Set("-?:,[]{}#&*!|>'\"%@` \t".utf8)

        /// The index after the character at `i` when YAML reads it as an ordinary printable character in a
        /// one-line scalar; nil for tabs, controls, line breaks (NEL, U+2028/9), the BOM and non-characters.
        static func printable(_ bytes: [UInt8], at i: Int) -> Int? {
            let b = bytes[i]
            if b < 0x80 { return b >= 0x20 && b != 0x7F ? i + 1 : nil }
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            guard i + length <= bytes.count else { return nil }
            var scalar = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length { scalar = scalar << 6 | UInt32(bytes[i + k] & 0x3F) }
            let ok =
                (0xA0...0xD7FF).contains(scalar) && scalar != 0x2028 && scalar != 0x2029
                || (0xE000...0xFFFD).contains(scalar) && scalar != 0xFEFF || scalar >= 0x10000
            return ok ? i + length : nil
        }
    }
}
