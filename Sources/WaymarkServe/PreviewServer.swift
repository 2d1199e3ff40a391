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
        /// How often the folders are checked for changes where the system has no file notifications.
        public var pollInterval: Duration

        public init(build: BuildOptions, host: String = "127.0.0.1", port: UInt16 = 8080, pollInterval: Duration = .milliseconds(250)) {
            self.build = build
            self.host = host
            self.port = port
            self.pollInterval = pollInterval
        }
    }

    let options: Options
    let session: PreviewSession
    var output: MemoryOutput { session.output }
    let hub = ReloadHub()
    private let lock = NSLock()
    private var latest: [Diagnostic] = []
    private var failed = false
    /// Receives each rebuild's phases as they start (`waymark serve --timings`).
    public var onProgress: (@Sendable (BuildEvent) -> Void)?
    /// Reports each rebuild: (summary, seconds, cache).
    public var onBuild: (@Sendable (BuildSummary, Double, BuildCache) -> Void)?
    /// Reports each quick re-render of edited pages ahead of a rebuild: (output paths changed, seconds).
    public var onQuickUpdate: (@Sendable ([String], Double) -> Void)?

    public init(options: Options) {
        var options = options
        options.build.liveReload = true
        self.options = options
        session = PreviewSession(options: options.build)
        hub.current = { [unowned self] in self.statusMessage() }
    }

    /// Limits of the HTTP server (timeouts, sizes, connections); tests shorten them.
    public var limits: (headTimeout: Duration, idleTimeout: Duration, maxConnections: Int?) = (.seconds(10), .seconds(30), nil)
    /// Notable server events (descriptor exhaustion, the connection cap), one line each.
    public var onServerEvent: (@Sendable (String) -> Void)?
    private var http: HTTPServer?

    /// Builds, then serves until the task is cancelled.
    public func run(ready: (@Sendable (String) -> Void)? = nil) async throws {
        rebuild()
        var serverLimits = HTTPServer.Limits()
        serverLimits.headTimeout = limits.headTimeout
        serverLimits.idleTimeout = limits.idleTimeout
        serverLimits.maxConnections = limits.maxConnections
        let server = HTTPServer(limits: serverLimits, webSocketPath: "/__waymark/live") { [self] head, path in
            Self.withSecurityHeaders(respond(to: path), host: head.headers["host"] ?? "")
        }
        server.onSocketOpen = { [hub] id in hub.opened(id) }
        server.onSocketText = { [hub] id, text in hub.received(id, text) }
        server.onSocketClose = { [hub] id in hub.closed(id) }
        server.log = { [weak self] line in self?.onServerEvent?(line) }
        hub.send = { [weak server] message in server?.broadcast(message) }
        let port = try server.bind(host: options.host, port: options.port)
        http = server
        let watcher = FolderWatcher(folders: [options.build.content, options.build.templates], pollInterval: options.pollInterval)
        watcher.start { [self] change in self.changed(change) }
        defer { watcher.stop() }
        ready?("http://\(options.host):\(port)/")
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread {
                    server.run()
                    done.resume()
                }
                thread.name = "waymark-http"
                thread.start()
            }
        } onCancel: {
            server.stop()
        }
    }

    func respond(to rawPath: String) -> HTTPServer.Response {
        let path = rawPath.drop { $0 == "/" }
        if path == "__waymark/live.js" {
            return HTTPServer.Response(
                status: 200, headers: [("Content-Type", "text/javascript; charset=utf-8"), ("Cache-Control", "no-store")], body: Array(LiveScript.source.utf8))
        }
        if output.isEmpty {
            return HTTPServer.Response(status: 503, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(errorPage().utf8))
        }
        if !path.split(separator: "/").contains("..") {
            if path.isEmpty || path.hasSuffix("/") {
                if let bytes = output.file(path + "index.html") { return page(bytes, "index.html") }
            } else if let bytes = output.file(String(path)) {
                var response = page(bytes, String(path))
                if Self.isForOtherOrigins(path) { response.headers.append(("Access-Control-Allow-Origin", "*")) }
                return response
            } else if output.file(path + "/index.html") != nil {
                let location = "/" + (path + "/").addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
                return HTTPServer.Response(status: 301, headers: [("Location", location)])
            }
        }
        let language = path.split(separator: "/").first.map(String.init) ?? ""
        let notFound = output.file(language + "/404.html") ?? output.file("404.html") ?? Array("Not found".utf8)
        return HTTPServer.Response(status: 404, headers: [("Content-Type", "text/html; charset=utf-8")], body: notFound)
    }

    /// `embed.js` and each `route.json`, which products' pages on other origins read (docs/embed.md): the
    /// only files sent with `Access-Control-Allow-Origin: *`, as by docs/nginx/waymark.conf.
    static func isForOtherOrigins(_ path: Substring) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return path == "embed.js" || (parts.count == 4 && parts[1] == "segments" && parts[3] == "route.json")
    }

    /// The policy docs/nginx/waymark.conf sends with every page, so that what the preview shows runs
    /// under the rules production applies (a test keeps the two equal). The preview adds its live-reload
    /// socket to `connect-src`.
    static let pagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    /// The policy for SVG files, as docs/nginx/waymark.conf's: an SVG opened by its URL is a document,
    /// and `sandbox` keeps any script in it off the site's origin; it may show inline styles and pictures.
    static let svgPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox"

    /// Adds the headers nginx sends with every response (docs/nginx/waymark.conf): the content security
    /// policy (the SVG one for SVG files) and `nosniff`. (The referrer policy is also in each page's
    /// `<meta name="referrer">`.) `host` is the `Host` the server has checked, so the socket's origin is
    /// the page's own.
    static func withSecurityHeaders(_ response: HTTPServer.Response, host: String) -> HTTPServer.Response {
        var response = response
        let isSVG = response.headers.contains { $0.0 == "Content-Type" && $0.1 == contentType("x.svg") }
        let policy = isSVG ? svgPolicy : pagePolicy.replacingOccurrences(of: "connect-src 'self'", with: "connect-src 'self' ws://\(host)")
        response.headers += [("Content-Security-Policy", policy), ("X-Content-Type-Options", "nosniff")]
        return response
    }

    private func page(_ bytes: [UInt8], _ name: String) -> HTTPServer.Response {
        HTTPServer.Response(status: 200, headers: [("Content-Type", Self.contentType(name)), ("Cache-Control", "no-store")], body: bytes)
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

    /// One burst of file changes: the edited pages first, when the edit is local to them, then the
    /// whole site, so the served site converges on what a clean build writes. The quick render runs
    /// at once, even while a rebuild is running; rebuilds run one at a time on their own thread, and
    /// changes during one make one more.
    func changed(_ change: FolderWatcher.Change) {
        if let paths = change.paths, !state().1 {
            let content = options.build.content + "/"
            let templates = options.build.templates + "/"
            let start = ContinuousClock.now
            var updated: [String]?
            if paths.allSatisfy({ $0.hasPrefix(content) }) {
                updated = session.renderEdited(Set(paths.map { String($0.dropFirst(content.count)) }))
            } else if paths.allSatisfy({ $0.hasPrefix(templates) }) {
                // A template, string or stylesheet: the pages open in a browser first, then every page.
                updated = session.renderWithNewTemplates(pages: hub.openPages.map { String($0.dropFirst()) })
            }
            if let updated {
                onQuickUpdate?(updated, Self.seconds(since: start))
                if !updated.isEmpty { hub.broadcast(Self.updateMessage(updated, all: false)) }
            }
        }
        scheduleRebuild()
    }

    private var rebuilding = false
    private var rebuildAgain = false
    private let rebuilds = DispatchQueue(label: "waymark-rebuild")

    /// Starts a rebuild, or asks the running one to be followed by another.
    func scheduleRebuild() {
        let start = lock.withLock { () -> Bool in
            if rebuilding {
                rebuildAgain = true
                return false
            }
            rebuilding = true
            return true
        }
        guard start else { return }
        rebuilds.async { [self] in
            while true {
                rebuild()
                let again = lock.withLock { () -> Bool in
                    if rebuildAgain {
                        rebuildAgain = false
                        return true
                    }
                    rebuilding = false
                    return false
                }
                if !again { return }
            }
        }
    }

    /// Builds once; returns whether the build succeeded.
    @discardableResult
    public func rebuild() -> Bool {
        let start = ContinuousClock.now
        let (summary, changed) = session.rebuild(progress: onProgress)
        let seconds = Self.seconds(since: start)
        let ok = !summary.failed(strict: options.build.strict)
        lock.lock()
        latest = summary.diagnostics
        let recovered = ok && failed
        failed = !ok
        lock.unlock()
        onBuild?(summary, seconds, session.cache)
        if !ok {
            hub.broadcast(statusMessage())
        } else if recovered || !changed.isEmpty {
            hub.broadcast(Self.updateMessage(changed, all: recovered))
        }
        return ok
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Tells open pages what changed: each page reloads when its own URL is among `paths` (output file
    /// paths), or when `all` is set or a file that any page may show (an image, a stylesheet) changed.
    /// Search index files, feeds and sitemaps reload nothing.
    static func updateMessage(_ paths: [String], all: Bool) -> String {
        var pages: [JSON] = []
        var everything = all
        for path in paths {
            if path.hasSuffix("index.html") {
                pages.append(.string("/" + path.dropLast("index.html".count)))
            } else if path.hasSuffix(".html") {
                pages.append(.string("/" + path))
            } else if !(path.hasPrefix("search/") || path.hasSuffix(".json") || path.hasSuffix(".xml") || path.hasSuffix(".txt")) {
                everything = true
            }
        }
        return JSON.object([("type", .string("update")), ("all", .bool(everything)), ("paths", .array(pages))]).encoded()
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
        return JSON.object([("type", JSON.string(failed ? "error" : "status")), ("diagnostics", JSON.array(lines))]).encoded()
    }

    private func state() -> ([Diagnostic], Bool) {
        lock.lock()
        defer { lock.unlock() }
        return (latest, failed)
    }

    func errorPage() -> String {
        let (diagnostics, _) = state()
        let formatter = DiagnosticFormatter(content: options.build.content, templates: options.build.templates, output: "output")
        let lines = diagnostics.map { "<li>" + HTML.escape(formatter.text($0)) + "</li>" }.joined()
        return
            "<!doctype html><meta charset=utf-8><title>Build failed</title><h1>The site could not be built</h1><ul>\(lines)</ul><script src=\"/__waymark/live.js\"></script>"
    }

    public var clientCount: Int { hub.count }
}

/// Open pages, each a WebSocket receiving the build status and naming the page it shows.
final class ReloadHub: @unchecked Sendable {
    private let lock = NSLock()
    /// Open connections and the URL path of each one's page (empty until the page names itself).
    private var pages: [Int: String] = [:]
    var current: () -> String = { "{\"type\":\"status\",\"diagnostics\":[]}" }
    /// Delivers a message to every open page (the HTTP server's broadcast).
    var send: (String) -> Void = { _ in }

    /// A page connected: its first message is the current build status.
    func opened(_ id: Int) -> String {
        lock.withLock { pages[id] = "" }
        return current()
    }

    /// A page names itself once connected: `{"page": "/en/articles/x/"}`.
    func received(_ id: Int, _ text: String) {
        guard let page = Self.pagePath(text) else { return }
        lock.withLock { if pages[id] != nil { pages[id] = page } }
    }

    func closed(_ id: Int) {
        lock.withLock { _ = pages.removeValue(forKey: id) }
    }

    /// URL paths of the pages open now.
    var openPages: Set<String> { lock.withLock { Set(pages.values.filter { !$0.isEmpty }) } }

    static func pagePath(_ text: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], let page = object["page"] as? String,
            page.hasPrefix("/"), page.count < 2048
        else { return nil }
        return page
    }

    func broadcast(_ message: String) { send(message) }

    var count: Int { lock.withLock { pages.count } }
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
          // Reload when this page changed; the server names the pages each rebuild changed.
          function here() {
            var path = location.pathname;
            try { path = decodeURIComponent(path); } catch (e) {}
            return path.replace(/index\.html$/, "");
          }
          var reconnected = false;
          function connect() {
            var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__waymark/live");
            ws.onmessage = function (event) {
              var status = JSON.parse(event.data);
              if (status.type === "error") { show(status.diagnostics); return; }
              // After the server restarted, the site may have changed while nobody was listening.
              if (status.type === "status") { if (reconnected) location.reload(); return; }
              if (overlay || status.all || status.paths.indexOf(here()) >= 0) location.reload();
            };
            ws.onopen = function () { ws.send(JSON.stringify({ page: here() })); };
            ws.onclose = function () { reconnected = true; setTimeout(connect, 500); };
          }
          connect();
        })();
        """#
}
