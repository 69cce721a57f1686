import Foundation
import TenderCore
import Testing

/// The RFC 6962 tree hash computed straight from its recursive definition, as a reference.
private func referenceRoot(_ leaves: ArraySlice<Data>) -> Data {
    if leaves.count == 1 { return leaves[leaves.startIndex] }
    var split = 1
    while split * 2 < leaves.count { split *= 2 }
    let left = referenceRoot(leaves.prefix(split))
    let right = referenceRoot(leaves.dropFirst(split))
    return MerkleTree.nodeHash(left: left, right: right)
}

private func stateHashes(_ count: Int, salt: String = "state") -> [Data] {
    (0..<count).map { Hashing.sha256(Data("\(salt)-\($0)".utf8)) }
}

@Suite("Merkle commitments")
struct MerkleTreeTests {
    @Test("a leaf hash is SHA-256 of 0x00, the big-endian index and the state hash")
    func leafHashLayout() {
        let state = Data(repeating: 0xab, count: 32)
        var bytes = Data([0x00, 0, 0, 0, 0, 0, 0, 0x01, 0x02])
        bytes.append(state)
        #expect(MerkleTree.leafHash(index: 0x0102, stateHash: state) == Hashing.sha256(bytes))
    }

    @Test("an interior node is SHA-256 of 0x01, left and right")
    func nodeHashLayout() {
        let left = Data(repeating: 1, count: 32)
        let right = Data(repeating: 2, count: 32)
        #expect(MerkleTree.nodeHash(left: left, right: right) == Hashing.sha256(Data([0x01]) + left + right))
    }

    @Test("the root of a one-leaf tree is its leaf hash")
    func singleLeaf() throws {
        let hashes = stateHashes(1)
        let tree = try MerkleTree(stateHashes: hashes)
        #expect(tree.leafCount == 1)
        #expect(tree.root == MerkleTree.leafHash(index: 0, stateHash: hashes[0]))
        let proof = try tree.proof(forLeaf: 0)
        #expect(proof.path.isEmpty)
        #expect(proof.verify(stateHash: hashes[0], root: tree.root))
    }

    @Test("roots match the recursive RFC 6962 definition", arguments: Array(1...70))
    func rootMatchesReference(count: Int) throws {
        let hashes = stateHashes(count)
        let tree = try MerkleTree(stateHashes: hashes)
        let leaves = hashes.enumerated().map { MerkleTree.leafHash(index: UInt64($0.offset), stateHash: $0.element) }
        #expect(tree.root == referenceRoot(leaves[...]))
        #expect(tree.leafCount == count)
    }

    @Test("every index of trees of 1 to 33 leaves has a proof that verifies", arguments: Array(1...33))
    func everyProofVerifies(count: Int) throws {
        let hashes = stateHashes(count)
        let tree = try MerkleTree(stateHashes: hashes)
        var bound = 0
        while (1 << bound) < count { bound += 1 }
        for index in 0..<count {
            let proof = try tree.proof(forLeaf: index)
            #expect(proof.path.count <= bound)
            #expect(proof.verify(stateHash: hashes[index], root: tree.root), "leaf \(index) of \(count)")
            #expect(proof.verify(stateHashHex: Hex.encode(hashes[index]), rootHex: tree.rootHex))
        }
    }

    @Test("tampering with the state, index, count, path or root is detected", arguments: Array(2...33))
    func tamperDetection(count: Int) throws {
        let hashes = stateHashes(count)
        let tree = try MerkleTree(stateHashes: hashes)
        for index in 0..<count {
            let proof = try tree.proof(forLeaf: index)
            var wrongState = hashes[index]
            wrongState[wrongState.startIndex] ^= 0x01
            #expect(!proof.verify(stateHash: wrongState, root: tree.root))
            // Another leaf's state at this index.
            #expect(!proof.verify(stateHash: hashes[(index + 1) % count], root: tree.root))
            // The same state claimed at another index.
            var moved = proof
            moved.index = (index + 1) % count
            #expect(!moved.verify(stateHash: hashes[index], root: tree.root))
            // A different tree size; the root does not bind the count, so a commitment checks it
            // (see CommitmentTests), but where the shape changes the path no longer fits.
            var shrunk = proof
            shrunk.count = index
            #expect(!shrunk.verify(stateHash: hashes[index], root: tree.root))
            // A flipped bit in any path element, a dropped element, an extra element.
            for position in proof.path.indices {
                var flipped = proof
                var bytes = try #require(Hex.decode(flipped.path[position]))
                bytes[bytes.startIndex + 5] ^= 0x80
                flipped.path[position] = Hex.encode(bytes)
                #expect(!flipped.verify(stateHash: hashes[index], root: tree.root))
            }
            if !proof.path.isEmpty {
                var shortened = proof
                shortened.path.removeLast()
                #expect(!shortened.verify(stateHash: hashes[index], root: tree.root))
            }
            var extended = proof
            extended.path.append(Hex.encode(hashes[0]))
            #expect(!extended.verify(stateHash: hashes[index], root: tree.root))
            var wrongRoot = tree.root
            wrongRoot[wrongRoot.startIndex] ^= 0x01
            #expect(!proof.verify(stateHash: hashes[index], root: wrongRoot))
        }
    }

    @Test("a tree over reordered states has a different root")
    func reorderingChangesRoot() throws {
        let hashes = stateHashes(8)
        var swapped = hashes
        swapped.swapAt(2, 3)
        #expect(try MerkleTree(stateHashes: hashes).root != MerkleTree(stateHashes: swapped).root)
    }

    @Test("an empty tree, a short hash and an out-of-range index are refused")
    func refusals() throws {
        #expect(throws: CommitmentError.emptyTree) { try MerkleTree(stateHashes: []) }
        #expect(throws: CommitmentError.badStateHash(index: 1, byteCount: 31)) {
            try MerkleTree(stateHashes: [Data(count: 32), Data(count: 31)])
        }
        let tree = try MerkleTree(stateHashes: stateHashes(5))
        #expect(throws: CommitmentError.indexOutOfRange(index: 5, leafCount: 5)) { try tree.proof(forLeaf: 5) }
        #expect(throws: CommitmentError.indexOutOfRange(index: -1, leafCount: 5)) { try tree.proof(forLeaf: -1) }
    }

    @Test("malformed proofs are rejected, not trapped on")
    func malformedProofs() throws {
        let hashes = stateHashes(4)
        let tree = try MerkleTree(stateHashes: hashes)
        #expect(!InclusionProof(index: 0, count: 0, path: []).verify(stateHash: hashes[0], root: tree.root))
        #expect(!InclusionProof(index: -1, count: 4, path: []).verify(stateHash: hashes[0], root: tree.root))
        #expect(!InclusionProof(index: 0, count: 4, path: ["zz"]).verify(stateHash: hashes[0], root: tree.root))
        #expect(!InclusionProof(index: 0, count: 4, path: ["abcd"]).verify(stateHash: hashes[0], root: tree.root))
        #expect(!(try tree.proof(forLeaf: 0)).verify(stateHash: Data(count: 3), root: tree.root))
    }
}
