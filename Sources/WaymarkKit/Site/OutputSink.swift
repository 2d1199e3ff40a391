/// Where a build's files go: the atomic output writer, memory for the preview server, or nowhere for
/// `check`.
public protocol OutputSink: Sendable {
    func write(_ path: String, _ bytes: some Collection<UInt8>) throws
    /// Keeps the file the previous build wrote at `path`; false when there is none to keep.
    func reuse(_ path: String) -> Bool
}

extension OutputSink {
    func write(_ path: String, _ text: String) throws { try write(path, Array(text.utf8)) }
}

struct DiscardingSink: OutputSink {
    func write(_ path: String, _ bytes: some Collection<UInt8>) throws {}
    func reuse(_ path: String) -> Bool { false }
}

/// Passes writes on to another sink and keeps every path written or reused: the whole output as the
/// alias check sees it (`OutputPaths`), whichever sink the build writes to.
final class PathRecorder: OutputSink, @unchecked Sendable {
    let base: OutputSink
    private let lock = Lock()
    private var recorded: [String] = []

    init(_ base: OutputSink) { self.base = base }

    func write(_ path: String, _ bytes: some Collection<UInt8>) throws {
        try base.write(path, bytes)
        lock.withLock { recorded.append(path) }
    }

    func reuse(_ path: String) -> Bool {
        guard base.reuse(path) else { return false }
        lock.withLock { recorded.append(path) }
        return true
    }

    /// The paths written or reused so far.
    var paths: [String] { lock.withLock { recorded } }
}
