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
    }
}
