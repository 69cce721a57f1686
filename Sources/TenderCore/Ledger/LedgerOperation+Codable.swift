/// The journal form: a flat object with a `kind` and the operation's named fields,
/// e.g. `{"amount":5000000,"kind":"transfer","from":"ab..","to":"cd.."}`.
///
/// Written by hand rather than synthesized so the stored, hashed form is plain to read from any
/// language and does not change if a Swift case is renamed.
extension LedgerOperation: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, account, amount, from, to, treasury, burnBasisPoints, releaseAt
        case hold, owner, provider, challenger, submitter
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        func account(_ key: CodingKeys) throws -> AccountID { try c.decode(AccountID.self, forKey: key) }
        func amount() throws -> Amount { try c.decode(Amount.self, forKey: .amount) }
        func hold() throws -> HoldID { try c.decode(HoldID.self, forKey: .hold) }
        switch kind {
        case "mint": self = .mint(to: try account(.to), amount: try amount())
        case "transfer": self = .transfer(from: try account(.from), to: try account(.to), amount: try amount())
        case "fee":
            self = .fee(
                from: try account(.from), amount: try amount(),
                burnBasisPoints: try c.decode(Int64.self, forKey: .burnBasisPoints),
                treasury: try account(.treasury)
            )
        case "stake": self = .stake(account: try account(.account), amount: try amount())
        case "unbond":
            self = .unbond(
                account: try account(.account), amount: try amount(),
                releaseAt: try c.decode(Timestamp.self, forKey: .releaseAt)
            )
        case "withdraw": self = .withdraw(account: try account(.account))
        case "lockEscrow": self = .lockEscrow(hold: try hold(), owner: try account(.owner), amount: try amount())
        case "releaseEscrow": self = .releaseEscrow(hold: try hold(), to: try account(.to), amount: try amount())
        case "refundEscrow": self = .refundEscrow(hold: try hold())
        case "lockCollateral":
            self = .lockCollateral(hold: try hold(), provider: try account(.provider), amount: try amount())
        case "unlockCollateral": self = .unlockCollateral(hold: try hold())
        case "penalizeCollateral":
            self = .penalizeCollateral(hold: try hold(), amount: try amount(), to: try account(.to))
        case "burnCollateral": self = .burnCollateral(hold: try hold(), amount: try amount())
        case "slashCollateral":
            self = .slashCollateral(
                hold: try hold(), challenger: try account(.challenger), submitter: try account(.submitter)
            )
        case "postBond": self = .postBond(hold: try hold(), account: try account(.account), amount: try amount())
        case "returnBond": self = .returnBond(hold: try hold())
        case "forfeitBond": self = .forfeitBond(hold: try hold(), to: try account(.to))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c, debugDescription: "unknown ledger operation '\(kind)'"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .kind)
        switch self {
        case .mint(let to, let amount):
            try c.encode(to, forKey: .to)
            try c.encode(amount, forKey: .amount)
        case .transfer(let from, let to, let amount):
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(amount, forKey: .amount)
        case .fee(let from, let amount, let burnBasisPoints, let treasury):
            try c.encode(from, forKey: .from)
            try c.encode(amount, forKey: .amount)
            try c.encode(burnBasisPoints, forKey: .burnBasisPoints)
            try c.encode(treasury, forKey: .treasury)
        case .stake(let account, let amount):
            try c.encode(account, forKey: .account)
            try c.encode(amount, forKey: .amount)
        case .unbond(let account, let amount, let releaseAt):
            try c.encode(account, forKey: .account)
            try c.encode(amount, forKey: .amount)
            try c.encode(releaseAt, forKey: .releaseAt)
        case .withdraw(let account):
            try c.encode(account, forKey: .account)
        case .lockEscrow(let hold, let owner, let amount):
            try c.encode(hold, forKey: .hold)
            try c.encode(owner, forKey: .owner)
            try c.encode(amount, forKey: .amount)
        case .releaseEscrow(let hold, let to, let amount):
            try c.encode(hold, forKey: .hold)
            try c.encode(to, forKey: .to)
            try c.encode(amount, forKey: .amount)
        case .refundEscrow(let hold), .unlockCollateral(let hold), .returnBond(let hold):
            try c.encode(hold, forKey: .hold)
        case .lockCollateral(let hold, let provider, let amount):
            try c.encode(hold, forKey: .hold)
            try c.encode(provider, forKey: .provider)
            try c.encode(amount, forKey: .amount)
        case .penalizeCollateral(let hold, let amount, let to):
            try c.encode(hold, forKey: .hold)
            try c.encode(amount, forKey: .amount)
            try c.encode(to, forKey: .to)
        case .burnCollateral(let hold, let amount):
            try c.encode(hold, forKey: .hold)
            try c.encode(amount, forKey: .amount)
        case .slashCollateral(let hold, let challenger, let submitter):
            try c.encode(hold, forKey: .hold)
            try c.encode(challenger, forKey: .challenger)
            try c.encode(submitter, forKey: .submitter)
        case .postBond(let hold, let account, let amount):
            try c.encode(hold, forKey: .hold)
            try c.encode(account, forKey: .account)
            try c.encode(amount, forKey: .amount)
        case .forfeitBond(let hold, let to):
            try c.encode(hold, forKey: .hold)
            try c.encode(to, forKey: .to)
        }
    }
}
