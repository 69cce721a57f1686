import Foundation
import TenderCore

/// Named signing keys on disk: `$TENDER_HOME/keys/NAME.json`, one file per key, mode 0600.
///
/// Used by the CLI, the agent and challengers alike. The directory is created mode 0700; a key
/// file that other users can read is refused rather than used, as ssh does.
public struct Keystore: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// `$TENDER_HOME/keys`, or `~/.tender/keys`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        TenderHome.url(environment: environment).appendingPathComponent("keys", isDirectory: true)
    }

    /// A key as stored: its name, account id, and the raw private key in base64.
    public struct StoredKey: Codable, Sendable {
        public var name: String
        public var account: AccountID
        public var privateKey: String
        public var createdAt: Timestamp
    }

    /// Creates and stores a new key. Refuses to overwrite an existing name.
    @discardableResult
    public func create(name: String, now: Timestamp) throws(KeystoreError) -> (KeyPair, URL) {
        try Self.checkName(name)
        let url = fileURL(name)
        guard !FileManager.default.fileExists(atPath: url.path) else { throw .exists(name, url.path) }
        let key = KeyPair()
        let stored = StoredKey(name: name, account: key.account, privateKey: key.rawPrivateKey.base64EncodedString(), createdAt: now)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let data = try JSONEncoder.pretty.encode(stored)
            // Create with 0600 from the start, so the secret is never readable by others even briefly.
            guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw KeystoreError.unwritable(url.path, "could not create the file")
            }
        } catch let error as KeystoreError {
            throw error
        } catch {
            throw .unwritable(url.path, error.localizedDescription)
        }
        return (key, url)
    }

    /// Loads a key by name.
    public func load(name: String) throws(KeystoreError) -> KeyPair {
        let stored = try read(name: name)
        guard let raw = Data(base64Encoded: stored.privateKey), let key = try? KeyPair(rawPrivateKey: raw) else {
            throw .corrupt(fileURL(name).path, "the private key is not 32 bytes of base64")
        }
        guard key.account == stored.account else {
            throw .corrupt(fileURL(name).path, "the account id does not match the private key")
        }
        return key
    }

    /// Reads a key file's public part, checking its permissions.
    public func read(name: String) throws(KeystoreError) -> StoredKey {
        try Self.checkName(name)
        let url = fileURL(name)
        guard FileManager.default.fileExists(atPath: url.path) else { throw .notFound(name, directory.path) }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
           let mode = attributes[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
            throw .tooOpen(url.path, String(mode.intValue, radix: 8))
        }
        do {
            return try JSONDecoder().decode(StoredKey.self, from: Data(contentsOf: url))
        } catch {
            throw .corrupt(url.path, "not a Tender key file")
        }
    }

    /// Every stored key, sorted by name. Unreadable files are reported, not skipped silently.
    public func list() throws(KeystoreError) -> [Result<StoredKey, KeystoreError>] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { $0.hasSuffix(".json") }.sorted().map { file in
            let name = String(file.dropLast(".json".count))
            return Result { () throws(KeystoreError) in try read(name: name) }
        }
    }

    public func fileURL(_ name: String) -> URL {
        directory.appendingPathComponent("\(name).json")
    }

    static func checkName(_ name: String) throws(KeystoreError) {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard !name.isEmpty, name.count <= 64, allowed, !name.hasPrefix(".") else { throw .badName(name) }
    }
}

/// Why a key could not be created, found or used.
public enum KeystoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case badName(String)
    case exists(String, String)
    case notFound(String, String)
    case tooOpen(String, String)
    case corrupt(String, String)
    case unwritable(String, String)

    public var description: String {
        switch self {
        case .badName(let name): "'\(name)' is not a key name: use up to 64 letters, digits, '-', '_' or '.'"
        case .exists(let name, let path): "a key named '\(name)' already exists at \(path)"
        case .notFound(let name, let directory): "no key named '\(name)' in \(directory); create one with: tender keys create \(name)"
        case .tooOpen(let path, let mode): "\(path) has mode \(mode): a key file must be readable by its owner only (chmod 600)"
        case .corrupt(let path, let reason): "\(path) is damaged: \(reason)"
        case .unwritable(let path, let reason): "could not write \(path): \(reason)"
        }
    }
}

extension JSONEncoder {
    static var pretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
