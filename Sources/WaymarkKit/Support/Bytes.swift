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
