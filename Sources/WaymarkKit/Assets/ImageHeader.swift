/// The pixel size of an image file, read from the first bytes of its header (no decoding), so every page
/// can give each image its `width` and `height` and the browser reserves the space before the image
/// arrives: text does not jump while a reader starts reading.
public struct ImageInfo: Sendable, Hashable {
    public enum Format: String, Sendable, CaseIterable {
        case png, jpeg, gif, webp, svg

        /// The format a file name promises (`.jpg` and `.jpeg` are both JPEG); nil for other files.
        public init?(fileName: String) {
            guard let dot = fileName.lastIndex(of: ".") else { return nil }
            switch fileName[fileName.index(after: dot)...].lowercased() {
            case "png": self = .png
            case "jpg", "jpeg": self = .jpeg
            case "gif": self = .gif
            case "webp": self = .webp
            case "svg": self = .svg
            default: return nil
            }
        }
    }

    public var format: Format
    /// Size as browsers show the image: a JPEG that its EXIF data says to rotate by 90° has its width and
    /// height swapped, as `image-orientation: from-image` (the default) displays it. Nil for an SVG that
    /// states neither a size nor a `viewBox`.
    public var width: Int?
    public var height: Int?
    /// For SVG: what would run script or load another file when the file is opened on its own (scripts
    /// in any namespace, event handlers, `javascript:` links, embedded HTML, external references), at
    /// most `SVGReader.maxFindings`.
    public var activeContent: [SVGFinding]

    public init(format: Format, width: Int?, height: Int?, activeContent: [SVGFinding] = []) {
        self.format = format
        self.width = width
        self.height = height
        self.activeContent = activeContent
    }
}

/// Why an image's size could not be read.
public struct ImageHeaderError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    /// Where in the file, when the reader knows (an SVG's parser does).
    public var location: SourceLocation? = nil
}

/// Reads `ImageInfo` from a file's bytes. Each raster reader looks at a bounded prefix (a JPEG's markers
/// up to its frame header); an SVG is parsed whole (`SVGReader`). The cost is linear in the file at
/// worst, and a damaged or hostile file gives an error, never a trap.
public enum ImageHeader {
    public static func read(_ bytes: [UInt8], as format: ImageInfo.Format) -> Result<ImageInfo, ImageHeaderError> {
        let found: ImageInfo?
        switch format {
        case .png: found = png(bytes)
        case .jpeg: found = jpeg(bytes)
        case .gif: found = gif(bytes)
        case .webp: found = webp(bytes)
        case .svg: return SVGReader.read(bytes)
        }
        if let found { return .success(found) }
        var message = "not a readable \(format.rawValue.uppercased()) file"
        if let actual = sniff(bytes), actual != format { message += " (its bytes are \(actual.rawValue.uppercased()); fix the file name's extension)" }
        return .failure(ImageHeaderError(description: message))
    }

    /// The format the bytes themselves announce.
    static func sniff(_ b: [UInt8]) -> ImageInfo.Format? {
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if b.starts(with: Array("GIF8".utf8)) { return .gif }
        if b.count >= 12, b.starts(with: Array("RIFF".utf8)), Array(b[8..<12]) == Array("WEBP".utf8) { return .webp }
        return nil
    }

    static func png(_ b: [UInt8]) -> ImageInfo? {
        // Signature, then the IHDR chunk: length, "IHDR", width, height (big-endian).
        guard b.count >= 24, b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), Array(b[12..<16]) == Array("IHDR".utf8)
        else { return nil }
        // The PNG specification caps each side at 2³¹ − 1: a larger one is a damaged or hostile header.
        let width = bigEndian(b, 16, 4)
        let height = bigEndian(b, 20, 4)
        guard width <= Int(Int32.max), height <= Int(Int32.max) else { return nil }
        return sized(.png, width: width, height: height)
    }

    static func gif(_ b: [UInt8]) -> ImageInfo? {
        guard b.count >= 10, b.starts(with: Array("GIF87a".utf8)) || b.starts(with: Array("GIF89a".utf8)) else { return nil }
        return sized(.gif, width: littleEndian(b, 6, 2), height: littleEndian(b, 8, 2))
    }

    static func webp(_ b: [UInt8]) -> ImageInfo? {
        guard b.count >= 30, sniff(b) == .webp else { return nil }
        switch String(decoding: b[12..<16], as: UTF8.self) {
        case "VP8 ":
            // Lossy: a key frame's start code, then 14-bit width and height.
            guard b[23] == 0x9D, b[24] == 0x01, b[25] == 0x2A else { return nil }
            return sized(.webp, width: littleEndian(b, 26, 2) & 0x3FFF, height: littleEndian(b, 28, 2) & 0x3FFF)
        case "VP8L":
            // Lossless: signature byte, then width − 1 and height − 1 in 14 bits each.
            guard b[20] == 0x2F else { return nil }
            let bits = littleEndian(b, 21, 4)
            return sized(.webp, width: (bits & 0x3FFF) + 1, height: ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            // Extended (alpha, animation): the canvas, width − 1 and height − 1 in 24 bits each.
            return sized(.webp, width: littleEndian(b, 24, 3) + 1, height: littleEndian(b, 27, 3) + 1)
        default: return nil
        }
    }

    static func jpeg(_ b: [UInt8]) -> ImageInfo? {
        guard b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
        var i = 2
        var orientation = 1
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            // Fill bytes, and markers without a length.
            if marker == 0xFF {
                i += 1
                continue
            }
            if marker == 0x01 || (0xD0...0xD7).contains(marker) {
                i += 2
                continue
            }
            let length = bigEndian(b, i + 2, 2)
            guard length >= 2, i + 2 + length <= b.count else { return nil }
            let segment = b[(i + 4)..<(i + 2 + length)]
            if marker == 0xE1, let o = exifOrientation(segment) { orientation = o }
            // Start of frame (any coding but the DHT, JPG and DAC markers that share the range).
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard segment.count >= 5 else { return nil }
                let height = bigEndian(b, i + 5, 2)
                let width = bigEndian(b, i + 7, 2)
                // Orientations 5–8 turn the picture by 90°.
                return orientation >= 5 ? sized(.jpeg, width: height, height: width) : sized(.jpeg, width: width, height: height)
            }
            if marker == 0xDA { return nil }  // image data before any frame header
            i += 2 + length
        }
        return nil
    }

    /// The orientation tag (0x0112) of IFD0 in an APP1 `Exif` segment.
    static func exifOrientation(_ segment: ArraySlice<UInt8>) -> Int? {
        let s = Array(segment)
        guard s.count >= 14, s.starts(with: Array("Exif".utf8) + [0, 0]) else { return nil }
        let tiff = 6
        let little: Bool
        switch (s[tiff], s[tiff + 1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func read(_ at: Int, _ n: Int) -> Int? {
            guard at >= 0, at + n <= s.count else { return nil }
            return little ? littleEndian(s, at, n) : bigEndian(s, at, n)
        }
        guard let ifd = read(tiff + 4, 4), let count = read(tiff + ifd, 2) else { return nil }
        for entry in 0..<min(count, 512) {
            let at = tiff + ifd + 2 + entry * 12
            guard let tag = read(at, 2) else { return nil }
            if tag == 0x0112 { return read(at + 8, 2).flatMap { (1...8).contains($0) ? $0 : nil } }
        }
        return nil
    }

    private static func sized(_ format: ImageInfo.Format, width: Int, height: Int) -> ImageInfo? {
        width > 0 && height > 0 ? ImageInfo(format: format, width: width, height: height) : nil
    }

    private static func bigEndian(_ b: [UInt8], _ at: Int, _ n: Int) -> Int {
        (0..<n).reduce(0) { $0 << 8 | Int(b[at + $1]) }
    }

    private static func littleEndian(_ b: [UInt8], _ at: Int, _ n: Int) -> Int {
        (0..<n).reversed().reduce(0) { $0 << 8 | Int(b[at + $1]) }
    }
}
