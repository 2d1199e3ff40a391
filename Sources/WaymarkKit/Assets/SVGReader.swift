import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Something in an SVG that would run script or load another file when a reader opens the SVG at its
/// own address (shown with `<img>` an SVG does neither), where the parser saw it.
public struct SVGFinding: Sendable, Hashable {
    public var description: String
    public var location: SourceLocation?
}

/// Reads an SVG with a real XML parser (libxml2, through Foundation's `XMLParser`): its size from the
/// root element, and what in it is active.
///
/// Every decision is made on what the parser reports: namespaces resolved, character references and
/// entities decoded, so `<h:script xmlns:h="http://www.w3.org/1999/xhtml">` is a script and
/// `jav&#x61;script:` a `javascript:` URL, as they are to a browser. A document that is not
/// well-formed XML is an error: browsers show it as a broken image, and a check of it could not speak
/// for what a browser makes of it. One pass over the bytes comes first and refuses what the parser
/// should never see (`precheck`).
enum SVGReader {
    /// At most this many findings per file: each is a diagnostic at its line.
    static let maxFindings = 10
    /// libxml2 2.9 checks each attribute against the tag's earlier ones and looks each prefix up through
    /// every namespace declared around it: quadratic beyond these counts, which no drawing comes near
    /// (an Inkscape file declares 7 namespaces).
    static let maxAttributesPerTag = 1000
    static let maxNamespaceDeclarations = 200
    /// libxml2 warns (an entity the unread external DTD may declare, an `xml:lang` it does not know) and
    /// goes on; past this many the file is refused. Foundation's `XMLParser` on Linux leaks 72 bytes per
    /// warning or error it reports (its error domain string), so this also bounds what a file can leak.
    static let maxWarnings = 100

    static let svgNamespace = "http://www.w3.org/2000/svg"
    static let htmlNamespace = "http://www.w3.org/1999/xhtml"

    static func read(_ bytes: [UInt8]) -> Result<ImageInfo, ImageHeaderError> {
        var info = ImageInfo(format: .svg, width: nil, height: nil)
        switch precheck(bytes) {
        case .failure(let error): return .failure(error)
        case .success(let finding?):
            // Not parsed: an internal subset's entities are expanded by the parser.
            info.activeContent = [finding]
            return .success(info)
        case .success(nil): break
        }
        let scan = parse(bytes)
        if let (message, location) = scan.error {
            return .failure(ImageHeaderError(description: "not well-formed XML (\(message)): browsers show it as a broken image", location: location))
        }
        guard let root = scan.root else { return .failure(ImageHeaderError(description: "not an SVG drawing: it has no element")) }
        guard root.name == "svg" else { return .failure(ImageHeaderError(description: "not an SVG drawing: its root element is <\(root.name)>, not <svg>")) }
        (info.width, info.height) = size(root.attributes)
        info.activeContent = scan.findings
        return .success(info)
    }

    /// Runs libxml2 over the whole file. It loads nothing: no external DTD, no external entity (a
    /// `SYSTEM "file:///etc/passwd"` entity stays unexpanded), whatever the file declares.
    static func parse(_ bytes: [UInt8]) -> Scanner {
        let scan = Scanner()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.externalEntityResolvingPolicy = .never
        parser.delegate = scan
        _ = parser.parse()
        return scan
    }

    /// An SVG's size from its root element's `width`/`height` (in absolute units) or `viewBox`.
    static func size(_ attributes: [String: String]) -> (Int?, Int?) {
        let box = attributes["viewBox"].map {
            $0.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" || $0 == "\t" || $0 == "\r" }).compactMap { Double($0) }
        }
        let boxSize = box.flatMap { $0.count == 4 && $0[2] > 0 && $0[3] > 0 ? ($0[2], $0[3]) : nil }
        var width = attributes["width"].flatMap(cssPixels)
        var height = attributes["height"].flatMap(cssPixels)
        if let (w, h) = boxSize {
            if width == nil, let height { width = height * w / h }
            if height == nil, let width { height = width * h / w }
            if width == nil, height == nil { (width, height) = (w, h) }
        }
        func rounded(_ v: Double?) -> Int? { v.flatMap { $0.isFinite && $0 >= 0.5 && $0 < 1e6 ? Int($0.rounded()) : nil } }
        return (rounded(width), rounded(height))
    }

    /// A length in CSS pixels; nil for relative units (`%`, `em`), which only the page could resolve.
    static func cssPixels(_ value: String) -> Double? {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        let units: [(String, Double)] = [("px", 1), ("in", 96), ("cm", 96 / 2.54), ("mm", 96 / 25.4), ("pt", 4.0 / 3), ("pc", 16)]
        for (unit, factor) in units where v.hasSuffix(unit) { return Double(v.dropLast(2)).map { $0 * factor } }
        return Double(v)
    }
}

// MARK: - Before parsing

extension SVGReader {
    /// One pass over the bytes before the parser sees them: UTF-8 only (a server may tell the browser
    /// `charset=utf-8`, and bytes the parser read as ISO-2022-JP could hide `<script>` from it); no
    /// DOCTYPE with an internal subset (its entities would be expanded: a few hundred bytes can declare
    /// gigabytes, and an entity can hold markup); no tag with more attributes, nor a document with more
    /// namespace declarations, than the parser handles in linear time. Returns a finding for what
    /// `unsafeHTML: true` may allow, a failure for what no site can publish.
    static func precheck(_ b: [UInt8]) -> Result<SVGFinding?, ImageHeaderError> {
        func at(_ offset: Int) -> SourceLocation { SourceFile.locate(byteOffset: offset, in: b[...]) }
        func starts(_ text: String, _ i: Int) -> Bool {
            let t = Array(text.utf8)
            return i + t.count <= b.count && b[i..<(i + t.count)].elementsEqual(t)
        }
        func after(_ text: String, from i: Int) -> Int? { b[min(i, b.count)...].firstIndex(ofBytes: Array(text.utf8)).map { $0 + text.utf8.count } }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

        if b.starts(with: [0xFE, 0xFF]) || b.starts(with: [0xFF, 0xFE]) || b.starts(with: [0, 0]) {
            return .failure(ImageHeaderError(description: "not UTF-8 (it starts as UTF-16 or UTF-32); save it as UTF-8"))
        }
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if let bad = SourceFile.firstInvalidUTF8Offset(b[i...]) {
            return .failure(ImageHeaderError(description: "not valid UTF-8; save it as UTF-8", location: at(bad)))
        }
        var finding: SVGFinding?
        // The prolog: XML declaration, comments, DOCTYPE (any other processing instruction stops the check).
        prolog: while i < b.count {
            if isSpace(b[i]) {
                i += 1
            } else if starts("<?", i) {
                guard let end = after("?>", from: i + 2) else { break }
                guard starts("<?xml", i), i + 5 < b.count, isSpace(b[i + 5]) else { return .success(instruction(at(i))) }
                if let encoding = declaredEncoding(b[i..<end]), !["utf-8", "utf8"].contains(encoding.lowercased()) {
                    return .failure(
                        ImageHeaderError(
                            description: "declared as \(encoding); save it as UTF-8 (browsers may read it otherwise than this check)", location: at(i)))
                }
                i = end
            } else if starts("<!--", i) {
                guard let end = after("-->", from: i + 4) else { break }
                i = end
            } else if i + 9 <= b.count, String(decoding: b[i..<(i + 9)], as: UTF8.self).uppercased() == "<!DOCTYPE" {
                var j = i + 9
                while j < b.count, b[j] != UInt8(ascii: ">") {
                    if b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'") {
                        j = b[(j + 1)...].firstIndex(of: b[j]) ?? b.count
                    } else if b[j] == UInt8(ascii: "[") {
                        finding = SVGFinding(
                            description: "a DOCTYPE with its own declarations (<!ENTITY …>), which the browser would expand", location: at(i))
                        break prolog
                    }
                    j += 1
                }
                i = j + 1
            } else {
                break
            }
        }
        // Tags: attributes per tag and namespace declarations in all, with comments and CDATA sections
        // skipped and quoted values read as values.
        var declarations = 0
        while let open = b[min(i, b.count)...].firstIndex(of: UInt8(ascii: "<")) {
            if starts("<!--", open) {
                i = after("-->", from: open + 4) ?? b.count
            } else if starts("<![CDATA[", open) {
                i = after("]]>", from: open + 9) ?? b.count
            } else if starts("<?", open) {
                return .success(instruction(at(open)))
            } else {
                var j = open + 1
                var attributes = 0
                while j < b.count, b[j] != UInt8(ascii: ">") {
                    let c = b[j]
                    if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                        j = b[(j + 1)...].firstIndex(of: c) ?? b.count
                    } else if c == UInt8(ascii: "=") {
                        attributes += 1
                        if attributes > maxAttributesPerTag {
                            return .failure(
                                ImageHeaderError(
                                    description: "too complex to check: a tag has over \(maxAttributesPerTag) attributes, which no drawing needs",
                                    location: at(open)))
                        }
                    } else if isSpace(c), starts("xmlns", j + 1) {
                        declarations += 1
                        if declarations > maxNamespaceDeclarations {
                            return .failure(
                                ImageHeaderError(
                                    description:
                                        "too complex to check: it has over \(maxNamespaceDeclarations) namespace declarations (xmlns), which no drawing needs",
                                    location: at(j + 1))
                            )
                        }
                    }
                    j += 1
                }
                i = j + 1
            }
        }
        return .success(finding)
    }

    /// A processing instruction other than the XML declaration: `<?xml-stylesheet?>` runs XSLT in a
    /// browser, and Foundation's `XMLParser` on Linux crashes (strlen of a null pointer) on one without
    /// data, such as `<?x?>`, so the file is not parsed: refused unless `unsafeHTML`, as a DTD subset is.
    static func instruction(_ location: SourceLocation) -> SVGFinding {
        SVGFinding(description: "a processing instruction (<?…?>), which a browser may run as a style sheet (XSLT)", location: location)
    }

    /// The `encoding` of an XML declaration (`<?xml version="1.0" encoding="UTF-8"?>`), as written.
    static func declaredEncoding(_ declaration: ArraySlice<UInt8>) -> String? {
        guard let name = declaration.firstIndex(ofBytes: Array("encoding".utf8)) else { return nil }
        var i = name + 8
        while i < declaration.endIndex, declaration[i] != UInt8(ascii: "\""), declaration[i] != UInt8(ascii: "'") { i += 1 }
        guard i < declaration.endIndex, let close = declaration[(i + 1)...].firstIndex(of: declaration[i]) else { return nil }
        return String(decoding: declaration[(i + 1)..<close], as: UTF8.self)
    }
}

// MARK: - What the parser reports

extension SVGReader {
    /// Collects the root element, the first well-formedness error and the findings.
    final class Scanner: NSObject, XMLParserDelegate {
        var root: (name: String, attributes: [String: String])?
        var findings: [SVGFinding] = []
        var error: (String, SourceLocation)?
        var warnings = 0
        /// Text of the `<style>` element being read (CSS: its `url()`s and `@import`s are checked at its end).
        var style: String?

        func found(_ description: String, _ parser: XMLParser) {
            guard findings.count < SVGReader.maxFindings else { return }
            findings.append(SVGFinding(description: description, location: SVGReader.location(parser)))
        }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]
        ) {
            if root == nil { root = (name, attributes) }
            for problem in SVGReader.problems(element: name, namespace: namespaceURI, qualifiedName: qualifiedName ?? name, attributes: attributes) {
                found(problem, parser)
            }
            if name.lowercased() == "style" { style = "" }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard name.lowercased() == "style", let css = style else { return }
            style = nil
            if let problem = SVGReader.cssProblem(css, stylesheet: true) { found("\(problem) in a <style> element", parser) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { style? += string }

        func parser(_ parser: XMLParser, foundCDATA block: Data) { style? += String(decoding: block, as: UTF8.self) }

        func parser(_ parser: XMLParser, foundProcessingInstructionWithTarget target: String, data: String?) {
            let effect = target.lowercased() == "xml-stylesheet" ? ", which makes the browser run a stylesheet (XSLT can write scripts)" : ""
            found("a processing instruction (<?\(target) …?>)\(effect)", parser)
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            let code = (parseError as NSError).code
            // libxml2's warnings (an entity the unread external DTD may declare, a relative namespace URI)
            // leave the document well-formed: counted, not refused, up to `maxWarnings`.
            guard error == nil else { return }
            if SVGReader.warnings.contains(code) {
                warnings += 1
                guard warnings > SVGReader.maxWarnings else { return }
                error = ("over \(SVGReader.maxWarnings) warnings from the parser, such as entities that are not declared", SVGReader.location(parser))
            } else {
                error = (SVGReader.xmlErrors[code] ?? "libxml2 error \(code)", SVGReader.location(parser))
            }
            // The rest would be read in libxml2's recovery mode: time spent on a file that is refused anyway.
            parser.abortParsing()
        }
    }

    /// libxml2's warning codes (`XML_WAR_*` in xmlerror.h).
    static let warnings: Set<Int> = [27, 93, 97, 98, 99, 100, 102, 106, 107]

    /// What the libxml2 errors a writer meets most often mean (`xmlParserErrors` in xmlerror.h).
    static let xmlErrors: [Int: String] = [
        4: "the file is empty", 5: "extra content after the end of the drawing, or a tag not closed", 9: "a character XML does not allow",
        26: "an entity that is not declared (write the character itself, or &#160; for &nbsp;)", 38: "'<' in an attribute value",
        41: "an attribute without a value", 42: "an attribute given twice", 65: "a space missing", 68: "a name missing",
        73: "'>' missing", 76: "a closing tag that does not match its opening tag", 77: "a tag not closed",
        85: "tags not closed in order", 201: "a namespace prefix that is not declared", 202: "a name with more than one ':'",
    ]

    static func location(_ parser: XMLParser) -> SourceLocation {
        SourceLocation(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1))
    }
}

// MARK: - The rules

extension SVGReader {
    /// Elements that run script, or embed a document that can, in any namespace (compared lower-cased).
    static let activeElements: [String: String] = [
        "script": "script", "handler": "script", "listener": "script", "foreignobject": "embedded HTML", "iframe": "an embedded page",
        "frame": "an embedded page", "embed": "an embedded object", "object": "an embedded object", "applet": "an embedded object",
    ]
    /// Elements that animate another element's attribute (a `<set>` can turn a link's `href` into `javascript:`).
    static let animations: Set<String> = ["set", "animate", "animatecolor", "animatemotion", "animatetransform"]
    /// Where a data: URL is an image and nothing else: a raster picture embedded by a drawing program.
    static let rasterDataURLs = ["data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"]
    /// What CSS may embed besides: fonts (Excalidraw embeds its hand-drawn fonts in `@font-face`).
    static let fontDataURLs = ["data:font/", "data:application/font-", "data:application/x-font-"]

    /// Why one element, with its attributes as the parser decoded them, is active; empty when it is not.
    static func problems(element name: String, namespace: String?, qualifiedName: String, attributes: [String: String]) -> [String] {
        var out: [String] = []
        let element = name.lowercased()
        if namespace == htmlNamespace {
            out.append("an HTML element (<\(qualifiedName)>)")
        } else if let what = activeElements[element] {
            out.append("a <\(qualifiedName)> element (\(what))")
        }
        if animations.contains(element),
            let target = attributes["attributeName"].map({ localName($0.trimmingCharacters(in: .whitespacesAndNewlines)).lowercased() }),
            target == "href" || target == "src" || target == "base" || target.hasPrefix("on")
        {
            out.append("a <\(qualifiedName)> that changes the \(target) attribute")
        }
        for (attribute, value) in attributes.sorted(by: { $0.key < $1.key }) {
            let local = localName(attribute).lowercased()
            let url = browserURL(value)
            let scheme = LinkResolver.scheme(of: url)
            if local.hasPrefix("on") {
                out.append("an event handler attribute (\(attribute))")
            } else if attribute.lowercased() == "xml:base" {
                out.append("an xml:base attribute, which changes what every link points to")
            } else if local == "href" || local == "src" {
                if let problem = reference(url, scheme: scheme, element: element) {
                    out.append("\(problem) (<\(qualifiedName) \(attribute)=\"\(shortened(value))\">)")
                }
            } else if scheme == "javascript" || scheme == "vbscript" {
                out.append("a \(scheme!): URL (\(attribute)=\"\(shortened(value))\")")
            }
            if local == "style" || value.contains("(") || value.contains("\\") {
                if let problem = cssProblem(value, stylesheet: local == "style") { out.append("\(problem) in the \(attribute) attribute") }
            }
        }
        return out
    }

    /// What is wrong with one `href` or `src`: links (`<a>`) may go to web pages and mail addresses;
    /// everything else may only point inside the drawing (`#id`), or be a raster picture in a data: URL.
    static func reference(_ url: String, scheme: String?, element: String) -> String? {
        if scheme == "javascript" || scheme == "vbscript" || (scheme == "data" && element == "a") { return "a \(scheme!): link" }
        if element == "a" {
            return scheme == nil || ["http", "https", "mailto", "tel"].contains(scheme!) ? nil : "a \(scheme!): link"
        }
        if url.isEmpty || url.hasPrefix("#") { return nil }
        if scheme == "data" {
            let raster = (element == "image" || element == "feimage") && rasterDataURLs.contains { url.hasPrefix($0 + ";") || url.hasPrefix($0 + ",") }
            return raster ? nil : "a data: URL that is not a PNG, JPEG, GIF or WebP picture"
        }
        return "a reference to another file"
    }

    /// Why CSS (a `<style>` element, a `style` attribute, or a presentation attribute such as `fill`) would
    /// load another file: every `url()` must point inside the drawing, or be a picture or a font in a
    /// data: URL. Escapes (`\75 rl(`) are decoded
    /// first and comments and strings kept, so what is searched holds every function a browser sees.
    static func cssProblem(_ css: String, stylesheet: Bool) -> String? {
        let text = decodedCSS(css)
        if stylesheet {
            for (function, what) in [("@import", "a CSS @import"), ("image-set(", "a CSS image-set()"), ("image(", "a CSS image()"), ("src(", "a CSS src()")]
            where text.contains(function) {
                return "\(what), which loads another file"
            }
        }
        var rest = text[...]
        while let call = rest.range(of: "url(") {
            rest = rest[call.upperBound...]
            let target = rest.drop { $0.isWhitespace || $0 == "\"" || $0 == "'" }
            if !target.hasPrefix("#"), !(rasterDataURLs + fontDataURLs).contains(where: { target.hasPrefix($0) }) {
                return "a CSS url() to another file (url(\(shortened(String(target.prefix { $0 != ")" }))))"
            }
        }
        return nil
    }

    /// CSS with its escapes decoded (`\75` and `\u` are both `u`), lower-cased.
    static func decodedCSS(_ css: String) -> String {
        guard css.contains("\\") else { return css.lowercased() }
        var out = String.UnicodeScalarView()
        var scalars = css.unicodeScalars[...]
        while let c = scalars.popFirst() {
            guard c == "\\", let next = scalars.first else {
                out.append(c)
                continue
            }
            let hex = scalars.prefix { $0.properties.isASCIIHexDigit }.prefix(6)
            if hex.isEmpty {
                if next != "\n" { out.append(next) }
                scalars = scalars.dropFirst()
                continue
            }
            scalars = scalars.dropFirst(hex.count)
            if let space = scalars.first, space == " " || space == "\t" || space == "\n" { scalars = scalars.dropFirst() }
            let value = UInt32(String(String.UnicodeScalarView(hex)), radix: 16) ?? 0
            out.append(value == 0 ? "\u{FFFD}" : Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(out).lowercased()
    }

    /// A URL as browsers read it: without the spaces and control characters they drop (around it, and
    /// tabs and line breaks anywhere: `java&#9;script:` is `javascript:`), lower-cased.
    static func browserURL(_ value: String) -> String {
        // The first 100 are enough to see a scheme or a `#`; a path's `d` can be megabytes.
        String(String.UnicodeScalarView(value.unicodeScalars.lazy.filter { $0.value > 0x20 && $0.value != 0x7F }.prefix(100))).lowercased()
    }

    static func localName(_ qualifiedName: String) -> String {
        qualifiedName.lastIndex(of: ":").map { String(qualifiedName[qualifiedName.index(after: $0)...]) } ?? qualifiedName
    }

    /// A value as quoted in a message: at most 60 characters, on one line.
    static func shortened(_ value: String) -> String {
        let line = String(value.map { $0.isNewline ? " " : $0 })
        return line.count > 60 ? line.prefix(59) + "…" : line
    }
}
