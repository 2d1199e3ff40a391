import Foundation

/// Numbers distinct byte strings 0, 1, 2… in order of first appearance, looking them up by their bytes:
/// no `String` is made for a string already seen, so counting a million events by reader id costs one
/// hash and one comparison each. Memory is the distinct strings' bytes plus a table of their numbers.
struct ByteInterner {
    private var storage: [UInt8] = []
    /// `starts[n]..<starts[n + 1]` are string n's bytes.
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing: a string's number + 1, or 0 for an empty slot; the size is a power of two.
    private var slots = [Int32](repeating: 0, count: 64)

    var count: Int { starts.count - 1 }

    /// The number of `bytes`, adding it when new.
    mutating func id(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let h = FNV1a.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            let n = entry - 1
            if hashes[n] == h, equal(n, bytes) { return n }
            slot = (slot + 1) & mask
        }
        let n = count
        storage.append(contentsOf: bytes)
        starts.append(storage.count)
        hashes.append(h)
        slots[slot] = Int32(n + 1)
        if count * 2 > slots.count { grow() }
        return n
    }

    mutating func id(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { id($0) }
    }

    /// The number of `bytes` when it was seen before.
    func existing(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = FNV1a.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] != 0 {
            let n = Int(slots[slot]) - 1
            if hashes[n] == h, equal(n, bytes) { return n }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// String n (invalid UTF-8 repaired).
    func string(_ n: Int) -> String {
        String(decoding: storage[starts[n]..<starts[n + 1]], as: UTF8.self)
    }

    private func equal(_ n: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = starts[n + 1] - starts[n]
        guard length == bytes.count else { return false }
        if length == 0 { return true }
        return storage.withUnsafeBufferPointer { memcmp($0.baseAddress! + starts[n], bytes.baseAddress!, length) == 0 }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for n in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[n]) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = Int32(n + 1)
        }
        slots = bigger
    }
}
