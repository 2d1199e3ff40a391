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

/// A stable 64-bit hash of values (strings, numbers, and template contexts with dictionaries by sorted
/// key), for the keys under which stages keep results for the next build.
struct ContextHasher {
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

    mutating func add(any value: Any) {
        switch value {
        case let s as String:
            add("s")
            add(s)
        case let b as Bool: add(b ? "T" : "F")
        case let i as Int:
            add("i")
            add(String(i))
        case let d as [String: Any]:
            add("{")
            for key in d.keys.sorted() {
                add(key)
                add(any: d[key]!)
            }
            add("}")
        case let d as [String: any Sendable]:
            add(any: d as [String: Any])
        case let a as [Any]:
            add("[")
            for item in a { add(any: item) }
            add("]")
        default:
            add("?")
            add(String(describing: value))
        }
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
