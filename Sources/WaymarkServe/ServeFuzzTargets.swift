/// Entry points for the libFuzzer targets on the preview server's parsers: what a client on the network
/// controls. They sit beside the parsers, so WaymarkKit (and its own targets in `FuzzTargets`) knows
/// nothing of HTTP; `Fuzz/` runs both sets and `FuzzRegressionTests` replays both.
public enum ServeFuzzTargets {
    /// The targets by the name `make fuzz` uses for their corpus and crasher folders.
    public static let all: [String: @Sendable ([UInt8]) -> Void] = ["http-head": httpHead, "websocket": webSocket]

    /// Bytes a client sends before its request is answered: the end of the head, searched once whole and
    /// once as two reads (split where the first byte says) — both must find the same end; the head
    /// parsed; and all the server reads from it (path, keep-alive, Content-Length, the Host check, and
    /// the response head the preview would send back).
    public static func httpHead(_ bytes: [UInt8]) {
        let whole = HTTPRequestHead.end(in: bytes, from: 0)
        let split = bytes.first.map { Int($0) % (bytes.count + 1) } ?? 0
        if HTTPRequestHead.end(in: Array(bytes[..<split]), from: 0) == nil {
            let pieced = HTTPRequestHead.end(in: bytes, from: split)
            if pieced != whole { fatalError("head end \(String(describing: pieced)) read in two pieces, \(String(describing: whole)) whole") }
        }
        let head = bytes[..<((whole ?? bytes.count + 4) - 4)]
        guard let request = try? HTTPRequestHead.parse(head) else { return }
        _ = request.path
        _ = request.keepAlive
        if let length = request.contentLength, length < 0 { fatalError("negative Content-Length \(length)") }
        let host = request.headers["host"] ?? ""
        for any in [false, true] where HTTPServer.isAllowed(host: host, port: 8080, names: ["127.0.0.1", "localhost", "[::1]"], anyAddressLiteral: any) {
            // An accepted Host goes into the policy header: it must not be able to end or extend it.
            guard host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: ",") }) else {
                fatalError("Host \(host.debugDescription) accepted")
            }
            let response = PreviewServer.withSecurityHeaders(HTTPServer.Response(status: 200), host: host)
            // The first blank line is the end of the response head.
            let encoded = HTTPServer.encode(response, head: true, close: false)
            let blank = (0..<(encoded.count - 3)).first { encoded[$0..<($0 + 4)].elementsEqual([0x0D, 0x0A, 0x0D, 0x0A]) }
            if blank != encoded.count - 4 { fatalError("response head broken by Host \(host.debugDescription)") }
        }
    }

    /// Frames a client sends on the live-reload socket, delivered in reads of a size the first byte sets:
    /// every event the reader reports until it fails or closes, which must be what it reports when the
    /// same bytes arrive in one read.
    public static func webSocket(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let frames = Array(bytes.dropFirst())
        func events(readSize: Int) -> [WebSocket.Reader.Event] {
            var reader = WebSocket.Reader(maxMessage: 1024)
            var buffer: [UInt8] = []
            var events: [WebSocket.Reader.Event] = []
            var offset = 0
            while offset < frames.count {
                buffer += frames[offset..<min(offset + readSize, frames.count)]
                offset += readSize
                events += reader.read(&buffer)
                if case .close = events.last { break }
                if case .fail = events.last { break }
            }
            return events
        }
        let pieces = events(readSize: Int(first) + 1)
        let whole = events(readSize: max(1, frames.count))
        if pieces != whole { fatalError("frames read in pieces of \(Int(first) + 1): \(pieces), whole: \(whole)") }
    }
}
