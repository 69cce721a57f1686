import Testing
@testable import TenderCore

/// What is checked of a signed request before its body is read, and the nonce's upper bound.
@Suite("Admission: known accounts, and nonces at most a day ahead")
struct AdmissionTests {
    typealias F = Fixtures

    let now = Timestamp(millis: 1_700_000_000_000)

    @Test("a nonce more than a day ahead of the clock is refused and leaves the account usable")
    func futureNonce() throws {
        var market = Marketplace(policy: F.policy)
        let account = F.account(1)
        let limit = Marketplace.nonceLimit(at: now)
        #expect(limit == 1_700_000_000_000 + 86_400_000)
        // UInt64.max would have left no greater nonce: the account locked for good.
        #expect(throws: MarketplaceError.futureNonce(nonce: .max, limit: limit)) { try market.acceptNonce(.max, for: account, now: now) }
        #expect(throws: MarketplaceError.futureNonce(nonce: limit + 1, limit: limit)) { try market.acceptNonce(limit + 1, for: account, now: now) }
        #expect(market.account(account).lastNonce == 0)
        _ = try market.acceptNonce(limit, for: account, now: now)
        // As the clock moves on, so does the bound.
        _ = try market.acceptNonce(limit + 1_000, for: account, now: now.adding(seconds: 1))
        #expect(market.account(account).lastNonce == limit + 1_000)
    }

    @Test("before a body is read: an unknown account is refused unless the route makes accounts; the nonce is checked; nothing changes")
    func admit() throws {
        var market = Marketplace(policy: F.policy)
        let account = F.account(1)
        #expect(throws: MarketplaceError.unknownAccount(account)) { try market.admit(nonce: 1, for: account, now: now, newAccount: false) }
        try market.admit(nonce: 1, for: account, now: now, newAccount: true)
        _ = try market.mint(F.credits("1"), to: account, now: now)
        try market.admit(nonce: 1, for: account, now: now, newAccount: false)
        _ = try market.acceptNonce(5, for: account, now: now)
        #expect(throws: MarketplaceError.staleNonce(account: account, nonce: 5, last: 5)) {
            try market.admit(nonce: 5, for: account, now: now, newAccount: false)
        }
        #expect(throws: MarketplaceError.futureNonce(nonce: .max, limit: Marketplace.nonceLimit(at: now))) {
            try market.admit(nonce: .max, for: account, now: now, newAccount: false)
        }
        #expect(market.account(account).lastNonce == 5)
    }

    @Test("an account that only ever received money is known")
    func recipientsAreKnown() throws {
        var market = Marketplace(policy: F.policy)
        _ = try market.mint(F.credits("10"), to: F.account(1), now: now)
        #expect(!market.isKnown(F.account(2)))
        _ = try market.transfer(F.credits("1"), from: F.account(1), to: F.account(2), now: now)
        #expect(market.isKnown(F.account(2)))
    }

    @Test("money is never sent to a key nobody can sign for")
    func weakRecipients() throws {
        var market = Marketplace(policy: F.policy)
        _ = try market.mint(F.credits("10"), to: F.account(1), now: now)
        let identity = try AccountID(hexDigits: StrictKeyTests.identity)
        #expect(throws: MarketplaceError.self) { try market.transfer(F.credits("1"), from: F.account(1), to: identity, now: now) }
        #expect(throws: MarketplaceError.self) { try market.mint(F.credits("1"), to: identity, now: now) }
        #expect(market.ledger.balances(of: identity).isEmpty)
    }
}
