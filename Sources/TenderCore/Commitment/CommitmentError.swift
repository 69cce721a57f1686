/// Why a Merkle tree, proof or checkpoint schedule could not be built or checked.
///
/// A closed set, so the commitment code uses typed throws: a caller can switch over every case
/// and map each one to a fraud finding or a client error in exactly one place.
public enum CommitmentError: Error, Sendable, Equatable {
    /// A tree needs at least one leaf: checkpoint 0 (the initial state) is always committed.
    case emptyTree
    /// A state hash was not 32 bytes.
    case badStateHash(index: Int, byteCount: Int)
    /// A proof or leaf was requested for an index outside `0..<leafCount`.
    case indexOutOfRange(index: Int, leafCount: Int)
    /// A checkpoint schedule needs at least one step and a positive interval.
    case badSchedule(totalSteps: Int, interval: Int)
    /// A hex field did not decode to a 32-byte hash.
    case badHex(field: String)
    /// The parts of a commitment disagree with each other or with its trace.
    case inconsistent(String)
}

extension CommitmentError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .emptyTree: "a commitment needs at least one leaf"
        case .badStateHash(let index, let count): "state hash \(index) is \(count) bytes, not 32"
        case .indexOutOfRange(let index, let count): "index \(index) is outside the \(count) leaves"
        case .badSchedule(let steps, let interval): "\(steps) steps every \(interval) is not a checkpoint schedule"
        case .badHex(let field): "\(field) is not a 32-byte hash in hex"
        case .inconsistent(let why): why
        }
    }
}
