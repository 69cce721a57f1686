import Foundation

/// Splits a `text/event-stream` body into events, as bytes arrive in pieces of any size.
///
/// Follows the format's rules that matter here: lines end in LF, CRLF or CR; a blank line ends an
/// event; `id`, `event` and `data` fields (several `data` lines are joined with LF); lines starting
/// with `:` are comments (keep-alives). An event without data is not dispatched.
public struct ServerSentEventParser: Sendable {
    public struct Event: Sendable, Equatable {
        public var id: String?
        public var name: String
        public var data: String

        public init(id: String?, name: String, data: String) {
            self.id = id
            self.name = name
            self.data = data
        }
    }

    /// The longest line accepted; a stream sending a longer one is not a Tender controller.
    public static let maximumLineBytes = 16 << 20

    private var pending: [UInt8] = []
    private var id: String?
    private var name = ""
    private var data: [String] = []
    private var skipLeadingLF = false

    public init() {}

    public enum Failure: Error, Equatable {
        case lineTooLong
    }

    /// Feeds the next bytes and returns the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(Failure) -> [Event] {
        var events: [Event] = []
        for byte in bytes {
            if skipLeadingLF {
                skipLeadingLF = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0A, 0x0D:
                skipLeadingLF = byte == 0x0D
                if let event = endLine() { events.append(event) }
            default:
                guard pending.count < Self.maximumLineBytes else { throw .lineTooLong }
                pending.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> Event? {
        let line = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        if line.isEmpty {
            defer { (name, data) = ("", []) }
            guard !data.isEmpty else { return nil }
            return Event(id: id, name: name.isEmpty ? "message" : name, data: data.joined(separator: "\n"))
        }
        if line.hasPrefix(":") { return nil }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = ""
        }
        switch field {
        case "id": id = String(value)
        case "event": name = String(value)
        case "data": data.append(String(value))
        default: break
        }
        return nil
    }
}
