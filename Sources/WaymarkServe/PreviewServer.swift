import FlyingFox
import Foundation
import WaymarkKit

/// `waymark serve`: builds into memory, serves the site on a loopback address, watches the content and
/// template folders, rebuilds what changed, and tells open pages to reload over a WebSocket. A build
/// with errors keeps the last good site on screen and shows the errors in an overlay (and the terminal).
public final class PreviewServer: @unchecked Sendable {
    public struct Options: Sendable {
        public var build: BuildOptions
        public var host: String
        public var port: UInt16
        /// How often the folders are checked for changes.
        public var pollInterval: Duration

        public init(build: BuildOptions, host: String = "127.0.0.1", port: UInt16 = 8080, pollInterval: Duration = .milliseconds(250)) {
            self.build = build
            self.host = host
            self.port = port
            self.pollInterval = pollInterval
        }
    }

    let options: Options
    let cache = BuildCache()
    let output = MemoryOutput()
    let hub = ReloadHub()
    private let lock = NSLock()
    private var latest: [Diagnostic] = []
    private var failed = false
    /// Reports each rebuild: (summary, seconds).
    public var onBuild: (@Sendable (BuildSummary, Double, BuildCache) -> Void)?

    public init(options: Options) {
        var options = options
        options.build.liveReload = true
        self.options = options
        hub.current = { [unowned self] in self.statusMessage() }
    }

    /// Builds, then serves until the task is cancelled.
    public func run(ready: (@Sendable (String) -> Void)? = nil) async throws {
        rebuild()
        let address = try sockaddr_in.inet(ip4: options.host, port: options.port)
        let server = HTTPServer(address: address, logger: .disabled)
        await server.appendRoute("GET /__waymark/live", to: WebSocketHTTPHandler(handler: MessageFrameWSHandler(handler: hub)))
        await server.appendRoute("GET /__waymark/live.js") { _ in
            HTTPResponse(
                statusCode: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"], body: Data(LiveScript.source.utf8))
        }
        await server.appendRoute("GET *") { [self] request in self.respond(to: request.target.path(percentEncoded: false)) }
        let watcher = Task.detached { [self] in await self.watch() }
        defer { watcher.cancel() }
        try await withTaskCancellationHandler {
            async let serving: Void = server.run()
            try await server.waitUntilListening()
            if let address = await server.listeningAddress, case .ip4(let ip, let port) = address {
                ready?("http://\(ip):\(port)/")
            }
            try await serving
        } onCancel: {
            Task { await server.stop() }
        }
    }

    func respond(to rawPath: String) -> HTTPResponse {
        let path = rawPath.drop { $0 == "/" }
        if output.isEmpty {
            return HTTPResponse(statusCode: .serviceUnavailable, headers: [.contentType: "text/html; charset=utf-8"], body: Data(errorPage().utf8))
        }
        if !path.split(separator: "/").contains("..") {
            if path.isEmpty || path.hasSuffix("/") {
                if let bytes = output.file(path + "index.html") { return page(bytes, "index.html") }
            } else if let bytes = output.file(String(path)) {
                return page(bytes, String(path))
            } else if output.file(path + "/index.html") != nil {
                return HTTPResponse(statusCode: .movedPermanently, headers: [.location: "/" + path + "/"], body: Data())
            }
        }
        let language = path.split(separator: "/").first.map(String.init) ?? ""
        let notFound = output.file(language + "/404.html") ?? output.file("404.html") ?? Array("Not found".utf8)
        return HTTPResponse(statusCode: .notFound, headers: [.contentType: "text/html; charset=utf-8"], body: Data(notFound))
    }

    private func page(_ bytes: [UInt8], _ name: String) -> HTTPResponse {
        HTTPResponse(statusCode: .ok, headers: [.contentType: Self.contentType(name), .cacheControl: "no-store"], body: Data(bytes))
    }

    static func contentType(_ path: String) -> String {
        switch path.split(separator: ".").last.map(String.init) ?? "" {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "xml": return "application/xml"
        case "txt": return "text/plain; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        default: return "application/octet-stream"
        }
    }

    /// Builds once; returns whether the build succeeded.
    @discardableResult
    public func rebuild() -> Bool {
        let start = ContinuousClock.now
        let summary = SiteBuilder.build(options.build, cache: cache, memory: output)
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let ok = !summary.failed(strict: options.build.strict)
        lock.lock()
        latest = summary.diagnostics
        failed = !ok
        lock.unlock()
        onBuild?(summary, seconds, cache)
        hub.broadcast(statusMessage())
        return ok
    }

    /// The message a page gets on connecting and after every build.
    func statusMessage() -> String {
        let (diagnostics, failed) = state()
        let formatter = DiagnosticFormatter(content: options.build.content, templates: options.build.templates, output: "output")
        let strict = options.build.strict
        let errors = diagnostics.filter { (d: Diagnostic) -> Bool in
            d.severity == Diagnostic.Severity.error || (strict && d.severity == Diagnostic.Severity.warning)
        }
        let lines: [JSON] = errors.map { JSON.string(formatter.text($0)) }
        return JSON.object([("type", JSON.string(failed ? "error" : "reload")), ("diagnostics", JSON.array(lines))]).encoded()
    }

    private func state() -> ([Diagnostic], Bool) {
        lock.lock()
        defer { lock.unlock() }
        return (latest, failed)
    }

    func errorPage() -> String {
        let (diagnostics, _) = state()
        let formatter = DiagnosticFormatter(content: options.build.content, templates: options.build.templates, output: "output")
        let lines = diagnostics.map { "<li>" + escape(formatter.text($0)) + "</li>" }.joined()
        return
            "<!doctype html><meta charset=utf-8><title>Build failed</title><h1>The site could not be built</h1><ul>\(lines)</ul><script src=\"/__waymark/live.js\"></script>"
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Polls both folders; stat calls on every file are cheap next to a rebuild, and need no platform
    /// file-event API (nor miss events on network or container file systems).
    func watch() async {
        var last = FolderSnapshot(folders: [options.build.content, options.build.templates])
        while !Task.isCancelled {
            try? await Task.sleep(for: options.pollInterval)
            let now = FolderSnapshot(folders: [options.build.content, options.build.templates])
            if now != last {
                last = now
                rebuild()
            }
        }
    }

    public var clientCount: Int { hub.count }
}

/// Open pages, each a WebSocket receiving the build status.
final class ReloadHub: WSMessageHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var clients: [UUID: AsyncStream<WSMessage>.Continuation] = [:]
    var current: () -> String = { "{\"type\":\"reload\",\"diagnostics\":[]}" }

    func makeMessages(for client: AsyncStream<WSMessage>) async throws -> AsyncStream<WSMessage> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<WSMessage>.makeStream()
        lock.withLock { clients[id] = continuation }
        continuation.yield(.text(current()))
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.lock.withLock { self.clients.removeValue(forKey: id) }
        }
        Task { [weak self] in
            for await _ in client {}
            guard let self else { return }
            self.lock.withLock { self.clients.removeValue(forKey: id) }?.finish()
        }
        return stream
    }

    func broadcast(_ message: String) {
        let targets = lock.withLock { Array(clients.values) }
        for c in targets { c.yield(.text(message)) }
    }

    var count: Int { lock.withLock { clients.count } }
}

/// Injected only by `waymark serve`: reloads the page after a successful rebuild, shows the errors of a
/// failed one over the page, and reconnects when the server restarts.
enum LiveScript {
    static let source = #"""
        (function () {
          "use strict";
          var overlay = null;
          function show(lines) {
            if (!overlay) {
              overlay = document.createElement("div");
              overlay.id = "waymark-error-overlay";
              overlay.setAttribute("role", "alert");
              overlay.style.cssText = "position:fixed;inset:0;z-index:99999;background:rgba(20,10,10,.92);color:#fff;" +
                "font:14px/1.5 ui-monospace,Menlo,monospace;padding:2rem;overflow:auto;direction:ltr;text-align:left";
              document.body.appendChild(overlay);
            }
            overlay.textContent = "";
            var h = document.createElement("h2");
            h.textContent = "Waymark: the site could not be rebuilt";
            h.style.cssText = "color:#ff8a80;font:bold 18px system-ui,sans-serif;margin:0 0 1rem";
            overlay.appendChild(h);
            lines.forEach(function (line) {
              var p = document.createElement("pre");
              p.textContent = line;
              p.style.cssText = "white-space:pre-wrap;margin:0 0 .6rem";
              overlay.appendChild(p);
            });
          }
          var first = true;
          function connect() {
            var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__waymark/live");
            ws.onmessage = function (event) {
              var status = JSON.parse(event.data);
              if (status.type === "error") { show(status.diagnostics); first = false; return; }
              if (first) { first = false; return; }
              location.reload();
            };
            ws.onclose = function () { first = false; setTimeout(connect, 500); };
          }
          connect();
        })();
        """#
}
