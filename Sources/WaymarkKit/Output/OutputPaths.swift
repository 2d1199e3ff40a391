/// The files a build's output holds, for checking that a redirect asked for by content (front matter
/// `aliases`) takes none of them. A redirect page written at a published file replaces it; one whose
/// folder needs a published file's name deletes that file (`search/en/meta.json/index.html`); one at a
/// page's address leaves the page on disk but makes the servers' maps answer it with a 301; and two
/// redirects at one address make nginx refuse the whole map. So each alias is claimed in turn against
/// every path the build writes and every alias claimed before it (`claim`).
///
/// nginx's `map` compares addresses without regard to ASCII letter case (it lowercases both sides), so
/// addresses are also compared lowercased: `/EN/` would redirect `/en/` too. Each claim costs a few hash
/// lookups per level of its path; building the table is linear in the paths' total length.
struct OutputPaths {
    /// Every file of the output (redirect pages included), with what asked for it when that was a redirect.
    private var files: [String: Claimant?] = [:]
    /// Every folder holding a file: one file in it (for messages), and whether it holds any file that is
    /// not a redirect page.
    private var folders: [String: (example: String, content: Bool)] = [:]
    /// Every address that reaches a file, ASCII-lowercased, with the file: the file's own path, and for an
    /// `index.html` its folder with and without the final slash (as nginx serves it).
    private var addresses: [String: String] = [:]

    /// Who asked for a redirect, named in messages about a later one at the same place.
    enum Claimant: Hashable {
        case routeFolder
        case alias(file: String)

        var description: String {
            switch self {
            case .routeFolder: "the redirect from the folder of a route's steps to its route page"
            case .alias(let file): "an alias of \(file)"
            }
        }
    }

    /// Files every build writes after the alias check, and the marker proving a folder is Waymark's.
    static let reserved = ["_redirects", "redirects.map", PublishedURLs.file, OutputWriter.marker]

    /// `files` are the paths written so far (relative to the output root), `redirects` the route folders'
    /// redirect pages among them.
    init(files: some Sequence<String>, redirects: [String: Claimant]) {
        for path in files { add(path, by: redirects[path]) }
        for path in Self.reserved where self.files[path] == nil { add(path, by: nil) }
    }

    /// Claims the redirect page of `urlPath` (`en/old/` or `en/old.html`) for `claimant` when it takes
    /// nothing published; otherwise returns why not, naming what is there.
    mutating func claim(_ urlPath: String, by claimant: Claimant) -> String? {
        if let problem = problem(urlPath) { return problem }
        add(Self.file(urlPath), by: claimant)
        return nil
    }

    /// Where the redirect page of a URL path is written.
    static func file(_ urlPath: String) -> String { urlPath.hasSuffix("/") ? urlPath + "index.html" : urlPath }

    private func problem(_ urlPath: String) -> String? {
        let file = Self.file(urlPath)
        if let owner = owner(of: file) {
            if let claimant = owner { return "is already \(claimant.description)" }
            return "is an address this site publishes (\(file)); an alias is an old address that nothing else uses now"
        }
        if let below = folders[file] {
            return "names the folder \(file)/ that holds published files (\(below.example)); an alias cannot replace it"
        }
        var slash = file.firstIndex(of: "/")
        while let end = slash {
            let folder = String(file[..<end])
            if let owner = owner(of: folder) {
                let what = owner.map { "the redirect page of \($0.description)" } ?? "the published file \(folder)"
                return "would need \(what) to be a folder; an alias cannot replace it"
            }
            slash = file[file.index(after: end)...].firstIndex(of: "/")
        }
        if urlPath.hasSuffix("/"), let below = folders[String(urlPath.dropLast())], below.content {
            return "is a folder of the published site (it holds \(below.example)); the servers' maps would answer it with a 301"
        }
        for address in Self.addresses(of: file) {
            if let taken = addresses[Self.lowercased(address)] {
                return
                    "differs only in letter case from an address that reaches \(taken); nginx's map compares addresses without regard to case, so it would redirect that one too"
            }
        }
        return nil
    }

    /// Whether `path` is a file of the output (`.gz` and `.br` copies count as their originals' paths, since
    /// `--precompress` may write them): nil when it is not, else the redirect that asked for it if any.
    private func owner(of path: String) -> Claimant?? {
        if let owner = files[path] { return owner }
        if path.hasSuffix(".gz") || path.hasSuffix(".br"), let owner = files[String(path.dropLast(3))] { return owner }
        return nil
    }

    private mutating func add(_ path: String, by claimant: Claimant?) {
        files[path] = claimant
        var end = path.lastIndex(of: "/")
        while let slash = end {
            let folder = String(path[..<slash])
            let known = folders[folder]
            if let known, known.content || claimant != nil { break }  // its parents hold it already
            folders[folder] = (known?.example ?? path, known?.content == true || claimant == nil)
            end = folder.lastIndex(of: "/")
        }
        for address in Self.addresses(of: path) { addresses[Self.lowercased(address)] = path }
    }

    /// The addresses nginx serves a file at: its path, and a folder's `index.html` also at the folder.
    private static func addresses(of file: String) -> [String] {
        guard file.hasSuffix("/index.html") else { return [file] }
        let folder = file.dropLast("index.html".count)
        return [file, String(folder), String(folder.dropLast())]
    }

    /// ASCII letters lowercased, as nginx's map compares (`ngx_hash_strlow`); other bytes as they are.
    static func lowercased(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
