import Foundation

/// Reads events one line at a time and keeps, per reader and route, only what the figures need: first
/// start, first-value and completion times, which steps were reached and completed, which stages were
/// completed, and each item's last state. Memory grows with distinct readers only, never with the number
/// of events or with other values a log may hold: every table keyed by such a value is either limited to
/// the site's own languages, routes and pages (other values are counted as unknown content, itself
/// capped), or bounded (queries: a Space-Saving summary per language; long values: bad lines). Lines are
/// read in place, strings are numbered by their bytes.
///
/// One counter is used by one thread; its state skips Swift's run-time exclusivity checks, which took a
/// tenth of the time of reading a log (each event touches a dozen of these properties).
final class EventCounter {
    enum Kind: Int, CaseIterable {
        case routeStarted, stepViewed, itemTicked, itemUnticked, stepCompleted, stageCompleted, routeCompleted
        case searchPerformed, searchResultOpened, feedbackGiven, fallbackShown

        /// The name in events (`route_started`).
        var name: String {
            String(describing: self).unicodeScalars.reduce(into: "") { out, c in
                if c.properties.isUppercase { out += "_" + String(c).lowercased() } else { out.unicodeScalars.append(c) }
            }
        }
    }

    /// One route's ids as numbers of `names`, for lookups without strings (a class: read for every event
    /// without copying its tables).
    final class Shape {
        var stepOf: [Int: Int] = [:]
        var stageOf: [Int: Int] = [:]
        var itemOf: [Int: Int] = [:]
        /// Step of each item (items are numbered across the route, in step order).
        var itemStep: [Int] = []
        var stepWords = 0
        var stageWords = 0
        var firstValue: Int?
        var wordsPerReader: Int { 2 * stepWords + stageWords }
    }

    private let outline: OnboardingOutline
    @exclusivity(unchecked) private var shapes: [Shape] = []
    /// Segments, languages, steps, stages, items, pages and event names.
    @exclusivity(unchecked) private var names = ByteInterner()
    @exclusivity(unchecked) private var readers = ByteInterner()
    @exclusivity(unchecked) private var kindOf: [Int: Kind] = [:]
    /// Name → index into `outline.languages`, and page name → its path (the site's published pages).
    @exclusivity(unchecked) private var languageOf: [Int: Int] = [:]
    @exclusivity(unchecked) private var pages: Set<Int> = []
    /// (segment << 32 | language) → route.
    @exclusivity(unchecked) private var routeOf: [Int: Int] = [:]

    // Per reader and route ("journey"): route, first start, first value, first completion, and where its
    // bits (reached steps, completed steps, completed stages) and item states start.
    @exclusivity(unchecked) private var journeyOf: [Int: Int32] = [:]
    @exclusivity(unchecked) private var journeyRoute: [Int32] = []
    @exclusivity(unchecked) private var started: [Int64] = []
    @exclusivity(unchecked) private var valued: [Int64] = []
    @exclusivity(unchecked) private var finished: [Int64] = []
    @exclusivity(unchecked) private var bitsAt: [Int] = []
    @exclusivity(unchecked) private var itemsAt: [Int] = []
    @exclusivity(unchecked) private var bits: [UInt64] = []
    /// Time of an item's last tick or untick (`never` when neither), and its flags.
    @exclusivity(unchecked) private var itemTime: [Int64] = []
    @exclusivity(unchecked) private var itemFlags: [UInt8] = []
    private static let never = Int64.max
    private static let tickedNow: UInt8 = 1
    private static let tickedEver: UInt8 = 2

    /// Per language of the site: queries by searches, by zero-result searches and by results opened.
    @exclusivity(unchecked) private var queries: [QueryCounts]
    /// (reader << 32 | page) → time << 1 | helpful, the reader's last vote on the page.
    @exclusivity(unchecked) private var votes: [Int: Int64] = [:]
    /// Per language of the site.
    @exclusivity(unchecked) private var fallbacks: [Int]
    @exclusivity(unchecked) private var kindCounts = [Int](repeating: 0, count: Kind.allCases.count)
    @exclusivity(unchecked) private var unknownNames: [String: Int] = [:]
    @exclusivity(unchecked) private var unknownTargets: [String: Int] = [:]
    /// Events for names and targets beyond the first `OnboardingMetrics.maxUnknownListed`.
    @exclusivity(unchecked) private var unknownNamesNotListed = 0
    @exclusivity(unchecked) private var unknownTargetsNotListed = 0

    struct QueryCounts {
        var searches = SpaceSaving<EventQuery>(capacity: OnboardingMetrics.queryCounters)
        var zero = SpaceSaving<EventQuery>(capacity: OnboardingMetrics.queryCounters)
        var opened = SpaceSaving<EventQuery>(capacity: OnboardingMetrics.queryCounters)
    }

    @exclusivity(unchecked) private var line = EventLine()
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    @exclusivity(unchecked) private var metrics = OnboardingMetrics()

    init(_ outline: OnboardingOutline) {
        self.outline = outline
        queries = Array(repeating: QueryCounts(), count: outline.languages.count)
        fallbacks = Array(repeating: 0, count: outline.languages.count)
        for (n, language) in outline.languages.enumerated() { languageOf[names.id(language)] = n }
        for page in outline.pageTitles.keys { pages.insert(names.id(page)) }
        for kind in Kind.allCases {
            let id = names.id(kind.name)
            kindOf[id] = kind
        }
        for (r, route) in outline.routes.enumerated() {
            routeOf[names.id(route.segment) << 32 | names.id(route.language)] = r
            let shape = Shape()
            for (s, stage) in route.stages.enumerated() { shape.stageOf[names.id(stage.id)] = s }
            for (s, step) in route.steps.enumerated() {
                shape.stepOf[names.id(step.key)] = s
                for item in step.items {
                    shape.itemOf[names.id(item.id)] = shape.itemStep.count
                    shape.itemStep.append(s)
                }
            }
            shape.stepWords = (route.steps.count + 63) / 64
            shape.stageWords = (route.stages.count + 63) / 64
            shape.firstValue = route.firstValueStage
            shapes.append(shape)
        }
    }

    func read(_ file: String) {
        read(file) { body throws(EventLog.Failure) in try EventLog.forEachLine(file, body) }
    }

    /// Reads a log held in memory, as `read` reads a file (the fuzz target).
    func read(bytes: [UInt8]) {
        read("input") { body throws(EventLog.Failure) in try EventLog.forEachLine(in: bytes, body) }
    }

    private func read(_ file: String, _ lines: (EventLog.LineHandler) throws(EventLog.Failure) -> Void) {
        metrics.files.append(file)
        do throws(EventLog.Failure) {
            try lines { bytes, number in take(bytes, number, file) }
        } catch {
            metrics.diagnostics.append(Diagnostic(.error, "unreadable-events", error.description, file: file, root: .events))
        }
    }

    private func take(_ bytes: UnsafeBufferPointer<UInt8>?, _ number: Int, _ file: String) {
        guard let bytes else {
            bad(file, number, "line longer than \(EventLog.maxLineBytes / 1024) KiB")
            return
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        metrics.lines += 1
        do throws(EventLine.Invalid) {
            try take(bytes)
        } catch {
            bad(file, number, error.reason)
        }
    }

    private func bad(_ file: String, _ number: Int, _ reason: String) {
        metrics.badLines += 1
        if metrics.badLines <= OnboardingMetrics.reportedBadLines {
            metrics.diagnostics.append(
                Diagnostic(.warning, "bad-event", "skipped event: \(reason)", file: file, at: SourceLocation(line: number, column: 1), root: .events))
        }
    }

    private typealias Invalid = EventLine.Invalid

    private func string(_ field: EventLine.Field) throws(Invalid) -> EventLine.Value {
        let value = line[field]
        switch value {
        case .string(let start, let end, _):
            // A query is cut instead (`EventQuery`); the other values are ids and paths.
            let limit = field == .reader ? OnboardingMetrics.maxReaderBytes : OnboardingMetrics.maxValueBytes
            if field != .query, end - start > limit { throw Invalid(reason: "`\(field.name)` is longer than \(limit) bytes") }
            return value
        case .absent: throw Invalid(reason: "missing field `\(field.name)`")
        default: throw Invalid(reason: "`\(field.name)` must be a string, not \(value.typeName)")
        }
    }

    private func integer(_ field: EventLine.Field, atLeast minimum: Int) throws(Invalid) -> Int {
        let value = line[field]
        switch value {
        case .number(let n?) where n >= minimum: return n
        case .absent: throw Invalid(reason: "missing field `\(field.name)`")
        default: throw Invalid(reason: "`\(field.name)` must be an integer of at least \(minimum), not \(value.typeName)")
        }
    }

    private func id(_ value: EventLine.Value, in interner: inout ByteInterner, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        EventLine.withBytes(value, in: bytes, scratch: &scratch) { interner.id($0) }!
    }

    private func existing(_ value: EventLine.Value, _ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        EventLine.withBytes(value, in: bytes, scratch: &scratch) { names.existing($0) } ?? nil
    }

    /// Checks one line against the schema and counts it; throws the reason a line is bad.
    private func take(_ bytes: UnsafeBufferPointer<UInt8>) throws(Invalid) {
        try line.parse(bytes)
        switch line[.v] {
        case .number(let v?) where v == OnboardingMetrics.schemaVersion: break
        case .number(let v?) where v > OnboardingMetrics.schemaVersion:
            throw Invalid(reason: "schema version \(v) is newer than this waymark reads (\(OnboardingMetrics.schemaVersion))")
        case .absent: throw Invalid(reason: "missing field `v`")
        default: throw Invalid(reason: "`v` must be the integer \(OnboardingMetrics.schemaVersion)")
        }
        let event = try string(.event)
        guard let kind = existing(event, bytes).flatMap({ kindOf[$0] }) else {
            let name = EventLine.text(event, in: bytes)!
            if unknownNames[name] != nil || unknownNames.count < OnboardingMetrics.maxUnknownListed {
                unknownNames[name, default: 0] += 1
            } else {
                unknownNamesNotListed += 1
            }
            return
        }
        let timeValue = try string(.time)
        guard let time = EventLine.withBytes(timeValue, in: bytes, scratch: &scratch, parseEventTime) ?? nil else {
            throw Invalid(reason: "`time` is not an ISO 8601 UTC time such as 2026-12-02T17:30:00.123Z")
        }
        let reader = try string(.reader)
        if case .string(let s, let e, _) = reader, s == e { throw Invalid(reason: "`reader` is empty") }
        let lang = try string(.lang)
        let page = try string(.page)
        // Where the event happened: absent on the site's pages, "embed" from the widget (embed.js).
        var embedded = false
        if line[.source] != .absent {
            embedded = EventLine.withBytes(try string(.source), in: bytes, scratch: &scratch) { $0.elementsEqual("embed".utf8) }!
        }
        switch kind {
        case .routeStarted, .stepViewed, .itemTicked, .itemUnticked, .stepCompleted, .stageCompleted, .routeCompleted:
            try route(kind, time: time, reader: reader, lang: lang, bytes)
        case .searchPerformed:
            let query = try string(.query)
            let results = try integer(.results, atLeast: 0)
            if line[.filters] != .absent, line[.filters] != .object { throw Invalid(reason: "`filters` must be an object") }
            guard let l = language(lang, bytes) else { break }
            let q = EventLine.withBytes(query, in: bytes, scratch: &scratch, EventQuery.init)!
            queries[l].searches.add(q)
            if results == 0 { queries[l].zero.add(q) }
        case .searchResultOpened:
            let query = try string(.query)
            _ = try integer(.rank, atLeast: 1)
            _ = try string(.target)
            guard let l = language(lang, bytes) else { break }
            queries[l].opened.add(EventLine.withBytes(query, in: bytes, scratch: &scratch, EventQuery.init)!)
        case .feedbackGiven:
            guard case .bool(let helpful) = line[.helpful] else {
                throw Invalid(reason: line[.helpful] == .absent ? "missing field `helpful`" : "`helpful` must be true or false")
            }
            guard language(lang, bytes) != nil else { break }
            guard let p = existing(page, bytes), pages.contains(p) else {
                unknown(lang, nil, page, bytes)
                break
            }
            let key = id(reader, in: &readers, bytes) << 32 | p
            if let previous = votes[key], previous >> 1 > time { break }
            votes[key] = time << 1 | (helpful ? 1 : 0)
        case .fallbackShown:
            _ = try string(.from)
            guard let l = language(lang, bytes) else { break }
            fallbacks[l] += 1
        }
        kindCounts[kind.rawValue] += 1
        metrics.events += 1
        if embedded { metrics.embedEvents += 1 }
    }

    /// The index of the event's language among the site's; another language is unknown content.
    private func language(_ lang: EventLine.Value, _ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if let l = existing(lang, bytes).flatMap({ languageOf[$0] }) { return l }
        unknown(lang, nil, nil, bytes)
        return nil
    }

    /// Counts an event for a language, segment, step, stage, item or page the site does not have; only
    /// the first `maxUnknownListed` distinct ones are kept apart, so a log cannot grow this table.
    private func unknown(_ lang: EventLine.Value, _ segment: EventLine.Value?, _ id: EventLine.Value?, _ bytes: UnsafeBufferPointer<UInt8>) {
        let key = [lang, segment, id].map { $0.flatMap { EventLine.text($0, in: bytes) } ?? "" }.joined(separator: "\u{0}")
        if unknownTargets[key] != nil || unknownTargets.count < OnboardingMetrics.maxUnknownListed {
            unknownTargets[key, default: 0] += 1
        } else {
            unknownTargetsNotListed += 1
        }
    }

    private func route(_ kind: Kind, time: Int64, reader: EventLine.Value, lang: EventLine.Value, _ bytes: UnsafeBufferPointer<UInt8>) throws(Invalid) {
        let segment = try string(.segment)
        let step = kind == .stepViewed || kind == .stepCompleted || kind == .itemTicked || kind == .itemUnticked ? try string(.step) : nil
        let stage = step != nil || kind == .stageCompleted ? try string(.stage) : nil
        let item = kind == .itemTicked || kind == .itemUnticked ? try string(.item) : nil
        guard let s = existing(segment, bytes), let l = existing(lang, bytes), let r = routeOf[s << 32 | l] else {
            unknown(lang, segment, nil, bytes)
            return
        }
        let shape = shapes[r]
        let j = journey(id(reader, in: &readers, bytes), r)
        let base = bitsAt[j]
        switch kind {
        case .routeStarted: started[j] = min(started[j], time)
        case .routeCompleted: finished[j] = min(finished[j], time)
        case .stageCompleted:
            guard let k = existing(stage!, bytes).flatMap({ shape.stageOf[$0] }) else { return unknown(lang, segment, stage, bytes) }
            bits[base + 2 * shape.stepWords + k >> 6] |= 1 << UInt64(k & 63)
            if k == shape.firstValue { valued[j] = min(valued[j], time) }
        default:
            guard let k = existing(step!, bytes).flatMap({ shape.stepOf[$0] }) else { return unknown(lang, segment, step, bytes) }
            bits[base + k >> 6] |= 1 << UInt64(k & 63)
            if kind == .stepCompleted { bits[base + shape.stepWords + k >> 6] |= 1 << UInt64(k & 63) }
            guard let item else { return }
            guard let n = existing(item, bytes).flatMap({ shape.itemOf[$0] }) else { return unknown(lang, segment, item, bytes) }
            let at = itemsAt[j] + n
            if kind == .itemTicked { itemFlags[at] |= Self.tickedEver }
            // The latest event decides; on equal times the later line does.
            if itemTime[at] == Self.never || time >= itemTime[at] {
                itemTime[at] = time
                itemFlags[at] = kind == .itemTicked ? itemFlags[at] | Self.tickedNow : itemFlags[at] & ~Self.tickedNow
            }
        }
    }

    private func journey(_ reader: Int, _ route: Int) -> Int {
        let key = reader * shapes.count + route
        if let j = journeyOf[key] { return Int(j) }
        let j = journeyRoute.count
        journeyOf[key] = Int32(j)
        journeyRoute.append(Int32(route))
        started.append(Self.never)
        valued.append(Self.never)
        finished.append(Self.never)
        bitsAt.append(bits.count)
        bits.append(contentsOf: repeatElement(0, count: shapes[route].wordsPerReader))
        itemsAt.append(itemTime.count)
        itemTime.append(contentsOf: repeatElement(Self.never, count: shapes[route].itemStep.count))
        itemFlags.append(contentsOf: repeatElement(0, count: shapes[route].itemStep.count))
        return j
    }

    /// The figures from everything read so far, sorted so that the same events give the same report.
    func figures() -> OnboardingMetrics {
        var out = metrics
        if out.badLines > OnboardingMetrics.reportedBadLines {
            out.diagnostics.append(
                Diagnostic(
                    .warning, "bad-event", "\(out.badLines - OnboardingMetrics.reportedBadLines) more bad lines not listed (\(out.badLines) in all)",
                    file: out.files.first, root: .events))
        }
        out.eventCounts = Kind.allCases.map { ($0.name, kindCounts[$0.rawValue]) }
        out.unknownEvents = unknownNames.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        out.unknownEventsNotListed = unknownNamesNotListed
        out.unknownTargetsNotListed = unknownTargetsNotListed
        out.routes = routeFigures()
        out.searches = searchFigures()
        var pages: [Int: (yes: Int, no: Int)] = [:]
        for (key, vote) in votes {
            if vote & 1 == 1 { pages[key & 0xFFFF_FFFF, default: (0, 0)].yes += 1 } else { pages[key & 0xFFFF_FFFF, default: (0, 0)].no += 1 }
        }
        out.helpfulness = pages.map { id, v in
            let page = names.string(id)
            return OnboardingMetrics.PageVotes(page: page, title: outline.pageTitles[page], helpful: v.yes, notHelpful: v.no)
        }.sorted { $0.page < $1.page }
        out.fallbacksShown = zip(outline.languages, fallbacks).filter { $0.1 > 0 }.map { ($0.0, $0.1) }.sorted { $0.language < $1.language }
        out.unknownTargets = unknownTargets.map { key, count in
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            return OnboardingMetrics.Unknown(language: parts[0], segment: parts[1], id: parts[2], events: count)
        }.sorted { ($0.language, $0.segment, $0.id) < ($1.language, $1.segment, $1.id) }
        return out
    }

    private func routeFigures() -> [OnboardingMetrics.RouteFigures] {
        let n = outline.routes.count
        var readerCount = [Int](repeating: 0, count: n)
        var startedCount = readerCount
        var completedCount = readerCount
        var reached = outline.routes.map { [Int](repeating: 0, count: $0.steps.count) }
        var stepsDone = reached
        var stageReached = outline.routes.map { [Int](repeating: 0, count: $0.stages.count) }
        var stagesDone = stageReached
        var ticked = shapes.map { [Int](repeating: 0, count: $0.itemStep.count) }
        var skipped = ticked
        var toValue = [[Int64]](repeating: [], count: n)
        var toComplete = toValue
        for j in journeyRoute.indices {
            let r = Int(journeyRoute[j])
            let shape = shapes[r]
            let route = outline.routes[r]
            let base = bitsAt[j]
            func bit(_ word: Int, _ k: Int) -> Bool { bits[base + word + k >> 6] & (1 << UInt64(k & 63)) != 0 }
            readerCount[r] += 1
            if started[j] != Self.never {
                startedCount[r] += 1
                if finished[j] != Self.never {
                    completedCount[r] += 1
                    if finished[j] >= started[j] { toComplete[r].append(finished[j] - started[j]) }
                }
                if valued[j] != Self.never, valued[j] >= started[j] { toValue[r].append(valued[j] - started[j]) }
            }
            var last = -1
            var stageSeen = [Bool](repeating: false, count: route.stages.count)
            for s in route.steps.indices where bit(0, s) {
                reached[r][s] += 1
                last = s
                stageSeen[route.steps[s].stage] = true
                if bit(shape.stepWords, s) { stepsDone[r][s] += 1 }
            }
            for k in route.stages.indices {
                let done = bit(2 * shape.stepWords, k)
                if done || stageSeen[k] { stageReached[r][k] += 1 }
                if done { stagesDone[r][k] += 1 }
            }
            for (n, s) in shape.itemStep.enumerated() {
                let flags = itemFlags[itemsAt[j] + n]
                if flags & Self.tickedEver != 0 { ticked[r][n] += 1 }
                if s < last, flags & Self.tickedNow == 0 { skipped[r][n] += 1 }
            }
        }
        func durations(_ values: [Int64]) -> OnboardingMetrics.Durations? {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            return .init(readers: sorted.count, median: OnboardingMetrics.percentile(sorted, 0.5), p90: OnboardingMetrics.percentile(sorted, 0.9))
        }
        var out: [OnboardingMetrics.RouteFigures] = []
        for (r, route) in outline.routes.enumerated() where readerCount[r] > 0 {
            let items = route.steps.flatMap(\.items)
            func top(_ counts: [Int]) -> [OnboardingMetrics.ItemFigure] {
                // Most first; equal counts in route order.
                counts.indices.filter { counts[$0] > 0 }.sorted { (-counts[$0], $0) < (-counts[$1], $1) }.prefix(OnboardingMetrics.topItems).map {
                    .init(id: items[$0].id, text: items[$0].text, readers: counts[$0])
                }
            }
            var dropOff: OnboardingMetrics.DropOff?
            for s in route.steps.indices.dropLast() {
                let lost = reached[r][s] - reached[r][s + 1]
                if lost > 0, lost > dropOff?.lost ?? 0 { dropOff = .init(after: s, lost: lost) }
            }
            out.append(
                .init(
                    segment: route.segment, segmentTitle: route.segmentTitle, language: route.language, rightToLeft: route.rightToLeft, readers: readerCount[r],
                    started: startedCount[r],
                    completed: completedCount[r],
                    steps: route.steps.enumerated().map { s, step in
                        .init(key: step.key, title: step.title, stage: route.stages[step.stage].id, reached: reached[r][s], completed: stepsDone[r][s])
                    },
                    stages: route.stages.enumerated().map { k, stage in
                        .init(id: stage.id, title: stage.title, reached: stageReached[r][k], completed: stagesDone[r][k])
                    },
                    firstValueStage: route.firstValueStage.map { route.stages[$0].id }, timeToValue: durations(toValue[r]),
                    timeToComplete: durations(toComplete[r]), dropOff: dropOff, mostTicked: top(ticked[r]), mostSkipped: top(skipped[r])))
        }
        return out
    }

    private func searchFigures() -> [OnboardingMetrics.LanguageSearches] {
        let order = { (a: EventQuery, b: EventQuery) in (a.text, a.cut ? 1 : 0) < (b.text, b.cut ? 1 : 0) }
        return zip(outline.languages, queries).sorted { $0.0 < $1.0 }.compactMap { language, counts in
            guard counts.searches.total + counts.opened.total > 0 else { return nil }
            // A query's three counts from the three summaries; one a summary does not keep is at most its
            // minimum (0 while it has taken over no counter).
            func figure(_ q: EventQuery) -> OnboardingMetrics.QueryFigure {
                func find(_ s: SpaceSaving<EventQuery>) -> (count: Int, error: Int) {
                    s.entry(q).map { ($0.count, $0.error) } ?? (s.minimum, s.minimum)
                }
                let (searches, zero, opened) = (find(counts.searches), find(counts.zero), find(counts.opened))
                return .init(
                    query: q.text, searches: searches.count, zeroResults: zero.count, opened: opened.count, truncated: q.cut,
                    maxError: max(searches.error, zero.error, opened.error))
            }
            let n = OnboardingMetrics.topQueries
            return .init(
                language: language, searches: counts.searches.total, zeroResultSearches: counts.zero.total,
                top: counts.searches.top(n, by: order).map { figure($0.key) }, zeroResult: counts.zero.top(n, by: order).map { figure($0.key) },
                exact: !(counts.searches.evicted || counts.zero.evicted || counts.opened.evicted))
        }
    }
}
