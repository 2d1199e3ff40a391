import Foundation
import Testing

@testable import WaymarkKit

@Suite("Search analysis")
struct AnalyzerTests {
    func words(_ language: String, _ text: String) -> [Analyzer.Word] {
        var a = Analyzer(language: language)
        return a.words(text)
    }

    @Test("Vietnamese: diacritics fold away, đ becomes d, exact forms are kept")
    func vietnamese() {
        let w = words("vi", "Chỉ Số đăng ký")
        #expect(w.map(\.normal) == ["chỉ", "số", "đăng", "ký"])
        #expect(w.map(\.folded) == ["chi", "so", "dang", "ky"])
        #expect(w.map(\.key) == w.map(\.folded))
        // Decomposed input (as some keyboards type it) is the same word.
        #expect(words("vi", "Chi\u{0309} so\u{0302}\u{0301}").map(\.normal) == ["chỉ", "số"])
    }

    @Test("Persian: ZWNJ, joined and spaced forms of a verb are one word")
    func persianZWNJ() {
        let forms = ["می\u{200C}شود", "میشود", "می شود"].map { words("fa", $0).map(\.normal) }
        #expect(forms == [["میشود"], ["میشود"], ["میشود"]])
        #expect(words("fa", "کتاب ها").map(\.normal) == ["کتابها"])
        #expect(words("fa", "نمی‌دانم چه").map(\.normal) == ["نمیدانم", "چه"])
    }

    @Test("Persian and Arabic letters, tatweel, harakat and digits are unified")
    func persianLetters() {
        #expect(words("fa", "كتاب").map(\.normal) == words("fa", "کتاب").map(\.normal))
        #expect(words("fa", "مشتري").map(\.normal) == ["مشتری"])
        #expect(words("fa", "مـشـتـری").map(\.normal) == ["مشتری"])
        #expect(words("fa", "مُشتَری").map(\.normal) == ["مشتری"])
        #expect(words("fa", "۱۴۰۵ و ٤٥").map(\.normal) == ["1405", "و", "45"])
    }

    @Test("Russian: Snowball stems inflections alike, ё equals е")
    func russian() {
        let w = words("ru", "клиентами клиентов Клиент")
        #expect(Set(w.map(\.key)) == ["клиент"])
        #expect(words("ru", "Отчёт").map(\.normal) == ["отчет"])
        // Cyrillic letters with marks keep them: й is not и.
        #expect(words("ru", "новый").map(\.folded) == ["новый"])
    }

    @Test("English: Snowball (Porter2) stems")
    func english() {
        #expect(words("en", "Running runs run").map(\.key) == ["run", "run", "run"])
        #expect(words("en", "onboarding").map(\.key) == ["onboard"])
    }

    @Test("tokenization keeps marks and joiners inside words and applies NFKC")
    func tokenization() {
        #expect(words("en", "ＡＢＣ ﬁle").map(\.normal) == ["abc", "file"])
        #expect(words("en", "cafe\u{0301}, naïve!").map(\.folded) == ["cafe", "naive"])
        #expect(words("de", "Größe").map(\.folded) == ["grosse"])
        #expect(words("en", "x " + String(repeating: "a", count: 60)).map(\.normal) == ["x"])
    }
    /// The vectors the browser's script must also pass (Tests/e2e/test_search.py reads the same file).
    @Test("shared query-analysis vectors")
    func sharedVectors() throws {
        struct Vectors: Decodable {
            struct Vector: Decodable {
                var language: String
                var text: String
                var words: [[String]]
            }
            var analysis: [Vector]
        }
        let data = try #require(FileManager.default.contents(atPath: Repo.fixtures + "/search-vectors.json"))
        let vectors = try JSONDecoder().decode(Vectors.self, from: data)
        #expect(vectors.analysis.count >= 10)
        for v in vectors.analysis {
            var analyzer = Analyzer(language: v.language)
            #expect(analyzer.words(v.text).map { [$0.normal, $0.folded] } == v.words, "\(v.language): \(v.text)")
        }
    }

    @Test("ranking weights travel in meta.json, and the query engine reads them from there")
    func rankingInMeta() throws {
        let tree = try TempTree()
        #expect(SiteBuilder.build(BuildOptions(content: Repo.content, templates: Repo.templates, output: tree.path + "/site")).wrote)
        let data = try #require(FileManager.default.contents(atPath: tree.path + "/site/search/en/meta.json"))
        struct Meta: Decodable { var ranking: Ranking }
        #expect(try JSONDecoder().decode(Meta.self, from: data).ranking == Ranking())
        #expect(try SearchEngine(site: tree.path + "/site", language: "en").weights == Ranking())

        // An index of another format version is refused with what to do, not reported as damaged.
        let older = String(decoding: data, as: UTF8.self).replacingOccurrences(of: #"{"version":3,"#, with: #"{"version":2,"#)
        try tree.write("site/search/en/meta.json", older)
        #expect {
            try SearchEngine(site: tree.path + "/site", language: "en")
        } throws: { error in
            "\(error)".contains("has format version 2, this waymark reads version 3; rebuild the site")
        }
    }
}

@Suite("Search queries")
struct SearchEngineTests {
    static let site: TempTree = {
        builtSite([
            "content/site.yml": """
            title: Help
            languages: [{ code: en, name: English }, { code: vi, name: Tiếng Việt }, { code: fa, name: فارسی }, { code: ru, name: Русский }]
            segments: [{ id: dev, title: Developer }]
            synonyms:
              en: [[signup, registration]]
            """,
            "content/en/articles/a/refunds.md":
                "---\ntitle: Refunds for customers\nsegments: [dev]\n---\n\n## Asking for a refund\n\nSend the registration number.\n",
            "content/en/articles/a/invoices.md": "---\ntitle: Invoices\n---\n\n## Due dates\n\nInvoices are sent to each customer monthly.\n",
            "content/en/guides/dev/01-start.md": "---\ntitle: Start\nstage: welcome\n---\n\nCreate invoices for customers.\n",
            "content/vi/articles/a/chi-so.md": "---\ntitle: Các chỉ số chính\n---\n\nChỉ số đo lường.\n",
            "content/vi/articles/a/chi-phi.md": "---\ntitle: Chi phí\n---\n\nChi phí và sổ sách.\n",
            "content/fa/articles/a/one.md": "---\ntitle: راهنما\n---\n\nاین کار انجام می‌شود.\n",
            "content/ru/articles/a/one.md": "---\ntitle: Отток\n---\n\nМы считаем клиентов каждый месяц.\n",
        ])
    }()

    func urls(_ language: String, _ q: String, _ configure: (inout SearchQuery) -> Void = { _ in }) throws -> [String] {
        var query = SearchQuery(q)
        configure(&query)
        return try SearchEngine(site: Self.site.path + "/out", language: language).search(query).map(\.url)
    }

    @Test("title matches rank first; prefix, typo and stem matches find words")
    func english() throws {
        #expect(try urls("en", "invoices").first == "/en/articles/a/invoices/")
        #expect(try urls("en", "invo").contains("/en/articles/a/invoices/"))
        #expect(try urls("en", "invoyces").contains("/en/articles/a/invoices/"))
        #expect(try urls("en", "customer").count == 3)
        #expect(try urls("en", "invoices", { $0.prefix = false }) == ["/en/articles/a/invoices/", "/en/guides/dev/01-start/"])
    }

    @Test("synonyms from site.yml")
    func synonyms() throws {
        #expect(try urls("en", "signup") == ["/en/articles/a/refunds/"])
    }

    @Test("filters by segment and kind")
    func filters() throws {
        #expect(try urls("en", "customers", { $0.kind = "guide" }) == ["/en/guides/dev/01-start/"])
        #expect(try urls("en", "invoices", { $0.segment = "dev" }) == ["/en/articles/a/invoices/", "/en/guides/dev/01-start/"])
        #expect(try urls("en", "refunds", { $0.segment = "dev" }) == ["/en/articles/a/refunds/"])
    }

    @Test("Vietnamese: queries without diacritics find text with them; exact diacritics rank higher")
    func vietnamese() throws {
        #expect(try urls("vi", "chi so").first == "/vi/articles/a/chi-so/")
        #expect(try urls("vi", "chi phi").first == "/vi/articles/a/chi-phi/")
        #expect(try urls("vi", "chỉ").first == "/vi/articles/a/chi-so/")
        #expect(try urls("vi", "chi").count == 2)
    }

    @Test("Persian: spaced, joined and ZWNJ forms, Arabic letters")
    func persian() throws {
        for q in ["می شود", "میشود", "می‌شود"] { #expect(try urls("fa", q) == ["/fa/articles/a/one/"]) }
        #expect(try urls("fa", "راهنما").count == 1)
    }

    @Test("Russian: an inflection missing from the index finds its stem")
    func russian() throws {
        #expect(try urls("ru", "клиентами") == ["/ru/articles/a/one/"])
        #expect(try urls("ru", "ОТТОКА") == ["/ru/articles/a/one/"])
    }

    @Test("results link to the best-matching heading and carry an excerpt")
    func anchorsAndExcerpts() throws {
        let r = try SearchEngine(site: Self.site.path + "/out", language: "en").search(SearchQuery("refund asking"))
        #expect(r.first?.anchor == "asking-for-a-refund")
        #expect(r.first?.excerpt.contains("registration") == true)
    }

    @Test("a missing index is a clear error")
    func missing() {
        #expect(throws: SearchEngine.Failure.self) { try SearchEngine(site: Self.site.path + "/out", language: "de") }
    }

    @Test(
        "one-edit check",
        arguments: [("abcde", "abcdf", true), ("abcde", "abdce", true), ("abcde", "abcd", true), ("abcde", "abcde", false), ("abcde", "abxye", false)])
    func oneEdit(a: String, b: String, expected: Bool) {
        #expect(SearchEngine.withinOneEdit(Array(a), Array(b)) == expected)
    }
}
