import Foundation

/// A tiny mutex wrapper; Foundation's NSLock is enough and keeps us off newer Synchronization APIs.
final class Lock: @unchecked Sendable {
    private let lock = NSLock()

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
