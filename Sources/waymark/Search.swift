import ArgumentParser
import Foundation
import WaymarkKit

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Query a built site's search index exactly as the browser does.")

    @Option(help: "The built site folder.")
    var site = "output"

    @Option(help: "Language code of the index to query.")
    var lang: String

    @Option(help: "Only pages for this segment id.")
    var segment: String?

    @Option(help: "Only onboarding steps of this stage id.")
    var stage: String?

    @Option(help: "Only `article` or `guide` pages.")
    var kind: String?

    @Option(help: "How many results.")
    var limit = 10

    @Flag(help: "Print a JSON array of results in rank order.")
    var json = false

    @Flag(help: "Search the words as typed: no misspelled word is matched through a correction.")
    var literal = false

    @Flag(
        help: """
            With --json: print what the search page says besides the results instead: {"correctedQuery", "didYouMean", "featured"} \
            (the query as corrected when a correction was searched; when nothing matches, another spelling and featured pages).
            """)
    var suggest = false

    @Argument(help: "The query.")
    var query: [String]

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must not be negative") }
    }

    func run() throws {
        let engine: SearchEngine
        do { engine = try SearchEngine(site: site, language: lang) } catch {
            throw ValidationError("\(error)")
        }
        // An unknown filter is a mistake to point out, not a search that finds nothing.
        let known = engine.filterValues
        for (option, value, valid) in [("--segment", segment, known.segments), ("--stage", stage, known.stages), ("--kind", kind, known.kinds)] {
            guard let value, !valid.contains(value) else { continue }
            let list = valid.isEmpty ? "this site has none" : "use one of: " + valid.joined(separator: ", ")
            FileHandle.standardError.write(Data("error: \(option) '\(DiagnosticFormatter.visible(value))' is not known to this site's index; \(list)\n".utf8))
            throw ExitCode(2)
        }
        let request = SearchQuery(query.joined(separator: " "), segment: segment, stage: stage, kind: kind, limit: limit, literal: literal)
        func item(_ r: SearchResult) -> JSON {
            .object([
                ("url", .string(r.url)), ("title", .string(r.title)), ("excerpt", .string(r.excerpt)),
                ("highlights", .array(r.highlights.map { .array([.int($0.lowerBound), .int($0.upperBound)]) })),
                ("anchor", r.anchor.map(JSON.string) ?? .null), ("kind", .string(r.kind)),
                ("context", .string(r.context)), ("score", .int(r.score)),
            ])
        }
        let response = try engine.respond(request)
        let results = response.results
        if json, suggest {
            let s = try engine.suggest(request)
            print(
                JSON.object([
                    ("correctedQuery", response.correctedQuery.map(JSON.string) ?? .null), ("didYouMean", s.didYouMean.map(JSON.string) ?? .null),
                    ("featured", .array(s.featured.map(item))),
                ]).encoded(pretty: true))
            return
        }
        if json {
            print(JSON.array(results.map(item)).encoded(pretty: true))
            return
        }
        if results.isEmpty {
            // As the search page does: another spelling from the index's words, and the featured pages.
            print("No results.")
            let s = try engine.suggest(request)
            if let better = s.didYouMean { print("Did you mean: \(better)") }
            if !s.featured.isEmpty { print("Featured:") }
            for r in s.featured { print("  \(r.title)  \(r.url)") }
        }
        if let corrected = response.correctedQuery { print("Showing results for: \(corrected) (--literal searches the words as typed)") }
        for (i, r) in results.enumerated() {
            print("\(i + 1). \(r.title)  [\(r.context)]")
            print("   \(r.url)\(r.anchor.map { "#" + $0 } ?? "")")
            if !r.excerpt.isEmpty { print("   \(r.excerpt)") }
        }
    }
}
