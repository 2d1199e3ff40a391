/// schema.org JSON-LD for search engines: `Article` for articles, `HowTo` for onboarding routes
/// (`BreadcrumbList` is in `JSONText`). Escaped for a `<script>` element.
enum StructuredData {
    static func article(headline: String, description: String?, language: String, url: String, modified: Day?, publisher: String) -> String {
        var fields: [(String, JSON)] = [
            ("@context", .string("https://schema.org")),
            ("@type", .string("Article")),
            ("headline", .string(headline)),
            ("inLanguage", .string(language)),
            ("mainEntityOfPage", .string(url)),
            ("publisher", .object([("@type", .string("Organization")), ("name", .string(publisher))])),
        ]
        if let description { fields.append(("description", .string(description))) }
        if let modified { fields.append(("dateModified", .string(modified.iso))) }
        return JSON.object(fields).encoded(htmlSafe: true)
    }

    static func howTo(name: String, description: String?, language: String, url: String, totalMinutes: Int, steps: [(name: String, url: String)]) -> String {
        var fields: [(String, JSON)] = [
            ("@context", .string("https://schema.org")),
            ("@type", .string("HowTo")),
            ("name", .string(name)),
            ("inLanguage", .string(language)),
            ("url", .string(url)),
            ("totalTime", .string(isoDuration(minutes: totalMinutes))),
            (
                "step",
                .array(
                    steps.enumerated().map { i, s in
                        .object([("@type", .string("HowToStep")), ("position", .int(i + 1)), ("name", .string(s.name)), ("url", .string(s.url))])
                    })
            ),
        ]
        if let description { fields.insert(("description", .string(description)), at: 4) }
        return JSON.object(fields).encoded(htmlSafe: true)
    }

    /// ISO 8601 duration: 125 minutes is `PT2H5M`.
    static func isoDuration(minutes: Int) -> String {
        let h = minutes / 60
        let m = minutes % 60
        return "PT" + (h > 0 ? "\(h)H" : "") + (m > 0 || h == 0 ? "\(m)M" : "")
    }
}
