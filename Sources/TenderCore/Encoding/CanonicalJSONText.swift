import Foundation

/// Canonical JSON written straight into bytes, for the few values every signed write hashes and
/// stores (a journal entry's parts): the same bytes `CanonicalJSON.encode` gives, without building
/// and sorting a tree for each one. Tests compare the two on every operation and on every kind of
/// character.
///
/// An object's members are written in the order the canonical form sorts them; `member` checks
/// that order in debug builds, since a wrong order would change every hash.
struct CanonicalJSONText {
    private(set) var bytes: [UInt8] = []
    /// The last key written in each open object, innermost last, for the order check.
    private var lastKeys: [StaticString?] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func object(_ body: (inout CanonicalJSONText) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        lastKeys.append(nil)
        body(&self)
        lastKeys.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func array<S: Sequence>(_ elements: S, _ element: (inout CanonicalJSONText, S.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for item in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Starts a member of the innermost object; its value is written next.
    mutating func member(_ key: StaticString) {
        if let previous = lastKeys[lastKeys.count - 1] {
            assert(Self.precedes(previous, key), "canonical members out of order: \(previous) before \(key)")
            bytes.append(UInt8(ascii: ","))
        }
        lastKeys[lastKeys.count - 1] = key
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func member(_ key: StaticString, _ value: String) {
        member(key)
        string(value)
    }

    mutating func member<I: BinaryInteger>(_ key: StaticString, _ value: I) {
        member(key)
        integer(value)
    }

    mutating func integer<I: BinaryInteger>(_ value: I) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Bytes as JSONEncoder's default strategy writes them: standard base64 with padding.
    mutating func base64(_ data: Data) {
        string(data.base64EncodedString())
    }

    /// A string, escaped as the canonical form escapes it: quote, backslash and the control
    /// characters; slashes and everything past ASCII are written as they are.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            // Most text (ids, hashes, paths) needs no escape: copied whole.
            guard utf8.contains(where: Self.needsEscape) else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 { escaped(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func escaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
        case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
        case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0x00..<0x20:
            bytes.append(contentsOf: Array("\\u00".utf8))
            bytes.append(Hex.digit(byte >> 4))
            bytes.append(Hex.digit(byte & 0x0F))
        default: bytes.append(byte)
        }
    }

    /// JSON text already in canonical form, written as a value.
    mutating func raw(_ json: String) {
        bytes.append(contentsOf: json.utf8)
    }

    private static func precedes(_ a: StaticString, _ b: StaticString) -> Bool {
        a.withUTF8Buffer { a in b.withUTF8Buffer { b in a.lexicographicallyPrecedes(b) } }
    }
}
