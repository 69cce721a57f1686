import Foundation
import TenderCore
import Yams

/// The controller's settings: the default file in `controller/`, overridden by flags.
public struct ControllerConfig: Codable, Equatable, Sendable {
    public struct Market: Codable, Equatable, Sendable {
        public var feeBasisPoints: Int64 = 100
        public var feeBurnBasisPoints: Int64 = 5_000
        public var heartbeatGrace: String = "2m"
        public var livenessPenaltyBasisPoints: Int64 = 1_000
        public var jail: String = "1d"
        public var availability: String = "2m"
        public var disputeMove: String = "1m"
        public var disputeBondBasisPoints: Int64 = 2_000
        public var challengerMinimumStake: String = "1"
        public var minimumDisputeBond: String = "0.1"
        public var maxOpenDisputesPerLease: Int = 8
        public var minimumOrderEscrow: String = "0.01"
        public var artifactQuota: String = "1Gi"

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = Market()
            feeBasisPoints = try c.decodeIfPresent(Int64.self, forKey: .feeBasisPoints) ?? defaults.feeBasisPoints
            feeBurnBasisPoints = try c.decodeIfPresent(Int64.self, forKey: .feeBurnBasisPoints) ?? defaults.feeBurnBasisPoints
            heartbeatGrace = try c.decodeIfPresent(String.self, forKey: .heartbeatGrace) ?? defaults.heartbeatGrace
            livenessPenaltyBasisPoints = try c.decodeIfPresent(Int64.self, forKey: .livenessPenaltyBasisPoints) ?? defaults.livenessPenaltyBasisPoints
            jail = try c.decodeIfPresent(String.self, forKey: .jail) ?? defaults.jail
            availability = try c.decodeIfPresent(String.self, forKey: .availability) ?? defaults.availability
            disputeMove = try c.decodeIfPresent(String.self, forKey: .disputeMove) ?? defaults.disputeMove
            disputeBondBasisPoints = try c.decodeIfPresent(Int64.self, forKey: .disputeBondBasisPoints) ?? defaults.disputeBondBasisPoints
            challengerMinimumStake = try c.decodeIfPresent(String.self, forKey: .challengerMinimumStake) ?? defaults.challengerMinimumStake
            minimumDisputeBond = try c.decodeIfPresent(String.self, forKey: .minimumDisputeBond) ?? defaults.minimumDisputeBond
            maxOpenDisputesPerLease = try c.decodeIfPresent(Int.self, forKey: .maxOpenDisputesPerLease) ?? defaults.maxOpenDisputesPerLease
            minimumOrderEscrow = try c.decodeIfPresent(String.self, forKey: .minimumOrderEscrow) ?? defaults.minimumOrderEscrow
            artifactQuota = try c.decodeIfPresent(String.self, forKey: .artifactQuota) ?? defaults.artifactQuota
        }
    }

    /// The built-in auditor's budget.
    public struct Audit: Codable, Equatable, Sendable {
        var enabled: Bool = true
        var concurrentAudits: Int = 1
        var cpuShare: Double = 1
        var runExec: Bool = false

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
            concurrentAudits = try c.decodeIfPresent(Int.self, forKey: .concurrentAudits) ?? 1
            cpuShare = try c.decodeIfPresent(Double.self, forKey: .cpuShare) ?? 1
            runExec = try c.decodeIfPresent(Bool.self, forKey: .runExec) ?? false
        }
    }

    public var listen: String = "127.0.0.1:8080"
    public var database: String = "tender.sqlite"
    public var artifacts: String = "artifacts"
    /// The controller's signing key, kept outside the data directory; nil: `controller.key` next to the database.
    public var keyFile: String?
    /// The URL other controllers on a shared database send writes to while this one leads;
    /// nil: `http://` and the listen address.
    public var advertise: String?
    public var maxBodyBytes: Int = 64 << 20
    public var market = Market()
    public var audit = Audit()

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ControllerConfig()
        listen = try c.decodeIfPresent(String.self, forKey: .listen) ?? defaults.listen
        database = try c.decodeIfPresent(String.self, forKey: .database) ?? defaults.database
        artifacts = try c.decodeIfPresent(String.self, forKey: .artifacts) ?? defaults.artifacts
        keyFile = try c.decodeIfPresent(String.self, forKey: .keyFile)
        advertise = try c.decodeIfPresent(String.self, forKey: .advertise)
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? defaults.maxBodyBytes
        market = try c.decodeIfPresent(Market.self, forKey: .market) ?? defaults.market
        audit = try c.decodeIfPresent(Audit.self, forKey: .audit) ?? defaults.audit
    }

    /// The built-in auditor's budget.
    public var auditBudget: AuditBudget {
        AuditBudget(enabled: audit.enabled, concurrentAudits: audit.concurrentAudits, cpuShare: audit.cpuShare, runExec: audit.runExec)
    }

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

    /// An http(s) URL of a host and port, with nothing a redirect's path would be appended to.
    static func isAdvertisable(_ text: String) -> Bool {
        guard let url = URLComponents(string: text), ["http", "https"].contains(url.scheme ?? ""),
              let host = url.host, !host.isEmpty, url.user == nil, url.password == nil,
              url.query == nil, url.fragment == nil, url.path.isEmpty || url.path == "/" else { return false }
        return url.port.map { (1...65_535).contains($0) } ?? true
    }

    public func problems() -> [String] {
        var problems: [String] = []
        if ListenAddress(listen) == nil { problems.append("listen: expected HOST:PORT, found '\(listen)'") }
        if let keyFile, keyFile.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("keyFile: expected a path") }
        if let advertise, !Self.isAdvertisable(advertise) {
            problems.append("advertise: expected a URL like http://10.0.0.5:8080 (scheme, host and port only), found '\(advertise)'")
        }
        if !(1_024...(1 << 30)).contains(maxBodyBytes) { problems.append("maxBodyBytes: must be between 1024 and 1073741824") }
        if !(0...10_000).contains(market.feeBasisPoints) { problems.append("market.feeBasisPoints: must be 0...10000") }
        if !(0...10_000).contains(market.feeBurnBasisPoints) { problems.append("market.feeBurnBasisPoints: must be 0...10000") }
        if !(0...10_000).contains(market.livenessPenaltyBasisPoints) {
            problems.append("market.livenessPenaltyBasisPoints: must be 0...10000")
        }
        if DurationText.seconds(market.heartbeatGrace) == nil { problems.append("market.heartbeatGrace: expected a duration like 2m") }
        if DurationText.seconds(market.jail) == nil { problems.append("market.jail: expected a duration like 1d") }
        if DurationText.seconds(market.availability) == nil { problems.append("market.availability: expected a duration like 2m") }
        if DurationText.seconds(market.disputeMove) == nil { problems.append("market.disputeMove: expected a duration like 1m") }
        if !(0...10_000).contains(market.disputeBondBasisPoints) { problems.append("market.disputeBondBasisPoints: must be 0...10000") }
        if (try? Amount.parse(market.challengerMinimumStake)) == nil {
            problems.append("market.challengerMinimumStake: expected credits like 1 or 0.5")
        }
        if (try? Amount.parse(market.minimumDisputeBond)) == nil { problems.append("market.minimumDisputeBond: expected credits like 0.1") }
        if !(1...1_000).contains(market.maxOpenDisputesPerLease) { problems.append("market.maxOpenDisputesPerLease: must be 1...1000") }
        if (try? Amount.parse(market.minimumOrderEscrow)) == nil { problems.append("market.minimumOrderEscrow: expected credits like 0.01") }
        if ByteSize.bytes(market.artifactQuota) == nil { problems.append("market.artifactQuota: expected a size like 1Gi or 512Mi") }
        if !(1...64).contains(audit.concurrentAudits) { problems.append("audit.concurrentAudits: must be 1...64") }
        if !(audit.cpuShare > 0 && audit.cpuShare <= 1) { problems.append("audit.cpuShare: must be in (0, 1]") }
        return problems
    }

    /// The market rules this configuration sets, with the controller's own accounts.
    public func policy(treasury: AccountID, auditPool: AccountID) -> MarketPolicy {
        MarketPolicy(
            feeBasisPoints: market.feeBasisPoints, feeBurnBasisPoints: market.feeBurnBasisPoints,
            heartbeatGraceSeconds: DurationText.seconds(market.heartbeatGrace) ?? 120,
            livenessPenaltyBasisPoints: market.livenessPenaltyBasisPoints,
            jailSeconds: DurationText.seconds(market.jail) ?? 86_400, treasury: treasury, auditPool: auditPool,
            availabilitySeconds: DurationText.seconds(market.availability) ?? 120,
            disputeMoveSeconds: DurationText.seconds(market.disputeMove) ?? 60,
            disputeBondBasisPoints: market.disputeBondBasisPoints,
            challengerMinimumStake: try? Amount.parse(market.challengerMinimumStake),
            minimumDisputeBond: try? Amount.parse(market.minimumDisputeBond), maxOpenDisputesPerLease: market.maxOpenDisputesPerLease,
            minimumOrderEscrow: try? Amount.parse(market.minimumOrderEscrow), artifactQuotaBytes: ByteSize.bytes(market.artifactQuota) ?? (1 << 30)
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
