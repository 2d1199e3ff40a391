import Foundation

/// The request line and headers of one HTTP/1.1 request, read with hard limits: the preview server
/// never buffers more than `maxBytes` of a head, so a megabyte header costs a 431 and a closed
/// connection, not minutes of parsing.
struct HTTPRequestHead: Equatable {
    var method: String
    /// The request target as sent (`/en/articles/x/?q=1`).
    var target: String
    var version: String
    /// Header names lowercased; a repeated header keeps its values joined with `, ` (RFC 9110 §5.3).
    var headers: [String: String]

    /// The path of the target, percent-decoded, without its query; nil when it does not decode to UTF-8.
    var path: String? {
        let raw = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return raw.removingPercentEncoding
    }

    var keepAlive: Bool {
        let connection = headers["connection"]?.lowercased() ?? ""
        if version == "HTTP/1.0" { return connection.contains("keep-alive") }
        return !connection.contains("close")
    }

    enum ParseError: Error, Equatable {
        /// 400: not a request line and headers.
        case malformed
        /// 505
        case unsupportedVersion
    }

    /// Where the head ends in `bytes` (just past the blank line), searching from `from` so that a head
    /// arriving in many small reads is scanned once.
    static func end(in bytes: [UInt8], from: Int) -> Int? {
        var i = max(0, from - 3)
        while i + 3 < bytes.count {
            if bytes[i] == 0x0D, bytes[i + 1] == 0x0A, bytes[i + 2] == 0x0D, bytes[i + 3] == 0x0A { return i + 4 }
            i += 1
        }
        return nil
    }

    /// The body's length from `Content-Length`: 0 without one, `Int.max` for a number too large to
    /// hold. nil when the value is anything but decimal digits (`+5`, `-0`, `5 5`, `0x5`: Swift's `Int("+5")`
    /// is 5, a proxy may read it otherwise) or when repeated values differ: two readings of one request's
    /// length are how requests are smuggled past a proxy (RFC 9112 §6.3). Identical repeats are one value.
    var contentLength: Int? {
        guard let value = headers["content-length"] else { return 0 }
        let values = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: Self.spaceAndTab) }
        guard let first = values.first, !first.isEmpty, first.utf8.allSatisfy({ (0x30...0x39).contains($0) }), values.allSatisfy({ $0 == first })
        else { return nil }
        return Int(first) ?? .max
    }

    /// The only whitespace around a header value or list item (RFC 9110 §5.6.3), not U+00A0 or U+3000.
    private static let spaceAndTab = CharacterSet(charactersIn: " \t")

    /// Parses a complete head (the bytes before the blank line). Lines end with CRLF only: a bare CR or
    /// LF, NUL or another control character anywhere is refused rather than read one way here and another
    /// way by a proxy in front (RFC 9112 §2.2), as are header names that are not tokens.
    static func parse(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> HTTPRequestHead {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .malformed }
        // Split at byte level (no grapheme breaking: a 32 KB head of tiny headers parses in well under a
        // millisecond), checking every byte on the way.
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = bytes.startIndex
        var i = bytes.startIndex
        while i < bytes.endIndex {
            switch bytes[i] {
            case 0x0D:
                guard i + 1 < bytes.endIndex, bytes[i + 1] == 0x0A else { throw .malformed }
                lines.append(bytes[lineStart..<i])
                i += 2
                lineStart = i
                continue
            case 0x09: break
            case ..<0x20, 0x7F: throw .malformed  // a bare LF among them
            default: break
            }
            i += 1
        }
        lines.append(bytes[lineStart...])
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let requestLine = lines.first else { throw .malformed }
        let parts = requestLine.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ (0x41...0x5A).contains($0) }),
            parts[1].first == UInt8(ascii: "/") || parts[1].elementsEqual([UInt8(ascii: "*")])
        else { throw .malformed }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            if version.hasPrefix("HTTP/") { throw .unsupportedVersion }
            throw .malformed
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            // Obsolete line folding (a line starting with a space) and names with spaces are not tokens,
            // and are rejected, as RFC 9112 §5 asks of servers.
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex, line[..<colon].allSatisfy(isTokenByte) else {
                throw .malformed
            }
            // Only spaces and tabs surround a value (as `spaceAndTab`).
            var value = line[(colon + 1)...]
            while let first = value.first, first == 0x20 || first == 0x09 { value.removeFirst() }
            while let last = value.last, last == 0x20 || last == 0x09 { value.removeLast() }
            let key = String(decoding: line[..<colon].map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
            let text = String(decoding: value, as: UTF8.self)
            // Appended in place: a head of thousands of repeats of one header stays linear.
            if headers[key] == nil {
                headers[key] = text
            } else {
                headers[key]!.append(", ")
                headers[key]!.append(text)
            }
        }
        let text = { (part: ArraySlice<UInt8>) in String(decoding: part, as: UTF8.self) }
        return HTTPRequestHead(method: text(parts[0]), target: text(parts[1]), version: version, headers: headers)
    }

    /// A `tchar` of RFC 9110 §5.6.2: the characters a header name may hold.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"),
            UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"),
            UInt8(ascii: "~"):
            return true
        default: return false
        }
    }
}
