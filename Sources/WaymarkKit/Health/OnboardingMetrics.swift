/// The onboarding figures computed from event logs (schema v1, docs/analytics.md) against the site's
/// routes: per route and language the funnel, completion rates, time to value and to completion, the
/// drop-off step and the most ticked and skipped items; per language the searches; per page the votes.
///
/// Every figure counts distinct readers (the anonymous per-browser id), never events, so a reader who
/// reloads a step ten times counts once.
public struct OnboardingMetrics: Sendable {
    /// Version of the `onboarding` part of `report --format json`; raised on an incompatible change.
    public static let formatVersion = 1
    /// The highest event schema version this reader understands.
    public static let schemaVersion = 1

    /// Durations in milliseconds over the readers that have one. Percentiles are nearest-rank: the
    /// median of 1, 2, 3, 10 is 2 and the p90 is 10, always a duration some reader took.
    public struct Durations: Sendable, Equatable {
        public var readers: Int
        public var median: Int64
        public var p90: Int64
    }

    public struct StepFigures: Sendable {
        public var key: String
        public var title: String
        public var stage: String
        /// Readers with any event on the step (viewed, item ticked or unticked, completed).
        public var reached: Int
        /// Readers who completed it (every item ticked).
        public var completed: Int
    }

    public struct StageFigures: Sendable {
        public var id: String
        public var title: String
        /// Readers who reached any of its steps or completed it.
        public var reached: Int
        public var completed: Int
    }

    public struct ItemFigure: Sendable, Equatable {
        public var id: String
        public var text: String
        public var readers: Int
    }

    /// The largest loss of readers between two consecutive steps of the funnel.
    public struct DropOff: Sendable, Equatable {
        /// Index into `steps` of the step before the loss; the loss is on the way to the next one.
        public var after: Int
        public var lost: Int
    }

    public struct RouteFigures: Sendable {
        public var segment: String
        public var segmentTitle: String
        public var language: String
        public var rightToLeft: Bool
        /// Readers with any event of this route.
        public var readers: Int
        /// Readers with `route_started`, and those of them with `route_completed`.
        public var started: Int
        public var completed: Int
        public var steps: [StepFigures]
        public var stages: [StageFigures]
        /// The stage time to value is measured to (see `OnboardingOutline.Route.firstValueStage`).
        public var firstValueStage: String?
        /// From a reader's first `route_started` to their first `stage_completed` of the first-value
        /// stage, and to their first `route_completed`.
        public var timeToValue: Durations?
        public var timeToComplete: Durations?
        public var dropOff: DropOff?
        /// Items by readers who ever ticked them, most first (at most `topItems`).
        public var mostTicked: [ItemFigure]
        /// Items by readers who reached a later step while the item's last state was not ticked.
        public var mostSkipped: [ItemFigure]
    }

    /// One query's counts. Queries are counted in bounded memory (`queryCounters` per language and
    /// count, see `SpaceSaving`): a count is never lower than the truth and at most `maxError` higher.
    public struct QueryFigure: Sendable, Equatable {
        /// Trimmed, lower-cased, NFC, at most `EventQuery.maxCharacters` characters.
        public var query: String
        public var searches: Int
        public var zeroResults: Int
        /// `search_result_opened` events for the query.
        public var opened: Int
        /// The query was longer and `query` is its beginning (queries with that beginning count together).
        public var truncated = false
        /// How much each count may exceed the true count; 0: the counts are exact.
        public var maxError = 0

        public var exact: Bool { maxError == 0 }
    }

    public struct LanguageSearches: Sendable {
        public var language: String
        public var searches: Int
        public var zeroResultSearches: Int
        /// Most searched queries (at most `topQueries`), and the most searched of those that found nothing.
        public var top: [QueryFigure]
        public var zeroResult: [QueryFigure]
        /// At most `queryCounters` distinct queries of each kind were met: every query count is exact.
        public var exact = true
    }

    /// Votes on one page: each reader's last vote counts.
    public struct PageVotes: Sendable, Equatable {
        public var page: String
        public var title: String?
        public var helpful: Int
        public var notHelpful: Int
    }

    /// Events naming a language, segment, step, stage, item or page the site does not have (content
    /// changed since, or a language without that route): counted, not fatal.
    public struct Unknown: Sendable, Equatable {
        public var language: String
        /// Empty for a search, vote or fallback event (no route).
        public var segment: String
        /// The unknown step, stage, item id or voted page; empty when the route or language itself is
        /// unknown.
        public var id: String
        public var events: Int
    }

    public static let topItems = 5
    public static let topQueries = 10
    /// Space-Saving counters per language for searches, zero-result searches and opened results: a
    /// count is at most N / queryCounters too high, N being that language's total of the kind.
    public static let queryCounters = 1000
    /// Longest `reader` (the page makes 32 hex digits) and other id or path value, in bytes as written
    /// in the line; a longer one makes the line bad. Queries are cut instead (`EventQuery`).
    public static let maxReaderBytes = 128
    public static let maxValueBytes = 1024
    /// Distinct unknown event names, and unknown languages, segments, steps, stages, items and pages,
    /// listed one by one; events for further ones are only counted.
    public static let maxUnknownListed = 100
    /// Bad lines reported one by one; the rest are counted in a last diagnostic.
    public static let reportedBadLines = 50

    public var files: [String] = []
    /// Lines read (blank lines aside), events used, and bad lines.
    public var lines = 0
    public var events = 0
    /// Of `events`, those the embeddable widget sent (`source: "embed"`, docs/embed.md).
    public var embedEvents = 0
    public var badLines = 0
    /// Events per name in schema order, then names this version does not know (counted and skipped).
    public var eventCounts: [(name: String, count: Int)] = []
    public var unknownEvents: [(name: String, count: Int)] = []
    public var unknownEventsNotListed = 0
    public var routes: [RouteFigures] = []
    public var searches: [LanguageSearches] = []
    public var helpfulness: [PageVotes] = []
    public var fallbacksShown: [(language: String, count: Int)] = []
    public var unknownTargets: [Unknown] = []
    /// Events for unknown content beyond the first `maxUnknownListed` distinct targets.
    public var unknownTargetsNotListed = 0
    /// Bad lines (warnings at `file:line`) and unreadable files (errors).
    public var diagnostics: [Diagnostic] = []
}

extension OnboardingMetrics {
    /// Reads every file (`-`: standard input) in turn and computes the figures against `outline`.
    public static func read(_ files: [String], outline: OnboardingOutline) -> OnboardingMetrics {
        let counter = EventCounter(outline)
        for file in files { counter.read(file) }
        return counter.figures()
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Int64], _ p: Double) -> Int64 {
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }
}

/// Milliseconds since 1970 of `2026-12-02T17:30:00.123Z` (fraction optional, 1–9 digits, `Z` required:
/// collectors store UTC), or nil when the text is not such a time or not a real date.
func parseEventTime(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard b.count >= 20 else { return nil }
    func digits(_ from: Int, _ n: Int) -> Int? {
        var v = 0
        for k in from..<(from + n) {
            let c = b[k]
            guard c >= 0x30, c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }
    guard let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2), b[7] == UInt8(ascii: "-"), let day = digits(8, 2),
        b[10] == UInt8(ascii: "T"), let hour = digits(11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(14, 2), b[16] == UInt8(ascii: ":"),
        let second = digits(17, 2)
    else { return nil }
    var k = 19
    var millis = 0
    if b[k] == UInt8(ascii: ".") {
        k += 1
        let start = k
        while k < b.count, b[k] >= 0x30, b[k] <= 0x39 {
            if k - start < 3 { millis = millis * 10 + Int(b[k] - 0x30) }
            k += 1
        }
        guard k - start >= 1, k - start <= 9 else { return nil }
        var kept = k - start
        while kept < 3 {
            millis *= 10
            kept += 1
        }
    }
    guard k == b.count - 1, b[k] == UInt8(ascii: "Z") else { return nil }
    guard (1...12).contains(month), hour < 24, minute < 60, second < 60 else { return nil }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    guard day >= 1, day <= monthDays else { return nil }
    // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = month <= 2 ? year - 1 : year
    let era = y / 400
    let yoe = y - era * 400
    let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    return Int64(((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + Int64(millis)
}
