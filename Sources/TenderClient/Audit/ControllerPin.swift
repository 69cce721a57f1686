import Foundation
import TenderCore

/// What a client remembers about a controller whose ledger it verified: the key that signs the
/// ledger's head and the last head it checked. Trust on first use, as ssh's `known_hosts`.
///
/// A journal, its head and the key that signs it can all be rewritten by whoever can write the
/// controller's files while it is stopped: drop the last entries, replace the key, and the new key
/// signs a head over a shorter journal that verifies on its own. Only memory kept outside the
/// controller tells: a pinned key that changes only when an operator says so, and a verified head
/// that may be extended but never cut or rewritten. `judge` decides; `ControllerPinStore` keeps it.
public struct ControllerPin: Codable, Sendable, Equatable {
    /// A journal head as verified: an entry's sequence and its hash.
    public struct Head: Codable, Sendable, Equatable, CustomStringConvertible {
        public var sequence: UInt64
        public var hash: String

        public init(sequence: UInt64, hash: String) {
            self.sequence = sequence
            self.hash = hash
        }

        public var description: String { "entry \(sequence) (hash \(hash))" }
    }

    /// The controller, as `identity(of:)` writes its URL.
    public var controller: String
    /// The controller's account: the key every ledger head must be signed with.
    public var account: AccountID
    /// The last head verified against this controller's whole journal.
    public var head: Head
    /// When `account` was pinned, on first use or by a deliberate re-pin.
    public var pinnedAt: Timestamp
    /// When `head` was verified.
    public var verifiedAt: Timestamp
    /// Keys this controller signed with before a rotation the user accepted, oldest first: they
    /// signed the journal's earlier entries.
    public var formerAccounts: [AccountID] = []

    /// Every key that may have signed this controller's journal, the current one first.
    public var trustedAccounts: [AccountID] { [account] + formerAccounts.reversed() }

    public init(controller: String, account: AccountID, head: Head, pinnedAt: Timestamp, verifiedAt: Timestamp) {
        self.controller = controller
        self.account = account
        self.head = head
        self.pinnedAt = pinnedAt
        self.verifiedAt = verifiedAt
    }

    private enum CodingKeys: String, CodingKey {
        case controller, account, head, pinnedAt, verifiedAt, formerAccounts
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        controller = try container.decode(String.self, forKey: .controller)
        account = try container.decode(AccountID.self, forKey: .account)
        head = try container.decode(Head.self, forKey: .head)
        pinnedAt = try container.decode(Timestamp.self, forKey: .pinnedAt)
        verifiedAt = try container.decode(Timestamp.self, forKey: .verifiedAt)
        formerAccounts = try container.decodeIfPresent([AccountID].self, forKey: .formerAccounts) ?? []
    }

    /// `http://127.0.0.1:8080`: scheme and host lowercased, the port written out, no trailing slash.
    ///
    /// The spellings of one controller's URL must share one pin, or a user could escape the pin
    /// (and an attacker's rollback go unnoticed) by typing a trailing slash.
    public static func identity(of url: URL) -> String {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
              let scheme = components.scheme?.lowercased(), let host = components.host?.lowercased(), !host.isEmpty else {
            return url.absoluteString
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed):\(port)\(path)"
    }
}
