import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server for the live preview: one thread, non-blocking sockets and `poll`, and every
/// resource a client can make it hold bounded. It replaces FlyingFox, which read request heads without
/// a size limit (a 1 MB header pinned a core for minutes), had no read timeout, and stopped serving when
/// `accept` ran out of descriptors (see docs/design-notes.md, "Preview server").
///
/// - A request head is at most `Limits.maxHead` bytes (431), a body at most `maxBody` (413); a head must
///   arrive within `headTimeout` of its first byte however slowly it trickles, an idle keep-alive
///   connection closes after `idleTimeout`, a reader that stops reading after `writeTimeout`.
/// - Nothing more is read from a client with `maxOutput` bytes waiting to be sent to it (for HTTP, with
///   anything waiting): a client that sends pings or pipelined requests and never reads the answers
///   fills its own socket buffers, not the server's memory.
/// - Connections are capped below the descriptor limit; at the cap the longest-idle connection makes room,
///   and when `accept` itself fails for lack of descriptors a reserved one lets the server shed the
///   connection and go on. Each condition is logged once.
/// - Only `Host` values naming the address it listens on are answered, and a WebSocket opens only for
///   pages from that origin: a page on another site cannot reach the preview through DNS rebinding.
final class HTTPServer: @unchecked Sendable {
    struct Limits {
        var maxHead = 32 * 1024
        var maxBody = 1 << 20
        var headTimeout: Duration = .seconds(10)
        var idleTimeout: Duration = .seconds(30)
        var writeTimeout: Duration = .seconds(30)
        /// Open connections at most; nil sizes it from the descriptor limit.
        var maxConnections: Int?
        var maxWebSockets = 256
        var maxMessage = 64 * 1024
        /// Bytes queued for one client before the server stops reading from it (back-pressure); an open
        /// page that lets 4 times this pile up (updates it never reads) is closed.
        var maxOutput = 1 << 20
    }

    struct Response {
        var status: Int
        var headers: [(String, String)] = []
        var body: [UInt8] = []
    }

    let limits: Limits
    /// Answers GET and HEAD requests (HEAD gets the same headers without the body).
    let respond: (HTTPRequestHead, String) -> Response
    /// The path of the WebSocket endpoint, and what happens on it: a connection's first message, its
    /// text messages, and its end.
    let webSocketPath: String
    var onSocketOpen: (Int) -> String? = { _ in nil }
    var onSocketText: (Int, String) -> Void = { _, _ in }
    var onSocketClose: (Int) -> Void = { _ in }
    /// One line per notable event (descriptor exhaustion, the connection cap), each kind at most once a minute.
    var log: (String) -> Void = { _ in }

    init(limits: Limits = Limits(), webSocketPath: String, respond: @escaping (HTTPRequestHead, String) -> Response) {
        self.limits = limits
        self.webSocketPath = webSocketPath
        self.respond = respond
    }

    private var listener: Int32 = -1
    private var wake: (read: Int32, write: Int32) = (-1, -1)
    /// Kept open to be given up when `accept` fails with EMFILE, so the pending connection can be taken
    /// and closed instead of waking `poll` forever.
    private var reserve: Int32 = -1
    private(set) var port: UInt16 = 0
    private var allowedHosts: Set<String> = []
    private var anyAddressLiteral = false
    private var connectionCap = 0

    enum StartError: Error, CustomStringConvertible {
        case address(String)
        case system(String, Int32)
        var description: String {
            switch self {
            case .address(let host): return "'\(host)' is not an IPv4 address to listen on (use 127.0.0.1, localhost or 0.0.0.0)"
            case .system(let call, let code): return "\(call): \(String(cString: strerror(code)))"
            }
        }
    }

    /// Binds and listens; returns the port (the one the system chose for port 0).
    func bind(host: String, port requested: UInt16) throws -> UInt16 {
        let ip = host == "localhost" ? "127.0.0.1" : host
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = requested.bigEndian
        guard inet_pton(AF_INET, ip, &address.sin_addr) == 1 else { throw StartError.address(host) }
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw StartError.system("socket", errno) }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw StartError.system("bind \(host):\(requested)", errno) }
        guard listen(listener, 128) == 0 else { throw StartError.system("listen", errno) }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        port = UInt16(bigEndian: actual.sin_port)

        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw StartError.system("pipe", errno) }
        for fd in fds { Self.configure(fd) }
        wake = (fds[0], fds[1])
        reserve = open("/dev/null", O_RDONLY | O_CLOEXEC)

        // The names a browser may send as Host: the loopback names, and the address given. Listening on
        // every address, any IP literal is accepted too (DNS rebinding needs a name, not a literal).
        allowedHosts = ["127.0.0.1", "localhost", "[::1]", host.lowercased()]
        anyAddressLiteral = ip == "0.0.0.0"
        connectionCap = limits.maxConnections ?? Self.connectionCapFromDescriptorLimit()
        return port
    }

    /// Non-blocking and closed on exec (set after the call: the GNU `pipe2`/`accept4` are not visible to
    /// Swift without `_GNU_SOURCE`, which clashes with Dispatch's view of the system headers).
    static func configure(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// Raises the soft descriptor limit to the hard one (as servers commonly do), then keeps room for the
    /// builder's own files, the folder watcher and the server's pipes.
    static func connectionCapFromDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 256 }
        let wanted = min(limit.rlim_max, 65_536)
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return max(16, min(4096, Int(limit.rlim_cur) - 128))
    }

    // MARK: - Running

    private let lock = NSLock()
    private var pending: [String] = []
    private var stopping = false

    /// Sends a text message to every open WebSocket; callable from any thread.
    func broadcast(_ text: String) {
        lock.withLock { pending.append(text) }
        poke()
    }

    func stop() {
        lock.withLock { stopping = true }
        poke()
    }

    private func poke() {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    private var connections: [Int32: Connection] = [:]
    private var nextID = 1
    private var lastLogged: [String: ContinuousClock.Instant] = [:]

    /// Serves until `stop()`; call after `bind`.
    func run() {
        defer { shutDown() }
        var fds: [pollfd] = []
        while !lock.withLock({ stopping }) {
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: listener, events: Int16(POLLIN), revents: 0))
            for (fd, c) in connections { fds.append(pollfd(fd: fd, events: c.events, revents: 0)) }
            let now = ContinuousClock.now
            let next = connections.values.compactMap(\.deadline).min()
            let wait = next.map { max(0, min(1000, Self.milliseconds(now.duration(to: $0)) + 1)) } ?? 1000
            let ready = poll(&fds, nfds_t(fds.count), Int32(wait))
            if ready < 0, errno != EINTR { log("poll failed: \(String(cString: strerror(errno)))") }
            if ready > 0 {
                // Connections before accepting: a descriptor closed here may be reused by `accept`.
                for entry in fds.dropFirst(2) where entry.revents != 0 {
                    guard let c = connections[entry.fd] else { continue }
                    if entry.revents & Int16(POLLIN) != 0, c.wantsInput {
                        readFrom(c)
                    } else if entry.revents & Int16(POLLHUP | POLLERR) != 0 {
                        // Gone, or failed: reading would find the end, writing fails and closes.
                        if c.wantsInput { readFrom(c) } else { flush(c) }
                    }
                    guard connections[entry.fd] === c, entry.revents & Int16(POLLOUT) != 0 else { continue }
                    flush(c)
                    // Requests or frames that arrived while the output was full.
                    if connections[entry.fd] === c, c.wantsInput, !c.input.isEmpty { process(c) }
                }
                if fds[0].revents != 0 { drainWake() }
                if fds[1].revents != 0 { acceptAll() }
            }
            expire()
        }
    }

    private static func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds) * 1000 + Int(d.components.attoseconds / 1_000_000_000_000_000)
    }

    private func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(wake.read, &buffer, buffer.count) > 0 {}
        let messages = lock.withLock { () -> [String] in
            defer { pending.removeAll() }
            return pending
        }
        guard !messages.isEmpty else { return }
        for c in connections.values where c.state == .webSocket {
            for m in messages { c.send(WebSocket.frame(.text, Array(m.utf8))) }
            flush(c)
        }
    }

    private func acceptAll() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EMFILE || errno == ENFILE {
                    // Out of descriptors: give up the reserved one, take the connection and drop it.
                    logOnce("descriptors", "out of file descriptors: refusing new connections until some close (raise `ulimit -n` for more)")
                    close(reserve)
                    let dropped = accept(listener, nil, nil)
                    if dropped >= 0 { close(dropped) }
                    reserve = open("/dev/null", O_RDONLY | O_CLOEXEC)
                    continue
                }
                return  // EAGAIN: no more pending; other errors concern that one connection only
            }
            if connections.count >= connectionCap, !evictOne() {
                logOnce("cap", "\(connectionCap) connections open: refusing new ones until some close")
                close(fd)
                continue
            }
            Self.configure(fd)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            connections[fd] = Connection(fd: fd, id: nextID, limits: limits)
            nextID += 1
        }
    }

    /// Closes the connection that has waited longest without a request in progress (or else the one
    /// whose head has been arriving the longest); WebSockets of open pages are kept.
    private func evictOne() -> Bool {
        let candidates = connections.values.filter { $0.state != .webSocket && $0.output.isEmpty }
        let idle = candidates.filter { $0.input.isEmpty }
        guard let victim = (idle.isEmpty ? candidates : idle).min(by: { $0.since < $1.since }) else { return false }
        logOnce("cap", "\(connectionCap) connections open: closing the longest idle ones to make room")
        closeConnection(victim)
        return true
    }

    private func logOnce(_ kind: String, _ message: String) {
        let now = ContinuousClock.now
        if let last = lastLogged[kind], last.duration(to: now) < .seconds(60) { return }
        lastLogged[kind] = now
        log(message)
    }

    private func expire() {
        let now = ContinuousClock.now
        for c in connections.values {
            guard let deadline = c.deadline, deadline <= now else { continue }
            if c.state == .head, !c.input.isEmpty, c.output.isEmpty {
                // A head that never finished: say so before closing (best effort).
                c.send(Self.encode(Response(status: 408, body: Array("Request timeout\n".utf8)), head: false, close: true))
                _ = c.write()
            }
            closeConnection(c)
        }
    }

    private var buffer = [UInt8](repeating: 0, count: 65_536)

    private func readFrom(_ c: Connection) {
        let n = recv(c.fd, &buffer, buffer.count, 0)
        if n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) {
            closeConnection(c)
            return
        }
        guard n > 0 else { return }
        if c.input.isEmpty, c.state == .head { c.since = .now }
        c.input.append(contentsOf: buffer[..<n])
        process(c)
    }

    /// Handles what the connection's input holds, as far as its output allows.
    private func process(_ c: Connection) {
        while !c.closeAfterWrite, c.output.count < limits.maxOutput {
            switch c.state {
            case .webSocket:
                for event in c.frames.read(&c.input) {
                    switch event {
                    case .text(let text): onSocketText(c.id, text)
                    case .ping(let payload): c.send(WebSocket.frame(.pong, payload))
                    case .close(let code):
                        c.send(WebSocket.closeFrame(code))
                        c.closeAfterWrite = true
                    case .fail(let code):
                        c.send(WebSocket.closeFrame(code))
                        c.closeAfterWrite = true
                    }
                }
                flush(c)
                return
            case .body(let remaining):
                let taken = min(remaining, c.input.count)
                c.input.removeFirst(taken)
                if taken < remaining {
                    c.state = .body(remaining - taken)
                    return
                }
                c.state = .head
                c.since = .now
            case .head:
                guard let end = HTTPRequestHead.end(in: c.input, from: c.scanned) else {
                    if c.input.count > limits.maxHead { fail(c, 431, "Request header fields too large") } else { c.scanned = c.input.count }
                    flush(c)
                    return
                }
                guard end <= limits.maxHead + 4 else {
                    fail(c, 431, "Request header fields too large")
                    flush(c)
                    return
                }
                let bytes = c.input[..<(end - 4)]
                c.input.removeFirst(end)
                c.scanned = 0
                c.since = .now
                handle(bytes, on: c)
            }
        }
        flush(c)
    }

    private func fail(_ c: Connection, _ status: Int, _ message: String) {
        c.send(
            Self.encode(
                Response(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array((message + "\n").utf8)), head: false, close: true
            ))
        c.closeAfterWrite = true
    }

    private func handle(_ bytes: ArraySlice<UInt8>, on c: Connection) {
        var head: HTTPRequestHead
        do {
            head = try HTTPRequestHead.parse(bytes)
        } catch {
            return error == .unsupportedVersion ? fail(c, 505, "HTTP version not supported") : fail(c, 400, "Bad request")
        }
        guard let host = head.headers["host"] ?? (head.version == "HTTP/1.0" ? "127.0.0.1:\(port)" : nil) else {
            return fail(c, 400, "Bad request: no Host header")
        }
        guard isAllowed(host: host) else {
            return fail(c, 403, "The preview answers only requests for this machine's loopback address (or the address given with --host), not '\(host)'.")
        }
        // The responder sees the Host it may trust (an HTTP/1.0 request without one gets the loopback name).
        head.headers["host"] = host
        if head.headers["transfer-encoding"] != nil { return fail(c, 411, "Length required: send a Content-Length") }
        guard let length = head.contentLength else { return fail(c, 400, "Bad request: Content-Length must be one decimal number") }
        if length > limits.maxBody { return fail(c, 413, "Content too large") }
        if length > 0 { c.state = .body(length) }
        guard let path = head.path else { return fail(c, 400, "Bad request: path is not UTF-8") }
        if path == webSocketPath, head.headers["upgrade"]?.lowercased() == "websocket" {
            return upgrade(c, head)
        }
        guard head.method == "GET" || head.method == "HEAD" else {
            var response = Response(status: 405, headers: [("Allow", "GET, HEAD")], body: Array("Method not allowed\n".utf8))
            response.headers.append(("Content-Type", "text/plain; charset=utf-8"))
            c.send(Self.encode(response, head: false, close: !head.keepAlive))
            c.closeAfterWrite = !head.keepAlive
            return
        }
        let response = respond(head, path)
        c.send(Self.encode(response, head: head.method == "HEAD", close: !head.keepAlive))
        c.closeAfterWrite = !head.keepAlive
    }

    /// Host values naming the address the server listens on, with its port.
    func isAllowed(host value: String) -> Bool {
        Self.isAllowed(host: value, port: port, names: allowedHosts, anyAddressLiteral: anyAddressLiteral)
    }

    /// Whether a `Host` value is one of `names` (lowercase) or, with `anyAddressLiteral`, an IPv4 or
    /// bracketed IPv6 literal, followed by `port`. The port must be written as a browser writes it:
    /// digits without sign or leading zero (`+18181` and `018181` are refused, not read as 18181);
    /// without one it is 80.
    static func isAllowed(host value: String, port: UInt16, names: Set<String>, anyAddressLiteral: Bool) -> Bool {
        let lowered = value.lowercased()
        var name = lowered
        var portText = "80"
        if let colon = lowered.lastIndex(of: ":"), !lowered[colon...].contains("]") {
            name = String(lowered[..<colon])
            portText = String(lowered[lowered.index(after: colon)...])
        }
        guard portText == String(port) else { return false }
        if names.contains(name) { return true }
        guard anyAddressLiteral else { return false }
        if name.hasPrefix("["), name.hasSuffix("]"), name.count > 2 {
            // Hex digits, ':' (0x3A, after the digits) and '.' for an embedded IPv4 address.
            return name.dropFirst().dropLast().utf8.allSatisfy { (0x30...0x3A).contains($0) || (0x61...0x66).contains($0) || $0 == UInt8(ascii: ".") }
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.utf8.count <= 3 && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }
    }

    private func upgrade(_ c: Connection, _ head: HTTPRequestHead) {
        // Browsers always send Origin with a WebSocket; a page from another site must not listen in.
        if let origin = head.headers["origin"] {
            let prefix = "http://"
            guard origin.lowercased().hasPrefix(prefix), isAllowed(host: String(origin.dropFirst(prefix.count))) else {
                return fail(c, 403, "WebSocket connections are accepted only from the preview's own pages")
            }
        }
        guard head.method == "GET", head.headers["sec-websocket-version"] == "13", let key = head.headers["sec-websocket-key"],
            head.headers["connection"]?.lowercased().contains("upgrade") == true, head.contentLength == 0  // a body would be read as frames
        else { return fail(c, 400, "Bad WebSocket handshake") }
        guard connections.values.filter({ $0.state == .webSocket }).count < limits.maxWebSockets else {
            return fail(c, 503, "Too many open pages")
        }
        let accept = WebSocket.acceptValue(for: key)
        c.send(Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\r\n".utf8))
        c.state = .webSocket
        if let first = onSocketOpen(c.id) { c.send(WebSocket.frame(.text, Array(first.utf8))) }
    }

    static func encode(_ response: Response, head: Bool, close: Bool) -> [UInt8] {
        var text = "HTTP/1.1 \(response.status) \(reason(response.status))\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(response.body.count)\r\n"
        if close { text += "Connection: close\r\n" }
        text += "\r\n"
        var out = Array(text.utf8)
        if !head { out += response.body }
        return out
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 301: return "Moved Permanently"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 411: return "Length Required"
        case 413: return "Content Too Large"
        case 431: return "Request Header Fields Too Large"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status"
        }
    }

    private func flush(_ c: Connection) {
        guard c.write() else { return closeConnection(c) }
        if c.output.isEmpty {
            if c.closeAfterWrite { closeConnection(c) }
        } else if c.state == .webSocket, c.output.count > 4 * limits.maxOutput {
            closeConnection(c)  // a page that stopped reading its updates
        }
    }

    private func closeConnection(_ c: Connection) {
        guard connections.removeValue(forKey: c.fd) != nil else { return }
        close(c.fd)
        if c.state == .webSocket { onSocketClose(c.id) }
    }

    private func shutDown() {
        for c in Array(connections.values) { closeConnection(c) }
        for fd in [listener, wake.read, wake.write, reserve] where fd >= 0 { close(fd) }
    }
}

/// One client connection's buffers and state.
private final class Connection {
    enum State: Equatable {
        /// Reading a request head.
        case head
        /// Discarding this many bytes of a request body.
        case body(Int)
        case webSocket
    }

    let fd: Int32
    let id: Int
    let limits: HTTPServer.Limits
    var state = State.head
    var input: [UInt8] = []
    /// Bytes of `input` already searched for the end of the head.
    var scanned = 0
    var output: [UInt8] = []
    var written = 0
    var closeAfterWrite = false
    /// When the connection last became idle, started its current head, or last wrote.
    var since = ContinuousClock.now
    var frames: WebSocket.Reader

    init(fd: Int32, id: Int, limits: HTTPServer.Limits) {
        self.fd = fd
        self.id = id
        self.limits = limits
        frames = WebSocket.Reader(maxMessage: limits.maxMessage)
    }

    /// Whether to read more from the client. No more requests are read while a response is going out,
    /// nor frames while `maxOutput` bytes wait (the pongs of a ping flood): a client cannot queue up
    /// work or memory, its own socket buffers fill instead. Nothing is read once closing.
    var wantsInput: Bool {
        !closeAfterWrite && (state == .webSocket ? output.count < limits.maxOutput : output.isEmpty)
    }

    var events: Int16 {
        (wantsInput ? Int16(POLLIN) : 0) | (output.isEmpty ? 0 : Int16(POLLOUT))
    }

    /// When the connection is closed unless something happens first; nil for an open page's WebSocket.
    var deadline: ContinuousClock.Instant? {
        if !output.isEmpty { return since + limits.writeTimeout }
        switch state {
        case .webSocket: return nil
        case .body: return since + limits.headTimeout
        case .head: return since + (input.isEmpty ? limits.idleTimeout : limits.headTimeout)
        }
    }

    func send(_ bytes: [UInt8]) {
        if output.isEmpty { since = .now }
        output += bytes
    }

    /// Writes what the socket takes now; false when the peer is gone.
    func write() -> Bool {
        guard !output.isEmpty else { return true }
        while written < output.count {
            let n = output[written...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 { return errno == EAGAIN || errno == EINTR }
            written += n
            since = .now
        }
        output.removeAll(keepingCapacity: output.count < 1 << 16)
        written = 0
        since = .now
        return true
    }
}
