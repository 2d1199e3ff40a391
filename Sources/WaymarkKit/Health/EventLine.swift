import Foundation

/// A byte-level reader of one event line (a JSON object): it checks the whole line is valid JSON and keeps
/// where the fields the metrics read are, as positions in the line, without building strings or
/// dictionaries. Foundation's `JSONSerialization` makes objects and strings for every field, which is
/// most of the cost of a million events; this reads them in a fraction of it (see docs/analytics.md).
struct EventLine {
    /// The fields of schema v1 that any figure reads; everything else is checked as JSON and skipped.
    enum Field: Int, CaseIterable {
        case v, event, time, reader, lang, page, segment, step, stage, item, query, results, rank, target, helpful, from, filters, source

        var name: String { String(describing: self) }
    }

    enum Value: Equatable {
        case absent, null
        case bool(Bool)
        case object, array
        /// A number, with its value when it is an integer (no fraction or exponent) that fits.
        case number(Int?)
        /// A string's bytes between the quotes, still escaped when `escaped`.
        case string(start: Int, end: Int, escaped: Bool)

        var typeName: String {
            switch self {
            case .absent: "absent"
            case .null: "null"
            case .bool: "a boolean"
            case .object: "an object"
            case .array: "an array"
            case .number: "a number"
            case .string: "a string"
            }
        }
    }

    struct Invalid: Error {
        var reason: String
    }

    private(set) var values = [Value](repeating: .absent, count: Field.allCases.count)
    private var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var i = 0
    /// Nesting allowed inside an event (`filters` is one level); deeper lines are not events.
    private static let maxDepth = 32

    subscript(_ field: Field) -> Value { values[field.rawValue] }

    /// Reads `line` into `values` (reused from line to line). The positions refer to `line`, so read them
    /// with `string(_:in:)` before the buffer changes.
    mutating func parse(_ line: UnsafeBufferPointer<UInt8>) throws(Invalid) {
        for k in values.indices { values[k] = .absent }
        bytes = line
        i = 0
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { throw Invalid(reason: "not a JSON object") }
        i += 1
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace()
                guard peek() == UInt8(ascii: "\"") else { throw Invalid(reason: "invalid JSON: expected a field name at column \(i + 1)") }
                let key = try string()
                skipSpace()
                guard peek() == UInt8(ascii: ":") else { throw Invalid(reason: "invalid JSON: expected ':' at column \(i + 1)") }
                i += 1
                skipSpace()
                let value = try value(depth: 1)
                if let field = Self.field(key, in: bytes) { values[field.rawValue] = value }
                skipSpace()
                if peek() == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard peek() == UInt8(ascii: "}") else { throw Invalid(reason: "invalid JSON: expected ',' or '}' at column \(i + 1)") }
                i += 1
                break
            }
        }
        skipSpace()
        if i < bytes.count { throw Invalid(reason: "invalid JSON: text after the object at column \(i + 1)") }
    }

    private func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 }
    }

    /// Which field a key names (only unescaped keys can be a schema field).
    private static func field(_ key: Value, in bytes: UnsafeBufferPointer<UInt8>) -> Field? {
        guard case .string(let start, let end, false) = key else { return nil }
        let n = end - start
        guard n >= 1, n < Field.byLength.count else { return nil }
        for (field, name) in Field.byLength[n] where name.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress! + start, n) == 0 }) {
            return field
        }
        return nil
    }

    private mutating func value(depth: Int) throws(Invalid) -> Value {
        guard let c = peek() else { throw Invalid(reason: "invalid JSON: the line ends where a value should be") }
        switch c {
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw Invalid(reason: "nested too deeply") }
            let close = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            i += 1
            skipSpace()
            if peek() == close {
                i += 1
            } else {
                while true {
                    skipSpace()
                    if close == UInt8(ascii: "}") {
                        guard peek() == UInt8(ascii: "\"") else { throw Invalid(reason: "invalid JSON: expected a field name at column \(i + 1)") }
                        _ = try string()
                        skipSpace()
                        guard peek() == UInt8(ascii: ":") else { throw Invalid(reason: "invalid JSON: expected ':' at column \(i + 1)") }
                        i += 1
                        skipSpace()
                    }
                    _ = try value(depth: depth + 1)
                    skipSpace()
                    if peek() == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    guard peek() == close else {
                        throw Invalid(reason: "invalid JSON: unclosed \(c == UInt8(ascii: "{") ? "object" : "array") at column \(i + 1)")
                    }
                    i += 1
                    break
                }
            }
            return c == UInt8(ascii: "{") ? .object : .array
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    private mutating func literal(_ word: StaticString, _ value: Value) throws(Invalid) -> Value {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count, memcmp(word.utf8Start, bytes.baseAddress! + i, n) == 0 else {
            throw Invalid(reason: "invalid JSON: unexpected text at column \(i + 1)")
        }
        i += n
        return value
    }

    /// A JSON number (RFC 8259 grammar); its value is kept only for integers.
    private mutating func number() throws(Invalid) -> Value {
        let start = i
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        func digits() -> Int {
            let from = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            return i - from
        }
        let intStart = i
        let intDigits = digits()
        guard intDigits > 0, !(intDigits > 1 && bytes[intStart] == 0x30) else { throw Invalid(reason: "invalid JSON: unexpected text at column \(start + 1)") }
        var integral = true
        if peek() == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw Invalid(reason: "invalid JSON: bad number at column \(start + 1)") }
            integral = false
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            i += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw Invalid(reason: "invalid JSON: bad number at column \(start + 1)") }
            integral = false
        }
        guard integral, intDigits <= 18 else { return .number(nil) }
        var n = 0
        for k in intStart..<(intStart + intDigits) { n = n * 10 + Int(bytes[k] - 0x30) }
        return .number(negative ? -n : n)
    }

    /// A string, checked (escapes, no raw control characters) but not decoded.
    private mutating func string() throws(Invalid) -> Value {
        i += 1
        let start = i
        var escaped = false
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return .string(start: start, end: i - 1, escaped: escaped)
            }
            if b < 0x20 { throw Invalid(reason: "invalid JSON: control character in a string at column \(i + 1)") }
            if b == UInt8(ascii: "\\") {
                escaped = true
                guard i + 1 < bytes.count else { break }
                switch bytes[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"),
                    UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 6 <= bytes.count, (2..<6).allSatisfy({ Self.hex(bytes[i + $0]) != nil }) else {
                        throw Invalid(reason: "invalid JSON: bad \\u escape at column \(i + 1)")
                    }
                    i += 6
                default: throw Invalid(reason: "invalid JSON: bad escape at column \(i + 1)")
                }
                continue
            }
            i += 1
        }
        throw Invalid(reason: "invalid JSON: unterminated string")
    }

    static func hex(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: UInt32(b - 0x30)
        case 0x41...0x46: UInt32(b - 0x41 + 10)
        case 0x61...0x66: UInt32(b - 0x61 + 10)
        default: nil
        }
    }

    /// The bytes of a string value, decoded into `scratch` when it has escapes, for `body`.
    static func withBytes<R>(
        _ value: Value, in line: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) -> R? {
        guard case .string(let start, let end, let escaped) = value else { return nil }
        if !escaped { return body(UnsafeBufferPointer(rebasing: line[start..<end])) }
        scratch.removeAll(keepingCapacity: true)
        var k = start
        while k < end {
            let b = line[k]
            guard b == UInt8(ascii: "\\") else {
                scratch.append(b)
                k += 1
                continue
            }
            let e = line[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var code = (0..<4).reduce(UInt32(0)) { $0 << 4 | hex(line[k + $1])! }
                k += 4
                // A surrogate pair is one scalar; a lone surrogate becomes U+FFFD.
                if (0xD800..<0xDC00).contains(code), k + 6 <= end, line[k] == UInt8(ascii: "\\"), line[k + 1] == UInt8(ascii: "u") {
                    let low = (2..<6).reduce(UInt32(0)) { $0 << 4 | (hex(line[k + $1]) ?? 0) }
                    if (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        k += 6
                    }
                }
                scratch.append(contentsOf: String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8)
            default: scratch.append(e)  // \" \\ \/
            }
        }
        return scratch.withUnsafeBufferPointer(body)
    }

    /// A string value as a `String` (invalid UTF-8 repaired), for the few values shown as text.
    static func text(_ value: Value, in line: UnsafeBufferPointer<UInt8>) -> String? {
        var scratch: [UInt8] = []
        return withBytes(value, in: line, scratch: &scratch) { String(decoding: $0, as: UTF8.self) }
    }
}

extension EventLine.Field {
    /// The fields with their names as bytes, by the names' length, for matching keys in a line.
    fileprivate static let byLength: [[(Self, [UInt8])]] = {
        var table = [[(Self, [UInt8])]](repeating: [], count: allCases.map(\.name.utf8.count).max()! + 1)
        for field in allCases { table[field.name.utf8.count].append((field, Array(field.name.utf8))) }
        return table
    }()
}
