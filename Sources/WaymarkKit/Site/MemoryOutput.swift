/// Keeps a build's files in memory, for the preview server: every build fills a new generation, and
/// pages that did not change are carried over from the previous one instead of being rendered again.
public final class MemoryOutput: OutputSink, @unchecked Sendable {
    private let lock = Lock()
    private var current: [String: [UInt8]] = [:]
    private var next: [String: [UInt8]] = [:]

    public init() {}

    /// Starts collecting a new build; the previous one stays served until `commit`.
    public func begin() {
        lock.withLock { next = [:] }
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

    /// Makes the collected build the one served.
    public func commit() {
        lock.withLock { current = next }
    }

    /// Forgets a failed build; the last good one stays served.
    public func discard() {
        lock.withLock { next = [:] }
    }

    public func file(_ path: String) -> [UInt8]? {
        lock.withLock { current[path] }
    }

    public var isEmpty: Bool { lock.withLock { current.isEmpty } }

    /// Paths of the served build, sorted.
    public var paths: [String] { lock.withLock { current.keys.sorted() } }
}
