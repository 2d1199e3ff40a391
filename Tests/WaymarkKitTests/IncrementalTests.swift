import Foundation
import Testing

@testable import WaymarkKit

/// The preview server's rebuilds reuse parsed files, rendered Markdown, pages, analyses, search indexes and
/// related articles; whatever a writer edits, the result must be exactly what a clean build writes.
@Suite("Incremental rebuilds")
struct IncrementalTests {
    /// A copy of the default content and templates, and the preview session `waymark serve` has.
    final class Preview {
        let tree: TempTree
        let options: BuildOptions
        let session: PreviewSession
        var cache: BuildCache { session.cache }
        var memory: MemoryOutput { session.output }

        init() throws {
            tree = try TempTree()
            for folder in ["content", "templates"] {
                try FileManager.default.copyItem(atPath: Repo.root + "/" + folder, toPath: tree.path + "/" + folder)
            }
            options = BuildOptions(content: tree.path + "/content", templates: tree.path + "/templates", output: tree.path + "/clean")
            session = PreviewSession(options: options)
        }

        func rebuild() -> BuildSummary { session.rebuild().summary }

        /// The preview's quick re-render of edited content files (`content/...` paths of the tree).
        func renderEdited(_ files: [String]) -> [String]? {
            session.renderEdited(Set(files.map { String($0.dropFirst("content/".count)) }))
        }

        func served(_ path: String) -> String { memory.file(path).map { String(decoding: $0, as: UTF8.self) } ?? "" }

        func edit(_ file: String, _ change: (String) -> String) throws {
            let path = tree.path + "/" + file
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let changed = change(text)
            #expect(!changed.utf8.elementsEqual(text.utf8), "the edit of \(file) changed nothing")
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

    @Test("an edited page is served before the rebuild, which then changes nothing more on it and converges on a clean build")
    func editedPageFirst() throws {
        let preview = try Preview()
        #expect(preview.rebuild().errors == 0)
        let article = "content/en/articles/basics/time-to-value.md"
        let page = "en/articles/basics/time-to-value/index.html"
        let listing = "en/articles/basics/index.html"

        try preview.edit(article) { $0 + "\nA sentence the writer just typed.\n" }
        #expect(preview.renderEdited([article]) == [page])
        #expect(preview.served(page).contains("A sentence the writer just typed."))
        var (summary, changed) = preview.session.rebuild()
        #expect(summary.errors == 0)
        #expect(!changed.contains(page), "the rebuild wrote the edited page differently from its quick render")
        preview.expectSameAsCleanBuild("quick body edit")

        // A title: its own page, its category listings and the pages that link to it as a neighbour or
        // related article (or no longer do: a title moves an article in its category), all at once. The
        // rebuild may change some again: related articles are computed from the text, titles included.
        try preview.edit(article) { $0.replacingOccurrences(of: "title: \"Time to value", with: "title: \"Faster time to value") }
        let retitled = try #require(preview.renderEdited([article]))
        #expect(Set([page, listing, "en/articles/index.html"]).isSubset(of: retitled))
        for path in [page, listing, "en/articles/index.html"] { #expect(preview.served(path).contains("Faster time to value"), "\(path)") }
        #expect(retitled.allSatisfy { $0.hasPrefix("en/") }, "\(retitled)")
        #expect(preview.rebuild().errors == 0)
        preview.expectSameAsCleanBuild("quick title edit")

        // A guide step: its page and its route's pages at once.
        let folder = preview.tree.path + "/content/vi/guides/developer"
        let step = "content/vi/guides/developer/" + (try #require(FileManager.default.contentsOfDirectory(atPath: folder).sorted().first))
        try preview.edit(step) { $0 + "\nMột câu mới trong bước này.\n" }
        let updated = try #require(preview.renderEdited([step]))
        #expect(updated.contains { $0.hasPrefix("vi/guides/developer/") && $0.hasSuffix("index.html") })
        #expect(updated.allSatisfy { $0.hasPrefix("vi/") })
        (summary, changed) = preview.session.rebuild()
        #expect(summary.errors == 0)
        #expect(Set(changed).isDisjoint(with: updated), "the rebuild rewrote quick-rendered pages: \(changed)")
        preview.expectSameAsCleanBuild("quick guide edit")

        // A landing file: the landing page at once (and the home page for home.yml).
        let landing = "content/en/landing/accountant.yml"
        try preview.edit(landing) { $0.replacingOccurrences(of: "title: \"Onboard a new client", with: "title: \"Welcome a new client") }
        let landed = try #require(preview.renderEdited([landing]))
        #expect(landed.contains("en/segments/accountant/index.html"))
        #expect(preview.served("en/segments/accountant/index.html").contains("Welcome a new client"))
        (summary, changed) = preview.session.rebuild()
        #expect(summary.errors == 0)
        #expect(Set(changed).isDisjoint(with: landed), "the rebuild rewrote quick-rendered pages: \(changed)")
        preview.expectSameAsCleanBuild("quick landing edit")
        // A featured page that does not exist waits for the rebuild, which reports it.
        try preview.edit(landing) { $0.replacingOccurrences(of: "articles/strategy/touch-models.md", with: "articles/strategy/no-such-page.md") }
        #expect(preview.renderEdited([landing]) == nil)
        try preview.edit(landing) { $0.replacingOccurrences(of: "articles/strategy/no-such-page.md", with: "articles/strategy/touch-models.md") }

        // Editors' side files are not content.
        #expect(preview.renderEdited(["content/en/articles/basics/.time-to-value.md.swp", "content/en/articles/basics/4913"]) == [])

        // What moves a page in the site, or breaks it, waits for the rebuild (which reports the error).
        try preview.edit(step) {
            $0.replacingOccurrences(of: "stage: welcome", with: "stage: adoption").replacingOccurrences(of: "stage: first-value", with: "stage: adoption")
        }
        #expect(preview.renderEdited([step]) == nil)
        try preview.edit(article) { $0 + "\n[Broken](no-such-article.md)\n" }
        #expect(preview.renderEdited([article]) == nil)
        try preview.tree.write("content/en/articles/basics/new-one.md", "---\ntitle: New\n---\nText.\n")
        #expect(preview.renderEdited(["content/en/articles/basics/new-one.md"]) == nil)
    }

    @Test("a title changed only in its Unicode form (é as one code point, then as e + ◌́) is a change: new bytes at once and after the rebuild")
    func canonicallyEquivalentEdit() throws {
        let preview = try Preview()
        let article = "content/en/articles/basics/time-to-value.md"
        let page = "en/articles/basics/time-to-value/index.html"
        try preview.edit(article) { $0.replacingOccurrences(of: "title: \"Time to value", with: "title: \"Caf\u{E9} time to value") }
        #expect(preview.rebuild().errors == 0)
        let composed = Array(preview.served(page).utf8)
        try preview.edit(article) { $0.replacingOccurrences(of: "Caf\u{E9} time", with: "Cafe\u{301} time") }
        // Swift's String compares these equal; the bytes differ, and so must the page.
        #expect("Caf\u{E9}" == "Cafe\u{301}")
        let updated = try #require(preview.renderEdited([article]))
        #expect(updated.contains(page))
        #expect(Array(preview.served(page).utf8) != composed)
        #expect(preview.served(page).utf8.count > composed.count)
        #expect(preview.rebuild().errors == 0)
        preview.expectSameAsCleanBuild("decomposed title")
    }

    @Test("a template or stylesheet edit shows on the pages open in a browser before the rebuild")
    func templateEditOpenPagesFirst() throws {
        let preview = try Preview()
        #expect(preview.rebuild().errors == 0)
        let open = ["en/articles/basics/time-to-value/", "fa/segments/accountant/route/", "vi/"]
        try preview.edit("templates/partials/footer.mustache") { $0 + "<p>Footer edit</p>\n" }
        let updated = try #require(preview.session.renderWithNewTemplates(pages: open))
        #expect(Set(updated) == Set(open.map { $0 + "index.html" }))
        for page in open { #expect(preview.served(page + "index.html").contains("Footer edit"), "\(page)") }
        #expect(!preview.served("en/articles/basics/the-aha-moment/index.html").contains("Footer edit"))
        #expect(preview.rebuild().errors == 0)
        #expect(preview.served("en/articles/basics/the-aha-moment/index.html").contains("Footer edit"))
        preview.expectSameAsCleanBuild("template edit")

        // A stylesheet: its new fingerprinted file is served with the open pages that link to it.
        try preview.edit("templates/assets/style.css") { $0 + "\n.edited { color: red }\n" }
        let styled = try #require(preview.session.renderWithNewTemplates(pages: ["en/"]))
        let css = try #require(styled.first { $0.hasPrefix("assets/style.") && $0.hasSuffix(".css") })
        #expect(styled.contains("en/index.html") && preview.served("en/index.html").contains(css))
        #expect(preview.served(css).contains(".edited"))
        #expect(preview.rebuild().errors == 0)
        preview.expectSameAsCleanBuild("stylesheet edit")

        // Templates with an error: nothing is served early; the rebuild reports it.
        try preview.edit("templates/article.mustache") { $0 + "{{#unclosed}}" }
        #expect(preview.session.renderWithNewTemplates(pages: open) == nil)
        #expect(preview.rebuild().errors > 0)
    }

    @Test("a page served early during a rebuild that read the older file is kept, not replaced by that rebuild")
    func patchDuringRebuild() {
        let memory = MemoryOutput()
        memory.begin()
        try? memory.write("a/index.html", Array("old a".utf8))
        try? memory.write("b/index.html", Array("old b".utf8))
        memory.commit()
        memory.begin()  // a rebuild starts and reads the files as they were
        try? memory.write("a/index.html", Array("old a".utf8))
        try? memory.write("b/index.html", Array("new b".utf8))
        #expect(memory.patch([("a/index.html", Array("edited a".utf8))]) == ["a/index.html"])  // the writer saves a
        #expect(memory.commit() == ["b/index.html"])
        #expect(memory.file("a/index.html") == Array("edited a".utf8))
        #expect(memory.file("b/index.html") == Array("new b".utf8))
        memory.begin()  // the next rebuild read the edit: its version wins again
        try? memory.write("a/index.html", Array("rebuilt a".utf8))
        try? memory.write("b/index.html", Array("new b".utf8))
        #expect(memory.commit() == ["a/index.html"])
        #expect(memory.file("a/index.html") == Array("rebuilt a".utf8))
    }

    /// Random sequences of writers' edits, each followed by what `serve` does (the quick render of the
    /// edited pages, then a rebuild), must leave exactly what a clean build writes. The seed is printed
    /// on failure; `WAYMARK_EDIT_SEED` and `WAYMARK_EDIT_STEPS` replay or lengthen a run.
    @Test("random edit sequences: the preview converges on a clean build after every step")
    func randomEditSequences() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["WAYMARK_EDIT_SEED"].flatMap(UInt64.init) ?? 20_261_202
        let steps = environment["WAYMARK_EDIT_STEPS"].flatMap(Int.init) ?? 24
        var random = SplitMix(seed: seed)
        let preview = try Preview()
        // A larger category than the default site's, so that an article's neighbours are not always
        // among its related articles (each page kind must declare both).
        let topics = ["invoices", "payroll", "inventory", "shipping", "taxes", "refunds", "webhooks", "exports", "permissions", "backups"]
        for (i, topic) in topics.enumerated() {
            try preview.tree.write(
                "content/en/articles/metrics/generated-\(i).md",
                "---\ntitle: \"\(topic.capitalized) for onboarding teams\"\nsummary: \"About \(topic).\"\n---\n\n"
                    + String(repeating: "Notes on \(topic) and \(topic) reports for \(topic) owners. ", count: 20 + i) + "\n")
        }
        #expect(preview.rebuild().errors == 0)
        var removed: [(path: String, text: String)] = []
        for step in 0..<steps {
            let edit = try EditKind.allCases[Int(random.next() % UInt64(EditKind.allCases.count))].apply(to: preview, random: &random, removed: &removed)
            _ = preview.renderEdited(edit.files.filter { $0.hasPrefix("content/") })
            let summary = preview.rebuild()
            #expect(summary.errors == 0, "seed \(seed), step \(step): \(edit.description): \(summary.diagnostics.filter { $0.severity == .error })")
            preview.expectSameAsCleanBuild("seed \(seed), step \(step): \(edit.description)")
        }
    }

    /// One of the kinds of edit writers make, applied to a random file of the preview's tree.
    enum EditKind: CaseIterable {
        case body, title, frontMatter, rename, delete, add, translationRemoved, translationAdded, template, strings, siteConfig, image, alias, landing,
            guideStage, guideOrder

        struct Edit {
            var description: String
            var files: [String]
        }

        func apply(to preview: Preview, random: inout SplitMix, removed: inout [(path: String, text: String)]) throws -> Edit {
            let root = preview.tree.path + "/"
            let pages = (FileManager.default.subpaths(atPath: root + "content") ?? []).filter { $0.hasSuffix(".md") }.sorted().map { "content/" + $0 }
            let articles = pages.filter { $0.contains("/articles/") }
            func pick(_ list: [String]) -> String { list[Int(random.next() % UInt64(list.count))] }
            let n = random.next() % 10_000
            /// Articles no other file links to or features, which can go away without breaking links.
            func unlinked(_ list: [String]) -> [String] {
                let texts =
                    pages.map { (try? String(contentsOfFile: root + $0, encoding: .utf8)) ?? "" }
                    + ((FileManager.default.subpaths(atPath: root + "content") ?? []).filter { $0.hasSuffix(".yml") }.map {
                        (try? String(contentsOfFile: root + "content/" + $0, encoding: .utf8)) ?? ""
                    })
                return list.filter { path in
                    let name = String(path.split(separator: "/").last!)
                    return texts.filter { $0.contains(name) }.isEmpty
                }
            }
            switch self {
            case .body:
                let file = pick(pages)
                try preview.edit(file) { $0 + "\nA paragraph added in edit \(n), about onboarding metrics and time to value.\n" }
                return Edit(description: "body of \(file)", files: [file])
            case .title:
                let file = pick(pages)
                try preview.edit(file) { text in
                    if let r = text.range(of: "title: \"") { return text.replacingCharacters(in: r, with: "title: \"Edit \(n) ") }
                    return text.replacingCharacters(in: text.range(of: "title: ")!, with: "title: Edit \(n) ")
                }
                return Edit(description: "title of \(file)", files: [file])
            case .frontMatter:
                let file = pick(articles)
                try preview.edit(file) { text in
                    let tagged = text.replacingOccurrences(of: "tags: [", with: "tags: [edit\(n), ")
                    if text.contains("reviewEvery:") { return tagged }
                    return tagged.replacingCharacters(in: tagged.range(of: "\n---\n")!, with: "\nreviewEvery: \(100 + n % 3000)\n---\n")
                }
                return Edit(description: "front matter of \(file)", files: [file])
            case .rename:
                let candidates = unlinked(articles)
                guard !candidates.isEmpty else { return try EditKind.body.apply(to: preview, random: &random, removed: &removed) }
                let file = pick(candidates)
                let renamed = file.dropLast(3) + "-renamed-\(n).md"
                try FileManager.default.moveItem(atPath: root + file, toPath: root + renamed)
                return Edit(description: "rename \(file)", files: [file, String(renamed)])
            case .delete:
                let candidates = unlinked(articles)
                guard !candidates.isEmpty else { return try EditKind.add.apply(to: preview, random: &random, removed: &removed) }
                let file = pick(candidates)
                removed.append((file, try String(contentsOfFile: root + file, encoding: .utf8)))
                try FileManager.default.removeItem(atPath: root + file)
                return Edit(description: "delete \(file)", files: [file])
            case .add:
                let folder = String(pick(articles).split(separator: "/").dropLast().joined(separator: "/"))
                let file = folder + "/added-\(n).md"
                try preview.tree.write(
                    file, "---\ntitle: Added article \(n)\nsummary: Fresh text.\ntags: [metrics]\n---\n\nOnboarding checklists and time to value, \(n).\n")
                return Edit(description: "add \(file)", files: [file])
            case .translationRemoved:
                let candidates = unlinked(articles.filter { !$0.hasPrefix("content/en/") })
                guard !candidates.isEmpty else { return try EditKind.body.apply(to: preview, random: &random, removed: &removed) }
                let file = pick(candidates)
                removed.append((file, try String(contentsOfFile: root + file, encoding: .utf8)))
                try FileManager.default.removeItem(atPath: root + file)
                return Edit(description: "remove translation \(file)", files: [file])
            case .translationAdded:
                guard !removed.isEmpty else { return try EditKind.add.apply(to: preview, random: &random, removed: &removed) }
                let (file, text) = removed.removeLast()
                try preview.tree.write(file, text)
                return Edit(description: "restore \(file)", files: [file])
            case .template:
                let file = pick(["templates/article.mustache", "templates/step.mustache", "templates/partials/footer.mustache", "templates/category.mustache"])
                try preview.edit(file) { $0 + "\n<!-- edit \(n) -->\n" }
                return Edit(description: "template \(file)", files: [file])
            case .strings:
                let file = pick(["templates/i18n/en.yml", "templates/i18n/vi.yml"])
                try preview.edit(file) { text in
                    let r = text.range(of: "search: \"")!
                    return text.replacingCharacters(in: r, with: "search: \"\(n) ")
                }
                return Edit(description: "strings \(file)", files: [file])
            case .image:
                // A new screenshot: a new hashed name, size and srcset in the pages that show it.
                let lang = pick(["en", "vi", "fa", "ru"])
                let file = "content/\(lang)/assets/checklist-in-progress.png"
                let replacement = pick(["chart.png", "rotated.jpg", "lossless.webp"])
                try preview.tree.write(file, Data(contentsOf: URL(fileURLWithPath: Repo.fixtures + "/images/" + replacement)))
                return Edit(description: "image \(file) replaced by \(replacement)", files: [file])
            case .alias:
                // A new old address for an article: a redirect page and the redirect maps.
                let file = pick(articles)
                try preview.edit(file) { text in
                    let alias = "aliases: [\"/\(file.split(separator: "/")[1])/old/edit-\(n)/\"]"
                    if let line = text.range(of: #"aliases: \[[^\n]*\]"#, options: .regularExpression) {
                        return text.replacingCharacters(in: line, with: alias)
                    }
                    return text.replacingCharacters(in: text.range(of: "\n---\n")!, with: "\n\(alias)\n---\n")
                }
                return Edit(description: "alias of \(file)", files: [file])
            case .landing:
                let lang = pick(["en", "vi", "fa", "ru"])
                let file = "content/\(lang)/landing/" + pick(["home.yml", "accountant.yml", "developer.yml", "small-business.yml"])
                guard preview.tree.exists(file) else { return try EditKind.body.apply(to: preview, random: &random, removed: &removed) }
                try preview.edit(file) { text in
                    let r = text.range(of: "title: \"")!
                    return text.replacingCharacters(in: r, with: "title: \"Edit \(n) ")
                }
                return Edit(description: "landing \(file)", files: [file])
            case .guideStage, .guideOrder:
                let guides = pages.filter { $0.contains("/guides/") }
                let file = pick(guides)
                try preview.edit(file) { text in
                    if self == .guideStage {
                        let stages = ["welcome", "first-value", "adoption", "mastery"]
                        let r = text.range(of: #"stage: [a-z-]+"#, options: .regularExpression)!
                        return text.replacingCharacters(in: r, with: "stage: \(stages[Int(n) % stages.count])")
                    }
                    let order = "order: \(n % 9)"
                    if let r = text.range(of: #"order: [0-9]+"#, options: .regularExpression) { return text.replacingCharacters(in: r, with: order) }
                    return text.replacingCharacters(in: text.range(of: "\n---\n")!, with: "\n\(order)\n---\n")
                }
                return Edit(description: "\(self == .guideStage ? "stage" : "order") of \(file)", files: [file])
            case .siteConfig:
                try preview.edit("content/site.yml") { text in
                    let r = text.range(of: "en: \"Onboarding Handbook")!
                    return text.replacingCharacters(in: r, with: "en: \"Onboarding Handbook \(n)")
                }
                return Edit(description: "site.yml", files: ["content/site.yml"])
            }
        }
    }
}

/// A small seeded generator (SplitMix64), so a failing sequence can be replayed from its seed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
