import Foundation
import Testing

@testable import WaymarkKit

/// The onboarding metrics of `report --events` on a small event log whose answers are worked out by hand
/// in the comments: the small site's accountant route has three steps, one per stage.
@Suite("Onboarding metrics from event logs")
struct OnboardingMetricsTests {
    static let s1 = "guides/accountant/01-welcome"
    static let s2 = "guides/accountant/02-first-close"
    static let s3 = "guides/accountant/03-routine"

    /// The small site with a third step (stage adoption), built with health figures.
    static func health() throws -> HealthData {
        let tree = try SmallSite.tree([
            "content/en/guides/accountant/03-routine.md": "---\ntitle: Routine\nstage: adoption\n---\n\n- [ ] Book the review {#review}\n"
        ])
        var options = SmallSite.options(tree)
        options.dryRun = true
        options.health = true
        options.today = Day(iso: "2026-12-02")
        return try #require(SiteBuilder.build(options).health)
    }

    /// One event line; `minutes` after 2026-12-01T10:00:00Z.
    static func event(_ name: String, _ reader: String, _ minutes: Int, lang: String = "en", _ fields: String = "") -> String {
        let t = Date(timeIntervalSince1970: 1_796_119_200 + Double(minutes) * 60)  // 2026-12-01T10:00:00Z
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let extra = fields.isEmpty ? "" : "," + fields
        return #"{"v":1,"event":"\#(name)","time":"\#(f.string(from: t))","reader":"\#(reader)","lang":"\#(lang)","page":"/docs/\#(lang)/x/"\#(extra)}"#
    }

    static func route(_ name: String, _ reader: String, _ minutes: Int, step: String? = nil, stage: String? = nil, item: String? = nil) -> String {
        var fields = #""segment":"accountant""#
        if let step { fields += #","step":"\#(step)""# }
        if let stage { fields += #","stage":"\#(stage)""# }
        if let item { fields += #","item":"\#(item)""# }
        return event(name, reader, minutes, fields)
    }

    /// A reader's walk: (minute, event, step number or nil, item key or nil).
    static func walk(_ reader: String, _ steps: [(Int, String, Int?, String?)]) -> [String] {
        let keys = [s1, s2, s3]
        let stages = ["welcome", "first-value", "adoption"]
        return steps.map { minute, name, step, item in
            if name == "stage_completed" { return route(name, reader, minute, stage: stages[step! - 1]) }
            guard let step else { return route(name, reader, minute) }
            return route(name, reader, minute, step: keys[step - 1], stage: stages[step - 1], item: item.map { keys[step - 1] + "#" + $0 })
        }
    }

    /// Six readers (A–F) on the en route, then searches and votes.
    static var log: [String] {
        var lines: [String] = []
        // A: everything; first value at 10 min, route done at 30 min.
        lines += walk(
            "A",
            [
                (0, "route_started", nil, nil), (1, "step_viewed", 1, nil), (2, "item_ticked", 1, "sign"), (3, "item_ticked", 1, "send-documents"),
                (3, "step_completed", 1, nil), (3, "stage_completed", 1, nil), (5, "step_viewed", 2, nil), (10, "item_ticked", 2, "close-the-month"),
                (10, "step_completed", 2, nil), (10, "stage_completed", 2, nil), (20, "step_viewed", 3, nil), (30, "item_ticked", 3, "review"),
                (30, "step_completed", 3, nil), (30, "stage_completed", 3, nil), (30, "route_completed", nil, nil),
            ])
        // B: ticks then unticks `sign`, never ticks `send-documents`, reaches step 2: first value at 20 min.
        // The untick is written first but happened later: the last state is by time, not by line.
        lines += walk(
            "B",
            [
                (0, "route_started", nil, nil), (1, "step_viewed", 1, nil), (2, "item_unticked", 1, "sign"), (1, "item_ticked", 1, "sign"),
                (4, "step_viewed", 2, nil), (20, "item_ticked", 2, "close-the-month"), (20, "step_completed", 2, nil), (20, "stage_completed", 2, nil),
            ])
        // C: completes step 1 and views step 2.
        lines += walk(
            "C",
            [
                (0, "route_started", nil, nil), (1, "step_viewed", 1, nil), (1, "item_ticked", 1, "sign"), (1, "item_ticked", 1, "send-documents"),
                (1, "step_completed", 1, nil), (1, "stage_completed", 1, nil), (2, "step_viewed", 2, nil),
            ])
        // D: starts and views step 1; E: views step 1 without a route_started in the log.
        lines += walk("D", [(0, "route_started", nil, nil), (1, "step_viewed", 1, nil), (1, "step_viewed", 1, nil)])
        lines += walk("E", [(3, "step_viewed", 1, nil)])
        // F: first value at 60 min, route done at 90 min (no stage_completed for adoption).
        lines += walk(
            "F",
            [
                (0, "route_started", nil, nil), (1, "step_viewed", 1, nil), (2, "item_ticked", 1, "sign"), (2, "item_ticked", 1, "send-documents"),
                (2, "step_completed", 1, nil), (2, "stage_completed", 1, nil), (30, "item_ticked", 2, "close-the-month"), (60, "step_completed", 2, nil),
                (60, "stage_completed", 2, nil), (70, "step_viewed", 3, nil), (80, "item_ticked", 3, "review"), (80, "step_completed", 3, nil),
                (90, "route_completed", nil, nil),
            ])
        lines += [
            event("search_performed", "G", 5, #""query":"  Refund ","results":0,"filters":{"segment":"accountant"}"#),
            event("search_performed", "H", 6, #""query":"REFUND","results":0,"filters":{}"#),
            event("search_performed", "G", 7, #""query":"refund","results":3"#),
            event("search_result_opened", "G", 8, #""query":"refund","rank":1,"target":"/docs/en/articles/billing/refunds/""#),
            event("search_performed", "G", 9, #""query":"Invoices","results":5"#),
            event("search_performed", "K", 9, lang: "fa", #""query":"بازپرداخت","results":2"#),
            event("feedback_given", "G", 10, #""helpful":true,"page":"/docs/en/articles/billing/refunds/""#).replacingOccurrences(
                of: #""page":"/docs/en/x/","#, with: ""),
            event("feedback_given", "G", 12, #""helpful":false"#).replacingOccurrences(of: "/docs/en/x/", with: "/docs/en/articles/billing/refunds/"),
            event("feedback_given", "H", 11, #""helpful":true"#).replacingOccurrences(of: "/docs/en/x/", with: "/docs/en/articles/billing/refunds/"),
            event("fallback_shown", "K", 12, lang: "fa", #""from":"en""#),
        ]
        return lines
    }

    static func read(_ text: String, health: HealthData, gzip: Bool = false) throws -> OnboardingMetrics {
        let tree = try TempTree()
        try tree.write("events.jsonl", gzip ? Data(try #require(Compression.gzip(Array(text.utf8)))) : Data(text.utf8))
        return OnboardingMetrics.read([tree.path + "/events.jsonl"], outline: health.onboarding)
    }

    @Test("funnel, completion rates, time to value and to completion, drop-off, most ticked and skipped items")
    func routeFigures() throws {
        let health = try Self.health()
        let m = try Self.read(Self.log.joined(separator: "\n") + "\n", health: health)
        #expect(m.badLines == 0 && m.diagnostics.isEmpty, "\(m.diagnostics)")
        #expect(m.events == Self.log.count)
        let r = try #require(m.routes.first { $0.segment == "accountant" && $0.language == "en" })
        #expect(m.routes.count == 1)  // the fa route has no events
        #expect(r.readers == 6 && r.started == 5 && r.completed == 2)
        #expect(r.steps.map(\.key) == [Self.s1, Self.s2, Self.s3])
        #expect(r.steps.map(\.reached) == [6, 4, 2])
        #expect(r.steps.map(\.completed) == [3, 3, 2])
        #expect(r.stages.map(\.id) == ["welcome", "first-value", "adoption"])
        #expect(r.stages.map(\.reached) == [6, 4, 2])
        #expect(r.stages.map(\.completed) == [3, 3, 1])
        // Time to value: A 10, B 20, F 60 minutes: nearest-rank median the 2nd, p90 the 3rd.
        #expect(r.firstValueStage == "first-value")
        #expect(r.timeToValue == .init(readers: 3, median: 20 * 60_000, p90: 60 * 60_000))
        // Time to complete: A 30, F 90 minutes.
        #expect(r.timeToComplete == .init(readers: 2, median: 30 * 60_000, p90: 90 * 60_000))
        // 6 → 4 → 2: two equal losses; the first is the drop-off.
        #expect(r.dropOff == .init(after: 0, lost: 2))
        #expect(r.mostTicked.map(\.id) == ["\(Self.s1)#sign", "\(Self.s1)#send-documents", "\(Self.s2)#close-the-month", "\(Self.s3)#review"])
        #expect(r.mostTicked.map(\.readers) == [4, 3, 3, 2])
        #expect(r.mostTicked.first?.text == "Sign the letter")
        // Only B went on to step 2 with step 1's items not ticked (sign unticked last, send never ticked).
        #expect(
            r.mostSkipped == [
                .init(id: "\(Self.s1)#sign", text: "Sign the letter", readers: 1), .init(id: "\(Self.s1)#send-documents", text: "Send documents", readers: 1),
            ])
    }

    @Test("searches per language (normalized), zero-result searches, votes per page, fallbacks")
    func searchesAndVotes() throws {
        let health = try Self.health()
        let m = try Self.read(Self.log.joined(separator: "\n"), health: health)
        #expect(m.searches.map(\.language) == ["en", "fa"])
        let en = m.searches[0]
        #expect(en.searches == 4 && en.zeroResultSearches == 2)
        #expect(en.top == [.init(query: "refund", searches: 3, zeroResults: 2, opened: 1), .init(query: "invoices", searches: 1, zeroResults: 0, opened: 0)])
        #expect(en.zeroResult.map(\.query) == ["refund"])
        #expect(m.searches[1].top.first?.query == "بازپرداخت")
        // G voted yes, then no (their last vote counts); H voted yes.
        #expect(m.helpfulness == [.init(page: "/docs/en/articles/billing/refunds/", title: "Refunds", helpful: 1, notHelpful: 1)])
        #expect(m.fallbacksShown.map(\.language) == ["fa"] && m.fallbacksShown.first?.count == 1)
        #expect(m.eventCounts.first { $0.name == "search_performed" }?.count == 5)
    }

    @Test("gzip logs, several files and concatenated gzip members give the same figures as the plain log")
    func gzip() throws {
        let health = try Self.health()
        let text = Self.log.joined(separator: "\n") + "\n"
        let plain = try Self.read(text, health: health)
        let zipped = try Self.read(text, health: health, gzip: true)
        #expect(zipped.diagnostics.isEmpty, "\(zipped.diagnostics)")
        var (a1, b1) = (zipped, plain)
        (a1.files, b1.files) = ([], [])
        #expect(HealthReport.json(a1).encoded() == HealthReport.json(b1).encoded())
        let half = Self.log.count / 2
        let a = try #require(Compression.gzip(Array((Self.log[..<half].joined(separator: "\n") + "\n").utf8)))
        let b = try #require(Compression.gzip(Array((Self.log[half...].joined(separator: "\n") + "\n").utf8)))
        let tree = try TempTree()
        try tree.write("both.gz", Data(a + b))
        try tree.write("first.log", Data((Self.log[..<half].joined(separator: "\n") + "\n").utf8))
        try tree.write("second.gz", Data(b))
        let concatenated = OnboardingMetrics.read([tree.path + "/both.gz"], outline: health.onboarding)
        let split = OnboardingMetrics.read([tree.path + "/first.log", tree.path + "/second.gz"], outline: health.onboarding)
        for m in [concatenated, split] {
            #expect(m.diagnostics.isEmpty && m.events == plain.events)
            #expect(m.routes.first?.steps.map(\.reached) == [6, 4, 2])
            #expect(m.routes.first?.timeToValue == plain.routes.first?.timeToValue)
        }
        // A truncated gzip file: the lines before the cut count, the file is reported.
        try tree.write("cut.gz", Data(a.prefix(a.count / 2)))
        let cut = OnboardingMetrics.read([tree.path + "/cut.gz"], outline: health.onboarding)
        #expect(cut.diagnostics.map(\.code) == ["unreadable-events"])
        #expect(cut.diagnostics.first?.message.contains("ends early") == true)
    }

    @Test("bad lines are reported at file:line with a reason and skipped; unknown events and content are counted")
    func badLines() throws {
        let health = try Self.health()
        let good = Self.route("route_started", "A", 0)
        let lines = [
            good,  // 1
            "{\"v\":1,\"event\":\"route_started\"",  // 2: cut off
            "",  // 3: blank, ignored
            good.replacingOccurrences(of: #""reader":"A","#, with: ""),  // 4
            good.replacingOccurrences(of: #""v":1"#, with: #""v":"1""#),  // 5
            good.replacingOccurrences(of: "2026-12-01T10:00:00.000Z", with: "2026-13-01T10:00:00.000Z"),  // 6
            good.replacingOccurrences(of: #""v":1"#, with: #""v":2"#),  // 7
            Self.event("tour_started", "A", 1),  // 8: unknown event, skipped
            Self.route("step_viewed", "A", 2, step: "guides/accountant/09-gone", stage: "welcome"),  // 9: unknown step
            Self.event("route_started", "A", 3, #""segment":"nurses""#),  // 10: unknown segment
            Self.event("search_performed", "A", 3, #""query":"x","results":-1"#),  // 11
            Self.event("feedback_given", "A", 3, #""helpful":"yes""#),  // 12
            "[1,2]",  // 13
            good + " x",  // 14
            Self.route("item_ticked", "A", 4, step: Self.s1, stage: "welcome"),  // 15: no item
            good.replacingOccurrences(of: "10:00:00.000Z", with: "10:00:00.000+01:00"),  // 16
            // 17: extra fields are fine
            #"{"v":1,"event":"route_started","time":"2026-12-01T10:00:00.000Z","reader":"A","lang":"en","page":"/","segment":"accountant","extra":{"deep":[1,{"x":null}]}}"#,
        ]
        let m = try Self.read(lines.joined(separator: "\r\n"), health: health)
        let found = m.diagnostics.map { "\($0.location!.line): \($0.message)" }
        #expect(
            found == [
                "2: skipped event: invalid JSON: expected ',' or '}' at column 31",
                "4: skipped event: missing field `reader`",
                "5: skipped event: `v` must be the integer 1",
                "6: skipped event: `time` is not an ISO 8601 UTC time such as 2026-12-02T17:30:00.123Z",
                "7: skipped event: schema version 2 is newer than this waymark reads (1)",
                "11: skipped event: `results` must be an integer of at least 0, not a number",
                "12: skipped event: `helpful` must be true or false",
                "13: skipped event: not a JSON object",
                "14: skipped event: invalid JSON: text after the object at column \(good.utf8.count + 2)",
                "15: skipped event: missing field `item`",
                "16: skipped event: `time` is not an ISO 8601 UTC time such as 2026-12-02T17:30:00.123Z",
            ])
        #expect(m.diagnostics.allSatisfy { $0.severity == .warning && $0.code == "bad-event" && $0.root == .events && $0.file!.hasSuffix("events.jsonl") })
        #expect(m.badLines == 11 && m.lines == 16 && m.events == 4)
        #expect(m.unknownEvents.map(\.name) == ["tour_started"])
        #expect(
            m.unknownTargets == [
                .init(language: "en", segment: "accountant", id: "guides/accountant/09-gone", events: 1),
                .init(language: "en", segment: "nurses", id: "", events: 1),
            ])
        // The formatter prints them where they are, as the path was given.
        let f = DiagnosticFormatter(content: "content", templates: "templates", output: "output")
        #expect(f.text(m.diagnostics[0]).hasPrefix(m.files[0] + ":2:1: warning: skipped event"))
    }

    @Test("events from the embedded widget (source \"embed\") count like the site's and are counted apart")
    func embedSource() throws {
        let health = try Self.health()
        let site = Self.walk("A", [(0, "route_started", nil, nil), (1, "item_ticked", 1, "sign")])
        let embedded = Self.walk("B", [(0, "route_started", nil, nil), (1, "item_ticked", 1, "sign")]).map {
            $0.replacingOccurrences(of: #""segment""#, with: #""source":"embed","segment""#)
        }
        let other = Self.route("route_started", "C", 0).replacingOccurrences(of: #""segment""#, with: #""source":"kiosk","segment""#)
        let wrong = Self.route("route_started", "D", 0).replacingOccurrences(of: #""segment""#, with: #""source":1,"segment""#)
        let m = try Self.read((site + embedded + [other, wrong]).joined(separator: "\n") + "\n", health: health)
        #expect(m.events == 5 && m.embedEvents == 2)
        #expect(m.diagnostics.map(\.message) == ["skipped event: `source` must be a string, not a number"])
        let r = try #require(m.routes.first { $0.segment == "accountant" && $0.language == "en" })
        #expect(r.started == 3 && r.mostTicked.first?.readers == 2)
    }

    @Test("only the first bad lines are listed; a last warning counts the rest")
    func capped() throws {
        let health = try Self.health()
        let m = try Self.read(String(repeating: "nonsense\n", count: 80) + String(repeating: "x", count: EventLog.maxLineBytes + 10), health: health)
        #expect(m.badLines == 81)
        #expect(m.diagnostics.count == OnboardingMetrics.reportedBadLines + 1)
        #expect(m.diagnostics.last?.message == "31 more bad lines not listed (81 in all)")
    }

    @Test("times: milliseconds, fractions of any length, real dates only")
    func times() {
        func t(_ s: String) -> Int64? {
            var s = s
            return s.withUTF8 { parseEventTime($0) }
        }
        #expect(t("1970-01-01T00:00:00.000Z") == 0)
        #expect(t("2026-12-02T17:30:00.123Z") == 1_796_232_600_123)
        #expect(t("2026-12-02T17:30:00Z") == 1_796_232_600_000)
        #expect(t("2026-12-02T17:30:00.1Z") == 1_796_232_600_100)
        #expect(t("2026-12-02T17:30:00.123456Z") == 1_796_232_600_123)
        #expect(t("2024-02-29T00:00:00Z") != nil && t("2026-02-29T00:00:00Z") == nil)
        #expect(t("2026-12-02 17:30:00Z") == nil && t("2026-12-02T17:30:00.Z") == nil && t("2026-12-02T24:00:00Z") == nil)
    }

    @Test("the report shows the onboarding metrics as accessible SVG charts and tables; JSON carries the same figures")
    func report() throws {
        let health = try Self.health()
        let m = try Self.read(Self.log.joined(separator: "\n"), health: health)
        let templates = try #require(TemplateSet.load(from: Repo.templates).0)
        let html = try HealthReport.html(
            health, diagnostics: m.diagnostics, formatter: DiagnosticFormatter(content: "c", templates: "t", output: "o"), templates: templates, onboarding: m)
        #expect(html.contains("Onboarding metrics"))
        // The content-health charts, then a funnel and a stage chart for the one route with events.
        let without = try HealthReport.html(
            health, diagnostics: [], formatter: DiagnosticFormatter(content: "c", templates: "t", output: "o"), templates: templates)
        #expect(html.components(separatedBy: "<svg role=\"img\"").count == without.components(separatedBy: "<svg role=\"img\"").count + 2)
        #expect(!without.contains("Onboarding metrics"))
        #expect(html.contains(#"aria-label="Welcome: 6 · 50% done; First close: 4 · 75% done; Routine: 2 · 100% done""#))
        #expect(html.contains("median 20 min, p90 60 min (3 readers)"))
        // Titles inside English sentences are isolated (FSI … PDI), so a Persian title keeps its quotes in place.
        #expect(html.contains("2 readers (33%) after “\u{2068}Welcome\u{2069}”, before “\u{2068}First close\u{2069}”"))
        #expect(html.contains("<bdi>refund</bdi>"))
        #expect(!html.contains("<script"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(HealthReport.json(health, diagnostics: [], onboarding: m).utf8)) as? [String: Any])
        let onboarding = try #require(json["onboarding"] as? [String: Any])
        #expect(onboarding["version"] as? Int == 1)
        let route = try #require((onboarding["routes"] as? [[String: Any]])?.first)
        #expect((route["steps"] as? [[String: Any]])?.map { $0["reached"] as? Int } == [6, 4, 2])
        #expect(route["completionRate"] as? Double == 0.4)
        #expect((route["timeToValue"] as? [String: Any])?["medianSeconds"] as? Int == 1200)
        #expect((route["dropOff"] as? [String: Any])?["after"] as? String == Self.s1)
        // Without event logs the report has no onboarding part.
        #expect(!HealthReport.json(health, diagnostics: []).contains("onboarding"))
    }

    @Test("a Persian route draws its step titles as right-to-left text")
    func rightToLeft() throws {
        let health = try Self.health()
        let m = try Self.read(Self.event("step_viewed", "A", 0, lang: "fa", #""segment":"accountant","stage":"welcome","step":"\#(Self.s1)""#), health: health)
        let r = try #require(m.routes.first)
        #expect(r.language == "fa" && r.rightToLeft && r.steps.map(\.reached) == [1, 0, 0])
        let context = HealthReport.context(m)
        let funnel = try #require((context["routes"] as? [[String: Any]])?.first?["funnel"] as? String)
        #expect(funnel.contains(#"direction="rtl" text-anchor="start""#))
        // Labels longer than the label column are cut; the whole title stays as the tooltip and in the label.
        let long = HealthReport.bars([("Write down the first win for your customer", 1, 2, "1")], color: "#000")
        #expect(long.contains("<title>Write down the first win for your customer</title>Write down the first…</text>"))
        #expect(long.contains(#"aria-label="Write down the first win for your customer: 1""#))
    }
}
