import Foundation
import WaymarkKit

#if canImport(Glibc)
    import Glibc
#endif

/// Tells which files changed below some folders, a burst of saves at a time.
///
/// On Linux it listens to the kernel's inotify notifications, so a save is seen within a millisecond
/// and an idle tree costs nothing; where inotify is missing or refuses (no watches left, a file system
/// without notifications) it falls back to polling file sizes and dates.
///
/// Editors rarely write one file once: they write a temporary file and rename it, or save several
/// files together. Notifications are gathered until the folders have been quiet for `quiet`
/// (at most `longest` after the first), and handed over as one `Change`.
final class FolderWatcher: @unchecked Sendable {
    /// One burst of changes: the paths (`folder/relative/path`, as given to `init`), or nil when the
    /// watcher could not tell which files changed (polling, or a notification queue overflow).
    struct Change: Sendable {
        var paths: Set<String>?
    }

    let folders: [String]
    let quiet: Duration
    let longest: Duration
    let pollInterval: Duration
    /// "inotify" or "polling", for the log.
    private(set) var mechanism = "polling"

    init(folders: [String], quiet: Duration = .milliseconds(12), longest: Duration = .milliseconds(250), pollInterval: Duration = .milliseconds(250)) {
        self.folders = folders
        self.quiet = quiet
        self.longest = longest
        self.pollInterval = pollInterval
    }

    /// Calls `handle` with each burst of changes, on a thread of its own, until `stop()`. While
    /// `handle` runs, new notifications queue up and form the next burst.
    func start(_ handle: @escaping @Sendable (Change) -> Void) {
        #if canImport(Glibc)
            if let inotify = Inotify(folders: folders) {
                mechanism = "inotify"
                let thread = Thread { [self] in
                    defer { inotify.close() }
                    while !stopped.value {
                        switch inotify.nextBurst(quiet: quiet, longest: longest) {
                        case .nothing: continue
                        case .paths(let paths): handle(Change(paths: paths))
                        case .unknown: handle(Change(paths: nil))
                        }
                    }
                }
                thread.name = "waymark-watch"
                thread.start()
                return
            }
        #endif
        mechanism = "polling"
        let thread = Thread { [self] in
            var last = FolderSnapshot(folders: folders)
            while !stopped.value {
                Thread.sleep(forTimeInterval: Double(pollInterval.components.attoseconds) / 1e18 + Double(pollInterval.components.seconds))
                let now = FolderSnapshot(folders: folders)
                if now != last {
                    last = now
                    handle(Change(paths: nil))
                }
            }
        }
        thread.name = "waymark-poll"
        thread.start()
    }

    func stop() { stopped.set(true) }

    private let stopped = Flag()
}

/// A boolean shared between threads.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var state = false
    var value: Bool { lock.withLock { state } }
    func set(_ value: Bool) { lock.withLock { state = value } }
}

#if canImport(Glibc)
    /// The inotify side of `FolderWatcher`: one watch per folder of the trees (inotify is not recursive),
    /// new folders watched as they appear.
    final class Inotify: @unchecked Sendable {
        private let fd: Int32
        /// Watch descriptor → folder path.
        private var folders: [Int32: String] = [:]
        private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        private static let mask: UInt32 =
            UInt32(IN_CLOSE_WRITE) | UInt32(IN_MODIFY) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM) | UInt32(IN_CREATE) | UInt32(IN_DELETE)
            | UInt32(IN_DELETE_SELF) | UInt32(IN_ATTRIB)

        init?(folders roots: [String]) {
            fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
            guard fd >= 0 else { return nil }
            for root in roots {
                guard watchTree(root) else {
                    Glibc.close(fd)
                    return nil
                }
            }
        }

        func close() { Glibc.close(fd) }

        /// Watches `root` and every folder below it (symbolic links are not followed, as the build does not).
        @discardableResult
        private func watchTree(_ root: String) -> Bool {
            guard add(root) else { return false }
            guard let entries = try? FileManager.default.subpathsOfDirectory(atPath: root) else { return true }
            for entry in entries {
                let path = root + "/" + entry
                var info = stat()
                guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
                guard add(path) else { return false }
            }
            return true
        }

        private func add(_ folder: String) -> Bool {
            let wd = inotify_add_watch(fd, folder, Self.mask | UInt32(IN_ONLYDIR) | UInt32(IN_DONT_FOLLOW))
            if wd < 0 { return errno == ENOENT || errno == ENOTDIR }  // gone already, or not a folder: nothing to watch
            folders[wd] = folder
            return true
        }

        enum Burst {
            /// Nothing within the wait (the caller checks whether to stop, then waits again).
            case nothing
            case paths(Set<String>)
            /// The kernel's queue overflowed: some changes are unknown.
            case unknown
        }

        /// Waits for a notification, then gathers more until none came for `quiet` (or `longest` passed).
        func nextBurst(quiet: Duration, longest: Duration) -> Burst {
            guard wait(milliseconds: 200) else { return .nothing }
            var paths: Set<String> = []
            var overflow = false
            let start = ContinuousClock.now
            repeat {
                overflow = drain(into: &paths) || overflow
            } while start.duration(to: .now) < longest && wait(milliseconds: Int32(quiet.components.attoseconds / 1_000_000_000_000_000))
            if overflow { return .unknown }
            return paths.isEmpty ? .nothing : .paths(paths)
        }

        private func wait(milliseconds: Int32) -> Bool {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            return poll(&p, 1, max(1, milliseconds)) > 0
        }

        /// Reads every queued notification; returns true on a queue overflow.
        private func drain(into paths: inout Set<String>) -> Bool {
            var overflow = false
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard n > 0 else { return overflow }
                var offset = 0
                while offset + 16 <= n {
                    let (wd, mask, length) = buffer.withUnsafeBytes { raw in
                        (
                            raw.loadUnaligned(fromByteOffset: offset, as: Int32.self), raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                            Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                        )
                    }
                    let nameBytes = buffer[(offset + 16)..<min(n, offset + 16 + length)].prefix { $0 != 0 }
                    offset += 16 + length
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                        overflow = true
                        continue
                    }
                    guard let folder = folders[wd] else { continue }
                    if mask & UInt32(IN_IGNORED) != 0 {
                        folders[wd] = nil
                        continue
                    }
                    let path = nameBytes.isEmpty ? folder : folder + "/" + String(decoding: nameBytes, as: UTF8.self)
                    paths.insert(path)
                    if mask & UInt32(IN_ISDIR) != 0, mask & (UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)) != 0 {
                        // A new folder: watch it, and count what was written into it before the watch existed.
                        watchTree(path)
                        for entry in (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? [] { paths.insert(path + "/" + entry) }
                    }
                }
            }
        }
    }
#endif
