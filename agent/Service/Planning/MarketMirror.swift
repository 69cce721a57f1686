import TenderCore

/// What the agent knows of the market from the controller's event stream: the open orders and
/// its own running leases, kept current event by event, so a poll lists nothing unless the
/// stream said it missed something (a `reset`) or is not there.
public struct MarketMirror: Sendable, Equatable {
    public let account: AccountID
    public private(set) var openOrders: [OrderID: Order] = [:]
    public private(set) var ownLeases: [LeaseID: API.LeaseView] = [:]
    /// The last event applied; where the stream resumes after a disconnect.
    public private(set) var lastEventID: UInt64?
    /// True until a listing has been taken since the last reset: the mirror cannot be trusted.
    public private(set) var needsListing = true
    /// Events that arrived while a listing was being taken, applied again on top of it: the
    /// listing may predate them.
    private var sinceListingBegan: [API.MarketEvent]?

    public init(account: AccountID) {
        self.account = account
    }

    /// Applies one event. The stream is in commit order and each event carries the record as it
    /// was then, so the last event for a record is its latest state; re-applying events over a
    /// listing that is newer than them (`relist`) is corrected by the events that follow.
    public mutating func apply(_ event: API.MarketEvent) {
        lastEventID = event.id
        sinceListingBegan?.append(event)
        switch event.kind {
        case .order:
            guard let order = event.order else { return }
            openOrders[order.id] = order.state == .open ? order : nil
        case .lease:
            guard let lease = event.lease, lease.provider == account else { return }
            ownLeases[lease.id] = lease.state == .running ? lease : nil
        case .dispute:
            break
        case .reset:
            needsListing = true
        }
    }

    /// Marks the start of a listing: events from here on are applied again after it.
    public mutating func beginListing() {
        sinceListingBegan = []
    }

    /// Replaces the mirror's contents with a listing begun at `beginListing`, then re-applies the
    /// events that arrived meanwhile. A reset among them leaves the mirror needing another listing.
    public mutating func relist(openOrders: [Order], ownLeases: [API.LeaseView]) {
        let arrived = sinceListingBegan ?? []
        sinceListingBegan = nil
        self.openOrders = Dictionary(openOrders.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        self.ownLeases = Dictionary(ownLeases.filter { $0.provider == account }.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        needsListing = false
        for event in arrived { apply(event) }
    }

    /// The stream is gone (or was never there): every poll lists until it is back.
    public mutating func lostStream() {
        needsListing = true
    }
}
