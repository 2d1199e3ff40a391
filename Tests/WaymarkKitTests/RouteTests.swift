import Foundation
import Testing

@testable import WaymarkKit

@Suite("Onboarding routes")
struct RouteTests {
    func build(_ overrides: [String: String?]) throws -> (TempTree, BuildSummary) {
        let tree = try SmallSite.tree(overrides)
        return (tree, SiteBuilder.build(SmallSite.options(tree)))
    }

    func routeJSON(_ tree: TempTree, _ path: String) throws -> [String: Any] {
        let text = try #require(tree.read("output/" + path))
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("steps are ordered by stage first, then by order")
    func ordering() throws {
        let (tree, summary) = try build([
            "content/en/guides/accountant/01-late.md": "---\ntitle: Late\nstage: mastery\n---\n",
            "content/en/guides/accountant/05-early.md": "---\ntitle: Early\nstage: welcome\n---\n",
        ])
        #expect(summary.errors == 0, "\(summary.diagnostics)")
        let route = try routeJSON(tree, "en/segments/accountant/route.json")
        let steps = try #require(route["steps"] as? [[String: Any]])
        #expect(steps.map { $0["title"] as? String } == ["Welcome", "Early", "First close", "Late"])
        #expect(route["totalMinutes"] as? Int == 40)
        let stages = try #require(route["stages"] as? [[String: Any]])
        #expect(stages.map { $0["id"] as? String } == ["welcome", "first-value", "mastery"])
    }

    @Test("checklist ids are the guide's translation key plus the item key, shared by translations")
    func checklistIDs() throws {
        let (tree, summary) = try build([
            "content/fa/guides/accountant/01-welcome.md": "---\ntitle: خوش آمد\nstage: welcome\n---\n\n- [ ] نامه را امضا کنید\n- [ ] مدارک را بفرستید\n"
        ])
        #expect(summary.errors == 0, "\(summary.diagnostics)")
        for language in ["en", "fa"] {
            let steps = try #require(try routeJSON(tree, "\(language)/segments/accountant/route.json")["steps"] as? [[String: Any]])
            let ids = (steps[0]["checklist"] as? [[String: Any]])?.map { $0["id"] as? String }
            #expect(ids == ["guides/accountant/01-welcome#sign", "guides/accountant/01-welcome#send-documents"])
        }
        let page = try #require(tree.read("output/fa/guides/accountant/01-welcome/index.html"))
        #expect(page.contains(#"data-task="guides/accountant/01-welcome#sign""#))
    }

    @Test("a step missing in a language falls back to the default language, with a notice and a warning")
    func fallback() throws {
        let (tree, summary) = try build([:])
        let warnings = summary.diagnostics.filter { $0.code == "missing-translation" && $0.file?.contains("/guides/") == true }
        #expect(warnings.map(\.file) == ["en/guides/accountant/01-welcome.md", "en/guides/accountant/02-first-close.md"].map { Optional($0) })
        let page = try #require(tree.read("output/fa/guides/accountant/01-welcome/index.html"))
        #expect(page.contains(#"<html lang="fa" dir="rtl""#))
        #expect(page.contains(#"<div class="prose" lang="en" dir="ltr">"#))
        #expect(page.contains(#"class="notice""#))
        // Search engines are pointed at the original.
        #expect(page.contains(#"<link rel="canonical" href="https://help.example.com/docs/en/guides/accountant/01-welcome/">"#))
        let steps = try #require(try routeJSON(tree, "fa/segments/accountant/route.json")["steps"] as? [[String: Any]])
        #expect(steps.map { $0["fallback"] as? Bool } == [true, true])
    }

    @Test("the whole route on one page: stages and steps in order, ids kept unique, headings under the step's; the guides folder leads to the route")
    func wholeRoute() throws {
        let (tree, summary) = try build([
            "content/en/guides/accountant/02-first-close.md":
                "---\ntitle: First close\nstage: first-value\nduration: 30\n---\n\n## Checklist\n\nSee [the list](#checklist)[^1].\n\n- [ ] Close the month\n\n[^1]: A note.\n"
        ])
        #expect(summary.errors == 0, "\(summary.diagnostics)")
        let page = try #require(tree.read("output/en/segments/accountant/route/all/index.html"))
        #expect(page.contains(#"<meta name="robots" content="noindex">"#))
        let order = ["stage-welcome", "step-1", "s1-checklist", "stage-first-value", "step-2", "s2-checklist"].map {
            page.range(of: #"id="\#($0)""#)?.lowerBound
        }
        #expect(order.allSatisfy { $0 != nil } && order.map { $0! } == order.map { $0! }.sorted(), "stages and steps in route order")
        // Both steps have a "Checklist" heading: each id is scoped to its step, and links follow.
        #expect(page.contains(#"<h4 id="s1-checklist">"#) && page.contains(#"<h4 id="s2-checklist">"#) && page.contains(##"href="#s2-checklist""##))
        #expect(page.contains(#"id="s2-fn-1""#) && page.contains(##"href="#s2-fn-1""##))
        let ids = page.matches(of: #/ id="([^"]+)"/#).map { String($0.output.1) }
        #expect(Set(ids).count == ids.count, "duplicate ids: \(ids)")
        #expect(page.contains(#"data-task="guides/accountant/01-welcome#sign""#))
        #expect(page.contains("40 min"))
        // Linked from the route page; the folder of the steps leads to the route page.
        #expect(tree.read("output/en/segments/accountant/route/index.html")?.contains(#"href="/docs/en/segments/accountant/route/all/""#) == true)
        let folder = try #require(tree.read("output/en/guides/accountant/index.html"))
        #expect(folder.contains(#"<meta http-equiv="refresh" content="0; url=/docs/en/segments/accountant/route/">"#))
        #expect(folder.contains(#"<link rel="canonical" href="https://help.example.com/docs/en/segments/accountant/route/">"#))
        let sitemap = try #require(tree.read("output/sitemap.xml"))
        #expect(!sitemap.contains("guides/accountant/</loc>") && !sitemap.contains("route/all/"))
    }

    @Test("links to a step that falls back to the default language resolve to its page in the linking language")
    func linksToFallbackSteps() throws {
        let (tree, summary) = try build([
            "content/fa/guides/accountant/01-welcome.md": "---\ntitle: خوش آمد\nstage: welcome\n---\n\nگام بعد: [بستن ماه](02-first-close.md)\n"
        ])
        #expect(!summary.diagnostics.contains { $0.code == "broken-link" }, "\(summary.diagnostics)")
        let page = try #require(tree.read("output/fa/guides/accountant/01-welcome/index.html"))
        #expect(page.contains(#"href="/docs/fa/guides/accountant/02-first-close/""#))
        // It is still reported as a missing translation.
        #expect(summary.diagnostics.contains { $0.code == "missing-translation" && $0.file == "en/guides/accountant/02-first-close.md" })
    }

    @Test("an article missing in a language is published there from the default language: notice, canonical, listings, links and featured entries")
    func articleFallback() throws {
        let (tree, summary) = try build([
            "content/fa/articles/billing/refunds.md": "---\ntitle: بازپرداخت\n---\n\nاول [صورتحساب‌ها](invoices.md#due-dates) را بخوانید.\n",
            "content/fa/landing/accountant.yml": "title: برای حسابداران\nfeatured:\n  - articles/billing/invoices.md\n",
            "content/en/articles/billing/invoices.md": "---\ntitle: Invoices\n---\n\n## Due dates\n\nSee [refunds](refunds.md), <b>now</b>.\n",
        ])
        // Links and featured entries in Persian resolve to the copy; the original's problems are reported once, at the original.
        #expect(summary.errors == 0, "\(summary.diagnostics)")
        #expect(summary.diagnostics.filter { $0.code == "raw-html-dropped" }.map(\.file) == ["en/articles/billing/invoices.md"])
        #expect(!summary.diagnostics.contains { $0.code == "broken-featured" || $0.file == "fa/articles/billing/invoices.md" })
        let copy = try #require(tree.read("output/fa/articles/billing/invoices/index.html"))
        #expect(copy.contains(#"<html lang="fa" dir="rtl""#) && copy.contains(#"<div class="prose" lang="en" dir="ltr">"#))
        #expect(copy.contains("This article has not been translated yet") == false && copy.contains("این مقاله هنوز ترجمه نشده است"))
        #expect(copy.contains(#"<link rel="canonical" href="https://help.example.com/docs/en/articles/billing/invoices/">"#))
        #expect(!copy.contains(#"<link rel="alternate" hreflang="fa""#), "a copy is not offered to search engines as the Persian version")
        // Its own links stay in Persian.
        #expect(copy.contains(#"href="/docs/fa/articles/billing/refunds/""#))
        let refunds = try #require(tree.read("output/fa/articles/billing/refunds/index.html"))
        #expect(refunds.contains(#"href="/docs/fa/articles/billing/invoices/#due-dates""#))
        #expect(tree.read("output/fa/articles/billing/index.html")?.contains("/docs/fa/articles/billing/invoices/") == true)
        #expect(tree.read("output/fa/segments/accountant/index.html")?.contains("/docs/fa/articles/billing/invoices/") == true)
        let sitemap = try #require(tree.read("output/sitemap.xml"))
        #expect(!sitemap.contains("<loc>https://help.example.com/docs/fa/articles/billing/invoices/</loc>"))
        #expect(tree.read("output/fa/feed.xml")?.contains("invoices") == false)
    }

    @Test("aliases: old URLs become redirect pages and 301 maps; bad aliases and taken URLs are located errors")
    func aliases() throws {
        let (tree, summary) = try build([
            "content/en/articles/billing/invoices.md":
                "---\ntitle: Invoices\naliases: [/en/articles/billing/bills/, /en/faq/invoices.html]\n---\n\n## Due dates\n"
        ])
        #expect(summary.errors == 0, "\(summary.diagnostics)")
        let redirect = try #require(tree.read("output/en/articles/billing/bills/index.html"))
        #expect(redirect.contains(#"<meta http-equiv="refresh" content="0; url=/docs/en/articles/billing/invoices/">"#))
        #expect(redirect.contains(#"<meta name="robots" content="noindex">"#))
        #expect(redirect.contains(#"<link rel="canonical" href="https://help.example.com/docs/en/articles/billing/invoices/">"#))
        #expect(tree.exists("output/en/faq/invoices.html"))
        let netlify = try #require(tree.read("output/_redirects"))
        #expect(netlify.contains("/docs/en/articles/billing/bills/ /docs/en/articles/billing/invoices/ 301\n"))
        #expect(netlify.contains("/docs/en/articles/billing/bills /docs/en/articles/billing/invoices/ 301\n"))
        #expect(netlify.contains("/docs/en/guides/accountant/ /docs/en/segments/accountant/route/ 301\n"))
        #expect(tree.read("output/redirects.map")?.contains(#""/docs/en/faq/invoices.html" "/docs/en/articles/billing/invoices/";"#) == true)
        #expect(tree.read("output/sitemap.xml")?.contains("bills") == false)

        let (_, bad) = try build([
            "content/en/articles/billing/invoices.md": "---\ntitle: Invoices\naliases: [en/old/, /en/../x/, /en/articles/billing/refunds/]\n---\n"
        ])
        let invalid = bad.diagnostics.filter { $0.code == "invalid-alias" }
        #expect(invalid.map(\.location) == [SourceLocation(line: 3, column: 11), SourceLocation(line: 3, column: 20)])
        #expect(invalid.allSatisfy { $0.file == "en/articles/billing/invoices.md" })
        #expect(
            bad.diagnostics.contains { $0.code == "alias-conflict" && $0.message.contains("/en/articles/billing/refunds/") && $0.location?.column == 31 },
            "\(bad.diagnostics)")
    }

    @Test("a page the last build published that this one lacks is reported, with the likely successor; an alias settles it")
    func vanishedURLs() throws {
        let tree = try SmallSite.tree()
        #expect(SiteBuilder.build(SmallSite.options(tree)).errors == 0)
        #expect(tree.read("output/published-urls.txt")?.contains("en/articles/billing/invoices/\n") == true)
        // Renamed without an alias (the links to it updated): the old address is gone.
        let text = try #require(tree.read("content/en/articles/billing/invoices.md"))
        try FileManager.default.removeItem(atPath: tree.path + "/content/en/articles/billing/invoices.md")
        try tree.write("content/en/articles/billing/bills.md", text)
        try tree.write(
            "content/en/articles/billing/refunds.md",
            tree.read("content/en/articles/billing/refunds.md")!.replacingOccurrences(of: "invoices.md", with: "bills.md"))
        // `waymark check` replaces nothing, so it says so every time until an alias covers the address
        // (a --strict build likewise fails and keeps the old output).
        var check = SmallSite.options(tree)
        check.dryRun = true
        for _ in 0..<2 {
            let vanished = SiteBuilder.build(check).diagnostics.filter { $0.code == "vanished-url" }
            // The Persian copy of the English text is not counted: its original is.
            #expect(vanished.count == 1, "\(vanished)")
            #expect(
                vanished.first?.file == "en/articles/billing/bills.md" && vanished.first?.message.contains("aliases: [/en/articles/billing/invoices/]") == true)
        }
        try tree.write(
            "content/en/articles/billing/bills.md",
            text.replacingOccurrences(of: "title: Invoices", with: "title: Invoices\naliases: [/en/articles/billing/invoices/]"))
        #expect(!SiteBuilder.build(check).diagnostics.contains { $0.code == "vanished-url" })
        let settled = SiteBuilder.build(SmallSite.options(tree))
        #expect(settled.wrote && !settled.diagnostics.contains { $0.code == "vanished-url" }, "\(settled.diagnostics)")
        #expect(tree.read("output/published-urls.txt")?.contains("en/articles/billing/invoices/\tcopy\n") == true, "now a redirect")
    }

    @Test("route validation: duplicate order, unknown stage and segment, landing problems, empty route")
    func validation() throws {
        let (_, summary) = try build([
            "content/en/guides/accountant/01-other.md": "---\ntitle: Other\nstage: welcome\n---\n",
            "content/en/guides/accountant/03-typo.md": "---\ntitle: Typo\nstage: welcom\n---\n",
            "content/en/guides/nurses/01-x.md": "---\ntitle: X\nstage: welcome\n---\n",
            "content/en/landing/pilots.yml": "title: Pilots\n",
            "content/en/landing/accountant.yml": "title: For accountants\nfeatured:\n  - articles/billing/nope.md\n",
            "content/site.yml": SmallSite.siteYML.replacingOccurrences(
                of: "segments:\n", with: "segments:\n  - { id: empty, title: Empty }\n"),
        ])
        let errors = summary.diagnostics.filter { $0.severity == .error }
        #expect(Set(errors.map(\.code)) == ["duplicate-order", "unknown-stage", "unknown-segment", "broken-featured"])
        let stage = try #require(errors.first { $0.code == "unknown-stage" })
        #expect(stage.location == Loc(line: 3, column: 1))
        #expect(stage.message.contains("did you mean 'welcome'"))
        let featured = try #require(errors.first { $0.code == "broken-featured" })
        #expect(featured.location == Loc(line: 3, column: 5))
        let warnings = Set(summary.diagnostics.filter { $0.severity == .warning }.map(\.code))
        #expect(warnings.isSuperset(of: ["empty-route", "missing-landing"]))
    }

    @Test("translated checklist keys that differ from the default language are reported")
    func mismatchedKeys() throws {
        let (_, summary) = try build([
            "content/fa/guides/accountant/01-welcome.md": "---\ntitle: خوش آمد\nstage: welcome\n---\n\n- [ ] نامه {#signature}\n"
        ])
        let d = try #require(summary.diagnostics.first { $0.code == "checklist-key-mismatch" })
        #expect(d.file == "fa/guides/accountant/01-welcome.md")
        #expect(d.message.contains("signature"))
    }
}
