import Foundation
import TenderCore

/// Pinned controllers on disk: `$TENDER_HOME/controllers/<host>_<port>-<hash>.json`, one file per
/// controller URL, mode 0600 in a 0700 directory.
///
/// A pin is not secret, but it is what stands between a user and a controller whose files were
/// rewritten, so it is written the way an artifact is: to a temporary file, synced, then renamed
/// over the old one. A crash leaves the old pin or the new one, never half of either.
public struct ControllerPinStore: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// `$TENDER_HOME/controllers`, or `~/.tender/controllers`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        TenderHome.url(environment: environment).appendingPathComponent("controllers", isDirectory: true)
    }

    /// `127.0.0.1_8080-3f09c2a1d5e8b7f4.json` for `http://127.0.0.1:8080`.
    ///
    /// Host and port so a person can tell the files apart; a hash of the whole identity so that two
    /// controllers never share a file, whatever characters their URLs hold.
    public static func fileName(for controller: String) -> String {
        let withoutScheme = controller.range(of: "://").map { String(controller[$0.upperBound...]) } ?? controller
        let readable = withoutScheme.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") ? $0 : "_" }
        return "\(String(readable.prefix(64)))-\(Hashing.sha256Hex(controller).prefix(16)).json"
    }

    public func fileURL(for controller: String) -> URL {
        directory.appendingPathComponent(Self.fileName(for: controller))
    }

    /// The pin for `controller`, or nil if it was never verified here.
    public func load(controller: String) throws(ControllerPinStoreError) -> ControllerPin? {
        let url = fileURL(for: controller)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .unreadable(url.path) }
        let pin: ControllerPin
        do {
            pin = try JSONDecoder().decode(ControllerPin.self, from: data)
        } catch {
            throw .corrupt(url.path, "not a controller pin")
        }
        guard pin.controller == controller else { throw .corrupt(url.path, "it pins \(pin.controller), not \(controller)") }
        return pin
    }

    /// Writes `pin`, replacing the controller's previous one.
    public func save(_ pin: ControllerPin) throws(ControllerPinStoreError) {
        let url = fileURL(for: pin.controller)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let data = try JSONEncoder.pretty.encode(pin)
            // Created empty with its final mode, so the rename never publishes a file others may write.
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw ControllerPinStoreError.unwritable(url.path, "could not create \(temporary.lastPathComponent)")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else {
                throw ControllerPinStoreError.unwritable(url.path, "could not rename \(temporary.lastPathComponent) over it")
            }
        } catch let error as ControllerPinStoreError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .unwritable(url.path, error.localizedDescription)
        }
    }
}

/// Why a pin could not be read or written.
public enum ControllerPinStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case corrupt(String, String)
    case unwritable(String, String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the controller pin \(path)"
        case .corrupt(let path, let reason):
            "\(path) is damaged (\(reason)); if you trust the controller as it is now, remove the file to pin it afresh"
        case .unwritable(let path, let reason): "could not write the controller pin \(path): \(reason)"
        }
    }
}
