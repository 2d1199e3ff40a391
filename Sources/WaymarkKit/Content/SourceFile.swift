import Foundation

/// A text file from the content tree, decoded and indexed so byte offsets can be turned into
/// `line:column` positions that match what an editor shows.
public struct SourceFile: Sendable {
    /// Path relative to the content root, with `/` separators (`en/articles/billing/refunds.md`).
    public let path: String
    /// The decoded text, without a leading byte-order mark. Line endings are kept as written.
    public let text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// Decodes `bytes` as UTF-8, dropping a leading BOM. Invalid UTF-8 is reported at the line and column
    /// of the first bad byte rather than being replaced silently.
    public static func decode(path: String, bytes: [UInt8]) -> Result<SourceFile, Diagnostic> {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        let body = bytes[start...]
        if let badOffset = firstInvalidUTF8Offset(body) {
            let location = locate(byteOffset: badOffset, in: body)
            return .failure(
                .error(
                    "invalid-utf8", "file is not valid UTF-8 (first invalid byte 0x\(String(body[badOffset], radix: 16, uppercase: true))); save it as UTF-8",
                    file: path, at: location))
        }
        return .success(SourceFile(path: path, text: String(decoding: body, as: UTF8.self)))
    }

    /// Offset (in `bytes`' indices) of the first byte that is not part of a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            let minimum: UInt32
            if b & 0xE0 == 0xC0 {
                length = 2
                minimum = 0x80
            } else if b & 0xF0 == 0xE0 {
                length = 3
                minimum = 0x800
            } else if b & 0xF8 == 0xF0 {
                length = 4
                minimum = 0x10000
            } else {
                return i
            }
            if i + length > end { return i }
            var scalar = UInt32(b) & (0xFF >> (length + 1))
            for k in 1..<length {
                let c = bytes[i + k]
                if c & 0xC0 != 0x80 { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += length
        }
        return nil
    }

    /// The 1-based line and scalar column of a byte offset in UTF-8 `bytes` (indices of the slice).
    static func locate(byteOffset: Int, in bytes: ArraySlice<UInt8>) -> SourceLocation {
        var line = 1
        var column = 1
        var i = bytes.startIndex
        while i < byteOffset {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return SourceLocation(line: line, column: column)
    }
}

/// Maps 1-based (line, byte column) pairs, as cmark reports them, to scalar columns.
struct LineIndex {
    private let lineStarts: [Int]
    private let utf8: [UInt8]

    init(_ text: String) {
        utf8 = Array(text.utf8)
        var starts = [0]
        for (i, b) in utf8.enumerated() where b == 0x0A { starts.append(i + 1) }
        lineStarts = starts
    }

    var lineCount: Int { lineStarts.count }

    /// The one gate for positions from cmark-gfm: a line that exists and a byte column from 1 to just past
    /// the line's last byte. cmark-gfm reports positions outside the text for some inputs (column 0 for
    /// links in a paragraph whose last line became a table's header row, as in `[]()[^1]\na||\n-|-`;
    /// columns past the line's end where it wrote U+FFFD, 3 bytes, for each NUL byte), and unclamped they
    /// index outside the text. `scalarColumn` and `scalarCount` take only clamped positions.
    func clamp(line: Int, byteColumn: Int) -> (line: Int, byteColumn: Int) {
        let line = min(max(line, 1), lineStarts.count)
        let end = line < lineStarts.count ? lineStarts[line] - 1 : utf8.count
        return (line, min(max(byteColumn, 1), end - lineStarts[line - 1] + 1))
    }

    /// Converts a byte column on `line` (both from `clamp`) into a column counted in Unicode scalars.
    func scalarColumn(line: Int, byteColumn: Int) -> Int {
        1 + scalarCount(line: line, bytes: 0..<(byteColumn - 1))
    }

    /// Unicode scalars that start within a byte range of a line (0-based offsets into the line, within
    /// the line: from columns that `clamp` gave).
    func scalarCount(line: Int, bytes range: Range<Int>) -> Int {
        let start = lineStarts[line - 1]
        var count = 0
        for i in (start + range.lowerBound)..<(start + range.upperBound) where utf8[i] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The bytes of one line, without its line ending.
    func line(_ n: Int) -> ArraySlice<UInt8> {
        guard n >= 1, n <= lineStarts.count else { return [] }
        let start = lineStarts[n - 1]
        var end = n < lineStarts.count ? lineStarts[n] - 1 : utf8.count
        if end > start, utf8[end - 1] == 0x0D { end -= 1 }
        return utf8[start..<max(start, end)]
    }
}
