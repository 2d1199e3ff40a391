/// The one HTML escaping of the code base: text and attribute values in markup we build ourselves, the
/// compiled template renderer, swift-mustache's content type, and the preview server's error page.
/// Escapes `& < > " '`, so its output is safe in element text and in quoted attributes alike, and
/// replaces the control characters HTML and XML forbid (NUL, ESC, DEL, … all but tab and line breaks)
/// with U+FFFD: text from outside (an event log's fields in `report --events`) may hold them, and the
/// same escaping writes feeds and sitemaps, where one makes the whole file unreadable.
public enum HTML {
    /// Appends `text` to `out`, escaped.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        appendEscaped(bytes: text.utf8, to: &out)
    }

    /// Appends UTF-8 `bytes` to `out`, escaped (a highlighted code run, without making a String).
    static func appendEscaped(bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        for b in bytes {
            switch b {
            case 0x26: out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
            case 0x3C: out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
            case 0x3E: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
            case 0x22: out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
            case 0x27: out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
            case _ where isForbiddenControl(b): out.append(contentsOf: [0xEF, 0xBF, 0xBD])  // U+FFFD
            default: out.append(b)
            }
        }
    }

    /// C0 controls but tab, LF and CR, and DEL (C1 controls are two UTF-8 bytes, and allowed in XML 1.0).
    @inline(__always) static func isForbiddenControl(_ b: UInt8) -> Bool { (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F }

    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || isForbiddenControl($0) }) else {
            return s
        }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 32)
        appendEscaped(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
