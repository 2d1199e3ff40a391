import Foundation
import Testing

@testable import WaymarkServe

/// The preview server's protocol pieces; the server under hostile clients is tested end to end
/// (Tests/e2e/test_serve_limits.py).
@Suite struct HTTPServerTests {
    @Test func parsesARequestHead() throws {
        let text = "GET /en/caf%C3%A9/?q=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: a\r\naccept: b\r\n\r\n"
        let bytes = Array(text.utf8)
        let end = try #require(HTTPRequestHead.end(in: bytes, from: 0))
        #expect(end == bytes.count)
        let head = try HTTPRequestHead.parse(bytes[..<(end - 4)])
        #expect(head.method == "GET" && head.version == "HTTP/1.1")
        #expect(head.path == "/en/café/")
        #expect(head.headers["host"] == "127.0.0.1:8080")
        #expect(head.headers["accept"] == "a, b")
        #expect(head.keepAlive)
    }

    @Test func findsTheEndOfAHeadArrivingInPieces() {
        var bytes: [UInt8] = []
        var scanned = 0
        var found: Int?
        for byte in Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8) {
            bytes.append(byte)
            found = HTTPRequestHead.end(in: bytes, from: scanned)
            if found != nil { break }
            scanned = bytes.count
        }
        #expect(found == bytes.count)
    }

    @Test func rejectsMalformedHeads() {
        for text in [
            "GET /\r\n", "get / HTTP/1.1", "GET / HTTP/1.1\r\n folded: x", "GET / HTTP/1.1\r\nBad Name: x", "GET x HTTP/1.1", "GET / HTTP/1.1\r\nno-colon",
        ] {
            #expect(throws: HTTPRequestHead.ParseError.malformed) { try HTTPRequestHead.parse(Array(text.utf8)[...]) }
        }
        #expect(throws: HTTPRequestHead.ParseError.unsupportedVersion) { try HTTPRequestHead.parse(Array("GET / HTTP/2.0".utf8)[...]) }
        #expect(throws: HTTPRequestHead.ParseError.malformed) { try HTTPRequestHead.parse([0x47, 0x45, 0x54, 0x20, 0xFF][...]) }
    }

    /// A bare CR or LF, a NUL or a name that is not a token would be read one way here and another by a
    /// proxy in front: each is refused, not guessed at.
    @Test func rejectsHeadsAProxyCouldReadDifferently() {
        for text in [
            "GET / HTTP/1.1\r\nHost: a\nX-Smuggled: b", "GET / HTTP/1.1\nHost: a", "GET / HTTP/1.1\r\nHost: a\rb", "GET / HTTP/1.1\r\nHost: a\u{0}",
            "GET /\u{1} HTTP/1.1", "GET / HTTP/1.1\r\nNa(me): x", "GET / HTTP/1.1\r\nNäme: x", "GÉT / HTTP/1.1", "GET / HTTP/1.1\r\nX: a\u{7F}",
        ] {
            #expect(throws: HTTPRequestHead.ParseError.malformed, "\(text.debugDescription)") { try HTTPRequestHead.parse(Array(text.utf8)[...]) }
        }
        // A tab inside a value is a value's character; UTF-8 beyond ASCII too.
        let head = try? HTTPRequestHead.parse(Array("GET / HTTP/1.1\r\nX-A: a\tb\r\nX-B: café".utf8)[...])
        #expect(head?.headers["x-a"] == "a\tb" && head?.headers["x-b"] == "café")
    }

    @Test func contentLengthIsDigitsOnlyAndOneValue() throws {
        func length(_ values: [String]) throws -> Int? {
            let text = "POST / HTTP/1.1\r\n" + values.map { "Content-Length: \($0)\r\n" }.joined()
            return try HTTPRequestHead.parse(Array(text.utf8)[...]).contentLength
        }
        #expect(try length([]) == 0)
        #expect(try length(["5"]) == 5)
        #expect(try length(["5", "5"]) == 5)
        #expect(try length(["5, 5"]) == 5)
        #expect(try length(["99999999999999999999999"]) == .max)
        for bad in [["+5"], ["\u{3000}5"], ["5\u{A0}"], ["-0"], ["-5"], ["5 5"], ["0x5"], ["5a"], ["٥"], [""], ["5,"], ["5", "6"], ["5, 6"]] {
            #expect(try length(bad) == nil, "\(bad)")
        }
    }

    @Test func closeFramesAreCheckedAndEchoed() {
        func read(_ payload: [UInt8]) -> [WebSocket.Reader.Event] {
            var reader = WebSocket.Reader(maxMessage: 100)
            var buffer = Self.masked(8, payload)
            return reader.read(&buffer)
        }
        func code(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
        #expect(read([]) == [.close(code: nil)])
        for valid: UInt16 in [1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999] {
            #expect(read(code(valid) + Array("bye ✓".utf8)) == [.close(code: valid)], "\(valid)")
        }
        for invalid: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] {
            #expect(read(code(invalid)) == [.fail(code: 1002)], "\(invalid)")
        }
        // A 1-byte body cannot hold a code.
        #expect(read([0x03]) == [.fail(code: 1002)])
        // A reason that is not UTF-8, as a text message that is not.
        #expect(read(code(1000) + [0xCE, 0xBA, 0xE1, 0xBD]) == [.fail(code: 1007)])
        #expect(WebSocket.closeFrame(1002) == [0x88, 2, 0x03, 0xEA] && WebSocket.closeFrame(nil) == [0x88, 0])
    }

    @Test func handshakeAcceptValueMatchesRFC6455() {
        // The example in RFC 6455 §1.3.
        #expect(WebSocket.acceptValue(for: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(SHA1.digest(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined() == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    static func masked(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true) -> [UInt8] {
        let mask: [UInt8] = [9, 8, 7, 6]
        var out: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if payload.count < 126 { out.append(0x80 | UInt8(payload.count)) } else { out += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] }
        return out + mask + payload.enumerated().map { $0.element ^ mask[$0.offset & 3] }
    }

    @Test func readsFragmentedTextPingsAndPartialFrames() {
        var reader = WebSocket.Reader(maxMessage: 1024)
        let frames = Self.masked(1, Array(#"{"page":"#.utf8), fin: false) + Self.masked(9, [1, 2]) + Self.masked(0, Array(#""/en/"}"#.utf8))
        var buffer = Array(frames.dropLast(3))
        #expect(reader.read(&buffer) == [.ping([1, 2])])
        buffer += frames.suffix(3)
        #expect(reader.read(&buffer) == [.text(#"{"page":"/en/"}"#)])
        #expect(buffer.isEmpty)
    }

    @Test func refusesUnmaskedOversizedAndInvalidFrames() {
        func read(_ bytes: [UInt8]) -> [WebSocket.Reader.Event] {
            var reader = WebSocket.Reader(maxMessage: 100)
            var buffer = bytes
            return reader.read(&buffer)
        }
        let unmasked: [UInt8] = [0x81, 0x01, 0x41]
        #expect(read(unmasked) == [.fail(code: 1002)])
        #expect(read(Self.masked(1, [UInt8](repeating: 0x41, count: 200))) == [.fail(code: 1009)])
        #expect(read(Self.masked(1, [0xFF])) == [.fail(code: 1007)])
        // A 64-bit length is refused from its header, before any payload is buffered.
        #expect(read([0x81, 0x80 | 127, 0, 0, 0, 1, 0, 0, 0, 0]) == [.fail(code: 1009)])
    }

    @Test func serverFramesCarryTheirLength() {
        #expect(WebSocket.frame(.text, Array("hi".utf8)) == [0x81, 2, 0x68, 0x69])
        let medium = WebSocket.frame(.text, [UInt8](repeating: 0, count: 300))
        #expect(Array(medium.prefix(4)) == [0x81, 126, 1, 44] && medium.count == 304)
        let large = WebSocket.frame(.text, [UInt8](repeating: 0, count: 70_000))
        #expect(Array(large.prefix(10)) == [0x81, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70])
    }

    @Test func answersOnlyHostsNamingItsAddress() throws {
        let server = HTTPServer(webSocketPath: "/ws") { _, _ in HTTPServer.Response(status: 200) }
        let port = try server.bind(host: "127.0.0.1", port: 0)
        defer { server.stop() }
        #expect(server.isAllowed(host: "127.0.0.1:\(port)"))
        #expect(server.isAllowed(host: "LOCALHOST:\(port)"))
        #expect(server.isAllowed(host: "[::1]:\(port)"))
        #expect(!server.isAllowed(host: "evil.example:\(port)"))
        #expect(!server.isAllowed(host: "127.0.0.1:\(port &+ 1)"))
        #expect(!server.isAllowed(host: "127.0.0.1"))
        #expect(!server.isAllowed(host: "10.0.0.5:\(port)"))
        // The port as a browser writes it, nothing a number parser would also take.
        for other in ["0\(port)", "+\(port)", "\(port) ", "", "\(port).0", "\(Int(port) + 65536)"] {
            #expect(!server.isAllowed(host: "127.0.0.1:\(other)"), "\(other)")
        }
    }

    @Test func listeningOnEveryAddressAcceptsOnlyAddressLiterals() {
        func allowed(_ host: String) -> Bool { HTTPServer.isAllowed(host: host, port: 8080, names: ["127.0.0.1"], anyAddressLiteral: true) }
        for host in ["10.0.0.5:8080", "[fe80::1]:8080", "[::ffff:10.0.0.5]:8080", "127.0.0.1:8080"] { #expect(allowed(host), "\(host)") }
        // The Host goes into the preview's policy header: nothing that could end or extend a directive.
        for host in ["[x; script-src *]:8080", "[::1 ]:8080", "1.2.3:8080", "1..2.3:8080", "1.2.3.4.:8080", "1.2.3.4444:8080", "evil.example:8080"] {
            #expect(!allowed(host), "\(host)")
        }
    }
}

/// The preview sends what docs/nginx/waymark.conf sends, so a page that breaks the production policy
/// breaks in the preview first.
@Suite struct PreviewHeadersTests {
    static func header(_ response: HTTPServer.Response, _ name: String) -> String? { response.headers.first { $0.0 == name }?.1 }

    @Test func pagesGetTheNginxPolicyWithTheLiveReloadSocket() {
        let page = HTTPServer.Response(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")])
        let response = PreviewServer.withSecurityHeaders(page, host: "localhost:18181")
        let policy = Self.header(response, "Content-Security-Policy") ?? ""
        #expect(policy.contains("connect-src 'self' ws://localhost:18181;"))
        #expect(policy.contains("script-src 'self';") && policy.contains("frame-ancestors 'none'"))
        #expect(Self.header(response, "X-Content-Type-Options") == "nosniff")
    }

    @Test func svgFilesAreSandboxed() {
        let svg = HTTPServer.Response(status: 200, headers: [("Content-Type", "image/svg+xml")])
        let response = PreviewServer.withSecurityHeaders(svg, host: "127.0.0.1:8080")
        #expect(Self.header(response, "Content-Security-Policy") == "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox")
        #expect(Self.header(response, "X-Content-Type-Options") == "nosniff")
    }

    /// Every policy and header value the nginx config sends is one the preview sends (the page policy
    /// with the socket taken out of `connect-src`).
    @Test func policiesMatchTheNginxConfig() throws {
        let config = try String(contentsOfFile: Repo.root + "/docs/nginx/waymark.conf", encoding: .utf8)
        let quoted = config.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        let policies = quoted.filter { $0.contains("-src ") || $0.hasPrefix("sandbox") }
        #expect(policies.contains(PreviewServer.pagePolicy))
        for policy in policies {
            #expect([PreviewServer.pagePolicy, PreviewServer.svgPolicy].contains(policy), "nginx sends \(policy)")
        }
        let response = PreviewServer.withSecurityHeaders(HTTPServer.Response(status: 200), host: "127.0.0.1:8080")
        for (name, value) in response.headers where name != "Content-Security-Policy" {
            #expect(config.contains("add_header \(name) \"\(value)\" always;"), "\(name)")
        }
    }
}
