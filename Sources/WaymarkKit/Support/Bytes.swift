import Foundation

extension ArraySlice<UInt8> {
    /// Where `needle` first occurs (an index of this slice): memchr for its first byte, then memcmp.
    /// Foundation's generic `firstRange(of:)` is about 20× slower on long lines, which link locations
    /// scan once per link.
    func firstIndex(ofBytes needle: [UInt8]) -> Int? {
        guard !needle.isEmpty, count >= needle.count else { return nil }
        return withUnsafeBytes { hay -> Int? in
            needle.withUnsafeBytes { n -> Int? in
                let base = hay.baseAddress!
                let last = hay.count - n.count
                var i = 0
                while i <= last {
                    guard let hit = memchr(base + i, Int32(n[0]), last - i + 1) else { return nil }
                    let offset = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + offset, n.baseAddress!, n.count) == 0 { return startIndex + offset }
                    i = offset + 1
                }
                return nil
            }
        }
    }
}

extension String {
    /// This text with every occurrence of each `pairs.of` replaced by its `with`, in one pass over the
    /// UTF-8: at each position the first listed pattern that matches is replaced and the scan goes on
    /// after it, so a replacement is never matched again (nor a pattern overlapping the end of one
    /// replaced: patterns that may overlap need a pass each). Foundation's `replacingOccurrences` bridges
    /// through NSString and UTF-16 on Linux (≈7% of a 10,000-page build's CPU before this, for a
    /// handful of replacements per page).
    func replacingBytes(_ pairs: [(of: String, with: String)]) -> String {
        let patterns = pairs.map { (of: Array($0.of.utf8), with: Array($0.with.utf8)) }.filter { !$0.of.isEmpty }
        var starts = [Bool](repeating: false, count: 256)
        for p in patterns { starts[Int(p.of[0])] = true }
        var text = self
        return text.withUTF8 { bytes -> String in
            var out: [UInt8] = []
            var copied = 0
            var i = 0
            while i < bytes.count {
                guard starts[Int(bytes[i])],
                    let p = patterns.first(where: { p in
                        i + p.of.count <= bytes.count && memcmp(bytes.baseAddress! + i, p.of, p.of.count) == 0
                    })
                else {
                    i += 1
                    continue
                }
                if out.isEmpty { out.reserveCapacity(bytes.count + bytes.count / 8) }
                out.append(contentsOf: bytes[copied..<i])
                out.append(contentsOf: p.with)
                i += p.of.count
                copied = i
            }
            guard copied > 0 else { return self }
            out.append(contentsOf: bytes[copied...])
            return String(decoding: out, as: UTF8.self)
        }
    }
}
