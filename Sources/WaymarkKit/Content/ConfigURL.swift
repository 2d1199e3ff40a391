/// The one check for every URL that site.yml or the command line hands to the pages: `baseURL` and
/// `--base-url` (every page loads its script and stylesheet from it), `feedback.endpoint` and
/// `analytics.endpoint` (where votes and reader events are posted) and `editURL` (a link on every page).
///
/// Browsers read more as "another site" than it seems: `//host`, `/\host` and `\\host` are all
/// protocol-relative, a tab or newline inside is dropped (`/<tab>/host` is `//host`), and
/// `https://user@host` hides the host behind a name. So only two shapes pass, each spelled plainly:
/// an absolute `http(s)://host[:port]/…` URL without credentials, or a path from the site root that
/// starts with exactly one `/`. Nothing invisible or ambiguous is allowed anywhere in the value: no
/// control, format (bidi) or space characters, backslashes, quotes, angle brackets or backticks; they
/// are percent-encoded in a real URL.
public enum ConfigURL {
    /// Which shapes a setting accepts.
    public enum Allowed: Sendable {
        /// `baseURL`, `--base-url`: an absolute http(s) URL or a path from the site root, with no query
        /// or fragment (every link on the site is built by appending to it).
        case siteRoot
        /// `feedback.endpoint`, `analytics.endpoint`: an absolute http(s) URL or a path on this site.
        case endpoint
        /// `editURL`: only an absolute http(s) URL (the page lives in a repository elsewhere).
        case absolute
    }

    /// Why `url` cannot be used where `allowed` says, or nil when it can. The reason quotes the value
    /// (with invisible characters shown as `\u{…}`) and says what would be accepted.
    public static func problem(_ url: String, allowed: Allowed) -> String? {
        let quoted = "'" + url.unicodeScalars.map { isInvisible($0) ? "\\u{\(String($0.value, radix: 16, uppercase: true))}" : String($0) }.joined() + "'"
        let expected =
            switch allowed {
            case .siteRoot: "an absolute http(s) URL such as https://help.example.com/ or a path from the site root such as /help/"
            case .endpoint: "an absolute http(s) URL such as https://collect.example.com/events or a path on this site such as /events"
            case .absolute: "an absolute http(s) URL such as https://github.com/acme/help/edit/main/content/{path}"
            }
        if url.isEmpty { return "is empty; it must be \(expected)" }
        if let bad = url.unicodeScalars.first(where: isRefused) {
            return "\(quoted) contains \(describe(bad)); it must be \(expected), with anything else percent-encoded"
        }
        if let scheme = scheme(of: url) {
            guard scheme == "http" || scheme == "https" else {
                return "\(quoted) uses the '\(scheme):' scheme; it must be \(expected)"
            }
            let rest = url.dropFirst(scheme.count + 1)
            guard rest.hasPrefix("//") else { return "\(quoted) has no '//' after '\(scheme):'; it must be \(expected)" }
            let authority = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if authority.contains("@") {
                return "\(quoted) has a user name before '@', which hides the real host; it must be \(expected)"
            }
            if let why = authorityProblem(authority) { return "\(quoted) \(why); it must be \(expected)" }
        } else {
            if allowed == .absolute { return "\(quoted) is not an absolute URL; it must be \(expected)" }
            if url.hasPrefix("//") {
                return "\(quoted) starts with '//', which browsers read as another host, not a path on this site; it must be \(expected)"
            }
            guard url.hasPrefix("/") else {
                return "\(quoted) is a relative path, which means something else on every page; it must be \(expected)"
            }
        }
        if allowed == .siteRoot, url.contains("?") || url.contains("#") {
            return "\(quoted) has a query or fragment, which every link would be appended after; it must be \(expected)"
        }
        return nil
    }

    /// Characters never written plainly in a configured URL: invisible or space-like ones (a browser
    /// drops tabs and newlines, and bidi controls make the value read differently than it is) and the
    /// ones a browser or an HTML attribute treats specially.
    static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || isInvisible(scalar) || "\\\"<>`".unicodeScalars.contains(scalar)
    }

    /// Shown as `\u{…}` in messages, so a terminal neither hides nor reorders it.
    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return true
        case .spaceSeparator: return scalar != " "
        default: return scalar.properties.isWhitespace && scalar != " "
        }
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        switch scalar {
        case "\\": return "a backslash (browsers read it as '/')"
        case " ": return "a space"
        case "\t", "\n", "\r": return "a tab or line break (\(code), which browsers drop)"
        default: return scalar.properties.generalCategory == .format ? "an invisible formatting character (\(code))" : "'\(scalar)' (\(code))"
        }
    }

    /// The scheme before the first `:`, lowercased, when the text before it is a scheme (`[A-Za-z][A-Za-z0-9+.-]*`)
    /// as browsers read it; nil for a path.
    private static func scheme(of url: String) -> String? {
        guard let colon = url.firstIndex(of: ":") else { return nil }
        let name = url[..<colon]
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
            name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+.-".unicodeScalars.contains($0)) })
        else { return nil }
        return name.lowercased()
    }

    /// `host[:port]` of an absolute URL: a name of letters, digits, `-`, `_` and `.`, or a bracketed
    /// IPv6 address, and a port of 1 to 65535.
    private static func authorityProblem(_ authority: Substring) -> String? {
        var host = authority
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return "has an unclosed '[' in its host" }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return "has text after its IPv6 address" }
                port = after.dropFirst()
            }
            guard host.dropFirst().dropLast().allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), host.count > 2 else {
                return "has a malformed IPv6 address"
            }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                port = authority[authority.index(after: colon)...]
            }
            if host.isEmpty { return "has no host" }
            if !host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) {
                return "has a host that is not a plain name ('\(host)')"
            }
        }
        if let port, !port.allSatisfy({ ("0"..."9").contains($0) }) || !(Int(port).map { (1...65535).contains($0) } ?? false) {
            return "has a port that is not a number from 1 to 65535"
        }
        return nil
    }
}
