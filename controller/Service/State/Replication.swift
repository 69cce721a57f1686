import Logging
import ServiceLifecycle

/// Keeps a controller's role on a shared database current (`MarketService.replicate`): a follower
/// reloads the market when the store changes and takes the lead when the leader's lock is free; a
/// leader that lost its lock steps down. On SQLite, as on PostgreSQL, a leader that refused its own
/// store's journal loads it again once it moves, and writes again if the load takes it.
public struct Replication: Service {
    let service: MarketService
    let interval: Duration

    public init(service: MarketService, interval: Duration = .milliseconds(250)) {
        self.service = service
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await service.replicate()
            try? await Task.sleep(for: interval)
        }
    }
}
