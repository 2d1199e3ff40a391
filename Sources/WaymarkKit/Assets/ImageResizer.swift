import CWaymarkSupport
import Foundation

/// Smaller copies of raster images for `srcset`, made with libvips (Debian's `libvips42`), loaded when a
/// site first asks for them: a site without `images.widths`, or a machine without the library, builds
/// without it (the build says once that the copies were not made).
///
/// libvips is the image library behind sharp (Node) and many CDNs' resizers: it streams, so memory stays
/// near one image's size, and it shrinks JPEGs while decoding.
public final class ImageResizer: ImageCopier, @unchecked Sendable {
    /// The loaded library's entry points (read-only once loaded: calls from every core share them).
    private let vips: waymark_vips
    /// The library's version-independent name for how copies are made; part of their file names, so a
    /// change to the recipe gives new URLs (caches never serve a copy made the old way).
    /// 2: damaged pixel data fails instead of giving a copy with black rows (copies made the old way from
    /// such a file are never reused).
    static let recipe = "vips-thumbnail-2"

    private init(_ vips: waymark_vips) { self.vips = vips }

    /// The system's libvips, loaded once per process; nil with the reason when it cannot be loaded.
    /// `WAYMARK_LIBVIPS` names another library file, or `none` to build as if it were not installed.
    public static let system: Result<ImageResizer, ImageHeaderError> = {
        let path = ProcessInfo.processInfo.environment["WAYMARK_LIBVIPS"]
        if path == "none" { return .failure(ImageHeaderError(description: "WAYMARK_LIBVIPS=none")) }
        var vips = waymark_vips()
        var message = [CChar](repeating: 0, count: 512)
        let status = message.withUnsafeMutableBufferPointer { buffer in
            waymark_vips_load(&vips, path, buffer.baseAddress, buffer.count)
        }
        guard status == 0 else { return .failure(ImageHeaderError(description: text(message))) }
        return .success(ImageResizer(vips))
    }()

    /// `bytes` scaled to `width` pixels wide and encoded in the source's own format, without metadata
    /// (EXIF, including a photo's location, stays out of the published copies).
    func resize(_ bytes: [UInt8], to width: Int, format: ImageInfo.Format) -> Result<[UInt8], ImageHeaderError> {
        let suffix: String
        switch format {
        case .png: suffix = ".png[strip]"
        case .jpeg: suffix = ".jpg[Q=82,strip,optimize_coding]"
        case .webp: suffix = ".webp[Q=82,strip]"
        case .gif, .svg: return .failure(ImageHeaderError(description: "\(format.rawValue) images are not resized"))
        }
        var output: UnsafeMutableRawPointer?
        var length = 0
        var outWidth: Int32 = 0
        var outHeight: Int32 = 0
        var message = [CChar](repeating: 0, count: 512)
        var vips = self.vips
        let status = bytes.withUnsafeBytes { input in
            message.withUnsafeMutableBufferPointer { buffer in
                waymark_vips_resize(
                    &vips, input.baseAddress, input.count, Int32(width), suffix, &output, &length, &outWidth, &outHeight, buffer.baseAddress,
                    buffer.count)
            }
        }
        guard status == 0, let output else {
            // libvips' messages are lines, one per failing step: one line in a diagnostic.
            let reason = text(message).split(whereSeparator: \.isNewline).joined(separator: "; ")
            return .failure(ImageHeaderError(description: reason.isEmpty ? "libvips could not resize it" : reason))
        }
        defer { vips.free?(output) }
        return .success(Array(UnsafeRawBufferPointer(start: output, count: length)))
    }
}

/// What makes an image's smaller copies: libvips (`ImageResizer`) in builds; a stand-in where the copy
/// planning, not libvips, is under test (the image fuzz target).
protocol ImageCopier: Sendable {
    /// `bytes` scaled to `width` pixels wide, in `format`; a failure is the image's (its data is damaged).
    func resize(_ bytes: [UInt8], to width: Int, format: ImageInfo.Format) -> Result<[UInt8], ImageHeaderError>
}

/// A C string written into `buffer`, up to its terminating zero.
private func text(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
