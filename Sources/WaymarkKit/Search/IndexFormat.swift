/// Binary building blocks of the search index, shared by the writer and the Swift query engine (the
/// browser's reader in waymark.js follows the same layout):
///
/// ```
/// shard  = "WMS1" varint(entryCount) entry*          entries sorted by the folded form's UTF-8 bytes
/// entry  = varint(shared) bytes(suffix)               folded form, front-coded against the previous entry
///          varint(keyShared) bytes(keySuffix)         key (stem) as a prefix of folded + suffix
///          varint(variantCount) variant*
/// variant= bytes(normal or empty when equal to folded) varint(postingCount) posting*
/// posting= varint(docDelta) u8(impact 1…255) varint(positionCount ≤ 3) varint(positionDelta)*
/// bytes  = varint(length) utf8
/// ```
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: Int) {
        var v = UInt(value)
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func data(_ b: some Collection<UInt8>) {
        varint(b.count)
        bytes.append(contentsOf: b)
    }
}

struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    struct Truncated: Error {}

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func varint() throws -> Int {
        var result = 0
        var shift = 0
        while true {
            guard offset < bytes.count, shift < 63 else { throw Truncated() }
            let b = bytes[offset]
            offset += 1
            result |= Int(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw Truncated() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func data() throws -> ArraySlice<UInt8> {
        let n = try varint()
        guard n >= 0, offset + n <= bytes.count else { throw Truncated() }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }
}

/// 32-bit FNV-1a, the shard hash (the browser computes it with Math.imul).
enum FNV32 {
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for b in bytes {
            h ^= UInt32(b)
            h = h &* 0x0100_0193
        }
        return h
    }
}

enum SearchShards {
    /// Words sharing their first two letters share a shard, so a shard holds every candidate for a
    /// word's exact, stem, prefix (two letters or more) and one-typo matches after the second letter.
    static func shard(of folded: String, count: Int) -> Int {
        let head = String(String.UnicodeScalarView(folded.unicodeScalars.prefix(2)))
        return Int(FNV32.hash(head.utf8) % UInt32(max(count, 1)))
    }
}
