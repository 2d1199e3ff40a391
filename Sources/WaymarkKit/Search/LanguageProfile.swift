/// The per-language analysis settings and the tables shared by every language, as data: the index
/// builder uses them in Swift, and `meta.json` carries them to the browser so both analyse queries alike.
public struct LanguageProfile: Sendable {
    public let language: String
    /// libstemmer algorithm (its two-letter code), when Snowball has this language.
    public let stemmer: String?
    /// Longest word ending a generated stem rule removes (see `SearchIndexBuilder.stemRules`).
    static let maximumRuleSuffix = 8
    /// Endings Snowball's algorithm for the language removes whole (its noun, adjective, verb and
    /// derivational suffix lists), shipped as stem rules next to the rules learned from the corpus, so a
    /// small site whose text never uses an ending still matches a query that does (`клиентами` on a
    /// site that only says `клиентов`).
    public var snowballEndings: [String] {
        switch stemmer {
        case "en":
            return [
                "s", "es", "ed", "ing", "ly", "er", "ers", "ment", "ments", "ness", "ful", "able", "ible", "al", "ation", "ations", "ement",
                "ements", "ive", "ity", "ize", "izes", "ized", "ise", "ism", "ist", "ists", "ance", "ence",
            ]
        case "ru":
            return [
                "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й", "ев", "ов", "ей", "ой", "ий", "ый", "ам", "ям", "ом", "ем", "ах", "ях", "ами",
                "ями", "ие", "ые", "ое", "ая", "яя", "ую", "юю", "ого", "его", "ому", "ему", "ими", "ыми", "ых", "их", "ым", "им", "ия", "ию",
                "ией", "иям", "иях", "иями", "ть", "ет", "ют", "ит", "ят", "ла", "ли", "ло", "ся", "сь", "ость", "ост",
            ]
        default:
            return []
        }
    }
    /// Written as separate words but part of the next word (Persian `می شود` = `میشود`).
    public let joinPrefixes: [String]
    /// Written as separate words but part of the previous word (Persian `کتاب ها` = `کتابها`).
    public let joinSuffixes: [String]

    public init(language: String) {
        self.language = language
        let base = String(language.lowercased().split(separator: "-").first ?? "")
        stemmer = Stemmer.available(base) ? base : nil
        if base == "fa" {
            joinPrefixes = ["می", "نمی"]
            joinSuffixes = ["ها", "های", "هایی", "هایم", "هایت", "هایش", "ترین", "تر"]
        } else {
            joinPrefixes = []
            joinSuffixes = []
        }
    }

    /// Applied to every lowercased scalar in every language: variants that readers consider the same
    /// letter, invisible joiners and vowel marks, and non-ASCII digits.
    static let normalization: [Unicode.Scalar: String] = {
        var map: [Unicode.Scalar: String] = [
            "\u{064A}": "\u{06CC}",  // Arabic yeh → Persian yeh
            "\u{0649}": "\u{06CC}",  // alef maksura → Persian yeh
            "\u{0643}": "\u{06A9}",  // Arabic kaf → Persian kaf (keheh)
            "\u{0623}": "\u{0627}", "\u{0625}": "\u{0627}", "\u{0671}": "\u{0627}",  // alef with hamza/wasla → alef
            "\u{0629}": "\u{0647}",  // teh marbuta → heh
            "\u{0624}": "\u{0648}",  // waw with hamza → waw
            "\u{0640}": "",  // tatweel
            "\u{200C}": "", "\u{200D}": "",  // ZWNJ, ZWJ
            "\u{0451}": "\u{0435}",  // ё → е
            "\u{03C2}": "\u{03C3}",  // final sigma → sigma
        ]
        for v in UInt32(0x064B)...0x065F { map[Unicode.Scalar(v)!] = "" }  // harakat
        map["\u{0670}"] = ""  // superscript alef
        for d in 0..<10 {
            let ascii = String(d)
            map[Unicode.Scalar(0x06F0 + UInt32(d))!] = ascii  // Persian digits
            map[Unicode.Scalar(0x0660 + UInt32(d))!] = ascii  // Arabic-Indic digits
        }
        return map
    }()

    /// Applied when folding, after Latin diacritics are removed: Latin letters that do not decompose.
    static let folding: [Unicode.Scalar: String] = [
        "\u{0111}": "d",  // đ
        "\u{00F8}": "o",  // ø
        "\u{0142}": "l",  // ł
        "\u{00DF}": "ss",  // ß
        "\u{00E6}": "ae",  // æ
        "\u{0153}": "oe",  // œ
    ]

    /// The tables as JSON for `meta.json`, keyed by the scalar as a string, in code-point order.
    var json: JSON {
        func table(_ map: [Unicode.Scalar: String]) -> JSON {
            .object(map.keys.sorted { $0.value < $1.value }.map { (String($0), JSON.string(map[$0]!)) })
        }
        return .object([
            ("stem", .bool(stemmer != nil)),
            ("prefixes", .array(joinPrefixes.map(JSON.string))),
            ("suffixes", .array(joinSuffixes.map(JSON.string))),
            ("normalize", table(Self.normalization)),
            ("fold", table(Self.folding)),
        ])
    }
}
