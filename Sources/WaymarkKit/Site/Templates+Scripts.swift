/// Script parts: JavaScript that more than one published script needs, kept in one file.
///
/// The route page's script (`assets/route.js`) and the embeddable widget (`root/embed.js`) must compute
/// progress the same way, and the widget must stay one dependency-free file another site can link to.
/// So the shared code lives once in `scripts/<name>.js`, and a published script names it on a line of
/// its own, `//@include <name>.js`; the build puts the part's text in that line's place before it
/// fingerprints or writes the script. A part is never published on its own and includes nothing itself.
extension TemplateSet {
    static let includeDirective = "//@include "

    /// `bytes` with each include line replaced by its part; an unknown part is reported at its line.
    static func includingParts(
        _ bytes: [UInt8], parts: [String: [UInt8]], file: String, report: (String, String, String, SourceLocation) -> Void
    ) -> [UInt8] {
        guard let text = String(validating: bytes, as: UTF8.self), text.contains(includeDirective) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(includeDirective) else {
                if n > 0 { out.append(0x0A) }
                out += line.utf8
                continue
            }
            let name = String(trimmed.dropFirst(includeDirective.count))
            if n > 0 { out.append(0x0A) }
            guard let part = parts[name] else {
                report(
                    "missing-script-part", "script part '\(name)' does not exist (expected scripts/\(name) in the template folder)", file,
                    SourceLocation(line: n + 1, column: 1))
                continue
            }
            out += part.last == 0x0A ? part.dropLast() : part[...]
        }
        return out
    }

    /// A script published for other sites (`root/*.js`) without its whole-line `//` comments: every page
    /// of a product that embeds the widget downloads it, and its size is budgeted (docs/embed.md). The
    /// comments stay in the source; a line that starts with `//` is a comment in every script we write
    /// (none of them has a multi-line string).
    static func withoutLineComments(_ bytes: [UInt8]) -> [UInt8] {
        guard let text = String(validating: bytes, as: UTF8.self) else { return bytes }
        let kept = text.split(separator: "\n", omittingEmptySubsequences: false).filter {
            !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//")
        }
        return Array(kept.joined(separator: "\n").utf8)
    }
}
