extension API {
    /// One entry of the market's event stream, `GET /v1/events` (server-sent events).
    ///
    /// Agents, challengers and dashboards follow this one stream instead of listing collections:
    /// each event carries the record as a change left it, sent as the change is queued for the
    /// disk (a storage failure is followed by a `reset`). Ids grow across restarts;
    /// a client resumes with `?after=ID` (or `Last-Event-ID`) and receives every later event the
    /// controller still holds, or a `reset` when it holds them no longer (or restarted since),
    /// after which the client lists what it follows once and continues from the reset's id.
    public struct MarketEvent: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable {
            /// An order was submitted or changed: a bid, its auction closed, cancelled, expired.
            case order
            /// A lease was awarded or changed: heartbeat, commitment, audit, settlement.
            case lease
            /// A dispute was opened or moved, or was ruled on.
            case dispute
            /// Events were missed: list what you follow again.
            case reset
        }

        public var id: UInt64
        public var kind: Kind
        /// The journal's head when the event was made.
        public var ledgerSequence: UInt64
        public var order: Order?
        public var lease: LeaseView?
        public var dispute: DisputeView?

        public init(
            id: UInt64, kind: Kind, ledgerSequence: UInt64, order: Order? = nil, lease: LeaseView? = nil, dispute: DisputeView? = nil
        ) {
            self.id = id
            self.kind = kind
            self.ledgerSequence = ledgerSequence
            self.order = order
            self.lease = lease
            self.dispute = dispute
        }
    }
}
