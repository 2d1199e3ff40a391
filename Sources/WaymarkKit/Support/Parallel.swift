import Dispatch

extension Array where Element: Sendable {
    /// Maps on all cores, keeping order. Work items are claimed one at a time so uneven sizes
    /// (a 10 MB article next to small ones) do not leave a core idle.
    func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        if count <= 1 { return map(transform) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let box = ResultBox(results)
        self.withUnsafeBufferPointer { input in
            let inputBox = InputBox(input)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                box.buffer[i] = transform(inputBox.buffer[i])
            }
        }
        return results.map { $0! }
    }
}

/// Each index is written by exactly one worker, so sharing the buffer across threads is safe.
private struct ResultBox<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>
    init(_ buffer: UnsafeMutableBufferPointer<T?>) { self.buffer = buffer }
}

private struct InputBox<T>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<T>
    init(_ buffer: UnsafeBufferPointer<T>) { self.buffer = buffer }
}
