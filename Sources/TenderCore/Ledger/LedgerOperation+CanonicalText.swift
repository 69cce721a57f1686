/// The journal form of `LedgerOperation+Codable`, written straight to canonical JSON text: every
/// signed write hashes and stores one. Members are in sorted order; a test checks each case
/// against `CanonicalJSON.encode`.
extension LedgerOperation {
    func write(to json: inout CanonicalJSONText) {
        json.object { o in
            switch self {
            case .mint(let to, let amount):
                o.member("amount", amount.micros)
                o.member("kind", name)
                o.member("to", to.hex)
            case .transfer(let from, let to, let amount):
                o.member("amount", amount.micros)
                o.member("from", from.hex)
                o.member("kind", name)
                o.member("to", to.hex)
            case .fee(let from, let amount, let burnBasisPoints, let treasury):
                o.member("amount", amount.micros)
                o.member("burnBasisPoints", burnBasisPoints)
                o.member("from", from.hex)
                o.member("kind", name)
                o.member("treasury", treasury.hex)
            case .stake(let account, let amount):
                o.member("account", account.hex)
                o.member("amount", amount.micros)
                o.member("kind", name)
            case .unbond(let account, let amount, let releaseAt):
                o.member("account", account.hex)
                o.member("amount", amount.micros)
                o.member("kind", name)
                o.member("releaseAt", releaseAt.millis)
            case .withdraw(let account):
                o.member("account", account.hex)
                o.member("kind", name)
            case .lockEscrow(let hold, let owner, let amount):
                o.member("amount", amount.micros)
                o.member("hold", hold.rawValue)
                o.member("kind", name)
                o.member("owner", owner.hex)
            case .releaseEscrow(let hold, let to, let amount), .penalizeCollateral(let hold, let amount, let to):
                o.member("amount", amount.micros)
                o.member("hold", hold.rawValue)
                o.member("kind", name)
                o.member("to", to.hex)
            case .refundEscrow(let hold), .unlockCollateral(let hold), .returnBond(let hold):
                o.member("hold", hold.rawValue)
                o.member("kind", name)
            case .lockCollateral(let hold, let provider, let amount):
                o.member("amount", amount.micros)
                o.member("hold", hold.rawValue)
                o.member("kind", name)
                o.member("provider", provider.hex)
            case .burnCollateral(let hold, let amount):
                o.member("amount", amount.micros)
                o.member("hold", hold.rawValue)
                o.member("kind", name)
            case .slashCollateral(let hold, let challenger, let submitter):
                o.member("challenger", challenger.hex)
                o.member("hold", hold.rawValue)
                o.member("kind", name)
                o.member("submitter", submitter.hex)
            case .postBond(let hold, let account, let amount):
                o.member("account", account.hex)
                o.member("amount", amount.micros)
                o.member("hold", hold.rawValue)
                o.member("kind", name)
            case .forfeitBond(let hold, let to):
                o.member("hold", hold.rawValue)
                o.member("kind", name)
                o.member("to", to.hex)
            }
        }
    }
}
