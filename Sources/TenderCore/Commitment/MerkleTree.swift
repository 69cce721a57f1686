import Crypto
import Foundation

/// The Merkle tree over a job's checkpoint state hashes (DESIGN section 7), RFC 6962 style.
///
/// Leaf `i` is `SHA-256(0x00 || UInt64 big-endian i || stateHash_i)` and an interior node is
/// `SHA-256(0x01 || left || right)`: the prefixes keep a leaf from ever being passed off as a
/// node, and binding the index keeps a provider from reordering states. For a leaf count that is
/// not a power of two the tree splits at the largest power of two below `n`, as RFC 6962 does.
/// That shape is exactly what a bottom-up build gives when an unpaired last node is carried up
/// unchanged, so the tree keeps every level and answers a proof in O(log n) without rehashing.
public struct MerkleTree: Sendable, Equatable {
    /// `levels[0]` holds the leaf hashes, the last level holds only the root.
    private let levels: [[Data]]

    /// Builds the tree over the given 32-byte state hashes, in checkpoint order.
    public init(stateHashes: [Data]) throws(CommitmentError) {
        guard !stateHashes.isEmpty else { throw .emptyTree }
        var leaves = [Data]()
        leaves.reserveCapacity(stateHashes.count)
        for (index, stateHash) in stateHashes.enumerated() {
            guard stateHash.count == 32 else { throw .badStateHash(index: index, byteCount: stateHash.count) }
            leaves.append(Self.leafHash(index: UInt64(index), stateHash: stateHash))
        }
        var levels = [leaves]
        while let top = levels.last, top.count > 1 {
            var next = [Data]()
            next.reserveCapacity((top.count + 1) / 2)
            var position = 0
            while position < top.count {
                if position + 1 < top.count {
                    next.append(Self.nodeHash(left: top[position], right: top[position + 1]))
                } else {
                    next.append(top[position])
                }
                position += 2
            }
            levels.append(next)
        }
        self.levels = levels
    }

    /// The root hash the provider signs in its `Commitment`.
    public var root: Data { levels[levels.count - 1][0] }

    /// The root as lowercase hex.
    public var rootHex: String { Hex.encode(root) }

    /// The number of committed checkpoints (leaves).
    public var leafCount: Int { levels[0].count }

    /// The hash of leaf `index` (not the state hash: the prefixed, index-bound leaf node).
    public func leaf(at index: Int) throws(CommitmentError) -> Data {
        guard index >= 0, index < leafCount else { throw .indexOutOfRange(index: index, leafCount: leafCount) }
        return levels[0][index]
    }

    /// The audit path for leaf `index`, from the leaf's sibling up to the root's child.
    public func proof(forLeaf index: Int) throws(CommitmentError) -> InclusionProof {
        guard index >= 0, index < leafCount else { throw .indexOutOfRange(index: index, leafCount: leafCount) }
        var path = [String]()
        var position = index
        for level in levels.dropLast() {
            let sibling = position ^ 1
            if sibling < level.count {
                path.append(Hex.encode(level[sibling]))
            }
            position >>= 1
        }
        return InclusionProof(index: index, count: leafCount, path: path)
    }

    // MARK: - Hashing rules

    /// `SHA-256(0x00 || UInt64 big-endian index || stateHash)`.
    public static func leafHash(index: UInt64, stateHash: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        withUnsafeBytes(of: index.bigEndian) { hasher.update(bufferPointer: $0) }
        hasher.update(data: stateHash)
        return Data(hasher.finalize())
    }

    /// `SHA-256(0x01 || left || right)`.
    public static func nodeHash(left: Data, right: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Data(hasher.finalize())
    }
}
