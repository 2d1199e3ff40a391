import Foundation

/// File-system access for the build, on POSIX calls: Foundation's FileManager is several times slower on
/// Linux for the tens of thousands of small files a large site has.
enum FileSystem {
    struct Entry: Sendable {
        /// Path relative to the walked root, `/`-separated.
        var path: String
        var isDirectory: Bool
        /// Set for symbolic links: where the link resolves to (absolute), or nil if it dangles.
        var symlinkTarget: String??
        /// Size and modification time in nanoseconds (of the target, for links), to notice edits.
        var size = 0
        var modified = 0
        /// Neither a regular file, a folder nor a link: a FIFO, device or socket, which is never read.
        var isSpecial = false
    }

    /// Lists a directory tree in sorted order without following symbolic links.
    static func walk(_ root: String) throws -> [Entry] {
        var out: [Entry] = []
        try walk(root, relative: "", into: &out)
        return out
    }

    private static func walk(_ root: String, relative: String, into out: inout [Entry]) throws {
        let dir = relative.isEmpty ? root : root + "/" + relative
        guard let handle = opendir(dir) else { throw POSIXFailure(operation: "open folder", path: dir, code: errno) }
        var names: [String] = []
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(handle) {
            // Read the name in place: a directory entry can be shorter than `dirent`, so copying the whole
            // struct (entry.pointee) may read past the end of the kernel's buffer.
            let name = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        closedir(handle)
        // Byte order of UTF-8 names: the same on every machine and locale.
        names.sort { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
        for name in names {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let full = root + "/" + rel
            var st = stat()
            guard lstat(full, &st) == 0 else { continue }
            let mode = st.st_mode & S_IFMT
            if mode == S_IFLNK {
                let resolved = realpath(full, nil).map { p -> String in
                    defer { free(p) }
                    return String(cString: p)
                }
                var target = stat()
                _ = stat(full, &target)
                out.append(Entry(path: rel, isDirectory: false, symlinkTarget: .some(resolved), size: Int(target.st_size), modified: Self.nanoseconds(target)))
            } else if mode == S_IFDIR {
                out.append(Entry(path: rel, isDirectory: true, symlinkTarget: nil))
                try walk(root, relative: rel, into: &out)
            } else if mode == S_IFREG {
                out.append(Entry(path: rel, isDirectory: false, symlinkTarget: nil, size: Int(st.st_size), modified: Self.nanoseconds(st)))
            } else {
                out.append(Entry(path: rel, isDirectory: false, symlinkTarget: nil, isSpecial: true))
            }
        }
    }

    static func nanoseconds(_ st: stat) -> Int {
        Int(st.st_mtim.tv_sec) * 1_000_000_000 + Int(st.st_mtim.tv_nsec)
    }

    /// Reads a regular file. Anything else (a FIFO, a device such as `/dev/zero`, a socket, also behind
    /// a symbolic link) is refused after opening and before the first read: opening does not block
    /// (`O_NONBLOCK`), and reading such a file could block forever or never end.
    /// A file larger than `limit` bytes is refused from its size, before it is read (and a file that grows
    /// while being read stops at `limit + 1` bytes and is refused too).
    static func readBytes(_ path: String, limit: Int = .max) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw POSIXFailure(operation: "read", path: path, code: errno) }
        defer { close(fd) }
        return try readRegular(fd, path: path, limit: limit)
    }

    /// Reads the regular file at `path` below `root` without following a symbolic link anywhere below
    /// `root`: each folder is opened from the one before with `O_NOFOLLOW | O_DIRECTORY`, the file with
    /// `O_NOFOLLOW`, and it must be a regular file (`fstat`), as in `readBytes`. For every read from a
    /// folder an earlier build left (the previous output, the cache beside it): such folders are often
    /// restored from a CI cache, where a link can name any file on the machine, and following it would
    /// publish or trust that file. `root` itself is followed (an output given as a link is meant).
    static func readBelow(_ root: String, _ path: String, limit: Int = .max) throws -> [UInt8] {
        let full = root + "/" + path
        let parts = path.split(separator: "/").map(String.init)
        guard let name = parts.last, !parts.contains(".."), !parts.contains(".") else { throw NotARegularFile(path: full) }
        var folder = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw POSIXFailure(operation: "read", path: full, code: errno) }
        for part in parts.dropLast() {
            let next = openat(folder, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            close(folder)
            guard next >= 0 else { throw POSIXFailure(operation: "read", path: full, code: code) }
            folder = next
        }
        let fd = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        let code = errno
        close(folder)
        guard fd >= 0 else { throw POSIXFailure(operation: "read", path: full, code: code) }
        defer { close(fd) }
        return try readRegular(fd, path: full, limit: limit)
    }

    /// The bytes of an open file, when it is a regular one of at most `limit` bytes.
    private static func readRegular(_ fd: Int32, path: String, limit: Int) throws -> [UInt8] {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw POSIXFailure(operation: "read", path: path, code: errno) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw NotARegularFile(path: path) }
        guard Int(st.st_size) <= limit else { throw FileTooLarge(size: Int(st.st_size), limit: limit) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var bytes = [UInt8](repeating: 0, count: max(Int(st.st_size), 0))
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: 65536)) }
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure(operation: "read", path: path, code: errno)
            }
            if n == 0 { break }
            filled += n
            if filled > limit { throw FileTooLarge(size: filled, limit: limit) }
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXFailure(operation: "write", path: path, code: errno) }
        defer { close(fd) }
        try write(bytes, to: fd, path: path)
    }

    /// Writes `bytes` at `path` in a folder an earlier build left and this one reuses (the staging
    /// folder, which was the output before; the cache), never through what is there: anything but a
    /// regular file with one name (a symbolic link, a hard link, a folder, a FIFO, a device) is removed
    /// first, so a link planted in a cached output cannot make the build write elsewhere. A regular file
    /// is overwritten in place (on ext4 cheaper than a new one). The folders above `path` are the
    /// caller's (`isFolder`).
    static func replace(_ bytes: some Collection<UInt8>, at path: String) throws {
        var st = stat()
        if lstat(path, &st) == 0, st.st_mode & S_IFMT != S_IFREG || st.st_nlink > 1 {
            if st.st_mode & S_IFMT == S_IFDIR { removeTree(path) } else { unlink(path) }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXFailure(operation: "write", path: path, code: errno) }
        defer { close(fd) }
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { throw NotARegularFile(path: path) }
        try write(bytes, to: fd, path: path)
    }

    private static func write(_ bytes: some Collection<UInt8>, to fd: Int32, path: String) throws {
        let array = Array(bytes)
        var written = 0
        while written < array.count {
            let n = array.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure(operation: "write", path: path, code: errno)
            }
            written += n
        }
    }

    /// Creates a new file; fails when anything, even a dangling symbolic link, is already at `path`
    /// (the link is never followed, so nothing is written outside the intended folder).
    static func createNew(_ text: String, at path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXFailure(operation: "create", path: path, code: errno) }
        close(fd)
        try write(text, to: path)
    }

    /// Whether anything is at `path`, a dangling symbolic link included.
    static func entryExists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func write(_ text: String, to path: String) throws {
        var text = text
        try text.withUTF8 { try write($0, to: path) }
    }

    static func createDirectory(_ path: String) throws {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        if errno == ENOENT {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty, parent != path {
                try createDirectory(parent)
                if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
            }
        }
        throw POSIXFailure(operation: "create folder", path: path, code: errno)
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` itself is a folder (not a symbolic link to one): for folders an earlier build left,
    /// which are written into (see `replace`).
    static func isFolder(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Absolute, symlink-free form of an existing path.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}

/// A path that is not a regular file where one is read (a FIFO, a device, a socket).
struct NotARegularFile: Error, CustomStringConvertible {
    var path: String
    var description: String { "\(path) is not a regular file (a pipe, device or socket); only regular files are read" }
}

struct FileTooLarge: Error {
    var size: Int
    var limit: Int
}

struct POSIXFailure: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var code: Int32
    var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
}

/// Paths, sizes and modification times of every file below some folders: the preview server compares
/// one snapshot with the next to notice edits (polling works on every file system, containers and
/// network mounts included; a walk of 10,000 files takes a few milliseconds).
public struct FolderSnapshot: Equatable, Sendable {
    private var entries: [String: [Int]] = [:]

    public init(folders: [String]) {
        for folder in folders {
            for entry in (try? FileSystem.walk(folder)) ?? [] where !entry.isDirectory {
                entries[folder + "/" + entry.path] = [entry.size, entry.modified]
            }
        }
    }
}
