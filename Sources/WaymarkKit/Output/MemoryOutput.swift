/// Keeps a build's files in memory, for the preview server: every build fills a new generation, and
/// pages that did not change are carried over from the previous one instead of being rendered again.
public final class MemoryOutput: OutputSink, @unchecked Sendable {
    private let lock = Lock()
    private var current: [String: [UInt8]] = [:]
    private var next: [String: [UInt8]] = [:]
    private var changedByLastCommit: [String] = []
    /// Paths patched while a build was being collected: that build read older files, so its version
    /// of them must not replace the patch (the next build's will).
    private var patchedDuringBuild: Set<String> = []

    public init() {}

    /// The paths the last `commit` changed.
    public var lastChanged: [String] { lock.withLock { changedByLastCommit } }

    /// Starts collecting a new build; the previous one stays served until `commit`.
    public func begin() {
        lock.withLock {
            next = [:]
            patchedDuringBuild = []
        }
    }

    public func write(_ path: String, _ bytes: some Collection<UInt8>) throws {
        let array = Array(bytes)
        lock.withLock { next[path] = array }
    }

    public func reuse(_ path: String) -> Bool {
        lock.withLock {
            guard let bytes = current[path] else { return false }
            next[path] = bytes
            return true
        }
    }

    /// Makes the collected build the one served; returns the paths whose bytes changed, appeared or went
    /// away, sorted, so that only the pages showing them need to reload.
    @discardableResult
    public func commit() -> [String] {
        lock.withLock {
            for path in patchedDuringBuild { next[path] = current[path] }
            var changed: [String] = []
            for (path, bytes) in next where !Self.same(current[path], bytes) { changed.append(path) }
            for path in current.keys where next[path] == nil { changed.append(path) }
            current = next
            next = [:]
            patchedDuringBuild = []
            changedByLastCommit = changed.sorted()
            return changedByLastCommit
        }
    }

    /// Replaces some files of the served build at once (the preview's edited page, ahead of the rebuild
    /// that follows); returns the paths whose bytes changed, sorted.
    @discardableResult
    public func patch(_ files: [(path: String, bytes: [UInt8])]) -> [String] {
        lock.withLock {
            var changed: [String] = []
            for (path, bytes) in files where !Self.same(current[path], bytes) {
                current[path] = bytes
                changed.append(path)
            }
            patchedDuringBuild.formUnion(changed)
            return changed.sorted()
        }
    }

    /// Byte equality that skips the comparison for a reused page (the same array storage).
    private static func same(_ a: [UInt8]?, _ b: [UInt8]) -> Bool {
        guard let a else { return false }
        let shared = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress && x.count == y.count } }
        return shared || a == b
    }

    /// Forgets a failed build; the last good one stays served.
    public func discard() {
        lock.withLock {
            next = [:]
            patchedDuringBuild = []
        }
    }

    public func file(_ path: String) -> [UInt8]? {
        lock.withLock { current[path] }
    }

    public var isEmpty: Bool { lock.withLock { current.isEmpty } }

    /// Paths of the served build, sorted.
    public var paths: [String] { lock.withLock { current.keys.sorted() } }
}

/// Collects what a renderer writes, for the preview's re-render of edited pages. With `keepsServed`, a
/// page whose inputs are unchanged is left as the preview serves it (`reuse` succeeds without writing).
final class CollectingSink: OutputSink, @unchecked Sendable {
    private let lock = Lock()
    private(set) var files: [(path: String, bytes: [UInt8])] = []
    private let keepsServed: Bool

    init(keepsServed: Bool = false) {
        self.keepsServed = keepsServed
    }

    func write(_ path: String, _ bytes: some Collection<UInt8>) throws {
        let array = Array(bytes)
        lock.withLock { files.append((path, array)) }
    }

    func reuse(_ path: String) -> Bool { keepsServed }
}
