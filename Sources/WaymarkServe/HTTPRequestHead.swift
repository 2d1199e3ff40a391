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

    /// Parses a complete head (the bytes before the blank line).
    static func parse(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> HTTPRequestHead {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformed }
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        while lines.last == "" { lines.removeLast() }
        guard let requestLine = lines.first else { throw .malformed }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isUppercase }), parts[1].first == "/" || parts[1] == "*"
        else { throw .malformed }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            if parts[2].hasPrefix("HTTP/") { throw .unsupportedVersion }
            throw .malformed
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            // Obsolete line folding and names with spaces are rejected, as RFC 9112 §5 asks of servers.
            guard let colon = line.firstIndex(of: ":"), colon > line.startIndex, !line.first!.isWhitespace else { throw .malformed }
            let name = line[..<colon]
            guard !name.contains(where: { $0 == " " || $0 == "\t" }) else { throw .malformed }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let key = name.lowercased()
            headers[key] = headers[key].map { $0 + ", " + value } ?? value
        }
        return HTTPRequestHead(method: String(parts[0]), target: String(parts[1]), version: String(parts[2]), headers: headers)
    }
}
