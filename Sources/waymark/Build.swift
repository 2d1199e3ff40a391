import ArgumentParser
import Foundation
import WaymarkKit

/// Options shared by commands that read a content tree.
struct ContentOptions: ParsableArguments {
    @Option(help: "The content folder (site.yml and one folder per language).")
    var content = "content"

    @Option(help: "The template folder (Mustache templates, i18n strings, CSS and JS).")
    var templates = "templates"

    @Flag(help: "Include pages marked `draft: true`.")
    var drafts = false

    @Flag(help: "Treat warnings as errors.")
    var strict = false
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site into the output folder (atomically: a failed build leaves the previous output untouched).")

    @OptionGroup var source: ContentOptions

    @Option(help: "The output folder.")
    var output = "output"

    @Option(name: .customLong("base-url"), help: "Override site.yml's baseURL, e.g. https://example.com/help/.")
    var baseURL: String?

    @Flag(help: "Print nothing but diagnostics.")
    var quiet = false

    @Flag(help: "Print how long each phase of the build took.")
    var timings = false

    @Flag(help: "Also write .gz and .br copies of text files (for nginx gzip_static and similar).")
    var precompress = false

    @Flag(help: "Build even when nothing changed since the last build.")
    var force = false

    func run() throws {
        var options = BuildOptions(
            content: source.content, templates: source.templates, output: output, baseURL: baseURL,
            includeDrafts: source.drafts, strict: source.strict)
        options.precompress = precompress
        options.skipUnchanged = !force
        options.tool = Waymark.fingerprint
        let console = Console(quiet: quiet, timings: timings)
        let start = ContinuousClock.now
        let summary = SiteBuilder.build(options, progress: console.progressHandler)
        console.finishProgress()
        let formatter = DiagnosticFormatter(content: source.content, templates: source.templates, output: output)
        console.printDiagnostics(summary.diagnostics, formatter: formatter)
        let seconds = (ContinuousClock.now - start).seconds
        if summary.upToDate, !summary.failed(strict: source.strict) {
            console.summary(
                "Up to date: nothing changed since the last build (\(summary.pages) pages, \(summary.warnings) warning(s)); \(output)/ kept. Use --force to rebuild."
            )
            return
        }
        if summary.failed(strict: source.strict) {
            console.summary(
                "Build failed: \(summary.errors) error(s), \(summary.warnings) warning(s)\(source.strict && summary.warnings > 0 ? " (--strict)" : ""); \(output)/ was left unchanged."
            )
            throw ExitCode(1)
        }
        console.summary(
            "Built \(summary.pages) pages in \(summary.languages) languages, \(summary.warnings) warning(s), \(String(format: "%.2f", seconds)) s → \(output)/")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the content without writing anything; exit 1 on errors.",
        discussion:
            "Runs every build check plus content-health checks: missing translations, stale articles, orphan articles, duplicate titles, images without alt text and segment × stage cells without a guide."
    )

    @OptionGroup var source: ContentOptions

    @Option(help: "Diagnostics format: text, json or github (GitHub Actions annotations).")
    var format: DiagnosticFormatter.Format = .text

    @Option(help: "The date to measure staleness against (YYYY-MM-DD); defaults to today.", transform: parseDay)
    var today: Day?

    func run() throws {
        var options = BuildOptions(content: source.content, templates: source.templates, includeDrafts: source.drafts, strict: source.strict, dryRun: true)
        options.health = true
        options.today = today
        let summary = SiteBuilder.build(options)
        let formatter = DiagnosticFormatter(content: source.content, templates: source.templates, output: "output")
        let text = formatter.render(summary.diagnostics, as: format)
        if format == .json {
            print(text)
        } else if !text.isEmpty {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
        if format == .text {
            FileHandle.standardError.write(Data("\(summary.errors) error(s), \(summary.warnings) warning(s)\n".utf8))
        }
        if summary.failed(strict: source.strict) { throw ExitCode(1) }
    }
}

extension DiagnosticFormatter.Format: ExpressibleByArgument {}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

func parseDay(_ text: String) throws -> Day {
    guard let day = Day(iso: text) else { throw ValidationError("expected a date such as 2026-11-27, got '\(text)'") }
    return day
}
