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
