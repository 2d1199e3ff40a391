import Foundation
import Testing

@testable import WaymarkKit

/// Issue 20, items 1 and 2: nothing from content runs script on the site's origin unless site.yml says
/// `unsafeHTML: true`: pages and scripts are not published, and SVG files are read by a real XML parser.
@Suite("Files content may publish")
struct ContentFileSafetyTests {
    static func svg(_ text: String) -> Result<ImageInfo, ImageHeaderError> { ImageHeader.read(Array(text.utf8), as: .svg) }

    /// The first finding's description, or why the file could not be read.
    static func refusal(_ text: String) -> String? {
        switch svg(text) {
        case .success(let info): return info.activeContent.first?.description
        case .failure(let error): return "invalid: \(error.description)"
        }
    }

    static func tree(_ files: [String: String], site: String = SmallSite.siteYML) throws -> TempTree {
        var overrides: [String: String?] = ["content/site.yml": site]
        for (path, text) in files { overrides["content/" + path] = text }
        return try SmallSite.tree(overrides)
    }

    @Test("issue 20.1: evil.html with <script src=evil.js> is refused at each file, and published only with unsafeHTML")
    func htmlAndScript() throws {
        let tree = try Self.tree([
            "en/assets/evil.html": #"<script src="evil.js"></script>"#, "en/assets/evil.js": "alert(document.cookie)\n",
            "en/articles/billing/evil.mjs": "export {}\n", "en/assets/prices.csv": "a,b\n",
        ])
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(!summary.wrote)
        let refused = summary.diagnostics.filter { $0.code == "unsafe-file" }
        #expect(refused.map(\.file) == ["en/articles/billing/evil.mjs", "en/assets/evil.html", "en/assets/evil.js"])
        #expect(refused.allSatisfy { $0.severity == .error && $0.message.contains("`unsafeHTML: true`") })
        #expect(refused.first { $0.file == "en/assets/evil.html" }?.message.contains("an HTML page") == true)
        #expect(refused.first { $0.file == "en/assets/evil.js" }?.message.contains("a script") == true)
        #expect(!FileManager.default.fileExists(atPath: tree.path + "/output/en/assets/evil.html"))

        // A site that trusts every contributor publishes them as before.
        try tree.write("content/site.yml", SmallSite.siteYML + "\nunsafeHTML: true\n")
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        #expect(tree.read("output/en/assets/evil.html") == #"<script src="evil.js"></script>"#)
        #expect(tree.read("output/en/assets/prices.csv") == "a,b\n")
    }

    @Test("file types are decided by the lower-cased extension, double extensions and names without one included")
    func fileTypes() {
        for name in [
            "chart.png", "Photo.JPG", "flow.svg", "prices.pdf", "data.csv", "notes.txt", "archive.tar.gz", "demo.mp4", "talk.vtt", "v1.2.pdf", "a.b.c.zip",
        ] {
            #expect(PublishableFile.refusal(name) == nil, "\(name)")
        }
        let refused: [(String, String)] = [
            ("evil.html", "HTML page"), ("EVIL.HTM", "HTML page"), ("page.xhtml", "HTML page"), ("app.js", "script"), ("mod.mjs", "script"),
            ("feed.xml", "XML document"), ("style.xsl", "XML document"), ("drawing.svgz", "compressed SVG"), ("run.php", "server script"),
            ("guide.html.pdf", "`.html` in its name"), ("x.js;.png", "`.js` in its name"), ("README", "without an extension"),
            ("_redirects", "without an extension"), ("trailing.", "without an extension"), ("font.woff2", "`.woff2` file"),
            ("style.css", "`.css` file"),
        ]
        for (name, why) in refused {
            #expect(PublishableFile.refusal(name)?.contains(why) == true, "\(name): \(String(describing: PublishableFile.refusal(name)))")
        }
    }

    @Test("the writer's guide lists every extension content may publish")
    func documented() throws {
        let guide = try String(contentsOfFile: Repo.root + "/docs/writers-guide.md", encoding: .utf8)
        let section = try #require(guide.range(of: "## Which files content may publish, and why").map { String(guide[$0.upperBound...]) })
        let text = section.components(separatedBy: "\n## ").first ?? ""
        for ext in PublishableFile.allowed.keys { #expect(text.contains("`\(ext)`"), "\(ext)") }
        for ext in ["html", "js", "mjs", "xml"] { #expect(text.contains("`\(ext)`"), "\(ext)") }
    }

    @Test("issue 20.2: a script element with a namespace prefix, byte for byte from the issue")
    func prefixedScript() throws {
        let text = #"<svg xmlns="http://www.w3.org/2000/svg"><h:script xmlns:h="http://www.w3.org/1999/xhtml" src="evil.js"/></svg>"#
        let finding = try #require(try Self.svg(text).get().activeContent.first)
        #expect(finding.description.contains("<h:script>"))
        #expect(finding.location?.line == 1)
        // Through a build: an error at the file and line, naming the setting; the SVG is not published.
        let tree = try Self.tree(["en/assets/evil.svg": text])
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(!summary.wrote)
        let error = try #require(summary.diagnostics.first { $0.file == "en/assets/evil.svg" })
        #expect(error.code == "unsafe-svg" && error.severity == .error && error.location?.line == 1)
        #expect(error.message.contains("`unsafeHTML: true`"))
    }

    @Test("issue 20.2: an entity-encoded javascript: link")
    func encodedJavaScript() {
        let text =
            #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="jav&#x61;script:alert(1)"><text>x</text></a></svg>"#
        #expect(Self.refusal(text)?.contains("a javascript: link") == true)
    }

    static let svgOpen = #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">"#

    @Test("every way an SVG runs script or loads another file is refused, with its line")
    func hostile() {
        let cases: [(String, String)] = [
            ("<script>alert(1)</script>", "<script>"),
            (#"<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>"#, "<h:script>"),
            (#"<script xmlns="">alert(1)</script>"#, "<script>"),
            (#"<x:SCRIPT xmlns:x="urn:other">alert(1)</x:SCRIPT>"#, "<x:SCRIPT>"),
            (#"<h:a xmlns:h="http://www.w3.org/1999/xhtml" href="x">x</h:a>"#, "an HTML element"),
            (#"<h:meta xmlns:h="http://www.w3.org/1999/xhtml" http-equiv="refresh" content="0;url=https://evil.example/"/>"#, "an HTML element"),
            (#"<circle r="1" onload="alert(1)"/>"#, "event handler attribute (onload)"),
            (#"<circle r="1" ONCLICK="alert(1)"/>"#, "event handler attribute (ONCLICK)"),
            (#"<circle r="1" x:onclick="alert(1)" xmlns:x="urn:x"/>"#, "event handler attribute (x:onclick)"),
            (#"<a href="javascript:alert(1)"><text>x</text></a>"#, "a javascript: link"),
            (#"<a href=" &#9;JaVa&#x0A;Script&#x3A;alert(1)"><text>x</text></a>"#, "a javascript: link"),
            (#"<a xlink:href="&#106;&#97;vascript:alert(1)"><text>x</text></a>"#, "a javascript: link"),
            (#"<a href="vbscript:msgbox(1)"><text>x</text></a>"#, "a vbscript: link"),
            (#"<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"><text>x</text></a>"#, "a data: link"),
            (#"<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>"#, "<foreignObject>"),
            (#"<iframe src="https://evil.example/"/>"#, "<iframe>"), ("<embed/>", "<embed>"), ("<object/>", "<object>"),
            (#"<use href="https://evil.example/sprite.svg#a"/>"#, "a reference to another file"),
            (#"<use xlink:href="other.svg#a"/>"#, "a reference to another file"),
            (#"<use href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=#a"/>"#, "a data: URL that is not"),
            (#"<image href="https://evil.example/track.png" width="1" height="1"/>"#, "a reference to another file"),
            (#"<image href="data:image/svg+xml,&lt;svg/&gt;" width="1" height="1"/>"#, "a data: URL that is not"),
            (#"<filter id="f"><feImage href="//evil.example/x.png"/></filter>"#, "a reference to another file"),
            (#"<style>@import url("https://evil.example/x.css");</style>"#, "@import"),
            (#"<style>@import 'x.css';</style>"#, "@import"),
            (#"<style>rect { fill: url(https://evil.example/p.svg#g) }</style>"#, "url() to another file"),
            (#"<style><![CDATA[ rect { fill: URL( "/x.svg#g" ) } ]]></style>"#, "url() to another file"),
            (#"<style>rect { fill: \75 rl(//evil.example/p#g) }</style>"#, "url() to another file"),
            (#"<style>rect { background: image-set("x.png" 1x) }</style>"#, "image-set()"),
            (#"<style>@font-face { font-family: V; src: url("https://evil.example/v.woff2") }</style>"#, "url() to another file"),
            (#"<style>rect { fill: url(data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=) }</style>"#, "url() to another file"),
            (#"<rect style="fill: url('https://evil.example/a#b')" width="1" height="1"/>"#, "in the style attribute"),
            (#"<rect fill="url(https://evil.example/a#b)" width="1" height="1"/>"#, "in the fill attribute"),
            (##"<a href="#x"><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>"##, "changes the href attribute"),
            (##"<a href="#x"><animate attributeName=" xlink:href" values="#x;javascript:alert(1)"/><text>x</text></a>"##, "changes the href attribute"),
            (##"<set attributeName="onbegin" to="alert(1)"/>"##, "changes the onbegin attribute"),
            (##"<g xml:base="https://evil.example/"><use href="#a"/></g>"##, "xml:base"),
            (#"<text data-x="javascript:alert(1)">x</text>"#, "a javascript: URL"),
        ]
        for (body, expected) in cases {
            let text = Self.svgOpen + "\n" + body + "\n</svg>\n"
            guard case .success(let info) = Self.svg(text) else {
                Issue.record("not read: \(body) — \(String(describing: Self.svg(text)))")
                continue
            }
            let finding = info.activeContent.first
            #expect(finding?.description.contains(expected) == true, "\(body): \(String(describing: finding?.description))")
            #expect(finding?.location?.line == 2, "\(body): \(String(describing: finding?.location))")
        }
        // Before the root element.
        #expect(Self.refusal(#"<?xml-stylesheet type="text/xsl" href="evil.xsl"?>"# + Self.svgOpen + "</svg>")?.contains("XSLT") == true)
        #expect(Self.refusal(#"<?xml version="1.0"?><?other x?>"# + Self.svgOpen + "</svg>")?.contains("processing instruction") == true)
        // Foundation's XMLParser crashes on an instruction without data: such files never reach it (found
        // by the image fuzz target; the file is in its regressions).
        for text in ["<?x?>" + Self.svgOpen + "</svg>", Self.svgOpen + "<?x?></svg>", Self.svgOpen + "\n<?x ?>\n</svg>"] {
            #expect(Self.refusal(text)?.contains("processing instruction") == true, "\(text)")
        }
    }

    @Test("a DOCTYPE with entity declarations is refused before the parser expands anything: billion laughs take no time")
    func entities() throws {
        var laughs = #"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY l0 "ha">"#
        for i in 1...30 { laughs += "<!ENTITY l\(i) \"" + String(repeating: "&l\(i - 1);", count: 10) + "\">" }
        laughs += #"]><svg xmlns="http://www.w3.org/2000/svg"><text>&l30;</text></svg>"#
        let start = Date()
        let finding = try #require(try Self.svg(laughs).get().activeContent.first)
        #expect(Date().timeIntervalSince(start) < 1)
        #expect(finding.description.contains("DOCTYPE") && finding.location == Loc(line: 1, column: 22))
        // An entity that holds markup the parser would otherwise expand into a script.
        #expect(Self.refusal(#"<!DOCTYPE svg [ <!ENTITY x "<script>alert(1)</script>"> ]><svg>&x;</svg>"#)?.contains("DOCTYPE") == true)
        // A public DOCTYPE without declarations (Illustrator writes one) is fine.
        let illustrator =
            #"<?xml version="1.0" encoding="utf-8"?><!-- Generator: Adobe Illustrator --><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">"#
            + "\n" + Self.svgOpen + "<rect width=\"1\" height=\"1\"/></svg>"
        #expect(try Self.svg(illustrator).get().activeContent == [])
    }

    @Test("the parser never reads an external entity or DTD, whatever the file declares")
    func noExternalEntities() throws {
        let tree = try TempTree([
            "secret.css": "url(https://evil.example/leak)",
            "evil.dtd": #"<!ENTITY x "url(https://evil.example/leak)">"#,
        ])
        // Straight to the parser, past the check that refuses internal subsets: the entity stays unread.
        let direct = SVGReader.parse(Array(#"<!DOCTYPE svg [<!ENTITY x SYSTEM "file://\#(tree.path)/secret.css">]><svg><style>&x;</style></svg>"#.utf8))
        #expect(direct.findings == [])
        // An external DTD is not loaded either: its entity is unknown (a warning to libxml2, as to browsers).
        let external = #"<!DOCTYPE svg SYSTEM "file://\#(tree.path)/evil.dtd"><svg xmlns="http://www.w3.org/2000/svg"><style>a{fill:&x;}</style></svg>"#
        #expect(try Self.svg(external).get().activeContent == [])
        // Each warning costs a little (Foundation leaks 72 bytes per report): past 100 the file is refused.
        let warned = external.replacingOccurrences(of: "&x;", with: String(repeating: "&x;", count: 101))
        guard case .failure(let error) = Self.svg(warned) else {
            Issue.record("101 warnings were accepted")
            return
        }
        #expect(error.description.contains("over 100 warnings"))
    }

    @Test("ordinary drawings pass and keep their size: styles, gradients, internal references, xlink, editors' namespaces")
    func ordinary() throws {
        let drawings: [(String, Int?, Int?)] = [
            (
                #"""
                <?xml version="1.0" encoding="UTF-8" standalone="no"?>
                <!-- Created with Inkscape (http://www.inkscape.org/) -->
                <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
                   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
                   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"
                   width="210mm" height="99mm" viewBox="0 0 210 99" sodipodi:docname="flow.svg" inkscape:version="1.2">
                  <sodipodi:namedview id="base" inkscape:zoom="1"/>
                  <metadata><rdf:RDF><rdf:Description dc:title="Flow"/></rdf:RDF></metadata>
                  <defs>
                    <style type="text/css"><![CDATA[ .box { fill: url(#grad); stroke: #333; font: 12px "Noto Sans"; } ]]></style>
                    <style class="style-fonts">@font-face { font-family: "Virgil"; src: url("data:font/woff2;base64,d09GMgABAAA="); }</style>
                    <linearGradient id="grad"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#00f"/></linearGradient>
                    <linearGradient id="grad2" xlink:href="#grad" gradientTransform="rotate(90)"/>
                    <symbol id="a"><circle r="4" style="fill: url( '#grad2' ); opacity: .5"/></symbol>
                    <clipPath id="c"><rect width="5" height="5"/></clipPath>
                    <marker id="m"><path d="M0 0 L1 1"/></marker>
                  </defs>
                  <use href="#a" x="10"/><use xlink:href="#a" x="20" clip-path="url(#c)"/>
                  <path d="M 1 1 L 9 9" marker-end="url(#m)" filter="url( #blur )"/>
                  <a href="https://example.com/help?x=1&amp;y=2"><text x="1" y="9">Read more &#x2192; &amp; on</text></a>
                  <a xlink:href="/en/articles/billing/refunds/"><text>Refunds</text></a>
                  <a href="mailto:help@example.com"><text>Mail</text></a>
                  <image width="1" height="1" href="data:image/png;base64,iVBORw0KGgo="/>
                  <animate attributeName="opacity" from="0" to="1" dur="1s"/>
                  <text>onload = one = two, javascript: is a word here</text>
                </svg>
                """#, 794, 374
            ),
            (#"<svg width="1in" height="48pt"></svg>"#, 96, 64),
            (#"<svg width="100%" viewBox="0 0 40 10" height='5mm'/>"#, 76, 19),
            ("\u{FEFF}<svg viewBox='0,0,300,150'/>", 300, 150),
            ("<svg/>", nil, nil),
        ]
        for (text, width, height) in drawings {
            let info = try Self.svg(text).get()
            #expect(info.activeContent == [], "\(info.activeContent)")
            #expect(info.width == width && info.height == height, "\(String(describing: info.width)) × \(String(describing: info.height))")
        }
        for name in ["diagram.svg", "viewbox.svg"] { #expect(try ImageTests.info(name).activeContent == []) }
        for language in ["en", "fa", "ru", "vi"] {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Repo.root + "/content/\(language)/assets/onboarding-stages.svg")))
            let info = try ImageHeader.read(bytes, as: .svg).get()
            #expect(info.activeContent == [] && info.width == 800 && info.height == 120)
        }
    }

    @Test("an SVG that is not well-formed XML, or not UTF-8, is an error at the parser's line and column")
    func malformed() throws {
        let cases: [(String, String, Loc?)] = [
            ("<svg>\n  <rect>\n</svg>", "does not match", Loc(line: 3, column: 7)),
            ("<svg><h:rect/></svg>", "prefix that is not declared", Loc(line: 1, column: 13)),
            ("<svg>&nbsp;</svg>", "not declared", Loc(line: 1, column: 12)),
            (#"<svg a="1" a="2"/>"#, "given twice", nil),
            ("<svg>", "not closed", nil),
            ("", "no element", nil),
            ("<html/>", "root element is <html>", nil),
            (#"<?xml version="1.0" encoding="ISO-2022-JP"?><svg/>"#, "declared as ISO-2022-JP", Loc(line: 1, column: 1)),
        ]
        for (text, expected, location) in cases {
            guard case .failure(let error) = Self.svg(text) else {
                Issue.record("read: \(text)")
                continue
            }
            #expect(error.description.contains(expected), "\(text): \(error.description)")
            if let location { #expect(error.location == location, "\(text): \(String(describing: error.location))") }
        }
        guard case .failure(let utf16) = ImageHeader.read([0xFF, 0xFE] + Array("<svg/>".utf8), as: .svg) else { return }
        #expect(utf16.description.contains("UTF-16"))
        guard case .failure(let latin1) = ImageHeader.read(Array("<svg><text>".utf8) + [0xE9] + Array("</text></svg>".utf8), as: .svg) else { return }
        #expect(latin1.description.contains("UTF-8") && latin1.location == Loc(line: 1, column: 12))

        // Through a build: an error (a broken image), located, whatever unsafeHTML says.
        let tree = try Self.tree(["en/assets/broken.svg": "<svg>\n  <rect>\n</svg>"], site: SmallSite.siteYML + "\nunsafeHTML: true\n")
        let summary = SiteBuilder.build(SmallSite.options(tree))
        let error = try #require(summary.diagnostics.first { $0.file == "en/assets/broken.svg" })
        #expect(error.code == "invalid-svg" && error.severity == .error && error.location == Loc(line: 3, column: 7))
        #expect(!summary.wrote)
    }

    @Test("time stays linear: deep nesting, a large file, and the counts that make libxml2 quadratic")
    func linear() throws {
        func timed(_ text: String) -> (Result<ImageInfo, ImageHeaderError>, TimeInterval) {
            let start = Date()
            let result = Self.svg(text)
            return (result, Date().timeIntervalSince(start))
        }
        let deep =
            "<svg xmlns=\"http://www.w3.org/2000/svg\">" + String(repeating: "<g>", count: 100_000) + String(repeating: "</g>", count: 100_000) + "</svg>"
        let (deepResult, deepTime) = timed(deep)
        #expect((try? deepResult.get().activeContent) == [])
        #expect(deepTime < 10, "\(deepTime) s")

        let rect = #"<rect x="1" y="2" width="3" height="4" fill="url(#g)" style="stroke: #333"/>"#
        let large = Self.svgOpen + String(repeating: rect, count: 30_000) + "</svg>"
        let (largeResult, largeTime) = timed(large)
        #expect((try? largeResult.get().width) == 10)
        #expect(largeTime < 10, "\(large.utf8.count) bytes: \(largeTime) s")

        // 40,000 attributes in one tag take libxml2 2.9 about 2 s, 400,000 minutes: refused before it reads them.
        let attributes = "<svg " + (0..<40_000).map { "a\($0)=\"1\"" }.joined(separator: " ") + "/>"
        let (manyAttributes, attributesTime) = timed(attributes)
        guard case .failure(let error) = manyAttributes else {
            Issue.record("40,000 attributes were read")
            return
        }
        #expect(error.description.contains("over 1000 attributes") && attributesTime < 1)
        let namespaces = "<svg>" + (0..<300).map { "<g xmlns:n\($0)=\"urn:\($0)\">" }.joined() + String(repeating: "</g>", count: 300) + "</svg>"
        guard case .failure(let declared) = Self.svg(namespaces) else { return }
        #expect(declared.description.contains("namespace declarations"))
    }
}
