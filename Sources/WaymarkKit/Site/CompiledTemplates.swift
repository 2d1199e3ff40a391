/// A compiled renderer for the Mustache that page templates use: variables, sections, inverted sections,
/// partials, comments, template inheritance (`{{<parent}}` / `{{$block}}`) and the `empty(…)` transform,
/// with the specification's standalone-line rules.
///
/// Why not only swift-mustache: profiles of a 10,000-page build put swift-mustache's renderer first —
/// every variable splits its name, copies the context stack and runs half a dozen dynamic casts, and
/// output is built by string concatenation. This renderer walks a pre-parsed tree, looks values up in
/// our `[String: Any]` contexts with a fixed order of casts, and writes UTF-8 bytes into one buffer,
/// several times faster. swift-mustache still parses every template first (its line-and-column syntax
/// errors are what writers see), and it renders any template using a feature this one does not
/// support (set delimiters, dynamic partials, indented partials, other transforms). The test suite
/// renders the default site with both and requires byte-identical pages.
struct CompiledTemplates: Sendable {
    indirect enum Node: Sendable {
        case text([UInt8])
        case variable(path: [String], escaped: Bool)
        case section(path: [String], empty: Bool, inverted: Bool, children: [Node])
        case partial(String)
        case parent(String, blocks: [String: [Node]])
        case block(String, children: [Node])
    }

    private let templates: [String: [Node]]
    /// Bytes of a typical page (an article page of the benchmark corpus is 12–20 kB).
    static let typicalPage = 16 * 1024

    /// Compiles every template, or returns nil when one of them needs a feature only swift-mustache has.
    init?(sources: [String: String]) {
        var compiled: [String: [Node]] = [:]
        for (name, text) in sources {
            guard let nodes = Parser.parse(text) else { return nil }
            compiled[name] = nodes
        }
        templates = compiled
    }

    func render(_ name: String, _ context: [String: Any]) -> [UInt8] {
        var renderer = Renderer(templates: templates)
        // Room for a typical page up front, instead of a dozen doublings and copies on the way there.
        renderer.out.reserveCapacity(Self.typicalPage)
        renderer.stack.append(context)
        if let nodes = templates[name] { renderer.render(nodes) }
        return renderer.out
    }

    // MARK: Parsing

    private enum Parser {
        struct Tag {
            var kind: UInt8  // 0 for a variable, else the sigil: # ^ / > < $ ! & {
            var content: String
        }

        enum Piece {
            case text(String)
            case tag(Tag)
        }

        static let standaloneKinds: Set<UInt8> = [
            UInt8(ascii: "#"), UInt8(ascii: "^"), UInt8(ascii: "/"), UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "$"), UInt8(ascii: "!"),
        ]

        static func parse(_ text: String) -> [Node]? {
            guard let pieces = lex(text) else { return nil }
            var index = 0
            guard let nodes = build(pieces, &index, closing: nil), index == pieces.count else { return nil }
            return nodes
        }

        /// Splits the template into text and tags, line by line, dropping standalone lines' whitespace.
        static func lex(_ text: String) -> [Piece]? {
            var pieces: [Piece] = []
            var lines: [Substring] = []
            var start = text.startIndex
            var i = text.startIndex
            while i < text.endIndex {
                if text[i] == "\n" {
                    lines.append(text[start...i])
                    start = text.index(after: i)
                }
                i = text.index(after: i)
            }
            if start < text.endIndex { lines.append(text[start...]) }
            for line in lines {
                var linePieces: [Piece] = []
                var rest = line[...]
                while let open = rest.range(of: "{{") {
                    if open.lowerBound > rest.startIndex { linePieces.append(.text(String(rest[..<open.lowerBound]))) }
                    let triple = rest[open.upperBound...].hasPrefix("{")
                    let closer = triple ? "}}}" : "}}"
                    guard let close = rest[open.upperBound...].range(of: closer) else { return nil }
                    var inner = String(rest[open.upperBound..<close.lowerBound])
                    var kind: UInt8 = 0
                    if triple {
                        kind = UInt8(ascii: "{")
                        inner.removeFirst()
                    } else if let first = inner.utf8.first, "#^/><$!&=%".utf8.contains(first) {
                        kind = first
                        inner.removeFirst()
                    }
                    if kind == UInt8(ascii: "=") || kind == UInt8(ascii: "%") { return nil }
                    linePieces.append(.tag(Tag(kind: kind, content: inner.trimmingCharacters(in: .whitespaces))))
                    rest = rest[close.upperBound...]
                }
                if !rest.isEmpty { linePieces.append(.text(String(rest))) }
                // Standalone: whitespace, one standalone-kind tag, whitespace, newline or end.
                let tags = linePieces.compactMap { if case .tag(let t) = $0 { return t } else { return nil } }
                let texts = linePieces.compactMap { if case .text(let s) = $0 { return s } else { return nil } }
                if tags.count == 1, standaloneKinds.contains(tags[0].kind),
                    texts.allSatisfy({ $0.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r\n" } })
                {
                    // Indented partials are left to swift-mustache.
                    if tags[0].kind == UInt8(ascii: ">"), case .text(let lead) = linePieces[0], !lead.isEmpty { return nil }
                    pieces.append(.tag(tags[0]))
                } else {
                    pieces += linePieces
                }
            }
            return pieces
        }

        static func build(_ pieces: [Piece], _ index: inout Int, closing: String?) -> [Node]? {
            var nodes: [Node] = []
            while index < pieces.count {
                let piece = pieces[index]
                index += 1
                switch piece {
                case .text(let s):
                    if case .text(let previous) = nodes.last {
                        nodes[nodes.count - 1] = .text(previous + Array(s.utf8))
                    } else {
                        nodes.append(.text(Array(s.utf8)))
                    }
                case .tag(let tag):
                    switch tag.kind {
                    case 0, UInt8(ascii: "&"), UInt8(ascii: "{"):
                        guard let (path, transform) = name(tag.content), transform == nil else { return nil }
                        nodes.append(.variable(path: path, escaped: tag.kind == 0))
                    case UInt8(ascii: "#"), UInt8(ascii: "^"):
                        guard let (path, transform) = name(tag.content), transform == nil || transform == "empty",
                            let children = build(pieces, &index, closing: tag.content)
                        else { return nil }
                        nodes.append(.section(path: path, empty: transform != nil, inverted: tag.kind == UInt8(ascii: "^"), children: children))
                    case UInt8(ascii: "/"):
                        return tag.content == closing ? nodes : nil
                    case UInt8(ascii: ">"):
                        if tag.content.hasPrefix("*") { return nil }
                        nodes.append(.partial(tag.content))
                    case UInt8(ascii: "$"):
                        guard let children = build(pieces, &index, closing: tag.content) else { return nil }
                        nodes.append(.block(tag.content, children: children))
                    case UInt8(ascii: "<"):
                        guard let children = build(pieces, &index, closing: tag.content) else { return nil }
                        var blocks: [String: [Node]] = [:]
                        for child in children { if case .block(let n, let c) = child { blocks[n] = c } }
                        nodes.append(.parent(tag.content, blocks: blocks))
                    case UInt8(ascii: "!"):
                        continue
                    default:
                        return nil
                    }
                }
            }
            return closing == nil ? nodes : nil
        }

        /// `a.b` → (["a", "b"], nil); `empty(a.b)` → (["a", "b"], "empty"); `.` → (["."], nil).
        static func name(_ s: String) -> ([String], String?)? {
            var name = s
            var transform: String?
            if let open = s.firstIndex(of: "("), s.hasSuffix(")") {
                transform = String(s[..<open])
                name = String(s[s.index(after: open)..<s.index(before: s.endIndex)])
            }
            if name == "." { return (["."], transform) }
            let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else { return nil }
            return (parts, transform)
        }
    }

    // MARK: Rendering

    private struct Renderer {
        let templates: [String: [Node]]
        var out: [UInt8] = []
        var stack: [Any] = []
        /// Block overrides of the parents being rendered, innermost last.
        var overrides: [[String: [Node]]] = []

        init(templates: [String: [Node]]) {
            self.templates = templates
            out.reserveCapacity(32 * 1024)
        }

        func lookup(_ path: [String]) -> Any? {
            if path.count == 1, path[0] == "." { return stack.last }
            var value: Any?
            for object in stack.reversed() {
                if let v = Self.child(object, path[0]) {
                    value = v
                    break
                }
            }
            for key in path.dropFirst() {
                guard let object = value else { return nil }
                value = Self.child(object, key)
            }
            return value
        }

        /// A dictionary's value for `key`. The exact dictionary type is checked first: a conditional cast
        /// of `[String: String]` to `[String: Any]` converts every element, on every lookup.
        static func child(_ object: Any, _ key: String) -> Any? {
            let type = Swift.type(of: object)
            if type == [String: Any].self { return (object as! [String: Any])[key] }
            if type == [String: String].self { return (object as! [String: String])[key] }
            return (object as? [String: Any])?[key]
        }

        mutating func render(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .text(let bytes):
                    out.append(contentsOf: bytes)
                case .variable(let path, let escaped):
                    guard let value = lookup(path) else { continue }
                    let text: String
                    switch value {
                    case let s as String: text = s
                    case let b as Bool: text = b ? "true" : "false"
                    case let i as Int: text = String(i)
                    default: text = String(describing: value)
                    }
                    if escaped { appendEscaped(text) } else { out.append(contentsOf: text.utf8) }
                case .section(let path, let empty, let inverted, let children):
                    var value = lookup(path)
                    if empty { value = value.flatMap(Self.isEmpty) }
                    section(value, inverted: inverted, children)
                case .partial(let name):
                    if let nodes = templates[name] { render(nodes) }
                case .parent(let name, let blocks):
                    guard let nodes = templates[name] else { continue }
                    overrides.append(blocks)
                    render(nodes)
                    overrides.removeLast()
                case .block(let name, let children):
                    // The outermost override wins, as in swift-mustache and the specification.
                    let chosen = overrides.first { $0[name] != nil }?[name] ?? children
                    render(chosen)
                }
            }
        }

        static func isEmpty(_ value: Any) -> Any? {
            switch value {
            case let a as [[String: Any]]: return a.isEmpty
            case let a as [String]: return a.isEmpty
            case let a as [Any]: return a.isEmpty
            case let s as String: return s.isEmpty
            default: return nil
            }
        }

        mutating func section(_ value: Any?, inverted: Bool, _ children: [Node]) {
            guard let value else {
                if inverted { render(children) }
                return
            }
            let type = Swift.type(of: value)
            if type == [[String: Any]].self { return each(value as! [[String: Any]], inverted: inverted, children) }
            if type == [[String: String]].self { return each(value as! [[String: String]], inverted: inverted, children) }
            if type == [String].self { return each(value as! [String], inverted: inverted, children) }
            switch value {
            case let b as Bool:
                if b != inverted { render(children) }
            case let list as [Any]:
                each(list, inverted: inverted, children)
            default:
                if !inverted {
                    stack.append(value)
                    render(children)
                    stack.removeLast()
                }
            }
        }

        mutating func each<T>(_ list: [T], inverted: Bool, _ children: [Node]) {
            if inverted {
                if list.isEmpty { render(children) }
                return
            }
            for item in list {
                stack.append(item)
                render(children)
                stack.removeLast()
            }
        }

        mutating func appendEscaped(_ text: String) { HTML.appendEscaped(text, to: &out) }
    }
}
