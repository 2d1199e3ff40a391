import CWaymarkSupport
import Foundation

/// Writes a build into a sibling of the output folder and swaps it in only when the whole build
/// succeeded, so a failed or interrupted build never leaves a half-written site where a server or CDN
/// sync could pick it up.
///
/// The swap is one `renameat2(RENAME_EXCHANGE)` on Linux, atomic even for a web server reading the folder
/// at that moment; elsewhere it falls back to renames with recovery of the previous site.
///
/// The output must be a folder Waymark wrote (or a new or empty one): a regular file, a folder that
/// cannot be listed or one holding other files is an error, never "empty". A symbolic link is
/// followed: the folder it points to is what is swapped, and the link keeps pointing at it. One build
/// at a time writes an output: the writer holds an exclusive lock (`.<name>.waymark-lock`, beside the
/// output, removed when released) until it commits or aborts, and a second build fails at once with a
/// clear error instead of sharing the staging folder.
///
/// The site replaced by a swap is kept as a spare (`.<name>.waymark-spare`) and becomes the next build's
/// staging folder: files are overwritten in place and files the new build did not write are removed
/// before the swap. Creating tens of thousands of fresh files and folders, and deleting as many, costs
/// more on ext4 than rendering the pages; reusing them makes rebuilds markedly faster.
///
/// A failed build leaves the folder beside the output as it found it: a staging folder it took from the
/// spare (or from an interrupted build) goes back under that name, one it created is deleted.
public final class OutputWriter: OutputSink, @unchecked Sendable {
    public let output: String
    /// The folder being written.
    public let staging: String
    /// The previous site after a swap, reused as the next staging folder.
    public let spare: String
    private let lock = Lock()
    private var directories: Set<String> = []
    private var written: Set<String> = []
    /// Whether staging holds files of an older build that this one may not overwrite.
    private var reused = false
    /// Where the staging folder came from, where `abort` puts it back: the spare, an interrupted build's
    /// staging folder (itself), or nowhere (created by this build: removed).
    private var origin: String?

    /// Name of the empty marker file that proves a folder was written by Waymark, so the tool never
    /// replaces (and deletes) a folder it did not create, such as a mistyped `--output ~`.
    public static let marker = ".waymark"

    /// Also write `.gz` and `.br` next to every text file (see `Compression`).
    public let precompress: Bool

    /// The open lock file; closing it releases the lock.
    private var lockDescriptor: Int32 = -1
    private let lockPath: String

    public init(output: String, precompress: Bool = false) throws {
        self.precompress = precompress
        var output = output
        while output.count > 1, output.hasSuffix("/") { output.removeLast() }
        var info = stat()
        if lstat(output, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR: break
            case S_IFLNK:
                // Swap the folder the link points to, next to it, so the link keeps working.
                guard let target = FileSystem.realPath(output), FileSystem.isDirectory(target) else { throw OutputError.badLink(output) }
                output = target
            default: throw OutputError.notAFolder(output)
            }
        }
        self.output = output
        let url = URL(fileURLWithPath: output)
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        staging = parent + "/." + name + ".waymark-new"
        spare = parent + "/." + name + ".waymark-spare"
        let previous = parent + "/." + name + ".waymark-old"
        lockPath = parent + "/." + name + ".waymark-lock"
        lockDescriptor = try Self.lock(lockPath, output: output)
        // A fallback swap interrupted between its renames left the site in `previous`: put it back.
        if !FileSystem.exists(output), FileSystem.exists(previous) {
            guard rename(previous, output) == 0 else { throw POSIXFailure(operation: "restore previous output from", path: previous, code: errno) }
        }
        FileSystem.removeTree(previous)
        if FileSystem.exists(output) {
            guard let contents = try? FileManager.default.contentsOfDirectory(atPath: output) else { throw OutputError.unreadable(output) }
            if !contents.isEmpty, !contents.contains(Self.marker) {
                throw OutputError.notOurs(output)
            }
        }
        // Reuse an interrupted staging folder or the spare; their old files are overwritten or removed.
        // Only real folders: a symbolic link there (from a cached output) would send the build elsewhere.
        reused = true
        origin = staging
        if !FileSystem.isFolder(staging) {
            FileSystem.removeTree(staging)
            if FileSystem.isFolder(spare), rename(spare, staging) == 0 {
                origin = spare
            } else {
                FileSystem.removeTree(spare)
                try FileSystem.createDirectory(staging)
                reused = false
                origin = nil
            }
        }
    }

    deinit {
        unlock()
    }

    /// Takes the output's build lock, or fails at once when another build holds it. The lock file is
    /// removed when released, so a build that took the lock on a file another build has just removed
    /// (opened before the removal) tries again on the file now at `path`.
    private static func lock(_ path: String, output: String) throws -> Int32 {
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else { throw POSIXFailure(operation: "open the build lock", path: path, code: errno) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let code = errno
                close(fd)
                if code == EWOULDBLOCK { throw OutputError.locked(output) }
                throw POSIXFailure(operation: "lock", path: path, code: code)
            }
            var held = stat()
            var named = stat()
            if fstat(fd, &held) == 0, lstat(path, &named) == 0, held.st_dev == named.st_dev, held.st_ino == named.st_ino { return fd }
            close(fd)
        }
    }

    /// Releases the build lock and removes its file (commit and abort do; so does the writer going away).
    /// The file goes first, while the lock is still held, so no other build can be holding it then.
    private func unlock() {
        guard lockDescriptor >= 0 else { return }
        unlink(lockPath)
        close(lockDescriptor)
        lockDescriptor = -1
    }

    /// Writes `bytes` at `path` (relative to the output root, `/`-separated), creating folders as needed.
    public func write(_ path: String, _ bytes: some Collection<UInt8>) throws {
        precondition(!path.hasPrefix("/") && !path.split(separator: "/").contains(".."), "output path escapes the output folder: \(path)")
        let full = staging + "/" + path
        if let slash = path.lastIndex(of: "/") {
            let dir = String(path[..<slash])
            let known = lock.withLock { directories.contains(dir) }
            if !known {
                try makeDirectories(dir)
            }
        }
        // Over a file of the reused site, in place; never through a link left there.
        try FileSystem.replace(bytes, at: full)
        var files = [path]
        if precompress, bytes.count >= 256, Compression.worthCompressing(path) {
            let array = Array(bytes)
            if let gz = Compression.gzip(array), gz.count < array.count {
                try FileSystem.replace(gz, at: full + ".gz")
                files.append(path + ".gz")
            }
            if let br = Compression.brotli(array), br.count < array.count {
                try FileSystem.replace(br, at: full + ".br")
                files.append(path + ".br")
            }
        }
        lock.withLock { written.formUnion(files) }
    }

    /// Creates `dir` and its parents below the staging folder; a file or symbolic link left where a
    /// folder now goes (from the reused previous site) is removed, so nothing is written through a link.
    private func makeDirectories(_ dir: String) throws {
        var prefix = ""
        for component in dir.split(separator: "/") {
            prefix += prefix.isEmpty ? String(component) : "/" + component
            if lock.withLock({ directories.contains(prefix) }) { continue }
            let full = staging + "/" + prefix
            if mkdir(full, 0o755) != 0 {
                guard errno == EEXIST else { throw POSIXFailure(operation: "create folder", path: full, code: errno) }
                if !FileSystem.isFolder(full) {
                    // Another writer may be replacing the same link at the same moment: its folder is as good.
                    unlink(full)
                    guard mkdir(full, 0o755) == 0 || (errno == EEXIST && FileSystem.isFolder(full)) else {
                        throw POSIXFailure(operation: "create folder", path: full, code: errno)
                    }
                }
            }
            lock.withLock { _ = directories.insert(prefix) }
        }
    }

    /// Makes the staged build the live output; the site it replaces becomes the spare.
    public func commit() throws {
        defer { unlock() }
        try write(Self.marker, [UInt8]())
        removeUnwritten()
        if !FileSystem.exists(output) {
            guard rename(staging, output) == 0 else { throw POSIXFailure(operation: "move build into", path: output, code: errno) }
            return
        }
        if waymark_exchange_paths(staging, output) == 0 {
            FileSystem.removeTree(spare)
            if rename(staging, spare) != 0 { FileSystem.removeTree(staging) }
            return
        }
        // No atomic exchange here: move the old site aside, move the new one in, keep the old as spare.
        let previous = staging.replacingOccurrences(of: ".waymark-new", with: ".waymark-old")
        FileSystem.removeTree(previous)
        guard rename(output, previous) == 0 else { throw POSIXFailure(operation: "move aside", path: output, code: errno) }
        guard rename(staging, output) == 0 else {
            let code = errno
            _ = rename(previous, output)
            throw POSIXFailure(operation: "move build into", path: output, code: code)
        }
        FileSystem.removeTree(spare)
        if rename(previous, spare) != 0 { FileSystem.removeTree(previous) }
    }

    /// A new staging folder holds nothing to keep (see `MemoryOutput` for the preview's reuse).
    public func reuse(_ path: String) -> Bool { false }

    /// Drops the staged build; the previous output and what was beside it stay as they were: a staging
    /// folder taken from the spare goes back (still reusable by the next build), a new one is deleted.
    public func abort() {
        defer { unlock() }
        switch origin {
        case staging?: break
        case let origin?: if rename(staging, origin) != 0 { FileSystem.removeTree(staging) }
        case nil: FileSystem.removeTree(staging)
        }
    }

    /// Deletes what a reused staging folder still holds from an older build.
    private func removeUnwritten() {
        guard reused else { return }
        let keep = lock.withLock { (written, directories) }
        guard let entries = try? FileSystem.walk(staging) else { return }
        for entry in entries.reversed() {
            if entry.isDirectory {
                if !keep.1.contains(entry.path) { rmdir(staging + "/" + entry.path) }
            } else if !keep.0.contains(entry.path) {
                unlink(staging + "/" + entry.path)
            }
        }
    }
}

public enum OutputError: Error, CustomStringConvertible {
    case notOurs(String)
    case notAFolder(String)
    case unreadable(String)
    case badLink(String)
    case locked(String)

    public var description: String {
        switch self {
        case .notAFolder(let path):
            return "--output '\(path)' is a file, not a folder; refusing to replace it. Choose a folder for --output."
        case .unreadable(let path):
            return "output folder '\(path)' cannot be listed (check its permissions); refusing to replace what it may hold."
        case .badLink(let path):
            return "--output '\(path)' is a symbolic link that does not lead to a folder; point it at a folder or choose another --output."
        case .locked(let path):
            return "another waymark build is writing '\(path)' right now; wait for it to finish (one build at a time per output folder)."
        case .notOurs(let path):
            return
                "output folder '\(path)' is not empty and was not written by waymark (no \(OutputWriter.marker) file); refusing to replace it. Choose another --output or empty the folder."
        }
    }
}
