/// Who may send a signed request, and with which nonce (DESIGN section 3).
extension Marketplace {
    /// How far ahead of the controller's clock a nonce may be: one day, in milliseconds. A nonce is
    /// the sender's clock in milliseconds; one far in the future would leave the account few
    /// greater nonces for its next requests, and `UInt64.max` none at all, locking it out for good.
    public static let maximumNonceLeadMillis: UInt64 = 86_400_000

    /// The greatest nonce accepted at `now`.
    public static func nonceLimit(at now: Timestamp) -> UInt64 {
        UInt64(max(now.millis, 0)) + maximumNonceLeadMillis
    }

    /// True for an account the market has seen: it holds money in some bucket, or has a record (a
    /// nonce accepted, a profile, a reputation).
    public func isKnown(_ account: AccountID) -> Bool {
        accounts[account] != nil || !ledger.balances(of: account).isEmpty
    }

    /// Checks what can be checked of a signed request before its body is read: the account is one
    /// the market knows (unless the route is one that makes accounts known, such as the faucet or
    /// provider registration) and the nonce could be accepted now. Changes nothing; the nonce is
    /// accepted only by `acceptNonce`, once the signature has verified.
    public func admit(nonce: UInt64, for account: AccountID, now: Timestamp, newAccount: Bool) throws(MarketplaceError) {
        guard newAccount || isKnown(account) else { throw .unknownAccount(account) }
        try checkNonce(nonce, for: account, now: now)
    }

    /// Accepts a request nonce for `account`: it must exceed the last one accepted and be at most
    /// `maximumNonceLeadMillis` ahead of `now`.
    public mutating func acceptNonce(_ nonce: UInt64, for account: AccountID, now: Timestamp) throws(MarketplaceError) -> MarketChange {
        try checkNonce(nonce, for: account, now: now)
        var record = self.account(account)
        record.lastNonce = nonce
        accounts[account] = record
        var change = MarketChange()
        change.accounts.insert(account)
        return change
    }

    private func checkNonce(_ nonce: UInt64, for account: AccountID, now: Timestamp) throws(MarketplaceError) {
        let last = self.account(account).lastNonce
        guard nonce > last else { throw .staleNonce(account: account, nonce: nonce, last: last) }
        let limit = Self.nonceLimit(at: now)
        guard nonce <= limit else { throw .futureNonce(nonce: nonce, limit: limit) }
    }

    /// Refuses a key nobody holds the private half of: money sent to it could be spent by anyone
    /// able to forge for it, or by nobody.
    static func requireAcceptable(_ account: AccountID) throws(MarketplaceError) {
        guard account.isAcceptable else {
            throw .invalid("\(account.hex) is a small-order or non-canonical Ed25519 key and cannot be an account")
        }
    }
}
