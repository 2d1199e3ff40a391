import ArgumentParser
import Foundation
import WaymarkKit

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Write the content-health report: translation coverage, guides per segment and stage, route length, review age and broken links; with --events, the onboarding metrics.",
        discussion: "Event logs are JSON lines (schema v1, docs/analytics.md), plain or gzip; bad lines are listed with their line number and skipped.")

    @OptionGroup var source: ContentOptions

    @Option(help: "html (charts) or json (for dashboards).")
    var format: ReportFormat = .html

    @Option(name: .shortAndLong, help: "Where to write it; defaults to content-health.html for html and standard output for json.")
    var output: String?

    @Option(help: "The date to measure staleness against (YYYY-MM-DD); defaults to today.", transform: parseDay)
    var today: Day?

    @Option(
        name: .long, parsing: .upToNextOption,
        help: ArgumentHelp("Event logs to add the onboarding metrics from (JSON lines, plain or gzip; - for standard input).", valueName: "file"))
    var events: [String] = []

    enum ReportFormat: String, ExpressibleByArgument { case html, json }

    func run() throws {
        var options = BuildOptions(content: source.content, templates: source.templates, includeDrafts: source.drafts, strict: source.strict, dryRun: true)
        options.health = true
        options.today = today
        let summary = SiteBuilder.build(options)
        guard let health = summary.health else {
            let formatter = DiagnosticFormatter(content: source.content, templates: source.templates, output: "output")
            FileHandle.standardError.write(Data((formatter.render(summary.diagnostics, as: .text) + "\n").utf8))
            throw ExitCode(1)
        }
        let formatter = DiagnosticFormatter(content: source.content, templates: source.templates, output: "output")
        var diagnostics = summary.diagnostics
        var onboarding: OnboardingMetrics?
        // A log that could not be read (a mistyped path, a cut-off gzip) still gives a report from the
        // rest, but fails the command: a scheduled job must not publish figures with a month missing.
        var unreadableLog = false
        if !events.isEmpty {
            let metrics = OnboardingMetrics.read(events, outline: health.onboarding)
            diagnostics += metrics.diagnostics
            onboarding = metrics
            unreadableLog = metrics.diagnostics.contains { $0.severity == .error }
            let files = metrics.files.count == 1 ? "1 file" : "\(metrics.files.count) files"
            FileHandle.standardError.write(Data("Read \(metrics.events) events from \(files); \(metrics.badLines) bad line(s) skipped.\n".utf8))
            if !metrics.diagnostics.isEmpty {
                FileHandle.standardError.write(Data((formatter.render(metrics.diagnostics, as: .text) + "\n").utf8))
            }
        }
        let text: String
        switch format {
        case .json: text = HealthReport.json(health, diagnostics: diagnostics, onboarding: onboarding)
        case .html:
            let (templates, problems) = TemplateSet.load(from: source.templates)
            guard let templates else {
                FileHandle.standardError.write(Data((formatter.render(problems, as: .text) + "\n").utf8))
                throw ExitCode(1)
            }
            text = try HealthReport.html(health, diagnostics: diagnostics, formatter: formatter, templates: templates, onboarding: onboarding)
        }
        let destination = output ?? (format == .html ? "content-health.html" : "-")
        if destination == "-" {
            print(text)
        } else {
            try text.write(toFile: destination, atomically: true, encoding: .utf8)
            let errors = diagnostics.filter { $0.severity == .error }.count
            FileHandle.standardError.write(Data("Wrote \(destination): \(errors) error(s), \(diagnostics.count - errors) warning(s).\n".utf8))
        }
        if unreadableLog { throw ExitCode(1) }
    }
}
