import CStemmer
import Foundation

/// The text analysis both the index builder and every query use, so a word is always cut and folded the
/// same way. The browser runs the same steps from the tables this type emits into each language's
/// `meta.json` (see `LanguageProfile.json`), and the end-to-end tests compare browser and CLI results.
///
/// Steps for a text: NFKC; split into words (runs of letters, marks and digits, keeping ZWNJ/ZWJ inside a
/// word); per word: lowercase, then the normalization table (Persian and Arabic yeh/kaf/alef variants,
/// tatweel and harakat removed, ZWNJ removed, Persian and Arabic-Indic digits to ASCII, `ё`→`е`); Persian
/// verb prefixes (`می`) and plural suffixes (`ها`) written as separate words are joined to their word.
/// That gives the *normal form*, used for exact-form boosts. The *folded form* also drops Latin diacritics
/// (`chỉ số` → `chi so`, `đ` → `d`) and is what the index is keyed and sharded by. Languages Snowball
/// knows (English, Russian, …) match words by their *stem* of the folded form.
public struct Analyzer {
    public let profile: LanguageProfile
    private let stemmer: Stemmer?
    /// Raw word → normal form ("" when it is not a word); normal form → analysed word. Vocabulary is
    /// small next to text, so most words are analysed once per analyzer.
    private var normalCache: [String: String] = [:]
    private var wordCache: [String: Word] = [:]

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
        var out: [Word] = []
        var pendingPrefix: String?
        let source = text.utf8.allSatisfy({ $0 < 0x80 }) ? text : text.compatibilityComposed
        Self.tokenize(source) { raw in
            var normal: String
            if let cached = normalCache[String(raw)] {
                normal = cached
            } else {
                normal = normalize(raw) ?? ""
                normalCache[String(raw)] = normal
            }
            if normal.isEmpty { return }
            if let prefix = pendingPrefix {
                normal = prefix + normal
                pendingPrefix = nil
            } else if profile.joinPrefixes.contains(normal) {
                pendingPrefix = normal
                return
            } else if profile.joinSuffixes.contains(normal), let last = out.popLast() {
                normal = last.normal + normal
            }
            out.append(word(normal))
        }
        if let prefix = pendingPrefix { out.append(word(prefix)) }
        return out
    }

    /// Calls `body` with each maximal run of letters, marks, digits, ZWNJ and ZWJ.
    static func tokenize(_ text: String, _ body: (Substring) -> Void) {
        let scalars = text.unicodeScalars
        var start: String.UnicodeScalarView.Index?
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let inWord = isWordScalar(scalars[index])
            if inWord, start == nil { start = index }
            if !inWord, let s = start {
                body(Substring(scalars[s..<index]))
                start = nil
            }
            scalars.formIndex(after: &index)
        }
        if let s = start { body(Substring(scalars[s..<scalars.endIndex])) }
    }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 {
            let v = s.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
        }
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
    private func normalize(_ raw: Substring) -> String? {
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
        guard count > 0, count <= Self.maximumWordLength else { return nil }
        return String(out)
    }

    private mutating func word(_ normal: String) -> Word {
        if let cached = wordCache[normal] { return cached }
        let folded = Self.fold(normal)
        let w = Word(normal: normal, folded: folded, key: stemmer?.stem(folded) ?? folded)
        wordCache[normal] = w
        return w
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
