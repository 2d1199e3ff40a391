/// 64-bit FNV-1a: a stable hash (the same in every process and on every machine, unlike `Hasher`) for
/// fingerprints in file names and for the keys of reused build results.
enum FNV1a {
    static func hash(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var h = seed
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        return h
    }
}

/// File names that change when the content does (`style.3f9a1c2b7d.css`), so browsers and CDNs may keep
/// the files for ever: a new version is a new URL.
enum Fingerprint {
    /// `name` with the first 10 hex digits of `hash` before its extension.
    static func name(_ name: String, _ hash: UInt64) -> String {
        let hex = String(hash, radix: 16)
        let short = (String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(10)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "\(name).\(short)" }
        return "\(name[..<dot]).\(short)\(name[dot...])"
    }
}

/// The memo key of a stage's typed input: every stage's work function receives one `Hashable` value, and
/// its key is that value's hash, so nothing the work reads can be left out of the key. Swift's `Hasher`
/// is seeded per process, which suits the memo: `BuildCache` lives in memory and never outlives it
/// (stable hashes for file names are `FNV1a`'s).
enum StageKey {
    static func of(_ value: some Hashable, _ more: UInt64 = 0) -> UInt64 {
        var h = Hasher()
        h.combine(value)
        h.combine(more)
        return UInt64(bitPattern: Int64(h.finalize()))
    }
}

/// Text in a stage's input, equal and hashed by its UTF-8 bytes (`@Exact var title: String`). String's own
/// `Hashable` treats canonically equivalent text as equal (é as one code point or as e + ◌́), so a key
/// built on it would keep a page whose bytes must change; and it normalizes while hashing, which made
/// hashing the inputs of a 10,000-page site's listings most of a preview update's time.
@propertyWrapper
struct Exact<Value: ExactHashable>: Hashable, Sendable {
    var wrappedValue: Value

    static func == (a: Exact, b: Exact) -> Bool { a.wrappedValue.sameBytes(b.wrappedValue) }
    func hash(into h: inout Hasher) { wrappedValue.hashBytes(into: &h) }
}

/// Values `Exact` compares by their bytes: text, optional text and lists of text.
protocol ExactHashable: Sendable {
    func sameBytes(_ other: Self) -> Bool
    func hashBytes(into h: inout Hasher)
}

extension String: ExactHashable {
    func sameBytes(_ other: String) -> Bool { utf8.elementsEqual(other.utf8) }
    func hashBytes(into h: inout Hasher) {
        var s = self
        // The length first, so that neighbouring fields cannot trade bytes.
        s.withUTF8 {
            h.combine($0.count)
            h.combine(bytes: UnsafeRawBufferPointer($0))
        }
    }
}

extension Optional: ExactHashable where Wrapped == String {
    func sameBytes(_ other: String?) -> Bool {
        switch (self, other) {
        case (nil, nil): true
        case (let a?, let b?): a.sameBytes(b)
        default: false
        }
    }
    func hashBytes(into h: inout Hasher) {
        h.combine(self == nil)
        self?.hashBytes(into: &h)
    }
}

extension Array: ExactHashable where Element == String {
    func sameBytes(_ other: [String]) -> Bool { count == other.count && zip(self, other).allSatisfy { $0.sameBytes($1) } }
    func hashBytes(into h: inout Hasher) {
        h.combine(count)
        for s in self { s.hashBytes(into: &h) }
    }
}

/// A value inside a later stage's input that an earlier stage's key stands for (a rendering, its text):
/// equal and hashed by that key, so the value is not hashed again. Without a memo the keys are 0 and
/// nothing is compared.
struct Keyed<Value: Sendable>: Hashable, Sendable {
    let key: UInt64
    let value: Value

    static func == (a: Keyed, b: Keyed) -> Bool { a.key == b.key }
    func hash(into h: inout Hasher) { h.combine(key) }
}

/// A stable 64-bit hash of strings and numbers (FNV-1a, the same in every process), for what is kept on
/// disk between builds: the template and site.yml fingerprints and the up-to-date check's record.
struct StableHasher {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for b in bytes {
            value ^= UInt64(b)
            value &*= 0x100_0000_01b3
        }
    }

    mutating func add(_ numbers: [UInt64]) {
        for n in numbers { withUnsafeBytes(of: n.littleEndian) { add($0) } }
        add(CollectionOfOne(UInt8(0xFF)))
    }

    mutating func add(_ string: String) {
        var s = string
        s.withUTF8 { add($0) }
        add(CollectionOfOne(UInt8(0xFF)))
    }
}

/// What one stage hands to the same stage of the next build (`waymark serve` keeps them across
/// rebuilds): each result under the id of what it is for (a file, a page, a language) together with the
/// key of the inputs it came from. A result is reused only when the stage's declared inputs hash to the
/// same key, so reuse can never show stale output: keys are hashes of content, never of file dates.
final class StageMemo<Value>: @unchecked Sendable {
    private let lock = Lock()
    private var entries: [String: (key: UInt64, value: Value)] = [:]

    init() {}

    func value(_ id: String, key: UInt64) -> Value? {
        lock.withLock { entries[id].flatMap { $0.key == key ? $0.value : nil } }
    }

    /// A memo with the same entries, to compare keys against without changing this one.
    func copy() -> StageMemo {
        let other = StageMemo()
        other.entries = lock.withLock { entries }
        return other
    }

    func store(_ id: String, key: UInt64, _ value: Value) {
        lock.withLock { entries[id] = (key, value) }
    }

    /// Records `key` for `id`; returns true when the previous build recorded the same (for results kept
    /// elsewhere, such as the bytes of a page in the previous output).
    func unchanged(_ id: String, key: UInt64) -> Bool where Value == Void {
        lock.withLock {
            let same = entries[id]?.key == key
            entries[id] = (key, ())
            return same
        }
    }
}
