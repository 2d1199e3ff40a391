import Foundation
import Testing

@testable import WaymarkKit

/// Issue 19: search results that explain themselves. Each excerpt shows the passage with the query's
/// words (or their stems, synonyms, corrections) and says where they are; table cells and list items stay
/// apart; a corrected query says so; suggestions are plausible and find something.
@Suite("Search excerpts and corrections")
struct SearchExcerptTests {
    static let site: TempTree = {
        builtSite([
            "content/site.yml": """
            title: Help
            languages: [{ code: en, name: English }, { code: fa, name: فارسی }]
            synonyms:
              en: [[churn rate, attrition]]
            """,
            // The query's words are well past the first 120 letters of the only section.
            "content/en/articles/a/retention.md": """
            ---
            title: Keeping customers
            ---

            Every team wants customers to stay, and most teams measure it in some way each month. Reports \
            differ, dashboards differ, and owners differ. What matters is the trend, so look at it weekly. \
            The churn rate is the share of customers who leave in a month.

            ## Later

            Nothing about leaving here.
            """,
            // Only the synonym, late in a section.
            "content/en/articles/a/losses.md": """
            ---
            title: Losses
            ---

            Small teams feel every lost account: a missed renewal, a quiet cancellation, a project that ends. \
            Review the accounts at risk before each quarter ends and call the owners. Attrition hurts small \
            teams most.
            """,
            "content/en/articles/a/table.md": """
            ---
            title: Targets
            ---

            | Metric | Target |
            |---|---|
            | Activation | 31% |
            | Retention | 92% |

            - Add a logo
            - Invite the team
            """,
            "content/en/articles/a/zero.md": "---\ntitle: Starting from zero\n---\n\nZero spaces left in the plan: upgrade.\n",
            // "banx" is one edit from both, each on one page.
            "content/en/articles/a/music.md": "---\ntitle: Music\n---\n\nThe band plays. Link the bank.\n",
            "content/en/landing/home.yml": "title: Help\n",
            "content/fa/articles/a/targets.md": """
            ---
            title: اهداف
            ---

            | شاخص | هدف |
            |---|---|
            | فعال‌سازی | ۳۱٪ |
            | حفظ | ۹۲٪ |

            افزودن لوگو به صفحه.
            """,
            "content/fa/landing/home.yml": "title: راهنما\n",
        ])
    }()

    func engine(_ language: String = "en") throws -> SearchEngine { try SearchEngine(site: Self.site.path + "/out", language: language) }

    /// Each result's highlighted words, as text.
    func marked(_ r: SearchResult) -> [String] {
        let scalars = Array(r.excerpt.unicodeScalars)
        return r.highlights.map { String(String.UnicodeScalarView(scalars[$0])) }
    }

    func result(_ q: String, _ url: String, language: String = "en") throws -> SearchResult {
        try #require(try engine(language).search(SearchQuery(q, limit: 20)).first { $0.url == url })
    }

    @Test("the excerpt is the passage holding the query's words, and says where they are")
    func passageWithTheWords() throws {
        let r = try result("churn rate", "/en/articles/a/retention/")
        #expect(r.excerpt.contains("The churn rate is the share"), "\(r.excerpt)")
        #expect(r.excerpt.hasPrefix("… "), "text left out before the passage is marked")
        #expect(marked(r) == ["churn", "rate"])
    }

    @Test("a synonym in the text is what the excerpt shows and marks")
    func synonymPassage() throws {
        let r = try result("churn rate", "/en/articles/a/losses/")
        #expect(r.excerpt.contains("Attrition hurts"), "\(r.excerpt)")
        #expect(marked(r) == ["Attrition"])
        // And the other way round: the phrase, marked as its words.
        #expect(marked(try result("attrition", "/en/articles/a/retention/")) == ["churn", "rate"])
    }

    @Test("table cells and list items are separated in excerpts, in Persian too")
    func cellsSeparated() throws {
        let en = try result("retention", "/en/articles/a/table/")
        #expect(en.excerpt.contains("Activation · 31% · Retention · 92% · Add a logo · Invite the team"), "\(en.excerpt)")
        let fa = try result("لوگو", "/fa/articles/a/targets/", language: "fa")
        #expect(fa.excerpt.contains("۳۱٪ · حفظ · ۹۲٪ · افزودن لوگو"), "\(fa.excerpt)")
        #expect(marked(fa) == ["لوگو"])
        // The separators are not words: the index sees the same word positions as before, so neighbouring
        // cells stay neighbouring words.
        #expect(SearchIndexBuilder.passages("a\nb\n\nc d. E").joined() == "a · b · c d. E")
    }

    @Test("passages end at sentences and blocks once long enough, never cut a word, and joined are the text")
    func passages() {
        let text = (1...200).map { "word\($0)" }.joined(separator: " ")
        let passages = SearchIndexBuilder.passages(text)
        #expect(passages.joined() == text)
        #expect(passages.count > 5)
        #expect(passages.allSatisfy { $0.unicodeScalars.count <= SearchIndexBuilder.passageLength + 1 })
        #expect(passages.allSatisfy { $0.split(separator: " ").allSatisfy { $0.hasPrefix("word") && Int($0.dropFirst(4)) != nil } })
        let sentences = "This first sentence is long enough to end a passage. Short. Then the rest of the text."
        #expect(SearchIndexBuilder.passages(sentences) == ["This first sentence is long enough to end a passage. ", "Short. Then the rest of the text."])
        let long = SearchIndexBuilder.passages(String(repeating: "x", count: 1000))
        #expect(long == [String(repeating: "x", count: SearchIndexBuilder.passageLength / 2) + "…"])
    }

    @Test("on a large site, a passage is kept where one of its words matters, with a gap elsewhere")
    func passagesWhereWordsMatter() throws {
        var files = ["content/site.yml": "title: Help\nlanguages: [{ code: en, name: English }]\n", "content/en/landing/home.yml": "title: Help\n"]
        for i in 1...80 {
            // Every page has "ordinary" once, so only its best `excerptPages` pages keep that passage;
            // "unique\(i)" is on one page only, which always keeps it.
            files["content/en/articles/a/p\(i).md"] = """
                ---
                title: Page \(i)
                ---

                This opening sentence of page \(i) is long enough to be a passage. \(String(repeating: "Filler text here. ", count: i % 7)) \
                An ordinary remark closes the paragraph. Then unique\(i) ends it.
                """
        }
        let tree = builtSite(files)
        let fragments = try FileManager.default.contentsOfDirectory(atPath: tree.path + "/out/search/en").filter { $0.hasPrefix("f") }
        let text = try fragments.map { try String(contentsOfFile: tree.path + "/out/search/en/" + $0, encoding: .utf8) }.joined()
        #expect(text.components(separatedBy: "An ordinary remark").count - 1 == SearchIndexBuilder.excerptPages)
        #expect(text.contains(#""""#), "left-out passages leave a gap")
        let one = try #require(try SearchEngine(site: tree.path + "/out", language: "en").search(SearchQuery("unique33")).first)
        #expect(one.excerpt.hasSuffix("Then unique33 ends it.") && one.highlights.count == 1, "\(one.excerpt)")
    }

    @Test("a corrected query says what was searched, and the words as typed can be searched instead")
    func correctedQuery() throws {
        let e = try engine()
        let typo = try e.respond(SearchQuery("retentoin"))
        #expect(typo.results.first?.url == "/en/articles/a/table/")
        #expect(typo.correctedQuery == "retention")
        #expect(marked(typo.results[0]) == ["Retention"])
        #expect(try e.respond(SearchQuery("retention")).correctedQuery == nil, "nothing corrected, nothing said")
        let literal = try e.respond(SearchQuery("retentoin", literal: true))
        #expect(literal.results.isEmpty && literal.correctedQuery == nil)
        #expect(try e.suggest(SearchQuery("retentoin", literal: true)).didYouMean == "retention")
    }

    @Test("a short misspelled word finds the word it clearly means")
    func shortWord() throws {
        let e = try engine()
        let chrn = try e.respond(SearchQuery("chrn"))
        #expect(chrn.results.map(\.url).contains("/en/articles/a/retention/"))
        #expect(chrn.correctedQuery == "churn")
        // Two words one edit away on as many pages: neither is clearly meant.
        #expect(try e.respond(SearchQuery("banx")).results.isEmpty)
    }

    @Test("suggestions: a small edit distance for the word's length, and only spellings that find something")
    func plausibleSuggestions() throws {
        let e = try engine()
        // "zebra" is two edits from "zero": too many for five letters.
        #expect(try e.search(SearchQuery("zebra spaceship")).isEmpty)
        #expect(try e.suggest(SearchQuery("zebra spaceship")).didYouMean == nil)
        // "tagretz" (seven letters) is two edits from "target" (and "targets", "target" first in byte order);
        // this site has no guides, so with the guide filter that spelling would find nothing and is not offered.
        #expect(try e.search(SearchQuery("tagretz")).isEmpty)
        #expect(try e.suggest(SearchQuery("tagretz")).didYouMean == "target")
        #expect(try e.search(SearchQuery("targets", kind: "guide")).isEmpty)
        #expect(try e.suggest(SearchQuery("tagretz", kind: "guide")).didYouMean == nil)
    }
}
