import Foundation

/// The parts of RFC 6455 the live-reload channel needs: the opening handshake, text frames to the page,
/// and reading the page's small messages (its URL), with pings answered and closes acknowledged.
enum WebSocket {
    /// `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`.
    static func acceptValue(for key: String) -> String {
        Data(SHA1.digest(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
    }

    enum Opcode: UInt8 {
        case continuation = 0
        case text = 1
        case binary = 2
        case close = 8
        case ping = 9
        case pong = 10
    }

    /// One unmasked frame from the server (servers never mask, RFC 6455 §5.1).
    static func frame(_ opcode: Opcode, _ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x80 | opcode.rawValue]
        switch payload.count {
        case ..<126: out.append(UInt8(payload.count))
        case ..<65_536: out += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default:
            out.append(127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(payload.count) >> UInt64(shift)) & 0xFF)) }
        }
        return out + payload
    }

    /// A close frame carrying `code` (none when nil: the reply to a close that named none).
    static func closeFrame(_ code: UInt16?) -> [UInt8] {
        frame(.close, code.map { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } ?? [])
    }

    /// Close codes a peer may send (RFC 6455 §7.4.1 and IANA's registry): the defined ones except those
    /// reserved for never being sent (1004-1006, 1015), and the ranges for libraries and applications.
    static func isValidCloseCode(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: return true
        default: return false
        }
    }

    /// Reads client frames from a connection's buffered bytes, joining fragments, never holding more than
    /// `maxMessage` bytes of one message.
    struct Reader {
        let maxMessage: Int
        private var message: [UInt8] = []
        private var messageIsText = false
        private var inMessage = false

        init(maxMessage: Int) { self.maxMessage = maxMessage }

        enum Event: Equatable {
            case text(String)
            case ping([UInt8])
            /// The peer closed, naming `code` (nil when it named none): echo it and close.
            case close(code: UInt16?)
            /// The peer broke the protocol (unmasked frame, oversized message, bad UTF-8, a close frame with
            /// a 1-byte body, an invalid code or a reason that is not UTF-8): close with `code`.
            case fail(code: UInt16)
        }

        /// Consumes the complete frames at the start of `buffer` and returns what they mean.
        mutating func read(_ buffer: inout [UInt8]) -> [Event] {
            var events: [Event] = []
            var offset = 0
            defer { buffer.removeFirst(offset) }
            while true {
                let available = buffer.count - offset
                guard available >= 2 else { return events }
                let b0 = buffer[offset]
                let b1 = buffer[offset + 1]
                let fin = b0 & 0x80 != 0
                guard b0 & 0x70 == 0, let opcode = Opcode(rawValue: b0 & 0x0F) else { return events + [.fail(code: 1002)] }
                guard b1 & 0x80 != 0 else { return events + [.fail(code: 1002)] }  // clients must mask
                var length = Int(b1 & 0x7F)
                var header = 2
                if length == 126 {
                    guard available >= 4 else { return events }
                    length = Int(buffer[offset + 2]) << 8 | Int(buffer[offset + 3])
                    header = 4
                } else if length == 127 {
                    guard available >= 10 else { return events }
                    var value: UInt64 = 0
                    for i in 0..<8 { value = value << 8 | UInt64(buffer[offset + 2 + i]) }
                    guard value <= UInt64(maxMessage) else { return events + [.fail(code: 1009)] }
                    length = Int(value)
                    header = 10
                }
                let control = opcode.rawValue & 0x08 != 0
                if control, length > 125 || !fin { return events + [.fail(code: 1002)] }
                guard length <= maxMessage, message.count + length <= maxMessage else { return events + [.fail(code: 1009)] }
                guard available >= header + 4 + length else { return events }
                let mask = Array(buffer[(offset + header)..<(offset + header + 4)])
                let start = offset + header + 4
                var payload = Array(buffer[start..<(start + length)])
                for i in payload.indices { payload[i] ^= mask[i & 3] }
                offset = start + length
                switch opcode {
                case .close: return events + [Self.closing(payload)]
                case .ping: events.append(.ping(payload))
                case .pong: break
                case .text, .binary:
                    guard !inMessage else { return events + [.fail(code: 1002)] }
                    message = payload
                    messageIsText = opcode == .text
                    inMessage = !fin
                case .continuation:
                    guard inMessage else { return events + [.fail(code: 1002)] }
                    message += payload
                    inMessage = !fin
                }
                if !control, !inMessage {
                    if messageIsText {
                        guard let text = String(validating: message, as: UTF8.self) else { return events + [.fail(code: 1007)] }
                        events.append(.text(text))
                    }
                    message = []
                }
            }
        }

        /// What a close frame's body asks for: no body or a valid code with a UTF-8 reason is echoed;
        /// a 1-byte body or an invalid code is a protocol error (1002), a reason that is not UTF-8 an
        /// inconsistent message (1007, as for a text message).
        private static func closing(_ payload: [UInt8]) -> Event {
            guard !payload.isEmpty else { return .close(code: nil) }
            guard payload.count >= 2 else { return .fail(code: 1002) }
            let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
            guard WebSocket.isValidCloseCode(code) else { return .fail(code: 1002) }
            guard String(validating: payload[2...], as: UTF8.self) != nil else { return .fail(code: 1007) }
            return .close(code: code)
        }
    }
}

/// SHA-1, only for the WebSocket handshake (RFC 3174), where the protocol fixes the algorithm.
enum SHA1 {
    static func digest(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var data = message
        let bitLength = UInt64(message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8((bitLength >> UInt64(shift)) & 0xFF)) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] = UInt32(data[j]) << 24 | UInt32(data[j + 1]) << 16 | UInt32(data[j + 2]) << 8 | UInt32(data[j + 3])
            }
            for i in 16..<80 {
                let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                w[i] = x << 1 | x >> 31
            }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let t = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, t)
            }
            h[0] &+= a
            h[1] &+= b
            h[2] &+= c
            h[3] &+= d
            h[4] &+= e
        }
        return h.flatMap { v in [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    }
}
