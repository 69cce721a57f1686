import Foundation
import Logging
import ServiceLifecycle
import TenderCore

/// Drives the market's stored deadlines: closes auctions and checks leases when they fall due.
///
/// Deadlines live in the database, so after a restart the clock picks up whatever was pending,
/// including those that fell due while the controller was down. It polls at a short interval
/// rather than sleeping until the next deadline, which keeps it simple and costs nothing measurable.
public struct MarketClock: Service {
    let service: MarketService
    let interval: Duration
    let logger: Logger

    public init(service: MarketService, interval: Duration = .milliseconds(200), logger: Logger) {
        self.service = service
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await tick()
            try? await Task.sleep(for: interval)
        }
    }

    /// Handles every deadline that is due now.
    public func tick() async {
        for deadline in await service.dueDeadlines(at: service.now) {
            do {
                switch deadline.kind {
                case .auctionClose:
                    try await closeAuction(deadline.subject)
                case .leaseCheck:
                    try await service.perform { market, now throws(MarketplaceError) in
                        ((), try market.checkLease(deadline.subject, now: now))
                    }
                }
            } catch {
                logger.error("deadline failed", metadata: ["kind": "\(deadline.kind.rawValue)", "subject": "\(deadline.subject)", "error": "\(error)"])
            }
            await service.finish(deadline)
        }
    }

    private func closeAuction(_ order: UInt64) async throws {
        let replicas = await service.market.orders[order]?.manifest.verification.replicas ?? 1
        // The beacon secret is drawn here, in the shell, and only its hash enters the market.
        var secrets: [String] = []
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<replicas {
            secrets.append(Hex.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
        }
        let hashes = secrets.map { Hashing.sha256Hex($0) }
        try await service.perform { market, now throws(MarketplaceError) in
            ((), try market.closeAuction(order, beacon: hashes, now: now))
        }
        logger.info("auction closed", metadata: ["order": "\(order)"])
    }
}
