import TenderCore

/// What the agent's shell read from the controller in one poll: the planner's whole input.
public struct AgentSnapshot: Sendable, Equatable {
    /// This provider's account, or nil when the controller has never seen it (no balance yet).
    public var account: API.AccountView?
    /// Orders in state `open`.
    public var openOrders: [Order]
    /// Leases whose provider is this account, in any state.
    public var ownLeases: [API.LeaseView]
    /// The controller's time as the shell estimates it.
    public var now: Timestamp

    public init(account: API.AccountView?, openOrders: [Order], ownLeases: [API.LeaseView], now: Timestamp) {
        self.account = account
        self.openOrders = openOrders
        self.ownLeases = ownLeases
        self.now = now
    }
}

/// The outcome of running a pricing script for an order.
public enum QuoteOutcome: Sendable, Equatable {
    case price(Amount)
    case failed(String)
}
