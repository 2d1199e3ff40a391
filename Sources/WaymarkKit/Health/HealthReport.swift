/// The content-health report: an HTML page of inline SVG charts drawn here (no chart library, no
/// external requests, readable offline and in CI artifacts), and the same figures as JSON.
public enum HealthReport {
    /// The figures as JSON (`version` 1); with event logs read, `onboarding` holds their figures (its own
    /// `version`, see docs/analytics.md).
    public static func json(_ h: HealthData, diagnostics: [Diagnostic], onboarding: OnboardingMetrics? = nil) -> String {
        var fields: [(String, JSON)] = [
            ("version", .int(1)),
            ("today", .string(h.today.iso)),
            ("defaultLanguage", .string(h.defaultLanguage)),
            ("errors", .int(diagnostics.filter { $0.severity == .error }.count)),
            ("warnings", .int(diagnostics.filter { $0.severity == .warning }.count)),
            (
                "translationCoverage",
                .array(
                    h.languages.map {
                        .object([("language", .string($0.code)), ("translated", .int($0.translated)), ("total", .int($0.total))])
                    })
            ),
            ("stages", .array(h.stages.map { .string($0.id) })),
            ("guidesBySegmentAndStage", .object(zip(h.segments, h.cells).map { ($0.0.id, .array($0.1.map(JSON.int))) })),
            ("routeMinutes", .object(h.routes.map { ($0.segment, .array($0.minutes.map(JSON.int))) })),
            (
                "staleArticles",
                .array(
                    h.stale.map {
                        .object([
                            ("file", .string($0.path)), ("title", .string($0.title)), ("reviewed", $0.reviewed.map { .string($0.iso) } ?? .null),
                            ("ageDays", .int($0.ageDays)), ("reviewEveryDays", .int($0.limitDays)),
                        ])
                    })
            ),
            ("brokenLinks", .object(h.brokenLinks.map { ($0.folder, .int($0.count)) })),
            ("orphanArticles", .array(h.orphans.map(JSON.string))),
            ("duplicateTitles", .array(h.duplicateTitles.map(JSON.string))),
        ]
        if let onboarding { fields.append(("onboarding", json(onboarding))) }
        return JSON.object(fields).encoded(pretty: true)
    }

    /// Escaped message text with its `quoted` parts (keys, values, commands) as `<code>`: terminals show
    /// the backticks, the page shows code. An unpaired backtick stays as it is.
    static func codeSpans(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        let spans = (parts.count - 1) / 2
        var out = ""
        for (i, part) in parts.enumerated() {
            let escaped = HTML.escape(String(part))
            if i % 2 == 1, i < 2 * spans { out += "<code>" + escaped + "</code>" } else if i == 2 * spans + 1 { out += "`" + escaped } else { out += escaped }
        }
        return out
    }

    /// The report as a page, through `templates/report.mustache` like every other page; the charts are
    /// SVG drawn here (their text escaped as they are drawn).
    public static func html(
        _ h: HealthData, diagnostics: [Diagnostic], formatter: DiagnosticFormatter, templates: TemplateSet, onboarding: OnboardingMetrics? = nil
    ) throws -> String {
        guard templates.has("report") else { throw TemplateSet.Missing(name: "report") }
        var charts: [[String: Any]] = []
        func chart(_ title: String, _ caption: String, _ svg: String) { charts.append(["title": title, "caption": caption, "svg": svg]) }
        chart(
            "Translation coverage", "Share of the \(h.defaultLanguage) articles and guides that exist in each language.",
            bars(
                h.languages.map {
                    (
                        $0.name + " (\($0.code))", Double($0.translated), Double(max($0.total, 1)),
                        "\(percent($0.translated, $0.total)) · \($0.translated)/\($0.total)"
                    )
                }, color: "#2f6fb3"))
        chart("Guides per segment and stage", "Onboarding steps in the default language; an empty cell is a stage a segment's route skips.", heatmap(h))
        chart("Route length", "Minutes of each segment's route, by stage.", stacked(h))
        chart("Article review age", "Articles by days since they were reviewed (or updated); orange bars are past their review interval.", histogram(h))
        let brokenTotal = h.brokenLinks.reduce(0) { $0 + $1.count }
        chart(
            "Broken links", brokenTotal == 0 ? "No broken links or anchors." : "\(brokenTotal) broken links and anchors, by folder.",
            brokenTotal == 0
                ? ""
                : bars(h.brokenLinks.map { ($0.folder, Double($0.count), Double(h.brokenLinks.map(\.count).max() ?? 1), String($0.count)) }, color: "#b3261e"))
        var context: [String: Any] = [
            "siteTitle": h.siteTitle,
            "today": h.today.iso,
            "errors": diagnostics.filter { $0.severity == .error }.count,
            "warnings": diagnostics.filter { $0.severity == .warning }.count,
            "charts": charts,
            "hasStale": !h.stale.isEmpty,
            "stale": h.stale.map {
                [
                    "title": $0.title, "path": $0.path, "reviewed": $0.reviewed?.iso ?? "never", "age": $0.ageDays < 0 ? "–" : String($0.ageDays),
                    "limit": String($0.limitDays),
                ] as [String: Any]
            },
            "hasFindings": !diagnostics.isEmpty,
            "findings": diagnostics.map { d -> [String: Any] in
                var place = formatter.path(of: d).map { DiagnosticFormatter.visible($0) } ?? ""
                if !place.isEmpty, let l = d.location { place += ":\(l.line):\(l.column)" }
                return [
                    "severity": d.severity.rawValue, "where": place, "message": Self.codeSpans(DiagnosticFormatter.visible(d.message, keepingNewlines: true)),
                ]
            },
        ]
        if let onboarding { context["onboarding"] = Self.context(onboarding) }
        return templates.render("report", context)
    }

    static func percent(_ a: Int, _ b: Int) -> String { b == 0 ? "–" : "\(Int((Double(a) * 100 / Double(b)).rounded()))%" }

    static func number(_ x: Double) -> String { String(Int(x.rounded())) }

    /// Horizontal bars: (label, value, maximum, text shown after the bar). Labels in a right-to-left
    /// language are drawn as RTL text, still ending at the bars, so Persian titles read correctly.
    static func bars(_ rows: [(String, Double, Double, String)], color: String, rightToLeft: Bool = false) -> String {
        let width = 640.0
        let labelWidth = 170.0
        let barArea = 330.0
        let rowHeight = 30.0
        let maxLabel = 22
        var svg =
            "<svg role=\"img\" viewBox=\"0 0 \(number(width)) \(number(Double(rows.count) * rowHeight + 10))\" width=\"100%\" aria-label=\"\(HTML.escape(rows.map { "\($0.0): \($0.3)" }.joined(separator: "; ")))\">"
        for (i, row) in rows.enumerated() {
            let y = Double(i) * rowHeight + 5
            let w = row.2 > 0 ? max(2, barArea * row.1 / row.2) : 0
            let label = rightToLeft ? "direction=\"rtl\" text-anchor=\"start\"" : "text-anchor=\"end\""
            // A label wider than its column is cut with an ellipsis; the full text stays as its tooltip.
            var shown = row.0
            if shown.count > maxLabel {
                var cut = shown.prefix(maxLabel - 1)
                while cut.last?.isWhitespace == true { cut.removeLast() }
                shown = cut + "…"
            }
            let tooltip = shown == row.0 ? "" : "<title>\(HTML.escape(row.0))</title>"
            svg += "<text x=\"\(number(labelWidth - 8))\" y=\"\(number(y + 19))\" \(label)>\(tooltip)\(HTML.escape(shown))</text>"
            svg += "<rect x=\"\(number(labelWidth))\" y=\"\(number(y + 4))\" width=\"\(number(barArea))\" height=\"20\" fill=\"#e8ecf2\" rx=\"3\"/>"
            svg += "<rect x=\"\(number(labelWidth))\" y=\"\(number(y + 4))\" width=\"\(number(w))\" height=\"20\" fill=\"\(color)\" rx=\"3\"/>"
            svg += "<text x=\"\(number(labelWidth + barArea + 10))\" y=\"\(number(y + 19))\">\(HTML.escape(row.3))</text>"
        }
        return svg + "</svg>"
    }

    static func heatmap(_ h: HealthData) -> String {
        let cell = 96.0
        let labelWidth = 170.0
        let header = 30.0
        let maxCount = max(1, h.cells.flatMap { $0 }.max() ?? 1)
        var svg =
            "<svg role=\"img\" viewBox=\"0 0 \(number(labelWidth + cell * Double(h.stages.count) + 10)) \(number(header + 40 * Double(h.segments.count) + 10))\" width=\"100%\" aria-label=\"Guides per segment and stage\">"
        for (j, stage) in h.stages.enumerated() {
            svg += "<text x=\"\(number(labelWidth + cell * Double(j) + cell / 2))\" y=\"20\" text-anchor=\"middle\">\(HTML.escape(stage.title))</text>"
        }
        for (i, segment) in h.segments.enumerated() {
            let y = header + 40 * Double(i)
            svg += "<text x=\"\(number(labelWidth - 8))\" y=\"\(number(y + 25))\" text-anchor=\"end\">\(HTML.escape(segment.title))</text>"
            for (j, count) in h.cells[i].enumerated() {
                let shade =
                    count == 0
                    ? "#fbe3e1"
                    : "rgb(\(Int(214 - 150 * Double(count) / Double(maxCount))),\(Int(230 - 90 * Double(count) / Double(maxCount))),\(Int(250 - 60 * Double(count) / Double(maxCount))))"
                let x = labelWidth + cell * Double(j)
                svg +=
                    "<rect x=\"\(number(x + 2))\" y=\"\(number(y + 2))\" width=\"\(number(cell - 4))\" height=\"36\" rx=\"4\" fill=\"\(shade)\"><title>\(HTML.escape(segment.title)) · \(HTML.escape(h.stages[j].title)): \(count)</title></rect>"
                svg +=
                    "<text x=\"\(number(x + cell / 2))\" y=\"\(number(y + 25))\" text-anchor=\"middle\" class=\"\(count == 0 ? "empty" : "")\">\(count == 0 ? "none" : String(count))</text>"
            }
        }
        return svg + "</svg>"
    }

    static let palette = ["#2f6fb3", "#3f9c6d", "#c28a12", "#8a4fb3", "#b3261e", "#2a8c8c"]

    static func stacked(_ h: HealthData) -> String {
        let labelWidth = 170.0
        let barArea = 360.0
        let rowHeight = 32.0
        let longest = Double(max(1, h.routes.map { $0.minutes.reduce(0, +) }.max() ?? 1))
        var svg =
            "<svg role=\"img\" viewBox=\"0 0 640 \(number(Double(h.routes.count) * rowHeight + 40))\" width=\"100%\" aria-label=\"\(HTML.escape(h.routes.map { "\($0.title): \($0.minutes.reduce(0, +)) minutes" }.joined(separator: "; ")))\">"
        for (i, route) in h.routes.enumerated() {
            let y = Double(i) * rowHeight + 5
            svg += "<text x=\"\(number(labelWidth - 8))\" y=\"\(number(y + 19))\" text-anchor=\"end\">\(HTML.escape(route.title))</text>"
            var x = labelWidth
            for (j, minutes) in route.minutes.enumerated() where minutes > 0 {
                let w = barArea * Double(minutes) / longest
                svg +=
                    "<rect x=\"\(number(x))\" y=\"\(number(y + 4))\" width=\"\(number(w))\" height=\"20\" fill=\"\(palette[j % palette.count])\"><title>\(HTML.escape(h.stages[j].title)): \(minutes) min</title></rect>"
                x += w
            }
            svg += "<text x=\"\(number(x + 8))\" y=\"\(number(y + 19))\">\(route.minutes.reduce(0, +)) min</text>"
        }
        var lx = labelWidth
        let ly = Double(h.routes.count) * rowHeight + 22
        for (j, stage) in h.stages.enumerated() {
            svg +=
                "<rect x=\"\(number(lx))\" y=\"\(number(ly - 10))\" width=\"12\" height=\"12\" fill=\"\(palette[j % palette.count])\"/><text x=\"\(number(lx + 16))\" y=\"\(number(ly))\">\(HTML.escape(stage.title))</text>"
            lx += 110
        }
        return svg + "</svg>"
    }

    static func histogram(_ h: HealthData) -> String {
        let buckets: [(String, ClosedRange<Int>)] = [
            ("< 3 months", 0...89), ("3–6 months", 90...179), ("6–12 months", 180...364), ("1–2 years", 365...729), ("> 2 years", 730...Int.max - 1),
        ]
        var counts = buckets.map { b in h.ages.filter { b.1.contains($0) }.count }
        let never = h.ages.filter { $0 < 0 }.count
        var labels = buckets.map(\.0)
        if never > 0 {
            counts.append(never)
            labels.append("never")
        }
        let tallest = Double(max(1, counts.max() ?? 1))
        let limit = h.stale.map(\.limitDays).min() ?? 365
        let chartHeight = 160.0
        let barWidth = 80.0
        var svg =
            "<svg role=\"img\" viewBox=\"0 0 \(number(Double(counts.count) * (barWidth + 20) + 40)) \(number(chartHeight + 70))\" width=\"100%\" aria-label=\"\(HTML.escape(zip(labels, counts).map { "\($0.0): \($0.1)" }.joined(separator: "; ")))\">"
        for (i, count) in counts.enumerated() {
            let x = 20 + Double(i) * (barWidth + 20)
            let height = chartHeight * Double(count) / tallest
            let late = i >= buckets.count || buckets[i].1.lowerBound >= limit || (buckets[i].1.upperBound > limit && i > 0)
            svg +=
                "<rect x=\"\(number(x))\" y=\"\(number(24 + chartHeight - height))\" width=\"\(number(barWidth))\" height=\"\(number(height))\" fill=\"\(late ? "#d9822b" : "#3f9c6d")\"/>"
            svg += "<text x=\"\(number(x + barWidth / 2))\" y=\"\(number(19 + chartHeight - height))\" text-anchor=\"middle\">\(count)</text>"
            svg += "<text x=\"\(number(x + barWidth / 2))\" y=\"\(number(chartHeight + 44))\" text-anchor=\"middle\">\(HTML.escape(labels[i]))</text>"
        }
        return svg + "</svg>"
    }
}
