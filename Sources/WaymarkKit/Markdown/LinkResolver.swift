/// Turns links as writers type them (relative Markdown file paths, as any editor previews them) into
/// page URLs, and reports targets that do not exist.
///
/// - `../billing/refunds.md#fees` → `/en/articles/billing/refunds/#fees` (the anchor is checked later,
///   once every page's headings are known)
/// - `#fees` → checked against this page's own headings
/// - `../assets/flow.png` → the published file's URL (`/en/assets/flow.3f9a1c2b7d.png`), and for an image
///   its size and smaller copies (see `AssetStage`)
/// - `https://…`, `mailto:…` → kept; `javascript:` and similar are reported (cmark's safe mode empties them)
/// - `/en/…` → kept, prefixed with the site's base path
public struct LinkResolver: Sendable {
    /// Content-relative paths of published Markdown pages → site URL paths (`en/articles/a/b/`).
    public var pages: [String: String]
    /// Content-relative paths of drafts left out of this build, to explain why a link breaks.
    public var drafts: Set<String>
    /// Content-relative paths of every file (assets are linked by their own path).
    public var files: Set<String>
    /// Prefix of every site URL (`/` or `/help/`).
    public var basePath: String
    /// Content-relative paths of published non-page files → where they went (images under hashed names).
    public var assets: [String: PublishedAsset]
    /// The `sizes` attribute of images with smaller copies (`images.sizes` in site.yml).
    public var imageSizes: String

    public init(
        pages: [String: String], drafts: Set<String>, files: Set<String>, basePath: String, assets: [String: PublishedAsset] = [:],
        imageSizes: String = SiteConfig.Images().sizes
    ) {
        self.pages = pages
        self.drafts = drafts
        self.files = files
        self.basePath = basePath
        self.assets = assets
        self.imageSizes = imageSizes
    }

    /// A link to a heading of another page, verified after all pages are rendered.
    public struct AnchorCheck: Sendable, Hashable {
        public var targetPath: String
        public var anchor: String
        public var file: String
        public var location: SourceLocation
    }

    public struct Resolution: Sendable {
        public var url: String?
        /// For a published image: its size and copies.
        public var image: ImageSource?
        public var diagnostics: [Diagnostic] = []
        public var anchorCheck: AnchorCheck?
        /// The content path of the linked page, for link graphs (orphans, related pages).
        public var targetPage: String?

        /// What the Markdown stage writes into the page; nil keeps the link as typed.
        public var target: LinkTarget? { url.map { LinkTarget(url: $0, image: image) } }
    }

    /// Resolves `link` found in the file at content-relative `sourcePath`.
    public func resolve(_ link: LinkReference, from sourcePath: String) -> Resolution {
        let destination = link.destination.trimmingSpaces
        var result = Resolution()
        let what = link.isImage ? "image" : "link"
        func error(_ code: String, _ message: String) {
            result.diagnostics.append(.error(code, message, file: sourcePath, at: link.location))
        }
        if destination.isEmpty {
            if !link.isImage { error("empty-link", "link has an empty destination") }
            return result
        }
        if destination.hasPrefix("#") {
            let anchor = String(destination.dropFirst()).removingPercentEncodingIfValid
            result.anchorCheck = AnchorCheck(targetPath: sourcePath, anchor: anchor, file: sourcePath, location: link.location)
            return result
        }
        if let scheme = Self.scheme(of: String(destination)) {
            let safe = ["http", "https", "mailto", "tel", "ftp", "ftps", "sftp", "irc", "ircs", "xmpp", "sms", "geo"]
            if !safe.contains(scheme.lowercased()) {
                error("unsafe-link", "\(what) uses the '\(scheme):' scheme, which is removed for safety; use http(s) or a relative path")
            }
            return result
        }
        if destination.hasPrefix("//") { return result }
        if destination.hasPrefix("/") {
            result.url = basePath + String(destination.dropFirst())
            return result
        }

        // A relative path: split off ?query and #fragment, resolve against the source file's folder.
        var pathPart = Substring(destination)
        var fragment: Substring?
        if let hash = pathPart.firstIndex(of: "#") {
            fragment = pathPart[pathPart.index(after: hash)...]
            pathPart = pathPart[..<hash]
        }
        if let q = pathPart.firstIndex(of: "?") { pathPart = pathPart[..<q] }
        let decoded = String(pathPart).removingPercentEncodingIfValid
        let sourceDir = sourcePath.split(separator: "/").dropLast().map(String.init)
        guard let target = Self.normalize(sourceDir + decoded.split(separator: "/", omittingEmptySubsequences: false).map(String.init)) else {
            error("link-outside-content", "\(what) target '\(destination)' points outside the content folder")
            return result
        }
        if let url = pages[target] {
            result.targetPage = target
            var href = basePath + URLPath.encode(url)
            if let fragment, !fragment.isEmpty {
                href += "#" + URLPath.encodeFragment(String(fragment).removingPercentEncodingIfValid)
                result.anchorCheck = AnchorCheck(
                    targetPath: target, anchor: String(fragment).removingPercentEncodingIfValid, file: sourcePath, location: link.location)
            }
            result.url = href
            return result
        }
        if drafts.contains(target) {
            error("link-to-draft", "\(what) target '\(destination)' is a draft, which is not published; build with --drafts to preview it")
            return result
        }
        if files.contains(target), !target.lowercased().hasSuffix(".md") {
            let published = assets[target]
            var href = basePath + URLPath.encode(published?.path ?? target)
            if let fragment { href += "#" + fragment }
            result.url = href
            if let image = published?.image { result.image = imageSource(image, url: href) }
            return result
        }
        if target.lowercased().hasSuffix(".md") || !files.contains(target) {
            var message = "broken \(what): '\(destination)' does not exist (looked for \(target))"
            if let suggestion = closestPage(to: target) { message += "; did you mean '\(relative(from: sourceDir, to: suggestion))'?" }
            error("broken-link", message)
        }
        return result
    }

    /// The image's size and `srcset`: its copies, then the image itself at its own width.
    func imageSource(_ image: PublishedImage, url: String) -> ImageSource {
        var srcset: String?
        if !image.variants.isEmpty, let width = image.width {
            srcset = (image.variants.map { basePath + URLPath.encode($0.path) + " \($0.width)w" } + [url + " \(width)w"]).joined(separator: ", ")
        }
        return ImageSource(width: image.width, height: image.height, srcset: srcset, sizes: imageSizes)
    }

    /// Resolves `..` and `.` in a content-relative path; nil when it climbs above the content root.
    static func normalize(_ parts: [String]) -> String? {
        var out: [String] = []
        for part in parts {
            switch part {
            case "", ".": continue
            case "..":
                if out.isEmpty { return nil }
                out.removeLast()
            default: out.append(part)
            }
        }
        return out.joined(separator: "/")
    }

    /// `https` for `https://x`; nil for paths (a colon after a slash is not a scheme, nor is `C:`-like
    /// single letter on purpose).
    static func scheme(of s: String) -> String? {
        guard let colon = s.firstIndex(of: ":") else { return nil }
        let candidate = s[..<colon]
        guard let first = candidate.first, first.isASCII, first.isLetter,
            candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") })
        else { return nil }
        return String(candidate)
    }

    private func closestPage(to target: String) -> String? {
        let name = target.split(separator: "/").last.map(String.init) ?? target
        let language = target.split(separator: "/").first.map(String.init) ?? ""
        var best: (String, Int)?
        for page in pages.keys where page.hasPrefix(language + "/") {
            let candidate = page.split(separator: "/").last.map(String.init) ?? page
            let d = editDistance(Array(name), Array(candidate))
            if d <= max(2, name.count / 4), d < (best?.1 ?? Int.max) || (d == best?.1 && page < best!.0) { best = (page, d) }
        }
        return best?.0
    }

    private func relative(from dir: [String], to target: String) -> String {
        let t = target.split(separator: "/").map(String.init)
        var common = 0
        while common < dir.count, common < t.count - 1, dir[common] == t[common] { common += 1 }
        return (Array(repeating: "..", count: dir.count - common) + t[common...]).joined(separator: "/")
    }
}

/// Percent-encoding for the URLs we write into pages and sitemaps.
public enum URLPath {
    /// Encodes a `/`-separated path, leaving unreserved ASCII and `/` as they are.
    public static func encode(_ path: String) -> String {
        encode(path, keep: "/")
    }

    public static func encodeFragment(_ fragment: String) -> String {
        encode(fragment, keep: "")
    }

    private static func encode(_ s: String, keep: String) -> String {
        let keepBytes = Array(keep.utf8)
        if s.utf8.allSatisfy({ isUnreserved($0) || keepBytes.contains($0) }) { return s }
        var out = ""
        for byte in s.utf8 {
            if isUnreserved(byte) || keepBytes.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// The path a percent-encoded (or plain) URL path names, as servers compare it (nginx's `$uri`):
    /// nil when a `%` does not start an escape such as `%20` or the bytes are not UTF-8.
    public static func decode(_ s: some StringProtocol) -> String? {
        decodedBytes(s, strict: true).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// The bytes of `s` with its `%XX` escapes decoded; a `%` without two hex digits after it is kept as
    /// it is, or makes the result nil when `strict`.
    static func decodedBytes(_ s: some StringProtocol, strict: Bool) -> [UInt8]? {
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x37
            case 0x61...0x66: b - 0x57
            default: nil
            }
        }
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == 0x25, it.count >= 2, let high = hex(it[it.startIndex]), let low = hex(it[it.startIndex + 1]) {
                bytes.append(high << 4 | low)
                it = it.dropFirst(2)
            } else if b == 0x25, strict {
                return nil
            } else {
                bytes.append(b)
            }
        }
        return bytes
    }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
            || b == 0x5F || b == 0x7E
    }
}

extension StringProtocol {
    /// Percent-decoded text, or the text itself when it is not valid percent-encoding (a literal `%`).
    var removingPercentEncodingIfValid: String {
        guard contains("%") else { return String(self) }
        return URLPath.decodedBytes(self, strict: false).flatMap { String(validating: $0, as: UTF8.self) } ?? String(self)
    }
}
