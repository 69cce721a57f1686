import Foundation
import TenderCore
import Yams

/// The controller's settings: the default file in `controller/`, overridden by flags.
public struct ControllerConfig: Codable, Equatable, Sendable {
    public struct Market: Codable, Equatable, Sendable {
        var feeBasisPoints: Int64 = 100
        var feeBurnBasisPoints: Int64 = 5_000
        var heartbeatGrace: String = "2m"
        var livenessPenaltyBasisPoints: Int64 = 1_000
        var jail: String = "1d"

        public init() {}
    }

    public var listen: String = "127.0.0.1:8080"
    public var database: String = "tender.sqlite"
    public var artifacts: String = "artifacts"
    public var maxBodyBytes: Int = 64 << 20
    public var market = Market()

    public init() {}

    /// Reads a config file; every problem is reported with the field it concerns.
    public static func load(path: String) throws(ConfigError) -> ControllerConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path)
        }
        let config: ControllerConfig
        do {
            config = try YAMLDecoder().decode(ControllerConfig.self, from: text)
        } catch {
            throw .invalid(path, ["\(error)"])
        }
        let problems = config.problems()
        guard problems.isEmpty else { throw .invalid(path, problems) }
        return config
    }

    public func problems() -> [String] {
        var problems: [String] = []
        if ListenAddress(listen) == nil { problems.append("listen: expected HOST:PORT, found '\(listen)'") }
        if !(1_024...(1 << 30)).contains(maxBodyBytes) { problems.append("maxBodyBytes: must be between 1024 and 1073741824") }
        if !(0...10_000).contains(market.feeBasisPoints) { problems.append("market.feeBasisPoints: must be 0...10000") }
        if !(0...10_000).contains(market.feeBurnBasisPoints) { problems.append("market.feeBurnBasisPoints: must be 0...10000") }
        if !(0...10_000).contains(market.livenessPenaltyBasisPoints) {
            problems.append("market.livenessPenaltyBasisPoints: must be 0...10000")
        }
        if DurationText.seconds(market.heartbeatGrace) == nil { problems.append("market.heartbeatGrace: expected a duration like 2m") }
        if DurationText.seconds(market.jail) == nil { problems.append("market.jail: expected a duration like 1d") }
        return problems
    }

    /// The market rules this configuration sets, with the controller's own accounts.
    public func policy(treasury: AccountID, auditPool: AccountID) -> MarketPolicy {
        MarketPolicy(
            feeBasisPoints: market.feeBasisPoints, feeBurnBasisPoints: market.feeBurnBasisPoints,
            heartbeatGraceSeconds: DurationText.seconds(market.heartbeatGrace) ?? 120,
            livenessPenaltyBasisPoints: market.livenessPenaltyBasisPoints,
            jailSeconds: DurationText.seconds(market.jail) ?? 86_400, treasury: treasury, auditPool: auditPool
        )
    }
}

/// `HOST:PORT`.
public struct ListenAddress: Equatable, Sendable {
    public var host: String
    public var port: Int

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            return nil
        }
        let host = String(text[..<colon])
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }
}

public enum ConfigError: Error, CustomStringConvertible {
    case unreadable(String)
    case invalid(String, [String])

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the config file \(path)"
        case .invalid(let path, let problems): "\(path) is not a valid controller config:\n  " + problems.joined(separator: "\n  ")
        }
    }
}
