import Foundation
import Testing

@testable import WaymarkKit

/// `report --events` reads logs from a public collector: whatever they hold, memory stays bounded (issue
/// 20, item 11). Queries are cut and counted by a Space-Saving summary; other values from the log create
/// entries only when they are the site's own.
@Suite("Bounded memory in report --events")
struct BoundedEventsTests {
    /// A deterministic skewed stream: key i with probability ∝ 1 / (i + 1) (Zipf), from a 64-bit LCG.
    static func zipf(_ n: Int, keys: Int, seed: UInt64 = 20) -> [Int] {
        var state = seed
        let weights = (0..<keys).map { 1 / Double($0 + 1) }
        var cumulative: [Double] = []
        var sum = 0.0
        for w in weights {
            sum += w
            cumulative.append(sum)
        }
        return (0..<n).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let u = Double(state >> 11) / Double(1 << 53) * sum
            var lo = 0
            var hi = keys - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }

    @Test("Space-Saving: counts never underestimate, overestimate by at most N/k, heavy keys kept, at most k entries")
    func spaceSaving() {
        let k = 100
        let stream = Self.zipf(100_000, keys: 50_000)
        var summary = SpaceSaving<Int>(capacity: k)
        var truth: [Int: Int] = [:]
        for (n, key) in stream.enumerated() {
            summary.add(key)
            truth[key, default: 0] += 1
            if n % 10_000 == 0 { #expect(summary.count <= k) }
        }
        #expect(summary.count == k && summary.total == stream.count && summary.evicted)
        let bound = stream.count / k
        let kept = summary.top(k) { $0 < $1 }
        for entry in kept {
            let real = truth[entry.key]!
            #expect(entry.count >= real, "key \(entry.key) counted \(entry.count), occurred \(real)")
            #expect(entry.count - entry.error <= real)
            #expect(entry.error <= summary.minimum && summary.minimum <= bound)
        }
        // Every key occurring more than N/k times is kept; a key left out occurred at most `minimum` times.
        for (key, real) in truth {
            if real > bound { #expect(summary.entry(key) != nil, "key \(key) (\(real) times) lost") }
            if summary.entry(key) == nil { #expect(real <= summary.minimum) }
        }
        // On a skewed stream the true top ten are the summary's top ten, in order.
        let trueTop = truth.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(10).map(\.key)
        #expect(summary.top(10) { $0 < $1 }.map(\.key) == trueTop)
        // Fewer distinct keys than counters: exact.
        var small = SpaceSaving<String>(capacity: 10)
        for key in ["a", "b", "a", "c", "a", "b"] { small.add(key) }
        #expect(!small.evicted && small.top(3) { $0 < $1 }.map { "\($0.key)\($0.count)\($0.error)" } == ["a30", "b20", "c10"])
    }

    static func query(_ text: String) -> EventQuery {
        var text = text
        return text.withUTF8 { EventQuery($0) }
    }

    @Test("queries are normalized, then cut to 200 characters on a character boundary; a cut query is marked")
    func queryCut() {
        #expect(Self.query("  Refund \n") == EventQuery(text: "refund"))
        #expect(Self.query("Ре\u{0301}фанд") == EventQuery(text: "ре\u{0301}фанд".precomposedUnicode))
        #expect(Self.query("\u{3000}\u{00A0}REFUND\u{2029}") == EventQuery(text: "refund"))
        let long = Self.query(String(repeating: "Abcde ", count: 10_000))
        #expect(
            long.cut && long.text.count == EventQuery.maxCharacters
                && long.text == String(String(repeating: "abcde ", count: 40).prefix(200)).trimmingCharacters(in: .whitespaces))
        // Leading and trailing white space does not count, however long.
        #expect(Self.query(String(repeating: " ", count: 60_000) + "Refund" + String(repeating: "\t", count: 60_000)) == EventQuery(text: "refund"))
        // Exactly 200 characters is not cut; 201 is, and never equals it.
        let exact = String(repeating: "ж", count: 200)
        #expect(Self.query(exact) == EventQuery(text: exact))
        #expect(Self.query(exact + "ж") == EventQuery(text: exact, cut: true))
        // Persian letters with marks: whole characters only.
        let persian = Self.query(String(repeating: "بِ", count: 300))
        #expect(persian.cut && persian.text.count == 200 && persian.text.unicodeScalars.count == 400)
        // Characters of several code points each: a longer prefix is read until 200 whole characters.
        let marked = Self.query(String(repeating: "a\u{0301}\u{0302}", count: 300))
        #expect(marked.cut && marked.text.count == 200 && marked.text == String(repeating: "\u{00E1}\u{0302}", count: 200))
        // A single character made of thousands of combining marks is cut at 800 code points.
        let zalgo = Self.query("e" + String(repeating: "\u{0301}", count: 50_000))
        #expect(zalgo.cut && zalgo.text.unicodeScalars.count == EventQuery.maxScalars)
        // Two long queries with the same beginning count together; invalid UTF-8 is repaired.
        #expect(Self.query(String(repeating: "a", count: 300) + "x") == Self.query(String(repeating: "A", count: 250) + "y"))
        #expect([UInt8]([0x61, 0xFF, 0x62]).withUnsafeBufferPointer { EventQuery($0) } == EventQuery(text: "a\u{FFFD}b"))
    }

    static func search(_ n: Int, _ query: String, lang: String = "en", results: Int = 1) -> String {
        OnboardingMetricsTests.event("search_performed", "r\(n)", n % 1000, lang: lang, #""query":"\#(query)","results":\#(results)"#)
    }

    @Test("distinct long queries: bounded counters, the frequent query found and exact, estimates marked in JSON and HTML")
    func manyQueries() throws {
        let health = try OnboardingMetricsTests.health()
        var lines: [String] = []
        let filler = String(repeating: "x", count: 30_000)
        for n in 0..<3000 {
            lines.append(Self.search(n, "q\(n) \(filler)", results: n % 2))
            if n % 20 == 0 { lines.append(Self.search(n, "Refund", results: 0)) }
        }
        let m = try OnboardingMetricsTests.read(lines.joined(separator: "\n"), health: health)
        #expect(m.badLines == 0 && m.events == lines.count)
        let en = try #require(m.searches.first { $0.language == "en" })
        #expect(en.searches == lines.count && en.zeroResultSearches == 1500 + 150)
        #expect(!en.exact)
        let top = try #require(en.top.first)
        #expect(top.query == "refund" && top.searches == 150 && top.zeroResults == 150 && top.exact && !top.truncated)
        #expect(en.top.count == OnboardingMetrics.topQueries && en.top.dropFirst().allSatisfy { $0.truncated && !$0.exact && $0.query.count == 200 })
        #expect(en.top.allSatisfy { $0.maxError <= en.searches / OnboardingMetrics.queryCounters })
        let json = HealthReport.json(m).encoded()
        #expect(json.contains(#""query":"refund","truncated":false,"searches":150,"zeroResults":150,"opened":0,"exact":true,"maxError":0"#))
        #expect(json.contains(#""exact":false,"counters":1000"#))
        let context = HealthReport.context(m)
        let searches = try #require(context["searches"] as? [[String: Any]])
        #expect((searches.first?["estimate"] as? String)?.contains("estimates, never lower than the truth") == true)
        let rows = try #require(searches.first?["top"] as? [[String: Any]])
        #expect(rows.first?["searches"] as? String == "150" && (rows.last?["searches"] as? String)?.hasPrefix("≈ ") == true)
        #expect((rows.last?["query"] as? String)?.hasSuffix("…") == true)
    }

    @Test("languages, pages, event names and targets not in the site create no entries beyond a listed few")
    func valuesFromTheLog() throws {
        let health = try OnboardingMetricsTests.health()
        var lines: [String] = []
        for n in 0..<300 {
            lines.append(OnboardingMetricsTests.event("tour_\(n)", "A", 1))
            lines.append(Self.search(n, "refund", lang: "x\(n)"))
            lines.append(
                OnboardingMetricsTests.event("feedback_given", "A", 2, #""helpful":true"#).replacingOccurrences(of: "/docs/en/x/", with: "/docs/en/gone-\(n)/"))
            lines.append(OnboardingMetricsTests.event("fallback_shown", "A", 3, lang: "y\(n)", #""from":"en""#))
        }
        let long = String(repeating: "r", count: OnboardingMetrics.maxReaderBytes + 1)
        lines.append(OnboardingMetricsTests.event("route_started", long, 4, #""segment":"accountant""#))
        lines.append(
            OnboardingMetricsTests.event("feedback_given", "A", 2, #""helpful":true"#).replacingOccurrences(
                of: "/docs/en/x/", with: "/" + String(repeating: "p", count: OnboardingMetrics.maxValueBytes)))
        let m = try OnboardingMetricsTests.read(lines.joined(separator: "\n"), health: health)
        #expect(m.unknownEvents.count == OnboardingMetrics.maxUnknownListed && m.unknownEventsNotListed == 200)
        #expect(m.unknownTargets.count == OnboardingMetrics.maxUnknownListed && m.unknownTargetsNotListed == 800)
        #expect(m.unknownTargets.contains { $0.language == "x0" && $0.segment.isEmpty && $0.id.isEmpty })
        #expect(m.searches.isEmpty && m.helpfulness.isEmpty && m.fallbacksShown.isEmpty)
        #expect(
            m.diagnostics.map(\.message) == [
                "skipped event: `reader` is longer than \(OnboardingMetrics.maxReaderBytes) bytes",
                "skipped event: `page` is longer than \(OnboardingMetrics.maxValueBytes) bytes",
            ])
        #expect(m.diagnostics.map { $0.location?.line } == [1201, 1202])
    }

    @Test("a 10 MB line is reported at file:line and skipped while holding at most the line limit")
    func longLine() throws {
        let health = try OnboardingMetricsTests.health()
        let huge = Self.search(0, String(repeating: "a", count: 10_000_000))
        let text = Self.search(1, "refund") + "\n" + huge + "\n" + Self.search(2, "refund") + "\n"
        let m = try OnboardingMetricsTests.read(text, health: health)
        #expect(m.diagnostics.map { "\($0.location!.line): \($0.message)" } == ["2: skipped event: line longer than 64 KiB"])
        #expect(m.searches.first?.top.first?.searches == 2)
        // The splitter never holds more than the limit of a line, however the bytes arrive.
        var splitter = EventLog.LineSplitter()
        var lines = 0
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: 1 << 16) {
            bytes[start..<min(start + (1 << 16), bytes.count)].withUnsafeBufferPointer { piece in
                splitter.feed(piece) { _, _ in lines += 1 }
            }
            #expect(splitter.pending.capacity <= 2 * EventLog.maxLineBytes)
        }
        #expect(lines == 3)
    }
}
