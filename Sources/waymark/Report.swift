import ArgumentParser
import Foundation
import WaymarkKit

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the content-health report: translation coverage, guides per segment and stage, route length, review age and broken links.")

    @OptionGroup var source: ContentOptions

    @Option(help: "html (charts) or json (for dashboards).")
    var format: ReportFormat = .html

    @Option(name: .shortAndLong, help: "Where to write it; defaults to content-health.html for html and standard output for json.")
    var output: String?

    @Option(help: "The date to measure staleness against (YYYY-MM-DD); defaults to today.", transform: parseDay)
    var today: Day?

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
        let text: String
        switch format {
        case .json: text = HealthReport.json(health, diagnostics: summary.diagnostics)
        case .html:
            let (templates, problems) = TemplateSet.load(from: source.templates)
            guard let templates else {
                FileHandle.standardError.write(Data((formatter.render(problems, as: .text) + "\n").utf8))
                throw ExitCode(1)
            }
            text = try HealthReport.html(health, diagnostics: summary.diagnostics, formatter: formatter, templates: templates)
        }
        let destination = output ?? (format == .html ? "content-health.html" : "-")
        if destination == "-" {
            print(text)
        } else {
            try text.write(toFile: destination, atomically: true, encoding: .utf8)
            FileHandle.standardError.write(Data("Wrote \(destination): \(summary.errors) error(s), \(summary.warnings) warning(s).\n".utf8))
        }
    }
}
