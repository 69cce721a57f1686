import TenderCore

/// One thing the planner asks the agent's shell to do. The shell carries actions out in order and
/// reports what happened back to the planner (`didRegister`, `didBid`, `bidRefused`, ...).
public enum AgentAction: Sendable, Equatable {
    /// Register (or replace) the provider profile: `PUT /v1/providers/{id}`.
    case register
    /// Move `amount` from available balance to stake.
    case stake(Amount)
    /// The stake is below target and the available balance cannot cover the rest. Logged once per change.
    case stakeShortfall(target: Amount, bonded: Amount, available: Amount)
    /// Run the profile's pricing script for this order, then plan again.
    case quote(Order)
    /// Bid `price` (micro-credits, whole job) on order `order`.
    case bid(order: OrderID, price: Amount)
    /// This machine will not bid on the order, for these reasons. Emitted once per distinct reason set.
    case decline(order: OrderID, reasons: [String])
    /// Start running a won lease.
    case startLease(API.LeaseView)
}
