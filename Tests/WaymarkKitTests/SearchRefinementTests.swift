import Foundation
import Testing

@testable import WaymarkKit

/// Issue 13: what a reader notices of each refinement, on a small site built once.
@Suite("Search refinements")
struct SearchRefinementTests {
    static let site: TempTree = {
        builtSite([
            "content/site.yml": """
            title: Help
            languages: [{ code: en, name: English }, { code: vi, name: Tiếng Việt }, { code: ru, name: Русский }]
            segments: [{ id: dev, title: Developer }]
            synonyms:
              en: [[churn rate, attrition], [time to value, ttv]]
              vi: [[rời bỏ, churn]]
            """,
            // Vietnamese: "cơ sở" (base) folds to the same letters as "sổ" (ledger) and is used more.
            "content/vi/articles/a/co-so.md":
                "---\ntitle: Xây dựng cơ sở kiến thức\n---\n\nCơ sở kiến thức là cơ sở để khách tự tìm câu trả lời. Cơ sở tốt, cơ sở rõ ràng.\n",
            "content/vi/articles/a/so-sach.md": "---\ntitle: Thiết lập sổ sách\n---\n\nMở sổ cho khách hàng mới.\n",
            "content/vi/articles/a/ban-giao.md": "---\ntitle: Bàn giao\n---\n\nBàn giao kết quả, bàn giao tài liệu.\n",
            "content/vi/articles/a/ban.md": "---\ntitle: Kết quả đầu tiên\n---\n\nKhách hàng của bạn cần thấy kết quả.\n",
            "content/vi/articles/a/churn.md": "---\ntitle: Giữ chân khách hàng\n---\n\nKhi khách rời bỏ, doanh thu giảm.\n",
            // English: the index has "measurements" and "measured", never "measurement".
            "content/en/articles/a/metrics.md": "---\ntitle: Metrics\n---\n\nTake measurements every week.\n",
            "content/en/articles/a/goals.md": "---\ntitle: Goals\n---\n\nProgress is measured monthly.\n",
            "content/en/articles/a/churn.md": "---\ntitle: Keeping customers\n---\n\nThe churn rate is the share of customers who leave.\n",
            "content/en/articles/a/rates.md":
                "---\ntitle: Rates\n---\n\nA high rate of signups hides churn later, and no one notices the churn.\n",
            "content/en/articles/a/losses.md": "---\ntitle: Losses\n---\n\nAttrition hurts small teams most.\n",
            "content/en/articles/a/invoices.md": "---\ntitle: Invoices\nsegments: [dev]\n---\n\nDue dates of invoices.\n",
            "content/en/landing/home.yml": "title: Help\nfeatured: [articles/a/churn.md, articles/a/metrics.md, articles/a/goals.md, articles/a/rates.md]\n",
            "content/en/landing/dev.yml": "title: Developers\nfeatured: [articles/a/invoices.md]\n",
            "content/ru/articles/a/one.md": "---\ntitle: Отток\n---\n\nМы считаем клиентов каждый месяц.\n",
        ])
    }()

    func engine(_ language: String) throws -> SearchEngine { try SearchEngine(site: Self.site.path + "/out", language: language) }

    func urls(_ language: String, _ q: String, _ configure: (inout SearchQuery) -> Void = { _ in }) throws -> [String] {
        var query = SearchQuery(q)
        configure(&query)
        return try engine(language).search(query).map(\.url)
    }

    @Test("exact Vietnamese diacritics rank above pages that only match the folded form, in titles too")
    func exactDiacritics() throws {
        #expect(try urls("vi", "sổ").first == "/vi/articles/a/so-sach/")
        #expect(try urls("vi", "sổ").contains("/vi/articles/a/co-so/"), "folding still widens recall")
        #expect(try urls("vi", "bạn").first == "/vi/articles/a/ban/")
        // Without diacritics every form counts alike: the title match wins.
        #expect(try urls("vi", "ban").first == "/vi/articles/a/ban-giao/")
    }

    @Test("a word form the index lacks finds the pages of its indexed forms")
    func unseenForms() throws {
        let seen = try urls("en", "measurements")
        #expect(Set(try urls("en", "measurement")) == Set(seen))
        #expect(seen.count == 2)
        #expect(try urls("ru", "клиентами") == ["/ru/articles/a/one/"])
    }

    @Test("multi-word synonyms match as phrases, in both directions")
    func phraseSynonyms() throws {
        // "attrition" finds "churn rate" written as a phrase, not "rate … churn" apart.
        let attrition = try urls("en", "attrition")
        #expect(attrition.contains("/en/articles/a/churn/"))
        #expect(!attrition.contains("/en/articles/a/rates/"))
        #expect(try urls("en", "churn rate").contains("/en/articles/a/losses/"))
        #expect(try urls("vi", "churn") == ["/vi/articles/a/churn/"])
        // Unknown phrase words (no "ttv" or "value" in this index) find nothing rather than fail.
        #expect(try urls("en", "ttv").isEmpty)
    }

    @Test("a quoted phrase requires its words and ranks pages with them adjacent first")
    func quotedPhrase() throws {
        let loose = try urls("en", "rate churn")
        #expect(loose.first == "/en/articles/a/rates/")
        #expect(try urls("en", "\"churn rate\"").first == "/en/articles/a/churn/")
        // Every quoted word is required: "rates" has churn but not customers.
        #expect(try urls("en", "churn customers").contains("/en/articles/a/rates/"))
        #expect(try urls("en", "\"churn customers\"") == ["/en/articles/a/churn/"])
        #expect(try urls("en", "\"churn rate").first == "/en/articles/a/churn/", "an unclosed quote runs to the end")
    }

    @Test("nothing found: a spelling from the index and the segment's featured pages")
    func suggestions() throws {
        let e = try engine("en")
        #expect(try e.search(SearchQuery("invoxxes")).isEmpty)
        let s = try e.suggest(SearchQuery("invoxxes"))
        #expect(s.didYouMean == "invoices")
        #expect(s.featured.map(\.url) == ["/en/articles/a/churn/", "/en/articles/a/metrics/", "/en/articles/a/goals/"])
        #expect(try e.suggest(SearchQuery("zzzzzz", segment: "dev")).featured.map(\.url) == ["/en/articles/a/invoices/"])
        #expect(try e.suggest(SearchQuery("zzzzzz")).didYouMean == nil)
        #expect(try engine("vi").suggest(SearchQuery("thiet lap so sacxxh")).didYouMean == "thiet lap so sách")
    }

    @Test(
        "edit distance counts swaps as one edit",
        arguments: [("abcd", "abdc", 1), ("measurment", "measurement", 1), ("ab", "ba", 1), ("kitten", "sitting", 3), ("", "abc", 3)])
    func swapsCountOnce(a: String, b: String, expected: Int) {
        #expect(WaymarkKit.editDistance(Array(a), Array(b), swaps: true) == expected)
    }

    @Test("a long query of quotes, phrases and synonyms keeps its first ten words")
    func longQuery() throws {
        let q = String(repeating: "\"churn rate attrition ", count: 400)
        #expect(try engine("en").parse(q).words.count == 10)
        #expect(try urls("en", q).contains("/en/articles/a/churn/"))
        #expect(try engine("en").suggest(SearchQuery(q)).didYouMean == nil)
    }
}
