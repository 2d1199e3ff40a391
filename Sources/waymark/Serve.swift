import ArgumentParser
import Foundation
import WaymarkKit
import WaymarkServe

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the site: build into memory, serve it on this machine, rebuild and reload on every change.")

    @OptionGroup var source: ContentOptions

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: UInt16 = 8080

    @Option(help: "Address to listen on; keep the default loopback address unless you know you need another.")
    var host = "127.0.0.1"

    @Flag(help: "Print how long each phase of every rebuild took.")
    var timings = false

    @Option(help: .hidden)
    var requestTimeout: Double?

    @Option(help: .hidden)
    var idleTimeout: Double?

    func run() async throws {
        let build = BuildOptions(content: source.content, templates: source.templates, includeDrafts: source.drafts, strict: source.strict)
        let server = PreviewServer(options: .init(build: build, host: host, port: port))
        // Tests shorten the server's timeouts (a head must arrive within 10 s, idle connections close after 30 s).
        if let requestTimeout { server.limits.headTimeout = .milliseconds(Int(requestTimeout * 1000)) }
        if let idleTimeout { server.limits.idleTimeout = .milliseconds(Int(idleTimeout * 1000)) }
        server.onServerEvent = { line in FileHandle.standardError.write(Data("waymark serve: \(line)\n".utf8)) }
        let formatter = DiagnosticFormatter(content: source.content, templates: source.templates, output: "output")
        let console = Console(quiet: true, timings: timings)
        server.onProgress = console.progressHandler
        server.onBuild = { summary, seconds, cache in
            console.finishProgress()
            var lines = summary.diagnostics.map(formatter.text)
            let time = String(format: "%.2f s", seconds)
            if summary.failed(strict: source.strict) {
                lines.append("Build failed (\(summary.errors) error(s)); still serving the last good build. Fix the file and save.")
            } else {
                lines.append(
                    "Built \(summary.pages) pages in \(time): \(cache.lastRendered) rendered, \(cache.lastReused) unchanged; \(summary.warnings) warning(s).")
            }
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        server.onQuickUpdate = { paths, seconds in
            let pages = paths.filter { $0.hasSuffix(".html") }.count
            FileHandle.standardError.write(
                Data(String(format: "Updated %d page(s) in %.1f ms; rebuilding the rest of the site.\n", pages, seconds * 1000).utf8))
        }
        try await server.run { url in
            FileHandle.standardError.write(Data("Serving \(source.content)/ on \(url) — edits reload open pages. Ctrl-C stops.\n".utf8))
        }
    }
}
