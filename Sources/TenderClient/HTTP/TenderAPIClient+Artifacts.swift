import Foundation
import TenderCore

/// The content-addressed artifact store: datasets, checkpoint states, results.
extension TenderAPIClient {
    /// `PUT /v1/artifacts/{sha256}` (signed, raw bytes): stores `data` under its SHA-256 and returns
    /// that hash as lowercase hex. Storing bytes that are already there is harmless.
    ///
    /// Without `lease`, the bytes count against this account's artifact quota (it must be funded);
    /// with it (`?lease=N`), they belong to the lease's order, and only the lease's provider may
    /// send them, while the lease is not final.
    @discardableResult
    public func putArtifact(_ data: Data, lease: LeaseID? = nil) async throws(ClientError) -> String {
        let hash = Hashing.sha256Hex(data)
        let target = APIRequest.target("/v1/artifacts/\(hash)", query: [("lease", lease.map(\.description))])
        let response = try await send(.signed(.put, target, body: data, contentType: "application/octet-stream"))
        guard response.isSuccess else { throw response.error }
        return hash
    }

    /// `GET /v1/artifacts/{sha256}`: the stored bytes, checked against the hash they were asked by.
    ///
    /// `sha256` is 64 hex digits, with or without a `sha256:` prefix. A client with a key signs the
    /// read, as every artifact but a public order's needs; a read-only client asks unsigned.
    public func artifact(sha256: String) async throws(ClientError) -> Data {
        let hex = (sha256.hasPrefix("sha256:") ? String(sha256.dropFirst("sha256:".count)) : sha256).lowercased()
        guard Hashing.isSHA256Hex(hex) else { throw .badRequest("'\(sha256)' is not a SHA-256 (64 hex digits)") }
        let path = "/v1/artifacts/\(hex)"
        let response = try await send(key == nil ? APIRequest.get(path) : APIRequest.signed(.get, path))
        guard response.isSuccess else { throw response.error }
        let actual = Hashing.sha256Hex(response.body)
        guard actual == hex else {
            throw .unexpectedResponse(status: response.status, reason: "artifact \(hex) arrived with hash \(actual)")
        }
        return response.body
    }
}
