import Foundation

/// Reads event logs (JSON lines as a collector stores them) line by line: plain or gzip (told apart by
/// the gzip magic bytes, not the file name, since collectors and log rotation name files freely), from a
/// file or from standard input (`-`). Memory is a read buffer and one line, whatever the file's size.
enum EventLog {
    /// Lines longer than this are reported and skipped without being held: an event is a few hundred bytes.
    static let maxLineBytes = 64 * 1024

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// One line as `body` sees it: its bytes without the line break, or nil when it was too long to keep.
    typealias LineHandler = (_ bytes: UnsafeBufferPointer<UInt8>?, _ line: Int) -> Void

    /// Calls `body` for every line of `path` (`-`: standard input), numbered from 1. Throws only when the
    /// file cannot be read (or its gzip data is corrupt or cut off), after handing over the complete lines
    /// before the problem.
    static func forEachLine(_ path: String, _ body: LineHandler) throws(Failure) {
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw Failure(description: "cannot open the file: \(String(cString: strerror(errno)))") }
        defer { if fd != 0 { close(fd) } }
        try forEachLine(body) { chunk throws(Failure) in
            while true {
                let n = Glibc.read(fd, chunk.baseAddress!, chunk.count)
                if n >= 0 { return n }
                if errno != EINTR { throw Failure(description: "cannot read the file: \(String(cString: strerror(errno)))") }
            }
        }
    }

    /// The same for bytes in memory (the fuzz target).
    static func forEachLine(in bytes: [UInt8], _ body: LineHandler) throws(Failure) {
        var offset = 0
        try forEachLine(body) { chunk in
            let n = min(chunk.count, bytes.count - offset)
            _ = chunk.initialize(from: bytes[offset..<(offset + n)])
            offset += n
            return n
        }
    }

    /// Lines from `read`, which fills a buffer and returns how much it filled (0 at the end).
    private static func forEachLine(
        _ body: LineHandler, read: (UnsafeMutableBufferPointer<UInt8>) throws(Failure) -> Int
    ) throws(Failure) {
        var splitter = LineSplitter()
        var gzip: GzipDecoder?
        var first = true
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)
        defer { chunk.deallocate() }
        while true {
            let n = try read(chunk)
            if n == 0 { break }
            if first {
                first = false
                if n >= 2, chunk[0] == 0x1F, chunk[1] == 0x8B {
                    do throws(GzipDecoder.Failure) { gzip = try GzipDecoder() } catch { throw Failure(description: error.description) }
                }
            }
            let piece = UnsafeBufferPointer(rebasing: chunk[0..<n])
            guard let gzip else {
                splitter.feed(piece, body)
                continue
            }
            do throws(GzipDecoder.Failure) {
                try gzip.decode(UnsafeRawBufferPointer(piece)) { splitter.feed($0, body) }
            } catch {
                throw Failure(description: "\(error.description) after line \(splitter.line)")
            }
        }
        // A cut-off gzip member leaves a partial last line: it is part of the reported problem, not an event.
        if let gzip, !gzip.isComplete {
            throw Failure(description: "the gzip data ends early (a truncated file?) after line \(splitter.line)")
        }
        splitter.finish(body)
    }

    /// Cuts a stream of byte pieces into lines; a line split across two pieces is joined in `pending`.
    struct LineSplitter {
        var pending: [UInt8] = []
        /// Number of the last line handed over.
        var line = 0
        /// The current line passed `maxLineBytes`: the rest of it is dropped.
        var overlong = false

        mutating func feed(_ piece: UnsafeBufferPointer<UInt8>, _ body: LineHandler) {
            guard let base = piece.baseAddress else { return }
            var start = 0
            while start < piece.count {
                guard let newline = memchr(base + start, 0x0A, piece.count - start) else {
                    keep(UnsafeBufferPointer(start: base + start, count: piece.count - start))
                    return
                }
                let end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                if pending.isEmpty, !overlong {
                    emit(UnsafeBufferPointer(start: base + start, count: end - start), body)
                } else {
                    keep(UnsafeBufferPointer(start: base + start, count: end - start))
                    let joined = pending
                    joined.withUnsafeBufferPointer { emit($0, body) }
                    pending.removeAll(keepingCapacity: true)
                }
                start = end + 1
            }
        }

        /// The last line, when the input does not end with a line break.
        mutating func finish(_ body: LineHandler) {
            guard !pending.isEmpty || overlong else { return }
            let joined = pending
            joined.withUnsafeBufferPointer { emit($0, body) }
            pending.removeAll()
        }

        private mutating func keep(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard !overlong else { return }
            if pending.count + bytes.count > EventLog.maxLineBytes {
                overlong = true
                pending.removeAll()
            } else {
                pending.append(contentsOf: bytes)
            }
        }

        private mutating func emit(_ bytes: UnsafeBufferPointer<UInt8>, _ body: LineHandler) {
            line += 1
            if overlong || bytes.count > EventLog.maxLineBytes {
                overlong = false
                body(nil, line)
                return
            }
            var count = bytes.count
            if count > 0, bytes[count - 1] == 0x0D { count -= 1 }  // CRLF files
            body(UnsafeBufferPointer(start: bytes.baseAddress, count: count), line)
        }
    }
}
