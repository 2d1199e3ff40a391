import CCompression

/// Precompressed copies for servers that send them as they are (nginx `gzip_static`, `brotli_static`):
/// deterministic bytes (no timestamps or file names in the gzip header), maximum compression, done once
/// at build time instead of on every request.
enum Compression {
    static func gzip(_ input: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        // windowBits 15 + 16 writes a gzip wrapper; zlib leaves its mtime field 0.
        guard deflateInit2_(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        var input = input
        let status = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        return Array(output.prefix(Int(stream.total_out)))
    }

    static func brotli(_ input: [UInt8], quality: Int32 = 10) -> [UInt8]? {
        var size = BrotliEncoderMaxCompressedSize(input.count)
        if size == 0 { size = input.count + 1024 }
        var output = [UInt8](repeating: 0, count: size)
        let ok = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, inBuffer.count, inBuffer.baseAddress, &size, outBuffer.baseAddress)
            }
        }
        guard ok == BROTLI_TRUE else { return nil }
        return Array(output.prefix(size))
    }

    /// Text formats and search shards are worth compressing; images and other media already are.
    static func worthCompressing(_ path: String) -> Bool {
        for suffix in [".html", ".css", ".js", ".json", ".xml", ".txt", ".svg", ".bin"] where path.hasSuffix(suffix) { return true }
        return false
    }
}

/// Streaming gzip decoding for inputs too large to hold (event logs): bytes go in as they are read,
/// decoded bytes come out in pieces, so memory stays at the two buffers whatever the file's size.
/// Concatenated gzip members (what `cat a.gz b.gz` and log rotation produce) decode as one stream.
final class GzipDecoder {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 1 << 18)
    /// True between the end of one member and the first byte of the next.
    private var betweenMembers = false

    init() throws(Failure) {
        // windowBits 15 + 16: gzip wrapper only (a zlib or raw stream is not a .gz file).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib could not start")
        }
    }

    deinit { inflateEnd(&stream) }

    /// Decodes `input` completely, handing each decoded piece to `body` (valid only during the call).
    func decode(_ input: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<UInt8>) -> Void) throws(Failure) {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = UInt32(input.count)
        var produced = 0
        repeat {
            if betweenMembers {
                if stream.avail_in == 0 { break }
                inflateReset(&stream)
                betweenMembers = false
            }
            let status: Int32
            (status, produced) = output.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                let status = inflate(&stream, Z_NO_FLUSH)
                return (status, out.count - Int(stream.avail_out))
            }
            if produced > 0 { output.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<produced])) } }
            switch status {
            case Z_OK, Z_BUF_ERROR: break
            case Z_STREAM_END: betweenMembers = true
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw Failure(description: "corrupt gzip data (\(reason))")
            }
            // A full output buffer may leave decoded bytes inside zlib even when all input is taken.
        } while stream.avail_in > 0 || produced == output.count
    }

    /// Whether the input ended at the end of a member, not partway through one.
    var isComplete: Bool { betweenMembers }
}
