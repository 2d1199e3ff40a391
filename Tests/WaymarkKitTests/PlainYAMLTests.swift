import Foundation
import Testing

@testable import WaymarkKit

/// Front matter read by the byte scanner (`PlainYAML`) must come out exactly as Yams reads it: the same
/// typed values, the same key locations and the same diagnostics, for every text, whichever reader takes it.
@Suite("Plain front matter reader")
struct PlainYAMLTests {
    /// The front matter blocks of the benchmark corpus (a sample of `gen_corpus.py --articles 200`: every
    /// guide and 120 articles, four languages), each after a `# path` line.
    static let corpus: [Substring] = {
        let text = try! String(contentsOfFile: Repo.fixtures + "/front-matter/gen_corpus.yml.txt", encoding: .utf8)
        return text.split(separator: "\u{0C}\n").map { $0.drop { $0 != "\n" }.dropFirst() }
    }()

    /// The front matter of the repository's own help center.
    static let repositoryContent: [Substring] = {
        let files = FileManager.default.enumerator(atPath: Repo.content)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".md") }.sorted()
        return files.compactMap { file in
            let text = try! String(contentsOfFile: Repo.content + "/" + file, encoding: .utf8)
            guard case .found(let yaml, _, _) = FrontMatter.split(text) else { return nil }
            return yaml
        }
    }()

    /// Both readers agree on `yaml` read as an article and as a guide; returns whether the scanner took it.
    @discardableResult
    static func expectSame(_ yaml: Substring, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        for kind in [DocumentKind.article, .guide] {
            let fast = FrontMatter.parse(yaml: yaml, file: "x.md", kind: kind)
            let yams = FrontMatter.parseWithYams(yaml: yaml, file: "x.md", kind: kind)
            #expect(fast.0 == yams.0, "\(kind) values differ for:\n\(yaml)", sourceLocation: sourceLocation)
            #expect(fast.1 == yams.1, "\(kind) diagnostics differ for:\n\(yaml)", sourceLocation: sourceLocation)
        }
        return PlainYAML.parse(yaml) != nil
    }

    @Test("the benchmark corpus is read without Yams, with the same result")
    func corpusAgrees() {
        #expect(Self.corpus.count > 200)
        for yaml in Self.corpus { #expect(Self.expectSame(yaml), "the scanner should take:\n\(yaml)") }
    }

    @Test("the repository's help center reads the same either way")
    func repositoryAgrees() {
        #expect(Self.repositoryContent.count > 100)
        let taken = Self.repositoryContent.filter { Self.expectSame($0) }.count
        // Most of it is plain `key: value` lines; the rest (folded summaries, comments) goes to Yams.
        #expect(taken * 2 > Self.repositoryContent.count)
    }

    /// Values YAML reads differently from their text, or rejects: each replaces every value of some
    /// corpus blocks, and both readers must agree (mostly by the scanner declining them).
    static let trickyValues = [
        "a: b", "a #b", "a#b", "a:", "\"a\\\"b\"", "\"a\\tb\"", "'it''s'", "'x' # c", "\"x\" y", "[a, b", "[a,b]", "[ a ]", "[a ,b]", "[]", "[a, [b]]",
        "[a, {b: c}]", "[a, 'b']", "[a,, b]", "[a, b] x", "{a: b}", "~", "null", "Null", "\"\"", "''", "yes", "no", "on", "true", "x ", "-x", "- x",
        "?x", ":x", ",x", "]x", "}x", "\u{85}x", "x\u{85}y", "x\u{2028}y", "\u{FEFF}x", "x\u{FEFF}", "x\ty", "x\u{7F}", "x\u{9F}", "x\u{FFFE}", "@x", "`x",
        "%x", "&a x", "*a", "!tag x", "!!str x", "|", ">", "|\n  a", "2026-01-05", "2026-13-01", "12", "0012", "+12", "1e3", "x: y: z", "ü", "Ăn uống",
        "😀 x", "فارسی", "Заголовок", "a [b] {c}", "a, b", "a'b", "a\"b", "a|b", "a > b", "a - b", "a & b", "a * b", "a ! b", "a % b", "x\\y",
        "\"x\\u0000\"", "\"\\e\"", "\"a\ny\"", "a\n  b", "a\n b: c", "\n  - a\n  - b", "[a, b]\n  - c",
    ]

    @Test("tricky values read the same by both readers")
    func trickyValuesAgree() {
        for yaml in Self.corpus.prefix(8) {
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            for (n, line) in lines.enumerated() where line.contains(": ") {
                let key = line.prefix { $0 != ":" }
                for value in Self.trickyValues {
                    var changed = lines
                    changed[n] = key + ": " + value[...]
                    Self.expectSame(Substring(changed.joined(separator: "\n")))
                }
            }
        }
    }

    @Test("keys and layout the scanner must decline or read exactly")
    func layoutAgrees() {
        let cases = [
            "title: A\ntitle: B\n", "Title: A\n", "ti tle: A\n", "title : A\n", "title:A\n", "title:  A\n", "title:\tA\n", " title: A\n",
            "title: A\n\n\nsummary: B\n",
            "title: A\n  \nsummary: B\n", "# c\ntitle: A\n", "title: A # c\n", "title: A\r\n", "title: A", "-title: A\n", "_title: A\n", "title-x: A\n",
            "title: A\n...\n", "title: A\n---\n", "\n", "", "title: A\nunknwn: x\ntags: x\n", "title: A\ntags: [a, a, b]\naliases: [/x/, /y/]\n",
            "title: A\nstage: setup\norder: 3\nduration: 10\n", "title: A\norder: 100001\n", "title: A\ndraft: maybe\n", "title: A\nreviewEvery: 0\n",
            "title: \"  A  \"\n", "title: '  '\n", "title: ~\n", "tags: [ü, 😀, فارسی]\ntitle: Ăn [x]\n", "title: A\ntags: [a b, c d]\n",
        ]
        for yaml in cases { Self.expectSame(Substring(yaml)) }
    }

    /// Columns are counted on along a line, not from its start for every item: a 50,000-item list on one
    /// line reads in linear time (counting from the line's start for each item would take minutes).
    @Test("a very long one-line list is read in linear time, at the right columns")
    func longList() {
        let items = (0..<50_000).map { "t\($0 % 10)é" }
        let yaml = "title: A\ntags: [" + items.joined(separator: ", ") + "]\n"
        guard let root = PlainYAML.parse(Substring(yaml)), case .mapping(let pairs) = root.shape, case .sequence(let list) = pairs[1].1.shape
        else {
            Issue.record("not read as a plain list")
            return
        }
        #expect(list.count == items.count)
        #expect(list.last?.position?.column == 8 + (items.count - 1) * 5)
        Self.expectSame(Substring("title: A\ntags: [" + items.prefix(300).joined(separator: ", ") + "]\n"))
    }

    @Test("random edits of corpus blocks read the same by both readers")
    func randomEditsAgree() {
        var random = SplitMix(seed: 21)
        let alphabet = Array("ab :#-[]{},'\"\\\t\n!&*|>%@`?~\u{85}\u{2028}\u{FEFF}éد😀".unicodeScalars)
        var taken = 0
        for round in 0..<1500 {
            var scalars = Array(Self.corpus[round % Self.corpus.count].unicodeScalars)
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let at = Int(random.next() % UInt64(scalars.count + 1))
                let c = alphabet[Int(random.next() % UInt64(alphabet.count))]
                if random.next() % 3 == 0, at < scalars.count { scalars[at] = c } else { scalars.insert(c, at: at) }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            if Self.expectSame(Substring(text)) { taken += 1 }
        }
        // The edits must exercise the scanner too, not only the fallback.
        #expect(taken > 150)
    }
}
