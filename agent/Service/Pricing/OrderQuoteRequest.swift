import Foundation
import TenderCore

/// The order as a pricing script sees it on stdin: flat JSON with the fields an operator prices on.
///
/// Money appears twice: `maxPriceMicros` (an exact integer) and `maxPrice` (credits as a decimal
/// number, for scripts that think in credits).
public struct OrderQuoteRequest: Codable, Sendable, Equatable {
    public var id: OrderID
    public var name: String
    public var kind: String
    public var runtime: String
    public var gpuUnits: Int
    public var cpuMillis: Int64
    public var memoryBytes: Int64
    public var storageBytes: Int64
    public var deadlineSeconds: Int64
    public var maxPriceMicros: Int64
    public var maxPrice: Decimal
    public var collateralMicros: Int64
    public var rule: String
    public var submitter: String

    public init(_ order: Order) {
        let manifest = order.manifest
        id = order.id
        name = manifest.name
        kind = manifest.kind.rawValue
        runtime = manifest.workload.runtimeName
        gpuUnits = manifest.resources.gpuUnits
        cpuMillis = manifest.resources.cpuMillis
        memoryBytes = manifest.resources.memoryBytes
        storageBytes = manifest.resources.storageBytes
        deadlineSeconds = manifest.deadlineSeconds
        maxPriceMicros = manifest.pricing.maxPrice.micros
        maxPrice = Decimal(string: manifest.pricing.maxPrice.description) ?? 0
        collateralMicros = manifest.verification.collateral.micros
        rule = manifest.pricing.rule.rawValue
        submitter = order.submitter.hex
    }

    /// The JSON written to the script's stdin (sorted keys, one line).
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}

extension WorkloadSpec {
    /// The runtime name as manifests write it.
    var runtimeName: String {
        switch self {
        case .mlpTrain: "mlp-train"
        case .mlpInfer: "mlp-infer"
        case .exec: "exec"
        }
    }
}
