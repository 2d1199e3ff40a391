import ArgumentParser
import Foundation
import WaymarkKit

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create content with correct front matter (never overwrites a file).",
        subcommands: [Article.self, Guide.self, Segment.self, Language.self])

    struct Location: ParsableArguments {
        @Option(help: "The content folder.")
        var content = "content"

        @Option(help: "The template folder (for a new language's strings file).")
        var templates = "templates"

        func scaffold() -> Scaffold { Scaffold(content: content, templates: templates, today: .today) }
    }

    static func report(_ changes: [Scaffold.Change]) {
        for change in changes { print(change) }
    }

    static func run(_ body: () throws -> [Scaffold.Change]) throws {
        do { report(try body()) } catch let error as Scaffold.Failure {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    struct Article: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A knowledge-base article: waymark new article en/billing/refunds")
        @OptionGroup var location: Location
        @Argument(help: "<language>/<category>/<slug>") var path: String
        @Option(help: "The title (default: from the slug).") var title: String?

        func run() throws {
            let parts = path.split(separator: "/").map(String.init)
            guard parts.count == 3 else { throw ValidationError("expected <language>/<category>/<slug>, such as en/billing/refunds") }
            try New.run { [.created(try location.scaffold().article(language: parts[0], category: parts[1], slug: parts[2], title: title))] }
        }
    }

    struct Guide: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The next onboarding step of a segment: waymark new guide accountant send-invoice")
        @OptionGroup var location: Location
        @Argument(help: "Segment id.") var segment: String
        @Argument(help: "Slug of the step.") var slug: String
        @Option(help: "Language (default: the site's default).") var lang: String?
        @Option(help: "Stage id (default: the stage of the segment's last step).") var stage: String?
        @Option(help: "The title (default: from the slug).") var title: String?

        func run() throws {
            try New.run { [.created(try location.scaffold().guide(language: lang, segment: segment, slug: slug, title: title, stage: stage))] }
        }
    }

    struct Segment: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A customer segment: added to site.yml, with a landing file and a first step.")
        @OptionGroup var location: Location
        @Argument(help: "Segment id, such as small-business.") var id: String
        @Option(help: "Its title in the default language.") var title: String?

        func run() throws {
            try New.run { try location.scaffold().segment(id: id, title: title) }
        }
    }

    struct Language: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A language: added to site.yml, with a home page and interface strings to translate.")
        @OptionGroup var location: Location
        @Argument(help: "Language code, such as de or pt-br.") var code: String
        @Option(help: "Its name in itself, such as Deutsch.") var name: String?
        @Flag(inversion: .prefixedNo, help: "Written right to left (default: known from the code).") var rtl: Bool?

        func run() throws {
            try New.run { try location.scaffold().language(code: code, name: name, rightToLeft: rtl) }
        }
    }
}
