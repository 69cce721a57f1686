import ServiceLifecycle

/// The agent as a swift-service-lifecycle `Service`: runs `ProviderAgent.run()` until the group
/// shuts down gracefully (SIGTERM, SIGINT), then lets running leases save their progress.
public struct AgentService: Service {
    public let agent: ProviderAgent

    public init(agent: ProviderAgent) { self.agent = agent }

    public func run() async throws {
        let agent = self.agent
        await cancelWhenGracefulShutdown {
            await agent.run()
        }
    }
}
