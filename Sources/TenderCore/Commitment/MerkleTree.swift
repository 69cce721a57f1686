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
            withUnsafeTemporaryAllocation(byteCount: Self.leafInputSize, alignment: 1) { input in
                for (index, stateHash) in stateHashes.enumerated() {
                    guard stateHash.count == 32 else {
                        problem = .badStateHash(index: index, byteCount: stateHash.count)
                        return
                    }
                    stateHash.withUnsafeBytes { Self.writeLeafInput(into: input, index: UInt64(index), stateHash: $0) }
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
                    withUnsafeTemporaryAllocation(byteCount: Self.nodeInputSize, alignment: 1) { input in
                        var position = 0
                        while position < count {
                            if position + 1 < count {
                                let left = UnsafeRawBufferPointer(rebasing: below[position * 32 ..< position * 32 + 32])
                                let right = UnsafeRawBufferPointer(rebasing: below[position * 32 + 32 ..< position * 32 + 64])
                                Self.writeNodeInput(into: input, left: left, right: right)
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

    /// The bytes a leaf over a 32-byte state hash hashes.
    private static let leafInputSize = 41
    /// The bytes a node over two 32-byte children hashes.
    private static let nodeInputSize = 65

    /// Writes `0x00 || UInt64 big-endian index || stateHash`: the one place the leaf rule is written.
    private static func writeLeafInput(into input: UnsafeMutableRawBufferPointer, index: UInt64, stateHash: UnsafeRawBufferPointer) {
        input[0] = 0x00
        withUnsafeBytes(of: index.bigEndian) { UnsafeMutableRawBufferPointer(rebasing: input[1 ..< 9]).copyMemory(from: $0) }
        UnsafeMutableRawBufferPointer(rebasing: input[9...]).copyMemory(from: stateHash)
    }

    /// Writes `0x01 || left || right`: the one place the node rule is written.
    private static func writeNodeInput(into input: UnsafeMutableRawBufferPointer, left: UnsafeRawBufferPointer, right: UnsafeRawBufferPointer) {
        input[0] = 0x01
        UnsafeMutableRawBufferPointer(rebasing: input[1 ..< 1 + left.count]).copyMemory(from: left)
        UnsafeMutableRawBufferPointer(rebasing: input[(1 + left.count)...]).copyMemory(from: right)
    }

    /// SHA-256 of the `size` bytes `write` puts in a scratch buffer.
    private static func hash(size: Int, _ write: (UnsafeMutableRawBufferPointer) -> Void) -> Data {
        withUnsafeTemporaryAllocation(byteCount: size, alignment: 1) { input in
            write(input)
            return Data(SHA256.hash(data: UnsafeRawBufferPointer(input)))
        }
    }

    /// `SHA-256(0x00 || UInt64 big-endian index || stateHash)`.
    public static func leafHash(index: UInt64, stateHash: Data) -> Data {
        hash(size: 9 + stateHash.count) { input in
            stateHash.withUnsafeBytes { writeLeafInput(into: input, index: index, stateHash: $0) }
        }
    }

    /// `SHA-256(0x01 || left || right)`.
    public static func nodeHash(left: Data, right: Data) -> Data {
        hash(size: 1 + left.count + right.count) { input in
            left.withUnsafeBytes { left in right.withUnsafeBytes { right in writeNodeInput(into: input, left: left, right: right) } }
        }
    }
}
