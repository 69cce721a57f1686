import Foundation

/// Where Tender keeps a user's keys and local artifacts: `$TENDER_HOME`, or `~/.tender`.
public enum TenderHome {
    public static func url(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["TENDER_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".tender", isDirectory: true)
    }
}
