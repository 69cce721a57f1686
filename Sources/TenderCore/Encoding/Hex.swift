import Foundation

/// Lowercase hexadecimal, the text form of ids and hashes everywhere in Tender.
public enum Hex {
    /// The lowercase digit for a value below 16.
    @inline(__always) static func digit(_ value: UInt8) -> UInt8 {
        value < 10 ? 0x30 + value : 0x61 + value - 10
    }

    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digit(byte >> 4))
            out.append(digit(byte & 0x0f))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (either case); nil for odd length or a non-hex character.
    public static func decode(_ text: String) -> Data? {
        var text = text
        return text.withUTF8 { utf8 -> Data? in
            guard utf8.count % 2 == 0 else { return nil }
            var out = Data(count: utf8.count / 2)
            let complete = out.withUnsafeMutableBytes { bytes in decode(utf8, into: bytes) }
            return complete ? out : nil
        }
    }

    /// Decodes `utf8` (an even number of hex digits, either case) into `bytes`, half its length;
    /// false at the first non-hex character, or when the lengths do not fit.
    static func decode(_ utf8: UnsafeBufferPointer<UInt8>, into bytes: UnsafeMutableRawBufferPointer) -> Bool {
        guard utf8.count % 2 == 0, bytes.count == utf8.count / 2 else { return false }
        for index in 0..<utf8.count / 2 {
            guard let high = value(utf8[2 * index]), let low = value(utf8[2 * index + 1]) else { return false }
            bytes[index] = high << 4 | low
        }
        return true
    }

    private static func value(_ char: UInt8) -> UInt8? {
        switch char {
        case 0x30...0x39: char - 0x30
        case 0x61...0x66: char - 0x61 + 10
        case 0x41...0x46: char - 0x41 + 10
        default: nil
        }
    }
}
