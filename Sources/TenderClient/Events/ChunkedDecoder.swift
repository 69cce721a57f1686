/// Undoes HTTP/1.1 chunked transfer coding, fed bytes as they arrive.
///
/// A streaming response (the event stream) has no length, so it arrives in chunks: a hex size
/// line, that many bytes, CRLF; a zero size ends it. Chunk extensions and trailers are skipped.
public struct ChunkedDecoder: Sendable {
    public enum Failure: Error, Equatable {
        case badSize(String)
        case missingCRLF
    }

    private enum State: Sendable {
        case size(line: [UInt8])
        case data(remaining: Int)
        case dataEnd(seen: Int)
        case trailers(line: [UInt8])
        case done
    }

    private var state = State.size(line: [])
    /// The longest size line accepted: a hex size and a short extension.
    static let maximumLineBytes = 1024

    public init() {}

    /// True once the last (zero-size) chunk and its trailers have been read.
    public var isFinished: Bool {
        if case .done = state { return true }
        return false
    }

    /// The payload bytes in `bytes`, in order.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        var index = bytes.startIndex
        while index != bytes.endIndex {
            switch state {
            case .size(var line):
                let byte = bytes[index]
                index = bytes.index(after: index)
                if byte == UInt8(ascii: "\n") {
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    let text = String(decoding: line.prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self)
                        .trimmingCharacters(in: " \t")
                    guard let size = Int(text, radix: 16), size >= 0 else { throw .badSize(text) }
                    state = size == 0 ? .trailers(line: []) : .data(remaining: size)
                } else {
                    line.append(byte)
                    guard line.count <= Self.maximumLineBytes else { throw .badSize("a size line longer than \(Self.maximumLineBytes) bytes") }
                    state = .size(line: line)
                }
            case .data(let remaining):
                let available = bytes.distance(from: index, to: bytes.endIndex)
                let take = min(available, remaining)
                let end = bytes.index(index, offsetBy: take)
                out.append(contentsOf: bytes[index..<end])
                index = end
                state = remaining - take == 0 ? .dataEnd(seen: 0) : .data(remaining: remaining - take)
            case .dataEnd(let seen):
                let byte = bytes[index]
                index = bytes.index(after: index)
                let expected: UInt8 = seen == 0 ? UInt8(ascii: "\r") : UInt8(ascii: "\n")
                guard byte == expected else { throw .missingCRLF }
                state = seen == 0 ? .dataEnd(seen: 1) : .size(line: [])
            case .trailers(var line):
                let byte = bytes[index]
                index = bytes.index(after: index)
                if byte == UInt8(ascii: "\n") {
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    state = line.isEmpty ? .done : .trailers(line: [])
                } else {
                    line.append(byte)
                    state = .trailers(line: line.count <= Self.maximumLineBytes ? line : [])
                }
            case .done:
                return out
            }
        }
        return out
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        let skip = Set(set.unicodeScalars)
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, skip.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, skip.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
