/// The query-side ranking weights, defined once: the index builder writes them into every language's
/// `meta.json`, and both query engines, `waymark search` (`SearchEngine`) and the browser's script,
/// read them from there, so the two cannot drift apart. All are integers, which keeps the scores of the
/// two engines identical.
///
/// A query word matches index words with a weight: its exact folded form, the same stem (taken from
/// the index; for a word the index lacks, the longest indexed stem it starts with, less certain),
/// synonyms, longer words it starts (the word being typed), words one edit away (from `typoLength`
/// letters) or, for the word being typed, words whose start is one edit away, or for a shorter word
/// (from `correctionLength` letters) the one word a letter away it clearly means (`clearCorrection`);
/// two neighbouring query words that the index has written as one word match that word. The "did you
/// mean" suggestion allows one edit, or two from `twoEditLength` letters. Each weight is then multiplied by `plain`, or, when the query word
/// carries diacritics, by `markedSame` for pages with exactly that form and `markedOther` for other
/// forms. A page scores the sum over words of its best impact × multiplier, × words matched, ×
/// (`base` + proximity bonus up to `proximityCap` + `titleWord` per query word in the title, up to
/// `titleWordCap` words), × `titleCovers` when the title holds every query word; the proximity bonus is
/// `adjacent` per pair of query words adjacent in query order, `near` within `nearDistance` words,
/// `far` within `farDistance`.
public struct Ranking: Codable, Sendable, Equatable {
    public var exact = 100
    public var sameStem = 90
    public var guessedStem = 60
    public var synonym = 80
    public var prefix = 70
    /// How many longer words the word being typed expands to, at most.
    public var prefixLimit = 50
    public var typo = 50
    public var typoPrefix = 40
    /// Shortest word matched one typo away: shorter words have many neighbours one edit away.
    public var typoLength = 5
    /// Shortest word corrected at all (a suggestion, or a short word clearly meant: `chrn` → `churn`).
    public var correctionLength = 3
    /// Shortest word a suggestion may be two edits from.
    public var twoEditLength = 6
    /// A short word clearly means the word one edit away on at least this many times the pages of all
    /// the other words one edit away together.
    public var clearCorrection = 3
    public var joined = 100
    public var joinedPrefix = 70
    public var joinedLimit = 20
    public var plain = 4
    public var markedSame = 5
    public var markedOther = 2
    public var base = 10
    public var adjacent = 12
    public var near = 4
    public var nearDistance = 3
    public var far = 1
    public var farDistance = 10
    public var proximityCap = 24
    public var titleWord = 4
    public var titleWordCap = 4
    public var titleCovers = 2

    public init() {}

    /// As written into `meta.json` (keys in declaration order).
    var json: JSON {
        let mirror = Mirror(reflecting: self)
        return .object(mirror.children.map { ($0.label!, JSON.int($0.value as! Int)) })
    }
}
