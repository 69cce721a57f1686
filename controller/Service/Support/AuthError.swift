import TenderCore

/// Why a request's signature was refused (DESIGN section 3): 401, or 409 for a replay.
enum AuthError: Error, CustomStringConvertible {
    case missingHeaders
    case malformed(IdentityError)
    case badSignature
    case replayed(String)

    var description: String {
        switch self {
        case .missingHeaders: "this request must be signed: send Tender-Account, Tender-Nonce and Tender-Signature"
        case .malformed(let error): "the signature headers are malformed: \(error.description)"
        case .badSignature: "the signature does not verify for this account, method, path, nonce and body"
        case .replayed(let why): why
        }
    }
}
