import CWaymarkSupport
import Foundation

/// Writes a build into a temporary sibling of the output folder and swaps it in only when the whole build
/// succeeded, so a failed or interrupted build never leaves a half-written site where a server or CDN
/// sync could pick it up.
///
/// The swap is one `renameat2(RENAME_EXCHANGE)` on Linux, atomic even for a web server reading the folder
/// at that moment; elsewhere it falls back to two renames with recovery of the previous site.
public final class OutputWriter: @unchecked Sendable {
    public let output: String
    /// The folder being written (`.<name>.waymark-new`).
    public let staging: String
    private let createdDirectories = Lock()
    private var directories: Set<String> = []

    /// Name of the empty marker file that proves a folder was written by Waymark, so the tool never
    /// replaces (and deletes) a folder it did not create, such as a mistyped `--output ~`.
    public static let marker = ".waymark"

    /// Also write `.gz` and `.br` next to every text file (see `Compression`).
    public let precompress: Bool

    public init(output: String, precompress: Bool = false) throws {
        self.precompress = precompress
        var output = output
        while output.count > 1, output.hasSuffix("/") { output.removeLast() }
        self.output = output
        let url = URL(fileURLWithPath: output)
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        staging = parent + "/." + name + ".waymark-new"
        try Self.recoverInterruptedSwap(output: output, parent: parent, name: name)
        if FileSystem.exists(output) {
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
            if !contents.isEmpty, !contents.contains(Self.marker) {
                throw OutputError.notOurs(output)
            }
        }
        FileSystem.removeTree(staging)
        try FileSystem.createDirectory(staging)
    }

    /// Writes `bytes` at `path` (relative to the output root, `/`-separated), creating folders as needed.
    public func write(_ path: String, _ bytes: some Collection<UInt8>) throws {
        precondition(!path.hasPrefix("/") && !path.split(separator: "/").contains(".."), "output path escapes the output folder: \(path)")
        let full = staging + "/" + path
        if let slash = path.lastIndex(of: "/") {
            let dir = staging + "/" + path[..<slash]
            let known = createdDirectories.withLock { directories.contains(dir) }
            if !known {
                try FileSystem.createDirectory(dir)
                createdDirectories.withLock { _ = directories.insert(dir) }
            }
        }
        try FileSystem.write(bytes, to: full)
        if precompress, bytes.count >= 256, Compression.worthCompressing(path) {
            let array = Array(bytes)
            if let gz = Compression.gzip(array), gz.count < array.count { try FileSystem.write(gz, to: full + ".gz") }
            if let br = Compression.brotli(array), br.count < array.count { try FileSystem.write(br, to: full + ".br") }
        }
    }

    /// Makes the staged build the live output and deletes the previous one.
    public func commit() throws {
        try write(Self.marker, [UInt8]())
        if !FileSystem.exists(output) {
            guard rename(staging, output) == 0 else { throw POSIXFailure(operation: "move build into", path: output, code: errno) }
            return
        }
        if waymark_exchange_paths(staging, output) == 0 {
            FileSystem.removeTree(staging)
            return
        }
        // No atomic exchange here: move the old site aside, move the new one in, then delete the old.
        let previous = staging.replacingOccurrences(of: ".waymark-new", with: ".waymark-old")
        FileSystem.removeTree(previous)
        guard rename(output, previous) == 0 else { throw POSIXFailure(operation: "move aside", path: output, code: errno) }
        guard rename(staging, output) == 0 else {
            let code = errno
            _ = rename(previous, output)
            throw POSIXFailure(operation: "move build into", path: output, code: code)
        }
        FileSystem.removeTree(previous)
    }

    /// Drops the staged build; the previous output stays as it was.
    public func abort() {
        FileSystem.removeTree(staging)
    }

    /// If a fallback swap was interrupted between its two renames, put the previous site back.
    private static func recoverInterruptedSwap(output: String, parent: String, name: String) throws {
        let previous = parent + "/." + name + ".waymark-old"
        if FileSystem.exists(previous) {
            if FileSystem.exists(output) {
                FileSystem.removeTree(previous)
            } else if rename(previous, output) != 0 {
                throw POSIXFailure(operation: "restore previous output from", path: previous, code: errno)
            }
        }
    }
}

public enum OutputError: Error, CustomStringConvertible {
    case notOurs(String)

    public var description: String {
        switch self {
        case .notOurs(let path):
            return "output folder '\(path)' is not empty and was not written by waymark (no \(OutputWriter.marker) file); refusing to replace it. Choose another --output or empty the folder."
        }
    }
}
