import Foundation
import Testing

@testable import WaymarkKit
@testable import WaymarkServe

/// The embeddable route widget's build side (docs/embed.md): `embed.js` at the site's base path within
/// its size budget, one progress model shared with the route pages, what route.json adds for the widget,
/// and which files other origins may read.
@Suite("Embeddable route widget")
struct EmbedTests {
    /// The default site, built once for the tests that only read it.
    static let site: TempTree = {
        let tree = try! TempTree()
        let summary = SiteBuilder.build(BuildOptions(content: Repo.content, templates: Repo.templates, output: tree.path + "/site"))
        precondition(summary.errors == 0, "\(summary.diagnostics)")
        return tree
    }()

    /// A script's code lines, without comment and blank lines (embed.js is published without them).
    static func code(_ text: String) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("//") }
            .joined(separator: "\n")
    }

    static func part(_ name: String) throws -> String {
        code(try String(contentsOfFile: Repo.templates + "/scripts/" + name, encoding: .utf8))
    }

    @Test("embed.js is published at the base path without a fingerprint, within 10 kB compressed")
    func publishedWithinBudget() throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.site.path + "/site/embed.js"))
        let compressed = try #require(Compression.gzip(Array(bytes)))
        #expect(compressed.count <= 10 * 1024, "embed.js is \(compressed.count) bytes gzipped; the budget is 10 kB (docs/embed.md)")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("//@include") && !text.contains("\n  // "), "parts are included and line comments dropped")
        // It is not an asset: the manifest of fingerprinted files does not list it.
        let manifest = try #require(Self.site.read("site/assets/manifest.json"))
        #expect(!manifest.contains("embed"))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: Self.site.path + "/site/assets")).contains { $0.hasPrefix("embed") })
    }

    @Test("the route pages and the widget run the same progress model, text and event code")
    func oneModel() throws {
        let assets = try FileManager.default.contentsOfDirectory(atPath: Self.site.path + "/site/assets")
        let routeName = try #require(assets.first { $0.hasPrefix("route.") && $0.hasSuffix(".js") })
        let waymarkName = try #require(assets.first { $0.hasPrefix("waymark.") && $0.hasSuffix(".js") })
        let route = Self.code(try #require(Self.site.read("site/assets/" + routeName)))
        let waymark = Self.code(try #require(Self.site.read("site/assets/" + waymarkName)))
        let embed = Self.code(try #require(Self.site.read("site/embed.js")))
        let model = try Self.part("progress.js")
        #expect(model.contains("function routeStats(route, progress)"))
        #expect(route.contains(model) && embed.contains(model))
        for part in ["text.js", "events.js"] {
            let code = try Self.part(part)
            #expect(waymark.contains(code) && embed.contains(code), "\(part)")
        }
    }

    @Test("an include naming a part that does not exist is an error at its line")
    func missingPart() throws {
        let tree = try TempTree(["assets/x.js": "(function () {\n  //@include nowhere.js\n})();\n", "scripts/real.js": "var a;\n"])
        let (set, diagnostics) = TemplateSet.load(from: tree.path)
        #expect(set == nil)
        let d = try #require(diagnostics.first { $0.code == "missing-script-part" })
        #expect(d.file == "assets/x.js" && d.location?.line == 2 && d.message.contains("scripts/nowhere.js"))
    }

    @Test("route.json carries the language's direction, the widget's strings and the analytics endpoint")
    func routeJSONForTheWidget() throws {
        var files = SmallSite.files
        files["content/site.yml"] = SmallSite.siteYML + "\nanalytics: { endpoint: https://collect.example.com/w }\n"
        let tree = try TempTree(files)
        var options = SmallSite.options(tree)
        #expect(SiteBuilder.build(options).errors == 0)
        let faText = try #require(tree.read("output/fa/segments/accountant/route.json"))
        let fa = try JSONSerialization.jsonObject(with: Data(faText.utf8)) as? [String: Any]
        #expect(fa?["direction"] as? String == "rtl" && fa?["analytics"] as? String == "https://collect.example.com/w")
        let strings = try #require(fa?["strings"] as? [String: String])
        #expect(Set(strings.keys) == Set(PageContextFactory.embedStringKeys + ["digits"]))
        #expect(strings["digits"] == "۰۱۲۳۴۵۶۷۸۹" && strings["stepDone"] == "انجام شد")
        let en = try #require(tree.read("output/en/segments/accountant/route.json"))
        #expect(en.contains(#""direction" : "ltr""#) || en.contains(#""direction": "ltr""#))
        // The preview never sends: its route.json names no endpoint.
        options.liveReload = true
        options.output = tree.path + "/preview"
        #expect(SiteBuilder.build(options).errors == 0)
        let preview = try #require(tree.read("preview/en/segments/accountant/route.json"))
        #expect(!preview.contains("collect.example.com"))
    }

    @Test("only embed.js and route.json files are sent to other origins, by the preview and by nginx")
    func crossOrigin() throws {
        for path in ["embed.js", "en/segments/accountant/route.json", "fa/segments/a-b/route.json"] {
            #expect(PreviewServer.isForOtherOrigins(path[...]), "\(path)")
        }
        for path in [
            "en/index.html", "assets/embed.js", "en/embed.js", "en/segments/accountant/route/index.html", "search/en/meta.json",
            "x/segments/a/b/route.json", "segments/a/route.json", "en/segments/accountant/route.json/x",
        ] {
            #expect(!PreviewServer.isForOtherOrigins(path[...]), "\(path)")
        }
        let config = try String(contentsOfFile: Repo.root + "/docs/nginx/waymark.conf", encoding: .utf8)
        #expect(config.contains("add_header Access-Control-Allow-Origin $waymark_cors always;"))
    }
}
