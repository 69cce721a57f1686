import Foundation
import TenderClient
import TenderCore
import TenderWorkloads

/// Everything a running agent needs, read and checked by the command before the loop starts.
public struct AgentConfiguration: Sendable {
    /// The profile as parsed, and its text as the operator wrote it (what gets registered).
    public var profile: ProviderProfile
    public var profileText: String
    /// `application/yaml` or `application/json`, by the profile file's extension.
    public var profileContentType: String
    /// Where the profile lives: a pricing script's command runs here.
    public var profileDirectory: URL
    public var key: KeyPair
    public var client: TenderAPIClient
    /// Per-lease progress and cached inputs.
    public var stateDirectory: URL
    public var faults: FaultPlan
    /// GPUs found by nvidia-smi; nil means the profile's inventory is used as written.
    public var detectedGPUs: [Inventory.GPUGroup]?
    public var pollInterval: Duration
    public var heartbeatInterval: Duration
    /// Test hook: stop each lease right after saving this checkpoint, as a shutdown would.
    public var stopAfterLeaf: Int?
    /// How `exec` jobs run here: sandboxed, unconfined on the operator's word, or not at all.
    public var execIsolation: ExecIsolation

    public init(
        profile: ProviderProfile, profileText: String, profileContentType: String = "application/yaml",
        profileDirectory: URL, key: KeyPair, client: TenderAPIClient, stateDirectory: URL,
        faults: FaultPlan = FaultPlan(), detectedGPUs: [Inventory.GPUGroup]? = nil,
        pollInterval: Duration = .seconds(1), heartbeatInterval: Duration = .seconds(5), stopAfterLeaf: Int? = nil,
        execIsolation: ExecIsolation = .refused(reason: "no sandbox was set up")
    ) {
        self.profile = profile
        self.profileText = profileText
        self.profileContentType = profileContentType
        self.profileDirectory = profileDirectory
        self.key = key
        self.client = client.signing(with: key)
        self.stateDirectory = stateDirectory
        self.faults = faults
        self.detectedGPUs = detectedGPUs
        self.pollInterval = pollInterval
        self.heartbeatInterval = heartbeatInterval
        self.stopAfterLeaf = stopAfterLeaf
        self.execIsolation = execIsolation
    }

    /// The runtimes the profile offers that cannot run here, with the reason an order is declined.
    public var unavailableRuntimes: [WorkloadSpec.Runtime: String] {
        guard profile.runtimes.contains(.exec), case .refused(let reason) = execIsolation else { return [:] }
        return [.exec: "sandbox-unavailable: \(reason) (tender-agent run --allow-unsandboxed-exec runs exec jobs unconfined)"]
    }

    /// The profile orders are screened against: the written one, with the detected GPUs if any.
    public var screeningProfile: ProviderProfile {
        guard let detectedGPUs else { return profile }
        var screening = profile
        screening.inventory.gpus = detectedGPUs
        return screening
    }

    /// `$TENDER_HOME/agent/<first 12 hex digits of the account>`.
    public static func defaultStateDirectory(for account: AccountID, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        TenderHome.url(environment: environment)
            .appendingPathComponent("agent", isDirectory: true)
            .appendingPathComponent(String(account.hex.prefix(12)), isDirectory: true)
    }
}
