import Foundation

/// Whose word a journal entry rests on.
///
/// Money leaves an account's free balance (a transfer, a stake, an unbonding, a withdrawal, an
/// order's escrow, a dispute bond) only on that account's signed request, and the request must ask
/// for exactly that: the right endpoint, and where the body names them, the same counterparty and
/// amount. Money is created only through the faucet's signed request. The protocol fee may take
/// from an available balance only what a payment just released to it (`EntrySequence`). Held
/// money (escrow, collateral, bonds) moves at clearing, settlement, refunds and rulings on the
/// controller's signed word, naming the order, lease or dispute it follows from: the journal
/// shows those, but whether each was due is the market's rule, not checked here. So an operator, or
/// anyone who can write the database, cannot add an entry that spends a user's money without the
/// user's key, and every signed request in the journal can be checked by anyone.
enum EntryAuthority {
    /// Why `entry` is not backed by the right word; nil when it is.
    static func problem(_ entry: JournalEntry) -> String? {
        if let request = entry.request, !request.isAuthentic {
            return "its request's signature is not \(request.account)'s over \(request.method) \(request.target)"
        }
        guard let rule = rule(for: entry.operation) else {
            if entry.request == nil && entry.cause == nil {
                return "the controller made it on its own but it names no order, lease or dispute"
            }
            return nil
        }
        guard let request = entry.request else {
            return "it takes money from \(rule.payer.map(\.description) ?? "nobody") (\(entry.operation.name)) without a signed request"
        }
        if let payer = rule.payer, request.account != payer {
            return "it takes money from \(payer) on a request signed by \(request.account)"
        }
        guard request.method.uppercased() == "POST", rule.path(request.path) else {
            return "a \(entry.operation.name) cannot come from \(request.method) \(request.target)"
        }
        return bodyProblem(entry.operation, body: request.body)
    }

    struct Rule {
        /// Whose request it must be; nil when anyone's may (the dev faucet).
        var payer: AccountID?
        var path: (String) -> Bool
    }

    static func rule(for operation: LedgerOperation) -> Rule? {
        switch operation {
        case .transfer(let from, _, _): Rule(payer: from) { $0 == "/v1/transfers" }
        case .stake(let account, _): Rule(payer: account) { providerPath($0, account, "stake") }
        case .unbond(let account, _, _): Rule(payer: account) { providerPath($0, account, "unstake") }
        case .withdraw(let account): Rule(payer: account) { providerPath($0, account, "withdraw") }
        case .lockEscrow(_, let owner, _): Rule(payer: owner) { $0 == "/v1/orders" }
        case .postBond(_, let account, _): Rule(payer: account) { $0.hasPrefix("/v1/leases/") && $0.hasSuffix("/disputes") }
        case .mint: Rule(payer: nil) { $0 == "/v1/faucet" }
        default: nil
        }
    }

    /// `/v1/providers/{account}/{action}`, with the account in any form `AccountID` reads.
    private static func providerPath(_ path: String, _ account: AccountID, _ action: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[1] == "v1", parts[2] == "providers", parts[4] == action,
              let named = try? AccountID(String(parts[3])) else { return false }
        return named == account
    }

    /// Whether the body asked for what the entry did, where the body says it.
    private static func bodyProblem(_ operation: LedgerOperation, body: Data) -> String? {
        let decoder = JSONDecoder()
        switch operation {
        case .transfer(_, let to, let amount):
            guard let asked = try? decoder.decode(API.TransferRequest.self, from: body) else { return "its request body is not a transfer" }
            return asked.to == to && asked.amount == amount ? nil : "the request asked to send \(asked.amount) to \(asked.to), the entry sends \(amount) to \(to)"
        case .stake(_, let amount), .unbond(_, let amount, _):
            guard let asked = try? decoder.decode(API.AmountRequest.self, from: body) else { return "its request body names no amount" }
            return asked.amount == amount ? nil : "the request asked for \(asked.amount), the entry moves \(amount)"
        case .mint(let to, let amount):
            guard let asked = try? decoder.decode(API.FaucetRequest.self, from: body) else { return "its request body is not a faucet request" }
            return asked.account == to && asked.amount == amount ? nil : "the request asked the faucet for \(asked.amount) to \(asked.account), the entry mints \(amount) to \(to)"
        case .lockEscrow(_, _, let amount):
            guard let text = String(data: body, encoding: .utf8), let manifest = try? JobManifest.parse(text),
                  let escrow = try? Order.escrow(for: manifest) else {
                return "its request body is not a valid manifest"
            }
            return escrow == amount ? nil : "the manifest's escrow is \(escrow), the entry locks \(amount)"
        default:
            return nil
        }
    }
}
