import Foundation
import TenderCore

/// The controller's own signing key: it signs the ledger head and receipts, and its account is the
/// treasury and the audit pool. The file holds the base64 of the 32-byte Ed25519 private key.
///
/// By default it is `controller.key` next to the database, created on first start (never over a
/// journal whose last entry is signed: that entry's key belongs there). An operator can
/// keep it elsewhere (`serve --key-file`), out of reach of whoever can write the data directory:
/// otherwise someone who rewrites the journal can replace the key with it and sign a new head. A key
/// file named that way is never created by `serve`, since a typo would silently mint a new
/// controller identity; `tender-controller keygen` makes one.
public enum ControllerKey {
    /// `controller.key` beside the database.
    public static func defaultURL(next databasePath: URL) -> URL {
        databasePath.deletingLastPathComponent().appendingPathComponent("controller.key")
    }

    /// The key beside the database, created there if there is none.
    static func loadOrCreate(next databasePath: URL) throws -> KeyPair {
        try loadOrCreate(at: defaultURL(next: databasePath))
    }

    /// The key at `url` (the default place beside the database), created there if there is none.
    /// A file that is there but holds no key is an error, never replaced: it may be the only copy
    /// of this controller's identity, damaged, and a new key would not be the one that signed the
    /// journal.
    static func loadOrCreate(at url: URL) throws(ControllerKeyError) -> KeyPair {
        guard FileManager.default.fileExists(atPath: url.path) else { return try create(at: url) }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .unreadable(url.path) }
        guard let raw = Data(base64Encoded: data.trimmedWhitespace), let key = try? KeyPair(rawPrivateKey: raw) else {
            throw .malformed(url.path)
        }
        return key
    }

    /// The key in the operator's file, which must exist, hold a key and be readable by its owner only.
    public static func load(from url: URL) throws(ControllerKeyError) -> KeyPair {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missing(url.path) }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
           let mode = attributes[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
            throw .tooOpen(url.path, String(mode.intValue & 0o777, radix: 8))
        }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .unreadable(url.path) }
        guard let raw = Data(base64Encoded: data.trimmedWhitespace), let key = try? KeyPair(rawPrivateKey: raw) else {
            throw .malformed(url.path)
        }
        return key
    }

    /// Writes a new key to `url` (mode 0600, its directory 0700 if it has to be made) and returns it.
    /// Never replaces a file: an overwritten key is a controller identity lost.
    public static func create(at url: URL) throws(ControllerKeyError) -> KeyPair {
        guard !FileManager.default.fileExists(atPath: url.path) else { throw .exists(url.path) }
        let key = KeyPair()
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
            // Created empty with mode 0600 and written only then, so the secret is never readable by others.
            guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw ControllerKeyError.unwritable(url.path, "could not create the file")
            }
            let handle = try FileHandle(forWritingTo: url)
            try handle.write(contentsOf: Data(key.rawPrivateKey.base64EncodedString().utf8))
            try handle.synchronize()
            try handle.close()
        } catch let error as ControllerKeyError {
            throw error
        } catch {
            throw .unwritable(url.path, error.localizedDescription)
        }
        return key
    }
}

/// Why the operator's key file cannot be used or made.
public enum ControllerKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(String)
    case exists(String)
    case tooOpen(String, String)
    case unreadable(String)
    case malformed(String)
    case unwritable(String, String)
    /// A shared (PostgreSQL) database has no directory to keep a key beside, and every controller
    /// on it must sign as the same key.
    case sharedDatabaseNeedsKeyFile
    /// The journal's last entry was signed by another key than this controller's.
    case journalSignedByAnotherKey(sequence: UInt64, account: String)
    /// No key beside the database, though its journal's last entry is signed: the key that signed
    /// it belongs there.
    case missingForSignedJournal(String, sequence: UInt64)

    /// True when the operator named a wrong or unsuitable file, which exits 2 rather than 1.
    public var isUserInput: Bool {
        switch self {
        case .missing, .exists, .tooOpen, .malformed, .sharedDatabaseNeedsKeyFile, .journalSignedByAnotherKey, .missingForSignedJournal: true
        case .unreadable, .unwritable: false
        }
    }

    public var description: String {
        switch self {
        case .missing(let path):
            "the key file \(path) does not exist; create one with: tender-controller keygen --key-file \(path) "
                + "(or move an existing controller's controller.key there: the format is the same)"
        case .exists(let path):
            "\(path) already exists; a controller key is never overwritten: move it away first if you mean to replace it"
        case .tooOpen(let path, let mode):
            "\(path) has mode \(mode): the controller's key file must be readable by its owner only (chmod 600)"
        case .unreadable(let path): "cannot read the key file \(path)"
        case .malformed(let path): "\(path) is not a controller key: expected the base64 of a 32-byte Ed25519 private key"
        case .unwritable(let path, let reason): "could not write \(path): \(reason)"
        case .journalSignedByAnotherKey(let sequence, let account):
            "the journal's last entry (\(sequence)) is not signed by this controller's key (account \(account)): a controller "
                + "signs as the key that signed its journal (--key-file, or controller.key in the data directory), and every "
                + "controller on one shared database runs with the same key file, copied to each machine rather than made on "
                + "each; rotating the key on purpose? start with --accept-new-key until the new key has signed a write"
        case .missingForSignedJournal(let path, let sequence):
            "there is no controller key at \(path), but this database's journal is signed (its last entry, \(sequence), by the "
                + "key that ran it): put that key back there, or name it with --key-file; no new key was made. Starting over "
                + "with a new key on purpose? start with --accept-new-key, and clients' `tender ledger verify` will report the change"
        case .sharedDatabaseNeedsKeyFile:
            "with a PostgreSQL database, every controller on it signs as one key: name it with --key-file "
                + "(or keyFile in the config); make one with: tender-controller keygen --key-file PATH"
        }
    }
}
