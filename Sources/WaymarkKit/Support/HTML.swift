/// The one HTML escaping of the code base: text and attribute values in markup we build ourselves, the
/// compiled template renderer, swift-mustache's content type, and the preview server's error page.
/// Escapes `& < > " '`, so its output is safe in element text and in quoted attributes alike.
public enum HTML {
    /// Appends `text` to `out`, escaped.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        for b in text.utf8 {
            switch b {
            case 0x26: out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
            case 0x3C: out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
            case 0x3E: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
            case 0x22: out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
            case 0x27: out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
            default: out.append(b)
            }
        }
    }

    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return s
        }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 32)
        appendEscaped(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
