import Foundation

/// Where a content file that is not a page (an image, a PDF) was published, and what a page needs to
/// show it.
public struct PublishedAsset: Sendable, Hashable {
    /// Output path: images carry a content hash in their name (`en/assets/flow.3f9a1c2b7d.png`), so they
    /// can be cached for ever; other files keep their path (a PDF's name is what readers save it as).
    public var path: String
    public var image: PublishedImage?
}

public struct PublishedImage: Sendable, Hashable {
    /// Size as shown (see `ImageInfo`); nil for an SVG without a stated size.
    public var width: Int?
    public var height: Int?
    /// Smaller copies for `srcset`, narrowest first.
    public var variants: [Variant] = []

    public struct Variant: Sendable, Hashable {
        public var width: Int
        public var path: String
    }
}

/// The assets stage, between the model and Markdown: every content file that is not a page is published,
/// images under content-hashed names with their size read from the file and, when site.yml asks for
/// `images.widths`, smaller copies made with libvips; the table it returns lets the Markdown stage give
/// each `<img>` its URL, `width`, `height` and `srcset`.
///
/// Problems are the writer's to fix and located at the file: a type that browsers run or render as a
/// document (`PublishableFile`), an image whose bytes are not its format or whose pixel data is damaged,
/// an oversized image (`limits.imageKB`, `limits.imagePixels`), an SVG that is not well-formed or has
/// active content (`SVGReader`: it would run on the site's origin when opened on its own). Refused files
/// are not published.
///
/// Sizes come from the file's header, so they are the file's word: a PNG of a few dozen bytes may say
/// 2³¹−1 × 2³¹−1. Arithmetic on them is checked (`pixels`), and a copy is made only below the pixel limit.
struct AssetStage: Sendable {
    let images: SiteConfig.Images
    /// Where site.yml says `images:`, for the one warning about libvips.
    let imagesLocation: SourceLocation?
    let limits: SiteConfig.Limits
    /// Files of any type, and scripts in SVG files, are published only where raw HTML is
    /// (`unsafeHTML: true`): every contributor trusted.
    let allowActive: Bool
    /// Where to read files from.
    let contentRoot: String
    /// The previous build's output, whose resized copies are reused: their names are derived from the
    /// source image, the width and the recipe, so a file of that name is the copy this build would make.
    /// It is read without following links (`FileSystem.readBelow`), and a copy whose header is not the
    /// format and width its name says is made again.
    let previousOutput: String?
    /// False for `check`, which writes nothing: copies are not made, only the files checked.
    let makeCopies: Bool
    /// libvips, or why it is missing; only consulted when `images.widths` asks for copies.
    let resizer: @Sendable () -> Result<any ImageCopier, ImageHeaderError>

    /// One asset's result; the preview's memo keeps it with the bytes to write.
    struct Processed: Sendable {
        var published: PublishedAsset
        var files: [(path: String, bytes: [UInt8])]
        var diagnostics: [Diagnostic]
        var resizerMissing: String?
    }

    init(
        config: SiteConfig, contentRoot: String, previousOutput: String?, makeCopies: Bool = true,
        resizer: @escaping @Sendable () -> Result<any ImageCopier, ImageHeaderError> = { ImageResizer.system.map { $0 } }
    ) {
        images = config.images
        imagesLocation = config.locations["images"]
        limits = config.limits
        allowActive = config.unsafeHTML
        self.contentRoot = contentRoot
        self.previousOutput = previousOutput
        self.makeCopies = makeCopies
        self.resizer = resizer
    }

    /// What processing any asset reads of site.yml; with the asset (its path and file stamp), the input of
    /// one asset's work.
    struct Settings: Hashable {
        var widths: [Int]
        var imageKB: Int
        var imagePixels: Int
        var allowActive: Bool
    }

    /// Publishes every asset into `sink` and returns content path → where it went.
    func run(_ assets: [ContentAsset], into sink: OutputSink, memo: StageMemo<Processed>?, diagnostics: DiagnosticBag) -> [String: PublishedAsset] {
        let settings = StageKey.of(Settings(widths: images.widths, imageKB: limits.imageKB, imagePixels: limits.imagePixels, allowActive: allowActive))
        let results = assets.concurrentMap { asset -> Processed in
            let key = StageKey.of(asset, settings)
            var result: Processed
            if let cached = memo?.value(asset.path, key: key) {
                result = cached
            } else {
                result = process(asset)
                memo?.store(asset.path, key: key, result)
            }
            for file in result.files {
                do {
                    try sink.write(file.path, file.bytes)
                } catch {
                    result.diagnostics.append(Diagnostic(.error, "output-failed", "\(error)", root: .output))
                }
            }
            // Written: only the preview's memo keeps the bytes.
            result.files = []
            return result
        }
        var table: [String: PublishedAsset] = [:]
        for (asset, result) in zip(assets, results) {
            table[asset.path] = result.published
            diagnostics.report(contentsOf: result.diagnostics)
        }
        if let missing = results.lazy.compactMap(\.resizerMissing).first {
            diagnostics.report(
                .warning(
                    "image-library-missing",
                    "images.widths asks for smaller copies of images, but libvips cannot be loaded (\(missing)); images are published at their own size only. Install Debian's libvips42 (`make site` does)",
                    file: "site.yml", at: imagesLocation))
        }
        return table
    }

    /// Reads, checks and publishes one asset (and its copies).
    func process(_ asset: ContentAsset) -> Processed {
        let name = asset.path.split(separator: "/").last.map(String.init) ?? asset.path
        if !allowActive, let what = PublishableFile.refusal(name) {
            let refusal = Diagnostic.error(
                "unsafe-file",
                "this is \(what): content publishes only images, audio, video, PDFs and downloads (the list is in the writer's guide), since a page or script published from content would run on the site's own address; link to it elsewhere, or set `unsafeHTML: true` in site.yml if every contributor is trusted",
                file: asset.path)
            return Processed(published: PublishedAsset(path: asset.path), files: [], diagnostics: [refusal])
        }
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readBytes(contentRoot + "/" + asset.path)
        } catch {
            return Processed(
                published: PublishedAsset(path: asset.path), files: [], diagnostics: [.error("unreadable-file", "\(error)", file: asset.path)])
        }
        return publish(bytes, asset)
    }

    /// Checks and publishes one asset's bytes (and its copies): `process` after the read, which the image
    /// fuzz target calls with any bytes.
    func publish(_ bytes: [UInt8], _ asset: ContentAsset) -> Processed {
        var result = Processed(published: PublishedAsset(path: asset.path), files: [], diagnostics: [])
        let name = asset.path.split(separator: "/").last.map(String.init) ?? asset.path
        guard let format = ImageInfo.Format(fileName: name) else {
            result.files = [(asset.path, bytes)]
            return result
        }
        let folder = String(asset.path.dropLast(name.count))
        let hash = FNV1a.hash(bytes)
        result.published.path = folder + Fingerprint.name(name, hash)
        result.files = [(result.published.path, bytes)]
        func warn(_ code: String, _ message: String) { result.diagnostics.append(.warning(code, message, file: asset.path)) }

        let info: ImageInfo
        switch ImageHeader.read(bytes, as: format) {
        case .success(let read): info = read
        case .failure(let problem) where format == .svg:
            result.diagnostics.append(
                .error("invalid-svg", "this SVG is \(problem); fix it in a drawing program or export it again", file: asset.path, at: problem.location))
            result.files = []
            return result
        case .failure(let problem):
            warn("invalid-image", "\(problem); it is published, but pages cannot reserve its space or make smaller copies")
            result.published.image = PublishedImage(width: nil, height: nil)
            return result
        }
        result.published.image = PublishedImage(width: info.width, height: info.height)
        if !info.activeContent.isEmpty, !allowActive {
            for active in info.activeContent {
                result.diagnostics.append(
                    .error(
                        "unsafe-svg",
                        "this SVG contains \(active.description): opened at its own address it would run script or load other files on the site's origin; remove it (export the drawing again as plain SVG), or set `unsafeHTML: true` in site.yml if every contributor is trusted",
                        file: asset.path, at: active.location))
            }
            result.files = []
            return result
        }
        if format == .svg, info.width == nil || info.height == nil {
            warn("image-without-size", "this SVG states no width and height (nor a viewBox); pages cannot reserve its space while it loads")
        }
        if bytes.count > limits.imageKB * 1024 {
            warn(
                "image-too-large",
                "this image is \(Self.kilobytes(bytes.count)) KB; over \(limits.imageKB) KB it is slow to load on a phone's connection: export it smaller, or as JPEG or WebP for photos (the limit is `limits.imageKB` in site.yml)"
            )
        }
        guard makeCopies, let width = info.width, let height = info.height, [.png, .jpeg, .webp].contains(format) else { return result }
        let wanted = images.widths.filter { $0 < width }
        guard !wanted.isEmpty else { return result }
        guard let pixels = Self.pixels(width, height), pixels <= limits.imagePixels else {
            warn(
                "image-too-large",
                "this image has \(width) × \(height) pixels, more than `limits.imagePixels` in site.yml allows (\(limits.imagePixels)); it is published without smaller copies, as decoding it would take more memory than a page's image should: export it smaller"
            )
            return result
        }
        var resizer: (any ImageCopier)?
        // `chart.png` → `chart-480w.<hash>.png`
        let stem = name[..<(name.lastIndex(of: ".") ?? name.endIndex)]
        let fileExtension = name[stem.endIndex...]
        var copies: [(width: Int, path: String, bytes: [UInt8])] = []
        for w in wanted {
            var seed = StableHasher()
            seed.add([hash, UInt64(w)])
            seed.add(ImageResizer.recipe)
            let path = folder + Fingerprint.name("\(stem)-\(w)w\(fileExtension)", seed.value)
            if let previousOutput, let copy = try? FileSystem.readBelow(previousOutput, path),
                case .success(let made) = ImageHeader.read(copy, as: format), made.width == w
            {
                copies.append((w, path, copy))
                continue
            }
            if resizer == nil {
                switch self.resizer() {
                case .success(let r): resizer = r
                case .failure(let missing):
                    result.resizerMissing = missing.description
                    return result
                }
            }
            switch resizer!.resize(bytes, to: w, format: format) {
            case .success(let made): copies.append((w, path, made))
            case .failure(let problem):
                // All copies or none: a copy made before the damage was found is not published either.
                warn(
                    "invalid-image",
                    "its pixel data cannot be decoded (\(problem)); it is published as it is, without smaller copies: open it in an image editor and export it again"
                )
                return result
            }
        }
        result.files += copies.map { ($0.path, $0.bytes) }
        result.published.image!.variants = copies.map { PublishedImage.Variant(width: $0.width, path: $0.path) }
        return result
    }

    /// `width × height`, or nil when the product does not fit in an `Int` (header values are the file's word).
    static func pixels(_ width: Int, _ height: Int) -> Int? {
        let (product, overflow) = width.multipliedReportingOverflow(by: height)
        return overflow || width < 0 || height < 0 ? nil : product
    }

    static func kilobytes(_ bytes: Int) -> String { String((bytes + 1023) / 1024) }
}
