import Foundation
import TenderCore

/// Health, accounts, the dev faucet, transfers and providers.
extension TenderAPIClient {
    /// `GET /v1/health`.
    public func health() async throws(ClientError) -> API.Health {
        try await call(.get("/v1/health"))
    }

    /// `GET /v1/accounts/{id}`: balances, reputation, last nonce, profile and unbonding entries.
    public func account(_ id: AccountID) async throws(ClientError) -> API.AccountView {
        try await call(.get("/v1/accounts/\(id.hex)"))
    }

    /// `POST /v1/faucet` (dev controllers only): mints `amount` into `account`, by default the client's own.
    public func faucet(_ amount: Amount, to account: AccountID? = nil) async throws(ClientError) -> API.AccountView {
        let recipient: AccountID
        if let account { recipient = account } else { recipient = try requireAccount(for: "POST /v1/faucet") }
        return try await call(.signed(.post, "/v1/faucet", json: API.FaucetRequest(account: recipient, amount: amount)))
    }

    /// `POST /v1/transfers`, signed by the payer (this client's key).
    public func transfer(_ amount: Amount, to recipient: AccountID) async throws(ClientError) -> API.Receipt {
        try await call(.signed(.post, "/v1/transfers", json: API.TransferRequest(to: recipient, amount: amount)))
    }

    // MARK: - Providers

    /// `GET /v1/providers?after=ID&limit=N`: one page of registered providers, in account order.
    public func providers(after: AccountID? = nil, limit: Int? = nil) async throws(ClientError) -> API.ProviderList {
        try await call(.get("/v1/providers", query: [("after", after?.hex), ("limit", limit.map(String.init))]))
    }

    /// `PUT /v1/providers/{id}`: registers or replaces this client's provider profile.
    ///
    /// The profile travels as the operator's own text, YAML or JSON, so the controller validates
    /// exactly what the operator wrote.
    public func registerProvider(profile text: String, contentType: String = "application/yaml") async throws(ClientError) -> API.AccountView {
        let account = try requireAccount(for: "PUT /v1/providers/{id}")
        return try await call(.signed(.put, "/v1/providers/\(account.hex)", body: Data(text.utf8), contentType: contentType))
    }

    /// `POST /v1/providers/{id}/stake`: available to free stake.
    public func stake(_ amount: Amount) async throws(ClientError) -> API.Receipt {
        let account = try requireAccount(for: "POST /v1/providers/{id}/stake")
        return try await call(.signed(.post, "/v1/providers/\(account.hex)/stake", json: API.AmountRequest(amount: amount)))
    }

    /// `POST /v1/providers/{id}/unstake`: free stake to unbonding, withdrawable once it matures.
    public func unstake(_ amount: Amount) async throws(ClientError) -> API.Receipt {
        let account = try requireAccount(for: "POST /v1/providers/{id}/unstake")
        return try await call(.signed(.post, "/v1/providers/\(account.hex)/unstake", json: API.AmountRequest(amount: amount)))
    }

    /// `POST /v1/providers/{id}/withdraw`: every matured unbonding entry back to available.
    public func withdrawStake() async throws(ClientError) -> API.Receipt {
        let account = try requireAccount(for: "POST /v1/providers/{id}/withdraw")
        return try await call(.signed(.post, "/v1/providers/\(account.hex)/withdraw"))
    }
}
