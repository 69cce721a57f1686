import TenderCore

/// Why a request's signature was refused (DESIGN section 3): 401, or 409 for a replay.
enum AuthError: Error, CustomStringConvertible {
    case missingHeaders
    case malformed(IdentityError)
    case badSignature
    case replayed(String)
    /// An unsigned read of an artifact that is not public.
    case unsignedRead

    var description: String {
        switch self {
        case .missingHeaders: "this request must be signed: send Tender-Account, Tender-Nonce and Tender-Signature"
        case .malformed(let error): "the signature headers are malformed: \(error.description)"
        case .badSignature: "the signature does not verify for this account, method, path, nonce and body"
        case .replayed(let why): why
        case .unsignedRead:
            "sign this request: an order's artifacts are readable by its submitter, its providers, the auditor and staked challengers, "
                + "unless its manifest says artifacts: public"
        }
    }
}
