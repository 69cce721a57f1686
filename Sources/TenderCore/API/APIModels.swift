/// The JSON bodies of the `/v1` HTTP API, shared by the controller and every client.
///
/// Amounts are integers of micro-credits and times are Unix milliseconds on the wire, so any
/// language reads them without float or date parsing. Manifests and profiles are posted as their
/// own YAML or JSON text, not as these types.
public enum API {
    /// `GET /v1/health`.
    public struct Health: Codable, Sendable, Equatable {
        public var status: String
        public var ledgerSequence: UInt64
        public var ledgerHead: String
        public var controller: AccountID
        /// "leader" or "follower": on a shared database one controller leads and the others follow.
        public var role: String?

        public init(status: String, ledgerSequence: UInt64, ledgerHead: String, controller: AccountID, role: String? = nil) {
            self.role = role
            self.status = status
            self.ledgerSequence = ledgerSequence
            self.ledgerHead = ledgerHead
            self.controller = controller
        }
    }

    /// `GET /v1/accounts/{id}`.
    public struct AccountView: Codable, Sendable, Equatable {
        public var account: AccountID
        public var balances: Balances
        public var reputationBasisPoints: Int
        public var lastNonce: UInt64
        public var jailedUntil: Timestamp?
        public var profile: ProviderProfile?
        public var unbonding: [UnbondingEntry]
        /// Bytes of artifacts the account stored outside any lease, counted against its quota.
        public var artifactBytes: Int64?

        public init(market: Marketplace, account: AccountID) {
            let record = market.account(account)
            self.account = account
            self.balances = market.ledger.balances(of: account)
            self.reputationBasisPoints = record.reputationBasisPoints
            self.lastNonce = record.lastNonce
            self.jailedUntil = record.jailedUntil
            self.profile = record.profile
            self.unbonding = market.ledger.unbondingEntries(of: account)
            self.artifactBytes = record.artifactBytes
        }
    }

    /// `GET /v1/providers`: registered providers in account order.
    public struct ProviderList: Codable, Sendable, Equatable {
        public var providers: [AccountView]
        /// Pass as `after` for the next page; nil on the last page.
        public var next: AccountID?

        public init(providers: [AccountView], next: AccountID? = nil) {
            self.providers = providers
            self.next = next
        }
    }

    /// `POST /v1/faucet` (dev mode only).
    public struct FaucetRequest: Codable, Sendable, Equatable {
        public var account: AccountID
        public var amount: Amount

        public init(account: AccountID, amount: Amount) {
            self.account = account
            self.amount = amount
        }
    }

    /// `POST /v1/transfers`, signed by the payer.
    public struct TransferRequest: Codable, Sendable, Equatable {
        public var to: AccountID
        public var amount: Amount

        public init(to: AccountID, amount: Amount) {
            self.to = to
            self.amount = amount
        }
    }

    /// `POST /v1/providers/{id}/stake` and `/unstake`, signed by the provider.
    public struct AmountRequest: Codable, Sendable, Equatable {
        public var amount: Amount

        public init(amount: Amount) { self.amount = amount }
    }

    /// `POST /v1/orders/{id}/bids`, signed by the provider.
    public struct BidRequest: Codable, Sendable, Equatable {
        public var price: Amount

        public init(price: Amount) { self.price = price }
    }

    /// `POST /v1/leases/{id}/heartbeat`, signed by the provider.
    public struct HeartbeatRequest: Codable, Sendable, Equatable {
        public var step: Int64
        public var loss: Double?

        public init(step: Int64, loss: Double?) {
            self.step = step
            self.loss = loss
        }
    }

    /// `GET /v1/orders/{id}` and the answer to `POST /v1/orders`.
    public struct OrderView: Codable, Sendable, Equatable {
        public var order: Order
        public var leases: [LeaseView]

        public init(order: Order, leases: [Lease]) {
            self.order = order
            self.leases = leases.map(LeaseView.init)
        }
    }

    /// `GET /v1/orders?state=S&submitter=ID&after=ID&limit=N`.
    public struct OrderList: Codable, Sendable, Equatable {
        public var orders: [Order]
        /// Pass as `after` for the next page; nil on the last page.
        public var next: UInt64?

        public init(orders: [Order], next: UInt64? = nil) {
            self.orders = orders
            self.next = next
        }
    }

    /// `GET /v1/ledger/journal?after=N&limit=M`.
    public struct JournalPage: Codable, Sendable, Equatable {
        public var entries: [JournalEntry]
        /// Pass as `after` for the next page; nil on the last page.
        public var next: UInt64?

        public init(entries: [JournalEntry], next: UInt64?) {
            self.entries = entries
            self.next = next
        }
    }

    /// `GET /v1/ledger/head`: the journal head, signed by the controller.
    public struct LedgerHead: Codable, Sendable, Equatable {
        public var sequence: UInt64
        public var hash: String
        public var signedAt: Timestamp

        public init(sequence: UInt64, hash: String, signedAt: Timestamp) {
            self.sequence = sequence
            self.hash = hash
            self.signedAt = signedAt
        }
    }

    /// The answer to a write that moved money: which journal entries it appended.
    public struct Receipt: Codable, Sendable, Equatable {
        public var journal: [UInt64]
        public var ledgerHead: String

        public init(journal: [UInt64], ledgerHead: String) {
            self.journal = journal
            self.ledgerHead = ledgerHead
        }

        /// The receipt as canonical JSON, written by hand: every signed money command answers with
        /// one, and the encoder's tree cost more than the rest of the answer. The same bytes as
        /// `CanonicalJSON.encode` (tested).
        public var canonicalJSON: [UInt8] {
            var json = CanonicalJSONText(capacity: 128)
            json.object { o in
                o.member("journal")
                o.array(journal) { json, sequence in json.integer(sequence) }
                o.member("ledgerHead", ledgerHead)
            }
            return json.bytes
        }
    }

    /// Every error body: RFC 9457 problem details, with Tender's extensions.
    public struct Problem: Codable, Sendable, Equatable, Error {
        public var type: String
        public var title: String
        public var status: Int
        public var detail: String
        /// Manifest or profile problems with their field paths.
        public var problems: [ValidationProblem]?
        /// Every reason a bid was declined.
        public var reasons: [Reason]?

        public struct Reason: Codable, Sendable, Equatable {
            public var code: String
            public var message: String

            public init(code: String, message: String) {
                self.code = code
                self.message = message
            }
        }

        public init(type: String = "about:blank", title: String, status: Int, detail: String,
                    problems: [ValidationProblem]? = nil, reasons: [Reason]? = nil) {
            self.type = type
            self.title = title
            self.status = status
            self.detail = detail
            self.problems = problems
            self.reasons = reasons
        }
    }
}
