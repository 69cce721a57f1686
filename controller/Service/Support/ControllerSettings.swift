import Foundation
import TenderCore

/// What the routes need to know about how the controller was started.
public struct ControllerSettings: Sendable {
    /// `--dev`: the faucet is open.
    public var dev: Bool
    /// Largest artifact upload. Manifests and profiles are bounded by `TenderDocument.maximumBytes`.
    public var maxBodyBytes: Int
    /// Largest body for small JSON requests (transfers, stake, bids, heartbeats, commitments,
    /// disputes and moves). Kept small because a request that moves money is kept, body and
    /// all, in the public journal for good.
    public var smallBodyLimit: Int = 16 << 10
    /// The most one faucet call may mint.
    public var faucetLimit: Amount = (try? Amount.credits(1_000_000)) ?? .zero
    /// The artifact store's directory.
    public var artifactsDirectory: URL

    public init(dev: Bool, maxBodyBytes: Int, artifactsDirectory: URL) {
        self.dev = dev
        self.maxBodyBytes = maxBodyBytes
        self.artifactsDirectory = artifactsDirectory
    }
}
