import Foundation

/// Skips a build whose inputs have not changed since the last successful one, when the output folder is
/// still exactly what that build wrote.
///
/// Proof, not guesswork: the record in the cache folder (`.waymark-cache/` next to the output, ignored
/// by git) holds a hash of every byte the build reads — content, templates, the options, and the
/// waymark binary itself — and a stamp of the output: its marker file (rewritten by every build) and the
/// count, total size and newest modification time of its files. If both match, rebuilding would write
/// the same bytes, so the build replays the recorded diagnostics and exits; anything else builds normally.
///
/// The cache folder, like the output, may come back from a CI cache: it is read and written without
/// following symbolic links (`FileSystem.readBelow`, `FileSystem.replace`).
struct UpToDate {
    /// The folder holding the output, and the record's path below it (`.waymark-cache/<output>.json`).
    let parent: String
    let record: String
    let inputs: UInt64

    init(options: BuildOptions) {
        let output = URL(fileURLWithPath: options.output).standardizedFileURL
        parent = output.deletingLastPathComponent().path
        record = ".waymark-cache/" + output.lastPathComponent + ".json"
        var h = StableHasher()
        h.add(options.tool)
        h.add(options.baseURL ?? "")
        h.add([options.includeDrafts, options.strict, options.precompress].map { $0 ? 1 : 0 })
        for (label, root) in [("content", options.content), ("templates", options.templates)] {
            h.add(label)
            for entry in (try? FileSystem.walk(root)) ?? [] where !entry.isDirectory {
                h.add(entry.path)
                if let bytes = try? FileSystem.readBytes(root + "/" + entry.path) {
                    h.add(String(FNV1a.hash(bytes), radix: 16))
                }
            }
        }
        inputs = h.value
    }

    /// The marker's identity plus the number, total size and newest change time of every file in the
    /// output: any file added, removed or edited since the build changes it.
    static func markerStamp(_ output: String) -> String? {
        var st = stat()
        guard lstat(output + "/" + OutputWriter.marker, &st) == 0, st.st_mode & S_IFMT == S_IFREG, let entries = try? FileSystem.walk(output)
        else { return nil }
        var files = 0
        var bytes = 0
        var newest = 0
        for entry in entries where !entry.isDirectory {
            files += 1
            bytes += entry.size
            newest = max(newest, entry.modified)
        }
        return "\(st.st_ino)-\(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec)-\(files)-\(bytes)-\(newest)"
    }

    /// The previous summary when nothing changed, else nil.
    func unchanged(output: String) -> BuildSummary? {
        guard let bytes = try? FileSystem.readBelow(parent, record, limit: 64 << 20),
            let saved = try? JSONDecoder().decode(Saved.self, from: Data(bytes)),
            saved.inputs == String(inputs, radix: 16), let stamp = Self.markerStamp(output), saved.marker == stamp
        else { return nil }
        return BuildSummary(diagnostics: saved.diagnostics.map(\.diagnostic), pages: saved.pages, languages: saved.languages, wrote: false, upToDate: true)
    }

    func save(_ summary: BuildSummary, output: String) {
        guard let stamp = Self.markerStamp(output) else { return }
        let saved = Saved(
            inputs: String(inputs, radix: 16), marker: stamp, pages: summary.pages, languages: summary.languages,
            diagnostics: summary.diagnostics.map(SavedDiagnostic.init))
        let folder = parent + "/" + (record as NSString).deletingLastPathComponent
        if !FileSystem.isFolder(folder) {
            FileSystem.removeTree(folder)
            try? FileSystem.createDirectory(folder)
        }
        if let data = try? JSONEncoder().encode(saved) { try? FileSystem.replace([UInt8](data), at: parent + "/" + record) }
    }

    struct Saved: Codable {
        var inputs: String
        var marker: String
        var pages: Int
        var languages: Int
        var diagnostics: [SavedDiagnostic]
    }

    struct SavedDiagnostic: Codable {
        var severity: String, code: String, message: String, file: String?, line: Int?, column: Int?, root: String

        init(_ d: Diagnostic) {
            severity = d.severity.rawValue
            code = d.code
            message = d.message
            file = d.file
            line = d.location?.line
            column = d.location?.column
            root = d.root.rawValue
        }

        var diagnostic: Diagnostic {
            Diagnostic(
                Diagnostic.Severity(rawValue: severity) ?? .warning, code, message, file: file,
                at: line.flatMap { l in column.map { SourceLocation(line: l, column: $0) } }, root: Diagnostic.Root(rawValue: root) ?? .content)
        }
    }
}
