import Foundation
import Testing

@testable import WaymarkKit

/// The preview server's rebuilds reuse parsed files, rendered Markdown, pages, analyses, search indexes and
/// related articles; whatever a writer edits, the result must be exactly what a clean build writes.
@Suite("Incremental rebuilds")
struct IncrementalTests {
    /// A copy of the default content and templates, a cache and an in-memory output, as `waymark serve` has.
    final class Preview {
        let tree: TempTree
        let cache = BuildCache()
        let memory = MemoryOutput()
        let options: BuildOptions

        init() throws {
            tree = try TempTree()
            for folder in ["content", "templates"] {
                try FileManager.default.copyItem(atPath: Repo.root + "/" + folder, toPath: tree.path + "/" + folder)
            }
            options = BuildOptions(content: tree.path + "/content", templates: tree.path + "/templates", output: tree.path + "/clean")
        }

        func rebuild() -> BuildSummary { SiteBuilder.build(options, cache: cache, memory: memory) }

        func edit(_ file: String, _ change: (String) -> String) throws {
            let path = tree.path + "/" + file
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let changed = change(text)
            #expect(changed != text, "the edit of \(file) changed nothing")
            try changed.write(toFile: path, atomically: true, encoding: .utf8)
        }

        /// Every file of the served build equals the clean build's, and no file is missing or extra.
        func expectSameAsCleanBuild(_ step: String) {
            #expect(SiteBuilder.build(options).wrote, "clean build after: \(step)")
            let clean = tree.snapshot("clean").filter { $0.key != OutputWriter.marker }
            #expect(memory.paths == clean.keys.sorted(), "file lists differ after: \(step)")
            for (path, bytes) in clean.sorted(by: { $0.key < $1.key }) where memory.file(path).map({ Data($0) }) != bytes {
                Issue.record("\(path) differs from a clean build after: \(step)")
                return
            }
        }
    }

    @Test("after each kind of edit, the preview serves exactly what a clean build writes, re-rendering little")
    func editsMatchCleanBuilds() throws {
        let preview = try Preview()
        let first = preview.rebuild()
        #expect(first.errors == 0)
        let pages = preview.cache.lastRendered
        preview.expectSameAsCleanBuild("first build")

        // An article's body: its own page (and the search index) change, nothing else is re-rendered.
        try preview.edit("content/en/articles/basics/time-to-value.md") { $0 + "\nA new closing paragraph about onboarding speed.\n" }
        #expect(preview.rebuild().errors == 0)
        #expect(preview.cache.lastRendered < 10, "a body edit re-rendered \(preview.cache.lastRendered) of \(pages) pages")
        preview.expectSameAsCleanBuild("article body edit")

        // A title shows on neighbours, related articles, listings, landing pages and the search index.
        try preview.edit("content/en/articles/basics/the-aha-moment.md") {
            $0.replacingOccurrences(of: "title: \"", with: "title: \"Renamed — ", options: [], range: $0.range(of: "title: \""))
        }
        #expect(preview.rebuild().errors == 0)
        preview.expectSameAsCleanBuild("article title edit")

        // A checklist item of a default-language guide (its translations align to it).
        let guide = try #require(FileManager.default.contentsOfDirectory(atPath: preview.tree.path + "/content/en/guides/accountant").sorted().first)
        try preview.edit("content/en/guides/accountant/" + guide) { $0.replacingOccurrences(of: "- [ ] ", with: "- [ ] Carefully ") }
        #expect(preview.rebuild().errors == 0)
        preview.expectSameAsCleanBuild("checklist edit")

        // Site-wide inputs: an interface string and site.yml.
        try preview.edit("templates/i18n/en.yml") { $0.replacingOccurrences(of: "{n} min read", with: "{n} minutes to read") }
        #expect(preview.rebuild().errors == 0)
        preview.expectSameAsCleanBuild("interface string edit")
        try preview.edit("content/site.yml") { $0.replacingOccurrences(of: "en: Basics,", with: "en: Fundamentals,") }
        #expect(preview.rebuild().errors == 0)
        preview.expectSameAsCleanBuild("site.yml edit")

        // A new article, then removed again.
        let added = preview.tree.path + "/content/en/articles/basics/brand-new.md"
        try "---\ntitle: Brand new article\nsummary: Fresh.\nupdated: 2026-11-01\n---\n\nOnboarding text about time to value.\n"
            .write(toFile: added, atomically: true, encoding: .utf8)
        #expect(preview.rebuild().errors == 0)
        preview.expectSameAsCleanBuild("article added")
        try FileManager.default.removeItem(atPath: added)
        #expect(preview.rebuild().errors == 0)
        preview.expectSameAsCleanBuild("article removed")
    }
}
