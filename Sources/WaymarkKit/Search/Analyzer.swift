import CStemmer
import Foundation

/// The text analysis both the index builder and every query use, so a word is always cut and folded the
/// same way. The browser runs the same steps from the tables this type emits into each language's
/// `meta.json` (see `LanguageProfile.json`), and the end-to-end tests compare browser and CLI results.
///
/// Steps for a text: split into words (runs of letters, marks and digits, keeping ZWNJ/ZWJ inside a
/// word); per word: NFKC, lowercase, then the normalization table (Persian and Arabic yeh/kaf/alef
/// variants, tatweel and harakat removed, ZWNJ removed, Persian and Arabic-Indic digits to ASCII,
/// `ё`→`е`); Persian verb prefixes (`می`) and plural suffixes (`ها`) written as separate words are joined
/// to their word. That gives the *normal form*, used for exact-form boosts. The *folded form* also drops
/// Latin diacritics (`chỉ số` → `chi so`, `đ` → `d`) and is what the index is keyed and sharded by.
/// Languages Snowball knows (English, Russian, …) match words by their *stem* of the folded form.
///
/// Indexing analyses tens of millions of words, so the hot path works on UTF-8 bytes: each distinct
/// spelling is analysed once and then found by a byte hash, and callers get small integer word ids.
public struct Analyzer {
    public let profile: LanguageProfile
    private let stemmer: Stemmer?
    /// Words seen so far; ids index it.
    public private(set) var vocabulary: [Word] = []
    private var spellings = ByteTable()
    private var normals: [String: Int32] = [:]
    /// Per word id, whether the word is one of the language's joined prefixes or suffixes: decided once per
    /// word, since comparing non-ASCII strings per occurrence was ~5% of a large build's CPU.
    private var joinRoles: [(prefix: Bool, suffix: Bool)] = []
    /// The word two ids make when joined (prefix or suffix), by the pair: found once per pair.
    private var joined: [UInt64: Int32] = [:]

    public struct Word: Hashable, Sendable {
        public var normal: String
        public var folded: String
        /// Stem of `folded` where the language has a stemmer, else `folded`.
        public var key: String
    }

    /// Longest word indexed, in Unicode scalars; longer runs (hashes, base64) are not words.
    static let maximumWordLength = 48

    public init(language: String) {
        profile = LanguageProfile(language: language)
        stemmer = profile.stemmer.flatMap(Stemmer.init)
    }

    /// Words of `text` in order, after joining Persian affixes.
    public mutating func words(_ text: String) -> [Word] {
        var ids: [Int32] = []
        analyze(text) { ids.append($0) }
        return ids.map { vocabulary[Int($0)] }
    }

    /// Calls `body` with the id of each word of `text`, in order.
    public mutating func analyze(_ text: String, _ body: (Int32) -> Void) {
        let joins = !profile.joinPrefixes.isEmpty || !profile.joinSuffixes.isEmpty
        // With Persian affixes, a word is held back until the next one shows whether it is a suffix.
        var held: Int32 = -1
        var prefix: Int32 = -1
        var text = text
        text.withUTF8 { bytes in
            Self.tokenize(bytes) { token in
                var id = spellings.find(token)
                if id == ByteTable.missing {
                    id = analyzeSpelling(token)
                    spellings.insert(token, id)
                }
                if id < 0 { return }
                if !joins {
                    body(id)
                    return
                }
                if prefix >= 0 {
                    id = join(prefix, id)
                    prefix = -1
                } else if joinRoles[Int(id)].prefix {
                    if held >= 0 { body(held) }
                    held = -1
                    prefix = id
                    return
                } else if held >= 0, joinRoles[Int(id)].suffix {
                    held = join(held, id)
                    return
                }
                if held >= 0 { body(held) }
                held = id
            }
        }
        if held >= 0 { body(held) }
        if prefix >= 0 { body(prefix) }
    }

    /// Each word of `text` on its own (Persian affixes written apart are not joined), with its range in
    /// Unicode scalars and its folded form: what result excerpts are chosen by and marked with.
    public mutating func tokens(_ text: String) -> [(range: Range<Int>, folded: [UInt8])] {
        var out: [(range: Range<Int>, folded: [UInt8])] = []
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var scanned = 0
            var scalars = 0
            Self.tokenize(bytes) { token in
                let start = token.baseAddress! - base
                for b in bytes[scanned..<start] where b & 0xC0 != 0x80 { scalars += 1 }
                let length = token.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
                scanned = start + token.count
                var id = spellings.find(token)
                if id == ByteTable.missing {
                    id = analyzeSpelling(token)
                    spellings.insert(token, id)
                }
                if id >= 0 { out.append((scalars..<(scalars + length), Array(vocabulary[Int(id)].folded.utf8))) }
                scalars += length
            }
        }
        return out
    }

    /// The analysed word for a new spelling, or -1 when it is not a word.
    private mutating func analyzeSpelling(_ token: UnsafeBufferPointer<UInt8>) -> Int32 {
        var raw = String(decoding: token, as: UTF8.self)
        if !token.allSatisfy({ $0 < 0x80 }) { raw = raw.compatibilityComposed }
        guard let normal = Self.normalize(raw) else { return -1 }
        return wordID(normal)
    }

    private mutating func wordID(_ normal: String) -> Int32 {
        if let id = normals[normal] { return id }
        let folded = Self.fold(normal)
        let id = Int32(vocabulary.count)
        vocabulary.append(Word(normal: normal, folded: folded, key: stemmer?.stem(folded) ?? folded))
        joinRoles.append((profile.joinPrefixes.contains(normal), profile.joinSuffixes.contains(normal)))
        normals[normal] = id
        return id
    }

    /// The word `first` and `second` written together make.
    private mutating func join(_ first: Int32, _ second: Int32) -> Int32 {
        let pair = UInt64(UInt32(first)) << 32 | UInt64(UInt32(second))
        if let id = joined[pair] { return id }
        let id = wordID(vocabulary[Int(first)].normal + vocabulary[Int(second)].normal)
        joined[pair] = id
        return id
    }

    /// Calls `body` with each maximal run of letters, marks, digits, ZWNJ and ZWJ in UTF-8 `bytes`.
    static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = -1
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            var length = 1
            let inWord: Bool
            if b < 0x80 {
                inWord = asciiWord[Int(b)]
            } else {
                var scalar: UInt32
                if b & 0xE0 == 0xC0 {
                    length = 2
                    scalar = UInt32(b & 0x1F)
                } else if b & 0xF0 == 0xE0 {
                    length = 3
                    scalar = UInt32(b & 0x0F)
                } else {
                    length = 4
                    scalar = UInt32(b & 0x07)
                }
                if i + length > n { length = n - i }
                for k in 1..<length { scalar = scalar << 6 | UInt32(bytes[i + k] & 0x3F) }
                inWord = isWordScalar(scalar)
            }
            if inWord {
                if start < 0 { start = i }
            } else if start >= 0 {
                body(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                start = -1
            }
            i += length
        }
        if start >= 0 { body(UnsafeBufferPointer(rebasing: bytes[start..<n])) }
    }

    private static let asciiWord: [Bool] = (0..<128).map { v in
        (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
    }

    /// Word characters of the Basic Multilingual Plane as a bit set, computed once.
    private static let bmpWord: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        for v in 0..<0x10000 {
            if let s = Unicode.Scalar(UInt32(v)), classify(s) { bits[v >> 6] |= 1 << UInt64(v & 63) }
        }
        return bits
    }()

    static func isWordScalar(_ value: UInt32) -> Bool {
        if value < 0x10000 { return bmpWord[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0 }
        return Unicode.Scalar(value).map(classify) ?? false
    }

    private static func classify(_ s: Unicode.Scalar) -> Bool {
        if s.value == 0x200C || s.value == 0x200D { return true }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// Lowercase + normalization table; nil when nothing of the word remains or it is too long.
    static func normalize(_ raw: String) -> String? {
        var out = String.UnicodeScalarView()
        var count = 0
        for scalar in raw.unicodeScalars {
            if scalar.value < 0x80 {
                let v = scalar.value
                out.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v + 32)! : scalar)
                count += 1
                continue
            }
            for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                if let replacement = LanguageProfile.normalization[lower] {
                    out.append(contentsOf: replacement.unicodeScalars)
                    count += replacement.unicodeScalars.count
                } else {
                    out.append(lower)
                    count += 1
                }
            }
        }
        guard count > 0, count <= maximumWordLength else { return nil }
        return String(out)
    }

    /// Drops diacritics from Latin letters only (Cyrillic `й` and Arabic script keep their marks) and
    /// applies the folding table (`đ` → `d`).
    static func fold(_ normal: String) -> String {
        if normal.utf8.allSatisfy({ $0 < 0x80 }) { return normal }
        var out = String.UnicodeScalarView()
        var afterLatin = false
        for scalar in normal.decomposedStringWithCanonicalMapping.unicodeScalars {
            let v = scalar.value
            if v >= 0x300, v <= 0x36F {
                if afterLatin { continue }
                out.append(scalar)
                continue
            }
            afterLatin = v >= 0x61 && v <= 0x7A
            if let replacement = LanguageProfile.folding[scalar] {
                out.append(contentsOf: replacement.unicodeScalars)
                afterLatin = true
            } else {
                out.append(scalar)
            }
        }
        return String(out).precomposedStringWithCanonicalMapping
    }
}

/// Byte strings → word ids, open addressing with FNV-1a: no `String` is created for a spelling already
/// seen, and no Unicode-normalizing hash runs on the hot path.
struct ByteTable {
    static let missing: Int32 = .min
    private var slots = [Int32](repeating: -1, count: 1024)
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var values: [Int32] = []
    private var arena: [UInt8] = []

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        return h
    }

    private func matches(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ h: UInt64) -> Bool {
        guard hashes[entry] == h, lengths[entry] == bytes.count else { return false }
        let start = starts[entry]
        for k in 0..<bytes.count where arena[start + k] != bytes[k] { return false }
        return true
    }

    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Self.hash(bytes)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[i]
            if entry < 0 { return Self.missing }
            if matches(Int(entry), bytes, h) { return values[Int(entry)] }
            i = (i + 1) & mask
        }
    }

    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Int32) {
        if (values.count + 1) * 2 > slots.count { grow() }
        let h = Self.hash(bytes)
        let entry = Int32(values.count)
        hashes.append(h)
        starts.append(arena.count)
        lengths.append(bytes.count)
        values.append(value)
        arena.append(contentsOf: bytes)
        place(entry, h)
    }

    private mutating func place(_ entry: Int32, _ h: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = entry
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for entry in 0..<values.count { place(Int32(entry), hashes[entry]) }
    }
}

/// A Snowball stemmer from libstemmer. Not thread-safe: each analyzer owns one (and caches its words).
final class Stemmer {
    private let handle: OpaquePointer

    init?(_ algorithm: String) {
        guard let h = sb_stemmer_new(algorithm, "UTF_8") else { return nil }
        handle = h
    }

    deinit { sb_stemmer_delete(handle) }

    func stem(_ word: String) -> String {
        var word = word
        return word.withUTF8 { buffer -> String in
            guard let base = buffer.baseAddress,
                let out = sb_stemmer_stem(handle, base, Int32(buffer.count))
            else { return String(decoding: buffer, as: UTF8.self) }
            let length = Int(sb_stemmer_length(handle))
            return String(decoding: UnsafeBufferPointer(start: out, count: length), as: UTF8.self)
        }
    }

    /// Whether libstemmer has an algorithm for a language code.
    static func available(_ language: String) -> Bool {
        guard let h = sb_stemmer_new(language, "UTF_8") else { return false }
        sb_stemmer_delete(h)
        return true
    }
}
