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
    /// `levels[0]` holds the leaf hashes, the last level holds only the root; each level is its
    /// nodes' 32-byte hashes end to end, so building the tree allocates one buffer per level
    /// rather than one per node.
    private let levels: [[UInt8]]

    /// Builds the tree over the given 32-byte state hashes, in checkpoint order.
    public init(stateHashes: [Data]) throws(CommitmentError) {
        guard !stateHashes.isEmpty else { throw .emptyTree }
        var leaves = [UInt8](repeating: 0, count: stateHashes.count * 32)
        var problem: CommitmentError?
        leaves.withUnsafeMutableBytes { out in
            withUnsafeTemporaryAllocation(byteCount: 41, alignment: 1) { input in
                input[0] = 0x00
                for (index, stateHash) in stateHashes.enumerated() {
                    guard stateHash.count == 32 else {
                        problem = .badStateHash(index: index, byteCount: stateHash.count)
                        return
                    }
                    withUnsafeBytes(of: UInt64(index).bigEndian) { input.baseAddress!.advanced(by: 1).copyMemory(from: $0.baseAddress!, byteCount: 8) }
                    stateHash.withUnsafeBytes { input.baseAddress!.advanced(by: 9).copyMemory(from: $0.baseAddress!, byteCount: 32) }
                    Self.digest(UnsafeRawBufferPointer(input), into: out, at: index)
                }
            }
        }
        if let problem { throw problem }
        var levels = [leaves]
        while let top = levels.last, top.count > 32 {
            let count = top.count / 32
            var next = [UInt8](repeating: 0, count: (count + 1) / 2 * 32)
            top.withUnsafeBytes { below in
                next.withUnsafeMutableBytes { out in
                    withUnsafeTemporaryAllocation(byteCount: 65, alignment: 1) { input in
                        input[0] = 0x01
                        var position = 0
                        while position < count {
                            if position + 1 < count {
                                input.baseAddress!.advanced(by: 1).copyMemory(from: below.baseAddress!.advanced(by: position * 32), byteCount: 64)
                                Self.digest(UnsafeRawBufferPointer(input), into: out, at: position / 2)
                            } else {
                                // An unpaired last node is carried up unchanged.
                                out.baseAddress!.advanced(by: position / 2 * 32)
                                    .copyMemory(from: below.baseAddress!.advanced(by: position * 32), byteCount: 32)
                            }
                            position += 2
                        }
                    }
                }
            }
            levels.append(next)
        }
        self.levels = levels
    }

    /// SHA-256 of `input`, written as node `index` of a level.
    private static func digest(_ input: UnsafeRawBufferPointer, into level: UnsafeMutableRawBufferPointer, at index: Int) {
        var hasher = SHA256()
        hasher.update(bufferPointer: input)
        hasher.finalize().withUnsafeBytes { digest in
            level.baseAddress!.advanced(by: index * 32).copyMemory(from: digest.baseAddress!, byteCount: 32)
        }
    }

    /// Node `index` of level `level`.
    private func node(_ level: Int, _ index: Int) -> Data {
        Data(levels[level][index * 32 ..< index * 32 + 32])
    }

    /// The root hash the provider signs in its `Commitment`.
    public var root: Data { node(levels.count - 1, 0) }

    /// The root as lowercase hex.
    public var rootHex: String { Hex.encode(root) }

    /// The number of committed checkpoints (leaves).
    public var leafCount: Int { levels[0].count / 32 }

    /// The hash of leaf `index` (not the state hash: the prefixed, index-bound leaf node).
    public func leaf(at index: Int) throws(CommitmentError) -> Data {
        guard index >= 0, index < leafCount else { throw .indexOutOfRange(index: index, leafCount: leafCount) }
        return node(0, index)
    }

    /// The audit path for leaf `index`, from the leaf's sibling up to the root's child.
    public func proof(forLeaf index: Int) throws(CommitmentError) -> InclusionProof {
        guard index >= 0, index < leafCount else { throw .indexOutOfRange(index: index, leafCount: leafCount) }
        var path = [String]()
        var position = index
        for level in levels.indices.dropLast() {
            let sibling = position ^ 1
            if sibling < levels[level].count / 32 {
                path.append(Hex.encode(node(level, sibling)))
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
