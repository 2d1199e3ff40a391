import Foundation
import Testing

@testable import WaymarkKit

@Suite("Images")
struct ImageTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Repo.fixtures + "/images/" + name)))
    }

    static func info(_ name: String) throws -> ImageInfo {
        let format = try #require(ImageInfo.Format(fileName: name))
        return try ImageHeader.read(try fixture(name), as: format).get()
    }

    @Test("sizes are read from real files of every format, as browsers show them")
    func sizes() throws {
        let expected: [(String, ImageInfo.Format, Int, Int)] = [
            ("chart.png", .png, 64, 48), ("photo.jpg", .jpeg, 64, 48),
            // EXIF orientation 6: stored 64 × 48, shown turned by 90°.
            ("rotated.jpg", .jpeg, 48, 64),
            ("anim.gif", .gif, 32, 24), ("lossy.webp", .webp, 64, 48), ("lossless.webp", .webp, 64, 48), ("alpha.webp", .webp, 64, 48),
            // width/height win over the viewBox; a viewBox alone gives the size.
            ("diagram.svg", .svg, 320, 120), ("viewbox.svg", .svg, 300, 150),
        ]
        for (name, format, width, height) in expected {
            let info = try Self.info(name)
            #expect(info.format == format, "\(name)")
            #expect(info.width == width && info.height == height, "\(name): \(String(describing: info.width)) × \(String(describing: info.height))")
            #expect(info.activeContent.isEmpty, "\(name)")
        }
    }

    @Test("SVG sizes in other units, relative sizes, and scripts")
    func svgDetails() throws {
        func svg(_ text: String) throws -> ImageInfo { try ImageHeader.read(Array(text.utf8), as: .svg).get() }
        #expect(try svg(#"<svg width="1in" height="48pt"/>"#).width == 96)
        #expect(try svg(#"<svg width="1in" height="48pt"/>"#).height == 64)
        // A percentage is the page's to resolve: the viewBox gives the ratio.
        let relative = try svg(#"<svg width="100%" viewBox="0 0 40 10" height='5mm'/>"#)
        #expect(relative.width == 76 && relative.height == 19)
        #expect(try svg("<svg/>").width == nil)
        #expect(try Self.info("script.svg").activeContent.first?.description.contains("onload") == true)
        #expect(try svg("<svg><script>x</script></svg>").activeContent.first?.description == "a <script> element (script)")
        #expect(try svg(#"<svg><a href="JavaScript:alert(1)">x</a></svg>"#).activeContent.first?.description.hasPrefix("a javascript: link") == true)
        #expect(try svg("<svg><foreignObject/></svg>").activeContent.isEmpty == false)
        // Words in text are not handlers.
        #expect(try svg("<svg><text> one = two </text></svg>").activeContent.isEmpty)
    }

    @Test("damaged files are an error with the reason, never a crash")
    func damaged() throws {
        guard case .failure(let error) = ImageHeader.read(try Self.fixture("broken.png"), as: .png) else {
            Issue.record("a text file named .png was read as an image")
            return
        }
        #expect(error.description == "not a readable PNG file")
        guard case .failure(let misnamed) = ImageHeader.read(try Self.fixture("photo.jpg"), as: .png) else { return }
        #expect(misnamed.description.contains("its bytes are JPEG"))
        // Every prefix of every fixture: a truncated upload.
        for name in ["chart.png", "photo.jpg", "rotated.jpg", "anim.gif", "lossy.webp", "lossless.webp", "alpha.webp", "diagram.svg"] {
            let bytes = try Self.fixture(name)
            let format = try #require(ImageInfo.Format(fileName: name))
            for n in 0..<bytes.count { _ = ImageHeader.read(Array(bytes.prefix(n)), as: format) }
        }
    }

    static let imageSite = SmallSite.siteYML + "\nimages: { widths: [16, 32, 100] }\n"

    static func tree(site: String = imageSite, article: String? = nil) throws -> TempTree {
        let tree = try SmallSite.tree([
            "content/site.yml": site,
            "content/en/articles/billing/invoices.md": article
                ?? """
                ---
                title: Invoices
                ---

                ![Monthly *chart*](../../assets/chart.png)

                ## Due dates

                Invoices are due in 14 days. The [price list](../../assets/prices.pdf) has the fees.

                ![The invoice screen, turned](../../assets/rotated.jpg "Invoice screen")
                """,
        ])
        for name in ["chart.png", "rotated.jpg", "diagram.svg"] { try tree.write("content/en/assets/" + name, Data(try fixture(name))) }
        try tree.write("content/en/assets/prices.pdf", Data("%PDF-1.4\n".utf8))
        return tree
    }

    @Test("pages give images their size, hashed URL, smaller copies and lazy loading below the first screen")
    func published() throws {
        let tree = try Self.tree()
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(summary.wrote, "\(summary.diagnostics)")
        #expect(summary.codes(.warning).filter { $0.hasPrefix("image") }.isEmpty)
        let html = try #require(tree.read("output/en/articles/billing/invoices/index.html"))
        let files = try FileManager.default.contentsOfDirectory(atPath: tree.path + "/output/en/assets").sorted()
        let chart = try #require(files.first { $0.hasPrefix("chart.") })
        let small = try #require(files.first { $0.hasPrefix("chart-16w.") })
        let medium = try #require(files.first { $0.hasPrefix("chart-32w.") })
        // 100 px is wider than the image: no copy.
        #expect(!files.contains { $0.hasPrefix("chart-100w") })
        #expect(chart.count == "chart.0123456789.png".count)
        #expect(!files.contains("chart.png"))
        // A PDF keeps its name: readers save it under that name.
        #expect(files.contains("prices.pdf"))
        #expect(html.contains(#"href="/docs/en/assets/prices.pdf""#))

        // The first image is on the first screen: no lazy loading.
        let tag =
            #"<img src="/docs/en/assets/\#(chart)" alt="Monthly chart" width="64" height="48" srcset="/docs/en/assets/\#(small) 16w, /docs/en/assets/\#(medium) 32w, /docs/en/assets/\#(chart) 64w" sizes="(min-width: 38rem) 36rem, calc(100vw - 2rem)" />"#
        #expect(html.contains(tag))
        let rotated = try #require(files.first { $0.hasPrefix("rotated.") })
        #expect(
            html.contains(
                #"<img src="/docs/en/assets/\#(rotated)" alt="The invoice screen, turned" title="Invoice screen" width="48" height="64" srcset="#))
        #expect(html.contains(#" 48w" sizes="(min-width: 38rem) 36rem, calc(100vw - 2rem)" loading="lazy" decoding="async" />"#))

        // The copies are real images of the asked width, in the source's format, without metadata.
        let copy = try ImageHeader.read(Array(try Data(contentsOf: URL(fileURLWithPath: tree.path + "/output/en/assets/" + small))), as: .png).get()
        #expect(copy.width == 16 && copy.height == 12)
        let turned = try #require(files.first { $0.hasPrefix("rotated-16w.") })
        let turnedCopy = try ImageHeader.read(Array(try Data(contentsOf: URL(fileURLWithPath: tree.path + "/output/en/assets/" + turned))), as: .jpeg).get()
        // libvips applies the orientation while scaling: the copy is upright, 16 wide.
        #expect(turnedCopy.width == 16 && turnedCopy.height == 21)
    }

    @Test("two builds from scratch are byte-identical, and a rebuild reuses the copies it made")
    func deterministic() throws {
        let tree = try Self.tree()
        #expect(SiteBuilder.build(SmallSite.options(tree, output: "a")).wrote)
        #expect(SiteBuilder.build(SmallSite.options(tree, output: "b")).wrote)
        let a = tree.snapshot("a")
        #expect(a == tree.snapshot("b"))
        #expect(a.keys.contains { $0.hasPrefix("en/assets/chart-32w.") })
        #expect(SiteBuilder.build(SmallSite.options(tree, output: "a")).wrote)
        #expect(tree.snapshot("a") == a)
    }

    @Test("without libvips the build says so once and publishes the images at their own size")
    func withoutLibrary() throws {
        let tree = try Self.tree()
        let site = try #require(SiteConfig.parse(SourceFile(path: "site.yml", text: Self.imageSite)).0)
        let assets = ["chart.png", "rotated.jpg", "diagram.svg"].map { name in
            ContentAsset(path: "en/assets/" + name, stamp: 0)
        }
        let stage = AssetStage(config: site, contentRoot: tree.path + "/content", previousOutput: nil) {
            .failure(ImageHeaderError(description: "libvips.so.42: cannot open shared object file"))
        }
        let diagnostics = DiagnosticBag()
        let memory = MemoryOutput()
        memory.begin()
        let table = stage.run(assets, into: memory, memo: nil, diagnostics: diagnostics)
        #expect(diagnostics.all.map(\.code) == ["image-library-missing"])
        #expect(diagnostics.all.first?.message.contains("libvips42") == true)
        #expect(table["en/assets/chart.png"]?.image == PublishedImage(width: 64, height: 48, variants: []))
        #expect(table["en/assets/chart.png"]?.path.hasPrefix("en/assets/chart.") == true)
    }

    @Test("oversized, damaged and scripted images are reported at the file")
    func problems() throws {
        var padded = try Self.fixture("chart.png")
        padded += [UInt8](repeating: 0, count: 3000)
        let tree = try Self.tree(site: SmallSite.siteYML + "\nlimits: { imageKB: 2 }\n")
        try tree.write("content/en/assets/chart.png", Data(padded))
        try tree.write("content/en/assets/broken.png", Data(try Self.fixture("broken.png")))
        try tree.write("content/en/assets/script.svg", Data(try Self.fixture("script.svg")))
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(!summary.wrote)
        let byFile = Dictionary(grouping: summary.diagnostics.filter { $0.file?.hasPrefix("en/assets/") == true }, by: { $0.file! })
        #expect(byFile["en/assets/chart.png"]?.map(\.code) == ["image-too-large"])
        #expect(byFile["en/assets/chart.png"]?.first?.message.contains("this image is 4 KB; over 2 KB") == true)
        #expect(byFile["en/assets/broken.png"]?.map(\.code) == ["invalid-image"])
        #expect(byFile["en/assets/script.svg"]?.map(\.code) == ["unsafe-svg"])
        #expect(byFile["en/assets/script.svg"]?.first?.severity == .error)

        // A site that trusts every contributor may publish it.
        try tree.write("content/site.yml", SmallSite.siteYML + "\nunsafeHTML: true\n")
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
    }

    static func diagnostics(_ summary: BuildSummary) -> [String: [Diagnostic]] {
        Dictionary(grouping: summary.diagnostics.filter { $0.file?.hasPrefix("en/assets/") == true }, by: { $0.file! })
    }

    static func assets(_ tree: TempTree, _ output: String = "output") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: tree.path + "/" + output + "/en/assets").sorted()
    }

    static let threeImages = """
        ---
        title: Invoices
        ---

        ![Lie](../../assets/lie.png)

        ![Huge](../../assets/huge.png)

        ## Due dates

        ![Chart](../../assets/chart.png)
        """

    @Test("a header claiming billions of pixels is a warning at the file, never a crash; limits.imagePixels decides which images get copies")
    func lyingHeaders() throws {
        #expect(AssetStage.pixels(Int.max, 2) == nil && AssetStage.pixels(4_294_967_295, 4_294_967_295) == nil)
        #expect(AssetStage.pixels(2_147_483_647, 2_147_483_647) == 4_611_686_014_132_420_609)
        let tree = try Self.tree(article: Self.threeImages)
        // 69 bytes: 4294967295 × 4294967295, beyond what PNG allows (2³¹ − 1 a side).
        try tree.write("content/en/assets/lie.png", Data(try Self.fixture("header-4294967295.png")))
        try tree.write("content/en/assets/huge.png", Data(try Self.fixture("header-2147483647.png")))
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(summary.wrote, "\(summary.diagnostics)")
        let byFile = Self.diagnostics(summary)
        #expect(byFile["en/assets/lie.png"]?.map(\.code) == ["invalid-image"])
        #expect(byFile["en/assets/huge.png"]?.map(\.code) == ["image-too-large"])
        #expect(byFile["en/assets/huge.png"]?.first?.message.contains("more than `limits.imagePixels` in site.yml allows (50000000)") == true)
        #expect(byFile["en/assets/chart.png"] == nil)
        var files = try Self.assets(tree)
        #expect(!files.contains { $0.hasPrefix("lie-") || $0.hasPrefix("huge-") } && files.contains { $0.hasPrefix("chart-16w.") })

        // A lower limit: the 64 × 48 chart (3,072 pixels) is published without copies, with the warning.
        try tree.write("content/site.yml", Self.imageSite + "\nlimits: { imagePixels: 3000 }\n")
        let limited = SiteBuilder.build(SmallSite.options(tree))
        #expect(Self.diagnostics(limited)["en/assets/chart.png"]?.map(\.code) == ["image-too-large"])
        files = try Self.assets(tree)
        #expect(!files.contains { $0.hasPrefix("chart-") } && files.contains { $0.hasPrefix("chart.") })
        // The setting is checked like the other limits.
        try tree.write("content/site.yml", Self.imageSite + "\nlimits: { imagePixels: 0 }\n")
        let invalid = SiteBuilder.build(SmallSite.options(tree))
        #expect(invalid.diagnostics.contains { $0.file == "site.yml" && $0.message.contains("limits.imagePixels must be a whole number between 1 and") })
    }

    @Test("damaged pixel data is an invalid-image warning at the file: no copy published, nothing from libvips on stderr")
    func damagedPixels() throws {
        let tree = try Self.tree(article: "---\ntitle: Invoices\n---\n\n![Cut](../../assets/cut.png)\n\n## Due dates\n\n![Chart](../../assets/chart.png)\n")
        // A valid 7000 × 7000 header and one row of pixels.
        try tree.write("content/en/assets/cut.png", Data(try Self.fixture("truncated-7000.png")))
        let stderr = try StandardErrorCapture()
        let summary = SiteBuilder.build(SmallSite.options(tree))
        let printed = stderr.finish()
        #expect(!printed.contains("VIPS"), "\(printed.prefix(500))")
        #expect(summary.wrote, "\(summary.diagnostics)")
        let warnings = Self.diagnostics(summary)["en/assets/cut.png"] ?? []
        #expect(warnings.map(\.code) == ["invalid-image"] && warnings.first?.message.contains("pixel data cannot be decoded") == true, "\(warnings)")
        let files = try Self.assets(tree)
        #expect(files.contains { $0.hasPrefix("cut.") } && !files.contains { $0.hasPrefix("cut-") }, "\(files)")
        // Intact images still get theirs.
        #expect(files.contains { $0.hasPrefix("chart-16w.") })
        let html = try #require(tree.read("output/en/articles/billing/invoices/index.html"))
        #expect(html.contains(#"alt="Cut" width="7000" height="7000" />"#))
    }

    @Test("a symbolic link in the previous output or its spare is never followed: not read as a copy, not written through")
    func linksInPreviousOutput() throws {
        let tree = try Self.tree()
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        let secret = tree.path + "/secret.txt"
        try "not an image".write(toFile: secret, atomically: false, encoding: .utf8)
        let copy = try #require(try Self.assets(tree).first { $0.hasPrefix("chart-16w.") })
        let made = try Data(contentsOf: URL(fileURLWithPath: tree.path + "/output/en/assets/" + copy))
        // The copy in the output, the list of published URLs and the build record point at the secret.
        for link in ["output/en/assets/" + copy, "output/published-urls.txt"] {
            try FileManager.default.removeItem(atPath: tree.path + "/" + link)
            try FileManager.default.createSymbolicLink(atPath: tree.path + "/" + link, withDestinationPath: secret)
        }
        let summary = SiteBuilder.build(SmallSite.options(tree))
        #expect(summary.wrote, "\(summary.diagnostics)")
        let published = tree.path + "/output/en/assets/" + copy
        var st = stat()
        #expect(lstat(published, &st) == 0 && st.st_mode & S_IFMT == S_IFREG)
        #expect(try Data(contentsOf: URL(fileURLWithPath: published)) == made)
        #expect(!summary.codes().contains("vanished-url"))

        // The site that build replaced is the next build's staging folder: links there are replaced, and
        // the files they point at stay as they were.
        let articles = try FileManager.default.subpathsOfDirectory(atPath: tree.path + "/content/en/articles").sorted()
        let spare = tree.path + "/.output.waymark-spare"
        #expect(FileSystem.isFolder(spare))
        let staleCopy = spare + "/en/assets/" + copy
        try? FileManager.default.removeItem(atPath: staleCopy)
        try FileManager.default.createSymbolicLink(atPath: staleCopy, withDestinationPath: secret)
        // A hard link shares the file: writing in place would change the other name's bytes too.
        let sitemap = spare + "/sitemap.xml"
        try FileManager.default.removeItem(atPath: sitemap)
        #expect(link(secret, sitemap) == 0)
        try FileManager.default.removeItem(atPath: spare + "/en/articles")
        try FileManager.default.createSymbolicLink(atPath: spare + "/en/articles", withDestinationPath: tree.path + "/content/en/articles")
        #expect(SiteBuilder.build(SmallSite.options(tree)).wrote)
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "not an image")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: tree.path + "/content/en/articles").sorted() == articles)
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree.path + "/output/en/assets/" + copy)) == made)
        #expect(FileSystem.isFolder(tree.path + "/output/en/articles"))
    }

    /// Every container an image can be written in, with the markup that must hold its `<img>`.
    static let containers: [(name: String, markdown: String, before: String, after: String)] = [
        ("table head cell", "| ![Shot](x.png) | see |\n|---|---|\n| a | b |\n", "<th>", "</th>"),
        ("table body cell", "| a | b |\n|---|---|\n| ![Shot](x.png) | see |\n", "<td>", "</td>"),
        ("link", "[![Shot](x.png)](y.md)\n", #"<a href="/u/y.md">"#, "</a>"),
        ("heading", "## ![Shot](x.png) Title\n", #"<h2 id="shot-title">\#n"#, " Title\n</h2>"),
        ("list item", "- ![Shot](x.png)\n- two\n", "<li>", "</li>"),
        ("footnote", "Note[^1].\n\n[^1]: ![Shot](x.png)\n", #"<li id="fn-1">\#n<p>"#, " <a href=\"#fnref-1\""),
        ("strikethrough", "~~![Shot](x.png)~~\n", "<del>", "</del>"),
        ("callout", "> [!NOTE]\n> ![Shot](x.png)\n", #"<p class="callout-title">Note</p>\#n<p>"#, "</p>\n</div>"),
    ]

    @Test("an image keeps its size and copies in every container", arguments: containers.map(\.name))
    func inContainer(_ name: String) throws {
        let container = try #require(Self.containers.first { $0.name == name })
        let out = Markdown.render(MarkdownInput(text: container.markdown)) { link in
            LinkTarget(url: "/u/" + link.destination, image: link.isImage ? ImageSource(width: 10, height: 5, srcset: "/u/x-4w.png 4w, /u/x.png 10w") : nil)
        }
        let tag =
            #"<img src="/u/x.png" alt="Shot" width="10" height="5" srcset="/u/x-4w.png 4w, /u/x.png 10w" sizes="(min-width: 38rem) 36rem, calc(100vw - 2rem)" />"#
        #expect(out.html.contains(container.before + tag + container.after), "\(out.html)")
        #expect(out.diagnostics.isEmpty, "\(out.diagnostics)")
    }

    @Test("an image in an image's text is text; links in it still resolve; every value is escaped")
    func nestedAndEscaped() {
        let input = MarkdownInput(text: "Intro.\n\nMore.\n\nEven more.\n\n![a \"q\" 1 < 2 ![inner](x.png) [l](y.md)](x.png \"t\\\"<\")\n")
        let out = Markdown.render(input) { link in
            LinkTarget(url: "/u/" + link.destination, image: link.isImage ? ImageSource(width: 10, height: 5) : nil)
        }
        #expect(
            out.html.contains(
                #"<img src="/u/x.png" alt="a &quot;q&quot; 1 &lt; 2 inner l" title="t&quot;&lt;" width="10" height="5" loading="lazy" decoding="async" />"#)
        )
        #expect(out.html.components(separatedBy: "<img").count == 2)
    }
}
