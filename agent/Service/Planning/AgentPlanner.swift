import TenderCore

/// The provider agent's decisions, as a value: given what the controller shows (`AgentSnapshot`),
/// what should the agent do next?
///
/// Pure and synchronous, like `SWIM.Instance`: `plan(_:)` returns `AgentAction`s and the shell
/// (`ProviderAgent`) carries them out, then reports back through the `did...` handlers. The
/// planner remembers just enough to act once: which orders it bid on or was refused on, which
/// decline reasons it already reported, which leases it already started, which quotes it has.
/// Nothing here reads a clock, a socket or a file.
public struct AgentPlanner: Sendable {
    public let account: AccountID
    /// The profile as written by the operator: what gets registered.
    public let profile: ProviderProfile
    /// The profile with the inventory the machine really has (nvidia-smi), used to screen orders.
    public let screeningProfile: ProviderProfile
    /// Runtimes the profile offers that this machine cannot run now, with the reason code and
    /// words: `exec` with no sandbox and no operator consent to run it unconfined.
    public let unavailableRuntimes: [WorkloadSpec.Runtime: String]

    private(set) var registered = false
    private(set) var registering = false
    private(set) var bids: Set<OrderID> = []
    private(set) var refused: Set<OrderID> = []
    private(set) var reported: [OrderID: [String]] = [:]
    private(set) var quotes: [OrderID: QuoteOutcome] = [:]
    private(set) var quoting: Set<OrderID> = []
    /// Leases started and not yet reported finished.
    public private(set) var running: Set<LeaseID> = []
    /// Leases this agent is done with (committed, or given up): never started again.
    private(set) var done: Set<LeaseID> = []
    private var lastShortfall: AgentAction?

    public init(
        account: AccountID, profile: ProviderProfile, screeningProfile: ProviderProfile? = nil,
        unavailableRuntimes: [WorkloadSpec.Runtime: String] = [:]
    ) {
        self.account = account
        self.profile = profile
        self.screeningProfile = screeningProfile ?? profile
        self.unavailableRuntimes = unavailableRuntimes
    }

    // MARK: - Planning

    /// Everything to do after one poll, in order: register, stake, start leases, then bid or decline.
    public mutating func plan(_ snapshot: AgentSnapshot) -> [AgentAction] {
        var actions: [AgentAction] = []
        if !registered && !registering && snapshot.account?.profile != profile {
            registering = true
            actions.append(.register)
        }
        let staked = planStake(snapshot.account, into: &actions)
        planLeases(snapshot, into: &actions)
        planOrders(snapshot, extraStake: staked, into: &actions)
        return actions
    }

    /// Tops the bonded stake (free plus locked as collateral) up to the profile's target from the
    /// available balance. Returns what it decided to stake, so screening this round counts it.
    private mutating func planStake(_ view: API.AccountView?, into actions: inout [AgentAction]) -> Amount {
        let balances = view?.balances ?? .zero
        let bonded = (try? balances.staked.adding(balances.lockedCollateral)) ?? balances.staked
        guard bonded < profile.stakeTarget, let missing = try? profile.stakeTarget.subtracting(bonded) else {
            lastShortfall = nil
            return .zero
        }
        let amount = min(missing, balances.available)
        if amount < missing {
            let shortfall = AgentAction.stakeShortfall(target: profile.stakeTarget, bonded: bonded, available: balances.available)
            if shortfall != lastShortfall { actions.append(shortfall) }
            lastShortfall = shortfall
        } else {
            lastShortfall = nil
        }
        if !amount.isZero { actions.append(.stake(amount)) }
        return amount
    }

    /// Starts won leases (running, provided by this account) up to the profile's concurrency.
    private mutating func planLeases(_ snapshot: AgentSnapshot, into actions: inout [AgentAction]) {
        let won = snapshot.ownLeases
            .filter { $0.provider == account && $0.state == .running && !running.contains($0.id) && !done.contains($0.id) }
            .sorted { $0.id < $1.id }
        for lease in won where running.count < max(profile.concurrency, 1) {
            running.insert(lease.id)
            actions.append(.startLease(lease))
        }
    }

    private mutating func planOrders(_ snapshot: AgentSnapshot, extraStake: Amount, into actions: inout [AgentAction]) {
        let view = snapshot.account
        let freeStake = (try? (view?.balances.staked ?? .zero).adding(extraStake)) ?? extraStake
        let standing = BidderStanding(
            account: account, profile: screeningProfile, reputationBasisPoints: view?.reputationBasisPoints ?? 0,
            freeStake: freeStake, jailedUntil: view?.jailedUntil
        )
        let openIDs = Set(snapshot.openOrders.map(\.id))
        // A slot is busy while a lease runs or while a bid waits on an auction that is still open.
        var busy = running.count + bids.intersection(openIDs).count
        let slots = max(profile.concurrency, 1)
        for order in snapshot.openOrders.sorted(by: { $0.id < $1.id }) {
            guard !bids.contains(order.id), !refused.contains(order.id), snapshot.now < order.closesAt else { continue }
            if order.bids.contains(where: { $0.provider == account }) {
                bids.insert(order.id)  // placed before a restart
                continue
            }
            var reasons = Eligibility.declineReasons(order: order.terms, standing: standing, price: nil, now: snapshot.now)
                .map(\.description)
            if let why = unavailableRuntimes[order.terms.manifest.workload.runtime] { reasons.append(why) }
            guard reasons.isEmpty else {
                decline(order.id, reasons, into: &actions)
                continue
            }
            let price: Amount
            switch quote(for: order) {
            case .none:
                if !quoting.contains(order.id) {
                    quoting.insert(order.id)
                    actions.append(.quote(order))
                }
                continue
            case .failed(let reason):
                decline(order.id, ["cannot price: \(reason)"], into: &actions)
                continue
            case .price(let quoted):
                price = quoted
            }
            var priceReasons: [DeclineReason] = []
            if price.isZero { priceReasons.append(.zeroPrice) }
            if price > order.manifest.pricing.maxPrice {
                priceReasons.append(.priceAboveReserve(price: price, reserve: order.manifest.pricing.maxPrice))
            }
            guard priceReasons.isEmpty else {
                decline(order.id, priceReasons.map(\.description), into: &actions)
                continue
            }
            guard busy < slots else {
                decline(order.id, ["at capacity: \(busy) of \(slots) lease slot(s) running or bid for"], into: &actions)
                continue
            }
            busy += 1
            bids.insert(order.id)
            actions.append(.bid(order: order.id, price: price))
        }
        // Forget what closed auctions no longer need.
        reported = reported.filter { openIDs.contains($0.key) }
        quotes = quotes.filter { openIDs.contains($0.key) }
    }

    /// The linear quote, or the script's answer once it has one.
    private func quote(for order: Order) -> QuoteOutcome? {
        switch screeningProfile.pricing {
        case .linear(let rates):
            do { return .price(try PriceQuote.linear(rates, for: order.manifest)) } catch { return .failed("\(error)") }
        case .script:
            return quotes[order.id]
        }
    }

    private mutating func decline(_ order: OrderID, _ reasons: [String], into actions: inout [AgentAction]) {
        guard reported[order] != reasons else { return }
        reported[order] = reasons
        actions.append(.decline(order: order, reasons: reasons))
    }

    // MARK: - Feedback from the shell

    public mutating func didRegister() {
        registering = false
        registered = true
    }

    public mutating func registrationFailed() { registering = false }

    public mutating func didQuote(_ order: OrderID, _ outcome: QuoteOutcome) {
        quoting.remove(order)
        quotes[order] = outcome
    }

    /// The controller refused the bid (a 4xx, reasons listed): do not try this order again.
    public mutating func bidRefused(_ order: OrderID) {
        bids.remove(order)
        refused.insert(order)
    }

    /// The bid did not reach the controller: try again next round.
    public mutating func bidFailed(_ order: OrderID) { bids.remove(order) }

    /// A started lease stopped and its slot is free. `retry` starts it again next round while the
    /// controller still shows it running (a transient failure); otherwise it is done for good.
    public mutating func leaseEnded(_ lease: LeaseID, retry: Bool) {
        running.remove(lease)
        if !retry { done.insert(lease) }
    }
}
