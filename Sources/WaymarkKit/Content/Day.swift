/// A calendar date without time or zone, as writers type it (`2026-10-14`).
///
/// Pages never carry wall-clock time, which keeps builds reproducible; age computations take "today"
/// as an injected `Day`.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Day.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Accepts `YYYY-MM-DD`, optionally followed by a time (`2026-10-14T09:00:00Z`), whose time is ignored.
    public init?(iso: String) {
        let parts = iso.trimmingSpaces.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        let rest = iso.trimmingSpaces.dropFirst(10)
        guard rest.isEmpty || rest.first == "T" || rest.first == " " else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var iso: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public var description: String { iso }

    /// Days since 1970-01-01 (proleptic Gregorian), for differences between dates.
    public var ordinal: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

/// Text that may differ per language: written in YAML either as a plain string (the same for every
/// language) or as a map from language code to string.
public struct LocalizedString: Hashable, Sendable {
    public var values: [String: String]
    /// Set when written as a plain string: used for every language.
    public var common: String?

    public init(_ common: String) {
        self.common = common
        self.values = [:]
    }

    public init(values: [String: String]) {
        self.values = values
        self.common = nil
    }

    /// The text for `language`, else the default language's, else the alphabetically first one, so a
    /// missing translation never produces an empty title.
    public func resolve(_ language: String, fallback: String) -> String {
        if let common { return common }
        if let v = values[language] { return v }
        if let v = values[fallback] { return v }
        return values.keys.sorted().first.flatMap { values[$0] } ?? ""
    }

    public func has(_ language: String) -> Bool { common != nil || values[language] != nil }
}
