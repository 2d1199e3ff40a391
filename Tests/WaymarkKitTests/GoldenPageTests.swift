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

    /// Output paths of one page of each kind, per language; then the site-wide files.
    static func pages(languages: [String]) -> [String] {
        var out: [String] = []
        for l in languages {
            out += [
                "\(l)/index.html", "\(l)/articles/index.html", "\(l)/articles/basics/index.html", "\(l)/articles/basics/time-to-value/index.html",
                "\(l)/segments/accountant/index.html", "\(l)/segments/accountant/route/index.html", "\(l)/segments/accountant/route.json",
                "\(l)/guides/accountant/02-collect-documents-and-access/index.html", "\(l)/search/index.html", "\(l)/404.html", "\(l)/feed.xml",
                "search/\(l)/meta.json",
                // Highlighted code (JSON, shell) in a step.
                "\(l)/guides/developer/02-instrument-onboarding-events/index.html",
            ]
        }
        return out + ["index.html", "404.html", "robots.txt", "sitemap.xml"]
    }

    static func normalised(_ text: String) -> String {
        text.replacing(#/assets/([A-Za-z0-9_-]+)\.[0-9a-f]{10}\.([a-z]+)/#) { "assets/\($0.output.1).FINGERPRINT.\($0.output.2)" }
    }

    @Test("every page kind in every language matches its golden file")
    func pagesMatchGoldenFiles() throws {
        let tree = try TempTree()
        let summary = SiteBuilder.build(BuildOptions(content: Repo.content, templates: Repo.templates, output: tree.path + "/site"))
        #expect(summary.wrote && summary.errors == 0)
        let record = ProcessInfo.processInfo.environment["WAYMARK_RECORD_GOLDEN"] == "1"
        var mismatches: [String] = []
        for page in Self.pages(languages: ["en", "vi", "fa", "ru"]) {
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
