import Foundation

/// Proof that a state hash is leaf `index` of a tree of `count` leaves with a given root.
///
/// The path lists sibling hashes from the bottom up (RFC 6962 audit path order). Checking one
/// costs O(log n) hashes, which is what lets an auditor or a referee accept a served state by
/// checking it against the signed root alone, without the other leaves.
public struct InclusionProof: Sendable, Equatable, Codable {
    /// The leaf (checkpoint) index, `0..<count`.
    public var index: Int
    /// The tree's leaf count; the tree's shape depends on it.
    public var count: Int
    /// Sibling hashes in lowercase hex, leaf level first.
    public var path: [String]

    public init(index: Int, count: Int, path: [String]) {
        self.index = index
        self.count = count
        self.path = path
    }

    /// True when `stateHash` at `index` hashes up to `root` along `path`.
    ///
    /// Follows RFC 9162 section 2.1.3.2: walking up, a node is a right child when its index is odd
    /// or it is the last node of its level (a carried-up node has no sibling, so levels are skipped).
    public func verify(stateHash: Data, root: Data) -> Bool {
        guard count > 0, index >= 0, index < count, stateHash.count == 32, root.count == 32 else { return false }
        var hashes = [Data]()
        hashes.reserveCapacity(path.count)
        for text in path {
            guard let hash = Hex.decode(text), hash.count == 32 else { return false }
            hashes.append(hash)
        }
        var node = UInt64(index)
        var last = UInt64(count - 1)
        var running = MerkleTree.leafHash(index: UInt64(index), stateHash: stateHash)
        for sibling in hashes {
            guard last != 0 else { return false }
            if node & 1 == 1 || node == last {
                running = MerkleTree.nodeHash(left: sibling, right: running)
                if node & 1 == 0 {
                    while node & 1 == 0 && node != 0 {
                        node >>= 1
                        last >>= 1
                    }
                }
            } else {
                running = MerkleTree.nodeHash(left: running, right: sibling)
            }
            node >>= 1
            last >>= 1
        }
        return last == 0 && running == root
    }

    /// `verify(stateHash:root:)` over hex text; false when either is not 32 bytes of hex.
    public func verify(stateHashHex: String, rootHex: String) -> Bool {
        guard let stateHash = Hex.decode(stateHashHex), let root = Hex.decode(rootHex) else { return false }
        return verify(stateHash: stateHash, root: root)
    }
}
