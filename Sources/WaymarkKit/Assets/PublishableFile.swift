/// Which content files that are not pages may be published, decided by the file's name.
///
/// A file in `content/<lang>/assets/` (or beside articles and guides) is published at the site's own
/// address. A browser that opens an HTML, XHTML or XML file there, or loads a script from it, runs it
/// with the site's rights: reading readers' progress, sending requests as them. So unless site.yml says
/// `unsafeHTML: true` (every contributor trusted, as for raw HTML in Markdown), only types that browsers
/// show as images, play as media, hand to a PDF viewer or save as downloads are published, and every
/// other file is an error at the file. The list is in the writer's guide ("Which files content may
/// publish, and why"); a test keeps the two in step.
enum PublishableFile {
    /// What a file type is to a browser, for the writer's guide and the error message.
    enum Kind: String, CaseIterable, Sendable {
        case image, media, document, download
    }

    /// Extensions (lower-cased, without the dot) that content may publish. Images, audio and video are
    /// shown or played, never run (SVG is published only after `SVGReader` found nothing active in it);
    /// PDFs open in the browser's viewer, which runs on an origin of its own; the rest are saved as they
    /// are or shown as plain text (`nosniff` keeps browsers from guessing HTML in them).
    static let allowed: [String: Kind] = {
        var table: [String: Kind] = [:]
        for e in ["png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "bmp"] { table[e] = .image }
        for e in ["mp3", "m4a", "aac", "oga", "ogg", "opus", "wav", "flac", "mp4", "m4v", "mov", "webm", "ogv", "vtt"] { table[e] = .media }
        for e in ["pdf", "txt", "md", "csv", "tsv", "json"] { table[e] = .document }
        for e in ["zip", "gz", "tgz", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"] { table[e] = .download }
        return table
    }()

    /// Extensions browsers or common servers run or render as documents, named in the error so the
    /// writer knows why: also refused in the middle of a name (`guide.html.pdf`), since Apache gives a
    /// file the handler of every extension it carries.
    static let active: [String: String] = {
        var table: [String: String] = [:]
        for e in ["html", "htm", "shtml", "xhtml", "xht", "mht", "mhtml", "hta"] { table[e] = "an HTML page" }
        for e in ["js", "mjs", "cjs", "wasm", "swf"] { table[e] = "a script" }
        for e in ["xml", "xsl", "xslt", "rss", "atom", "rdf"] { table[e] = "an XML document (browsers can run what its stylesheet makes)" }
        table["svgz"] = "a compressed SVG (it cannot be checked for scripts: publish the .svg)"
        for e in ["php", "phtml", "cgi", "pl", "py", "asp", "aspx", "jsp"] { table[e] = "a server script" }
        return table
    }()

    /// Why a file with this name may not be published, or nil when it may. Extensions are compared
    /// lower-cased; a name without one is refused too (some servers guess its type from the bytes, and
    /// may guess HTML).
    static func refusal(_ name: String) -> String? {
        let parts = name.lowercased().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, let last = parts.last, !last.isEmpty else { return "a file without an extension" }
        for part in parts.dropFirst().dropLast() {
            let inner = String(part.prefix { $0.isLetter || $0.isNumber })
            if let what = active[inner] { return "\(what) (by the `.\(inner)` in its name)" }
        }
        if allowed[last] != nil { return nil }
        if let what = active[last] { return what }
        return "a `.\(last)` file, a type not on the list of files content may publish"
    }
}
