import Foundation

/// The "Onboarding metrics" part of the content-health report (`report --events`): the same figures as
/// JSON for dashboards and as charts and tables on the page.
extension HealthReport {
    static func json(_ m: OnboardingMetrics) -> JSON {
        func durations(_ d: OnboardingMetrics.Durations?) -> JSON {
            d.map { .object([("readers", .int($0.readers)), ("medianSeconds", seconds($0.median)), ("p90Seconds", seconds($0.p90))]) } ?? .null
        }
        func items(_ list: [OnboardingMetrics.ItemFigure]) -> JSON {
            .array(list.map { .object([("item", .string($0.id)), ("text", .string($0.text)), ("readers", .int($0.readers))]) })
        }
        func queries(_ list: [OnboardingMetrics.QueryFigure]) -> JSON {
            .array(
                list.map {
                    .object([
                        ("query", .string($0.query)), ("truncated", .bool($0.truncated)), ("searches", .int($0.searches)),
                        ("zeroResults", .int($0.zeroResults)), ("opened", .int($0.opened)), ("exact", .bool($0.exact)), ("maxError", .int($0.maxError)),
                    ])
                })
        }
        return .object([
            ("version", .int(OnboardingMetrics.formatVersion)),
            ("schema", .int(OnboardingMetrics.schemaVersion)),
            ("files", .array(m.files.map(JSON.string))),
            ("lines", .int(m.lines)),
            ("events", .int(m.events)),
            ("embedEvents", .int(m.embedEvents)),
            ("badLines", .int(m.badLines)),
            ("eventCounts", .object(m.eventCounts.map { ($0.name, .int($0.count)) })),
            ("unknownEvents", .object(m.unknownEvents.map { ($0.name, .int($0.count)) })),
            ("unknownEventsNotListed", .int(m.unknownEventsNotListed)),
            (
                "unknownTargets",
                .array(
                    m.unknownTargets.map {
                        .object([("language", .string($0.language)), ("segment", .string($0.segment)), ("id", .string($0.id)), ("events", .int($0.events))])
                    })
            ),
            ("unknownTargetsNotListed", .int(m.unknownTargetsNotListed)),
            (
                "routes",
                .array(
                    m.routes.map { r in
                        .object([
                            ("segment", .string(r.segment)), ("language", .string(r.language)), ("readers", .int(r.readers)), ("started", .int(r.started)),
                            ("completed", .int(r.completed)), ("completionRate", rate(r.completed, r.started)),
                            (
                                "steps",
                                .array(
                                    r.steps.map {
                                        .object([
                                            ("step", .string($0.key)), ("stage", .string($0.stage)), ("reached", .int($0.reached)),
                                            ("completed", .int($0.completed)), ("completionRate", rate($0.completed, $0.reached)),
                                        ])
                                    })
                            ),
                            (
                                "stages",
                                .array(
                                    r.stages.map {
                                        .object([
                                            ("stage", .string($0.id)), ("reached", .int($0.reached)), ("completed", .int($0.completed)),
                                            ("completionRate", rate($0.completed, $0.reached)),
                                        ])
                                    })
                            ),
                            ("firstValueStage", r.firstValueStage.map(JSON.string) ?? .null),
                            ("timeToValue", durations(r.timeToValue)), ("timeToComplete", durations(r.timeToComplete)),
                            (
                                "dropOff",
                                r.dropOff.map { d in
                                    .object([
                                        ("after", .string(r.steps[d.after].key)), ("before", .string(r.steps[d.after + 1].key)), ("lost", .int(d.lost)),
                                        ("share", rate(d.lost, r.steps[d.after].reached)),
                                    ])
                                } ?? .null
                            ),
                            ("mostTicked", items(r.mostTicked)), ("mostSkipped", items(r.mostSkipped)),
                        ])
                    })
            ),
            (
                "searches",
                .array(
                    m.searches.map {
                        .object([
                            ("language", .string($0.language)), ("searches", .int($0.searches)), ("zeroResultSearches", .int($0.zeroResultSearches)),
                            ("exact", .bool($0.exact)), ("counters", .int(OnboardingMetrics.queryCounters)),
                            ("top", queries($0.top)), ("zeroResult", queries($0.zeroResult)),
                        ])
                    })
            ),
            (
                "helpfulness",
                .array(
                    m.helpfulness.map {
                        .object([
                            ("page", .string($0.page)), ("title", $0.title.map(JSON.string) ?? .null), ("helpful", .int($0.helpful)),
                            ("notHelpful", .int($0.notHelpful)), ("helpfulShare", rate($0.helpful, $0.helpful + $0.notHelpful)),
                        ])
                    })
            ),
            ("fallbacksShown", .object(m.fallbacksShown.map { ($0.language, .int($0.count)) })),
        ])
    }

    /// A share as a number from 0 to 1 with four decimals, or null when nothing was counted.
    static func rate(_ a: Int, _ b: Int) -> JSON { b == 0 ? .null : .double((Double(a) / Double(b) * 10000).rounded() / 10000) }

    static func seconds(_ ms: Int64) -> JSON { .double(Double(ms) / 1000) }

    /// A duration for people: seconds, minutes, hours or days, whichever reads best.
    static func duration(_ ms: Int64) -> String {
        let s = Double(ms) / 1000
        if s < 60 { return "\(Int(s.rounded())) s" }
        if s < 2 * 3600 { return "\(Int((s / 60).rounded())) min" }
        if s < 48 * 3600 { return String(format: "%.1f h", s / 3600) }
        return String(format: "%.1f days", s / 86400)
    }

    /// The template context of the onboarding part: one entry per route with its charts and facts, then
    /// searches per language, helpfulness per page, and what could not be matched to the site.
    static func context(_ m: OnboardingMetrics) -> [String: Any] {
        let routes: [[String: Any]] = m.routes.map { r in
            let first = Double(max(1, r.steps.map(\.reached).max() ?? 1))
            let funnel = bars(
                r.steps.map { ($0.title, Double($0.reached), first, "\($0.reached) · \(percent($0.completed, $0.reached)) done") }, color: "#2f6fb3",
                rightToLeft: r.rightToLeft)
            let stages = bars(
                r.stages.map {
                    ($0.title, Double($0.completed), Double(max(1, $0.reached)), "\(percent($0.completed, $0.reached)) · \($0.completed)/\($0.reached)")
                },
                color: "#3f9c6d", rightToLeft: r.rightToLeft)
            var facts: [[String: String]] = [
                ["label": "Readers", "value": "\(r.readers) (\(r.started) started the route)"],
                ["label": "Route completion", "value": "\(percent(r.completed, r.started)) · \(r.completed)/\(r.started)"],
            ]
            func time(_ d: OnboardingMetrics.Durations?) -> String {
                d.map { "median \(duration($0.median)), p90 \(duration($0.p90)) (\($0.readers) readers)" } ?? "no reader yet"
            }
            facts.append(["label": "Time to value" + (r.firstValueStage.map { " (\($0))" } ?? ""), "value": time(r.timeToValue)])
            facts.append(["label": "Time to complete", "value": time(r.timeToComplete)])
            if let d = r.dropOff {
                facts.append([
                    "label": "Drop-off",
                    "value":
                        "\(d.lost) readers (\(percent(d.lost, r.steps[d.after].reached))) after “\u{2068}\(r.steps[d.after].title)\u{2069}”, before “\u{2068}\(r.steps[d.after + 1].title)\u{2069}”",
                ])
            }
            func items(_ list: [OnboardingMetrics.ItemFigure]) -> [[String: Any]] { list.map { ["text": $0.text, "id": $0.id, "readers": $0.readers] } }
            return [
                "title": "\u{2068}\(r.segmentTitle)\u{2069} · \(r.language)", "segment": r.segment, "language": r.language,
                "dir": r.rightToLeft ? "rtl" : "ltr",
                "funnel": funnel, "stages": stages, "facts": facts, "ticked": items(r.mostTicked), "skipped": items(r.mostSkipped),
                // The funnel's figures with the whole step titles the chart cuts to fit (readable on a phone, no hover needed).
                "funnelRows": r.steps.map {
                    ["title": $0.title, "reached": $0.reached, "done": "\($0.completed) (\(percent($0.completed, $0.reached)))"] as [String: Any]
                },
                "hasTicked": !r.mostTicked.isEmpty, "hasSkipped": !r.mostSkipped.isEmpty,
            ]
        }
        func queries(_ list: [OnboardingMetrics.QueryFigure]) -> [[String: Any]] {
            // "≈ 120" is at most maxError too high (see the caption); "…" ends a query cut to its beginning.
            list.map {
                let mark = $0.exact ? "" : "≈ "
                return [
                    "query": $0.query.isEmpty && !$0.truncated ? "(empty)" : $0.query + ($0.truncated ? "…" : ""), "searches": mark + "\($0.searches)",
                    "zero": mark + "\($0.zeroResults)", "opened": mark + "\($0.opened)",
                ]
            }
        }
        let searches: [[String: Any]] = m.searches.map {
            [
                "language": $0.language, "searches": $0.searches, "zeroShare": percent($0.zeroResultSearches, $0.searches), "top": queries($0.top),
                "zeroResult": queries($0.zeroResult), "hasZero": !$0.zeroResult.isEmpty,
                "hasEstimate": !$0.exact,
                "estimate": $0.exact
                    ? ""
                    : "More than \(OnboardingMetrics.queryCounters) distinct queries: counts marked ≈ are estimates, never lower than the truth and at most \(([$0.top, $0.zeroResult].joined().map(\.maxError).max() ?? 0)) higher."
                    ,
            ]
        }
        let votes: [[String: Any]] = m.helpfulness.map {
            [
                "title": $0.title ?? "(not a page of this site)", "page": $0.page, "yes": $0.helpful, "no": $0.notHelpful,
                "share": percent($0.helpful, $0.helpful + $0.notHelpful),
            ]
        }
        let unknown: [[String: Any]] = m.unknownTargets.map {
            [
                "language": $0.language, "segment": $0.segment.isEmpty ? "–" : $0.segment,
                "id": !$0.id.isEmpty ? $0.id : $0.segment.isEmpty ? "(the whole language)" : "(the whole route)", "events": $0.events,
            ]
        }
        var skippedNames = m.unknownEvents.map { "\($0.name) (\($0.count))" }.joined(separator: ", ")
        if m.unknownEventsNotListed > 0 { skippedNames += ", and \(m.unknownEventsNotListed) events with further names" }
        return [
            "summary":
                "\(m.events) events (\(m.embedEvents) from the embedded route widget) from \(m.files.count) file\(m.files.count == 1 ? "" : "s"); \(m.badLines) bad line\(m.badLines == 1 ? "" : "s") skipped (listed under All findings)"
                + (skippedNames.isEmpty ? "." : "; event names this version does not know, skipped: \(skippedNames)."),
            "routes": routes, "hasRoutes": !routes.isEmpty,
            "searches": searches, "hasSearches": !searches.isEmpty,
            "votes": votes, "hasVotes": !votes.isEmpty,
            "unknown": unknown, "hasUnknown": !unknown.isEmpty,
            "hasUnknownNotListed": m.unknownTargetsNotListed > 0,
            "unknownNotListed": m.unknownTargetsNotListed > 0 ? "And \(m.unknownTargetsNotListed) events for further content, not listed." : "",
        ]
    }
}
