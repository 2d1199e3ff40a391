import Foundation
import Testing

@testable import WaymarkKit

/// The default site's pages as files under `Tests/Golden/`: one page of every kind in every language, so a
/// change to templates, contexts or rendering shows up as a reviewable diff instead of passing unnoticed.
///
/// Re-record after an intended change with `make golden` (`WAYMARK_RECORD_GOLDEN=1 swift test --filter
/// GoldenPageTests`) and review `git diff Tests/Golden`. The only normalisation is the fingerprint in asset
/// file names (`style.32974172f4.css` → `style.FINGERPRINT.css`), which changes with every stylesheet or
/// script edit without changing any page.
@Suite("Golden pages")
struct GoldenPageTests {
    static let folder = Repo.root + "/Tests/Golden"

    /// The page of a kind that stands for it where the kind has several in a language: the accountant's
    /// route, a guide with a checklist, an article with a table of contents.
    static let preferred = [
        "articles/basics/index.html", "articles/basics/time-to-value/index.html", "segments/accountant/index.html",
        "segments/accountant/route/index.html", "segments/accountant/route/all/index.html", "guides/accountant/02-collect-documents-and-access/index.html",
        "guides/accountant/index.html",
    ]

    /// Output paths of one page of every kind in the registry (`PageKinds.all`) in each language that has
    /// one, then the files that are not pages.
    static func pages(_ renderer: PageRenderer) -> [String] {
        var out: [String] = []
        for kind in PageKinds.all {
            let paths = renderer.outputPaths(of: kind)
            for language in renderer.site.config.languages.map(\.code) {
                let own = paths.filter { $0.language == language }.map(\.path)
                if let page = own.first(where: { path in preferred.contains { language + "/" + $0 == path } }) ?? own.first { out.append(page) }
            }
            // A kind's page at the site root (the language chooser, the root 404).
            out += paths.map(\.path).filter { !$0.contains("/") }
        }
        for l in renderer.site.config.languages.map(\.code) {
            // Highlighted code (JSON, shell, YAML) in a step.
            out += ["\(l)/guides/developer/02-instrument-onboarding-events/index.html"]
            out += ["\(l)/segments/accountant/route.json", "\(l)/feed.xml", "search/\(l)/meta.json"]
        }
        return Array(Set(out)).sorted() + ["robots.txt", "sitemap.xml"]
    }

    static func normalised(_ text: String) -> String {
        text.replacing(#/assets/([A-Za-z0-9_-]+)\.[0-9a-f]{10}\.([a-z]+)/#) { "assets/\($0.output.1).FINGERPRINT.\($0.output.2)" }
    }

    @Test("every page kind in every language matches its golden file")
    func pagesMatchGoldenFiles() throws {
        let tree = try TempTree()
        let (summary, stages) = SiteBuilder.run(
            BuildOptions(content: Repo.content, templates: Repo.templates, output: tree.path + "/site"), cache: nil, memory: nil)
        #expect(summary.wrote && summary.errors == 0)
        let renderer = try #require(stages?.pages)
        let pages = Self.pages(renderer)
        // Every kind has a page in the default site, in each of its four languages.
        for kind in PageKinds.all {
            let languages = Set(renderer.outputPaths(of: kind).map(\.language))
            #expect(languages == ["en", "vi", "fa", "ru"] || kind == LanguageChooserPage.self, "\(kind.template) pages in \(languages.sorted())")
        }
        let record = ProcessInfo.processInfo.environment["WAYMARK_RECORD_GOLDEN"] == "1"
        var mismatches: [String] = []
        for page in pages {
            let built = try #require(tree.read("site/" + page), "the default site has no \(page)")
            let actual = Self.normalised(built)
            let golden = Self.folder + "/" + page
            if record {
                try FileManager.default.createDirectory(atPath: (golden as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try actual.write(toFile: golden, atomically: true, encoding: .utf8)
                continue
            }
            guard let expected = try? String(contentsOfFile: golden, encoding: .utf8) else {
                mismatches.append("\(page): no golden file; record it with `make golden`")
                continue
            }
            if let difference = Self.firstDifference(expected, actual) { mismatches.append("\(page): \(difference)") }
        }
        if !mismatches.isEmpty {
            Issue.record(
                """
                \(mismatches.count) page(s) differ from Tests/Golden (after an intended change: `make golden`, then review `git diff Tests/Golden`):
                \(mismatches.prefix(12).joined(separator: "\n"))
                """)
        }
    }

    /// The first line that differs, around its first differing character, for a readable failure.
    static func firstDifference(_ expected: String, _ actual: String) -> String? {
        guard expected != actual else { return nil }
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? Array(a[i]) : Array("(end of file)")
            let y = i < b.count ? Array(b[i]) : Array("(end of file)")
            if x == y { continue }
            let column = zip(x, y).prefix { $0 == $1 }.count
            func around(_ line: [Character]) -> String {
                let start = max(0, column - 60)
                return (start > 0 ? "…" : "") + String(line[start..<min(line.count, column + 120)])
            }
            return "line \(i + 1), column \(column + 1)\n  golden: \(around(x))\n  built:  \(around(y))"
        }
        return "differs"
    }
}
