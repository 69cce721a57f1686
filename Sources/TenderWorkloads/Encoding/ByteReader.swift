import Foundation

/// Reads what `ByteWriter` wrote, refusing to read past the end.
///
/// State bytes come from other parties (a provider serving a checkpoint, a challenger in a
/// dispute), so every read is bounds-checked and a short or oversized input is a `badState`
/// error, never a trap.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ data: Data) {
        bytes = [UInt8](data)
    }

    var remaining: Int { bytes.count - offset }

    private mutating func take(_ count: Int, _ what: String) throws(WorkloadError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw .badState("truncated reading \(what): need \(count) bytes at offset \(offset), \(remaining) left")
        }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func data(_ count: Int, _ what: String) throws(WorkloadError) -> Data {
        Data(try take(count, what))
    }

    mutating func uint8(_ what: String) throws(WorkloadError) -> UInt8 {
        try take(1, what).first!
    }

    mutating func uint16(_ what: String) throws(WorkloadError) -> UInt16 {
        try take(2, what).reversed().reduce(0) { $0 << 8 | UInt16($1) }
    }

    mutating func uint32(_ what: String) throws(WorkloadError) -> UInt32 {
        try take(4, what).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func uint64(_ what: String) throws(WorkloadError) -> UInt64 {
        try take(8, what).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// `count` floats from their little-endian bit patterns.
    mutating func floats(_ count: Int, _ what: String) throws(WorkloadError) -> [Float] {
        try words(count, what, "floats") { Float(bitPattern: $0) }
    }

    /// `count` 32-bit signed integers.
    mutating func int32s(_ count: Int, _ what: String) throws(WorkloadError) -> [Int32] {
        try words(count, what, "integers") { Int32(bitPattern: $0) }
    }

    /// `count` little-endian 32-bit words, each made into an element by `element`.
    private mutating func words<Element>(
        _ count: Int, _ what: String, _ noun: String, _ element: (UInt32) -> Element
    ) throws(WorkloadError) -> [Element] {
        guard count >= 0, count <= remaining / 4 else {
            throw .badState("truncated reading \(what): need \(count) \(noun), \(remaining) bytes left")
        }
        let slice = try take(count * 4, what)
        // Whole words at a time: a state is tens of thousands of floats, and an auditor decodes one
        // per check, so reading them byte by byte was a measurable share of the audit.
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            slice.withUnsafeBytes { raw in
                for index in 0..<count {
                    buffer[index] = element(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
                }
            }
            initialized = count
        }
    }

    /// Throws unless every byte was consumed: trailing bytes would make two encodings of one state.
    func expectEnd() throws(WorkloadError) {
        guard remaining == 0 else { throw .badState("\(remaining) unexpected trailing bytes") }
    }
}
