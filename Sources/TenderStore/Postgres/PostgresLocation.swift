import Foundation
import PostgresNIO

/// A PostgreSQL database named by a URL: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`,
/// with `?sslmode=disable|prefer|require` (default `prefer`, as libpq) and `?host=/socket/dir`
/// for a Unix socket (`postgres://USER@/DATABASE?host=/var/run/postgresql`).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// The directory of a Unix socket, which replaces host and port when set.
    public var socketDirectory: String?
    public var tls: TLSMode

    /// True for text that names a PostgreSQL database rather than a file.
    public static func isURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }

    public init(url text: String) throws(StoreError) {
        func refuse(_ reason: String) -> StoreError {
            // A password with @, #, / or ? in it breaks the URL apart: say how to write it.
            let awkward = text.filter { $0 == "@" }.count > 1 || text.contains("#")
            let hint = awkward ? " (percent-encode @, #, / and ? in a password: %40, %23, %2F, %3F)" : ""
            return .badLocation(text: Self.redacted(text), reason: reason + hint)
        }
        guard Self.isURL(text), let components = URLComponents(string: Self.normalizedScheme(text)) else {
            throw refuse("expected postgres://USER@HOST:PORT/DATABASE")
        }
        guard let user = components.user, !user.isEmpty else { throw refuse("name the user: postgres://USER@HOST/DATABASE") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw refuse("name one database after the host: postgres://USER@HOST/DATABASE") }
        username = user.removingPercentEncoding ?? user
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw refuse("the port must be between 1 and 65535") }
        // An IPv6 literal comes bracketed ([::1]); the connection wants the bare address.
        let named = components.host.map { $0.hasPrefix("[") && $0.hasSuffix("]") ? String($0.dropFirst().dropLast()) : $0 }
        host = named.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        tls = .prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw refuse("sslmode must be disable, prefer or require")
                }
                tls = mode
            case "host":
                guard let directory = item.value, directory.hasPrefix("/") else { throw refuse("host= must be a socket directory") }
                socketDirectory = directory
            default:
                throw refuse("unknown parameter \(item.name) (known: sslmode, host)")
            }
        }
    }

    /// `text` with its scheme in lower case, as URL parsing expects.
    private static func normalizedScheme(_ text: String) -> String {
        guard let end = text.range(of: "://") else { return text }
        return text[..<end.lowerBound].lowercased() + text[end.lowerBound...]
    }

    /// The URL without its password, for logs and messages.
    public var description: String {
        let place = socketDirectory.map { "?host=\($0)" } ?? ""
        let server = socketDirectory == nil ? "\(host):\(port)" : ""
        return "postgres://\(username)@\(server)/\(database)\(place)"
    }

    /// The URL that names this location, password included (for a child process's `--db`).
    public var url: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = username
        components.password = password
        components.host = socketDirectory == nil ? host : ""
        components.port = socketDirectory == nil ? port : nil
        components.path = "/" + database
        components.queryItems = [URLQueryItem(name: "sslmode", value: tls.rawValue)]
            + (socketDirectory.map { [URLQueryItem(name: "host", value: $0)] } ?? [])
        return components.string ?? description
    }

    /// A copy naming another database on the same server (tests create one per run).
    public func database(_ name: String) -> PostgresLocation {
        var copy = self
        copy.database = name
        return copy
    }

    var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketDirectory {
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password, database: database
            )
        } else {
            let mode: PostgresClient.Configuration.TLS = switch tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: mode)
        }
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = [("application_name", "tender-controller")]
        // Reads of the market come from memory; the database serves the writer, journal pages and
        // the odd private record.
        configuration.options.maximumConnections = 8
        return configuration
    }

    /// `text` with whatever stands between `://` and the last `@` cut to the user name, without
    /// parsing (a password with `@`, `#` or `/` in it is exactly what a parser trips on), so a
    /// refusal never prints a secret.
    public static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text.range(of: "@", options: .backwards),
              scheme.upperBound <= at.lowerBound else { return text }
        let userinfo = text[scheme.upperBound..<at.lowerBound]
        guard let colon = userinfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":…" + String(text[at.lowerBound...])
    }
}
