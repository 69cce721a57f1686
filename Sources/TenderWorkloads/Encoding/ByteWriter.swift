import Foundation

/// Appends little-endian fixed-width values: the one byte order of every canonical state.
///
/// States are hashed, so their bytes must not depend on the host. Floats are written as their
/// IEEE bit patterns, which keeps NaN payloads and signed zeros exactly as computed.
struct ByteWriter {
    private(set) var data = Data()

    init(capacity: Int = 0) {
        data.reserveCapacity(capacity)
    }

    mutating func append(_ bytes: Data) {
        data.append(bytes)
    }

    mutating func append(_ value: UInt8) {
        data.append(value)
    }

    mutating func append(_ value: UInt16) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    mutating func append(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    mutating func append(_ value: Float) {
        append(value.bitPattern)
    }

    /// Appends the floats' bit patterns; a single copy on little-endian hosts.
    mutating func append(_ values: [Float]) {
        #if _endian(little)
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        #else
        for value in values { append(value.bitPattern) }
        #endif
    }

    /// Appends 32-bit integers (predictions, label ids).
    mutating func append(_ values: [Int32]) {
        #if _endian(little)
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        #else
        for value in values { append(UInt32(bitPattern: value)) }
        #endif
    }
}
