import ServiceLifecycle
import TenderStore

/// Closes the store when the controller stops gracefully, after every other service has: a leader
/// lets its lock go at once, so another controller takes over without waiting for this process to
/// end, and no database connection is left to be torn down with the process.
struct StoreCloser: Service {
    let storage: any MarketStorage

    func run() async throws {
        try? await gracefulShutdown()
        try? await storage.close()
    }
}
