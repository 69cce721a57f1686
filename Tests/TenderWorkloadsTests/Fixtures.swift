import Foundation
import TenderCore
import TenderWorkloads

/// Shared test inputs: the shipped digits dataset and small synthetic jobs.
enum Fixtures {
    /// `Datasets/digits.csv`, found by walking up from this file (symlinks resolved).
    static let digitsURL: URL? = {
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("Datasets/digits.csv")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    /// The parsed digits data, read once for the whole test run.
    static let digits: Result<Dataset, WorkloadError> = {
        guard let url = digitsURL else { return .failure(.io("Datasets/digits.csv not found")) }
        return Result { () throws(WorkloadError) in try NumericCSV.load(contentsOf: url) }
    }()

    /// A short digits job for determinism and golden-root tests: 30 steps, interval 7 (so the last
    /// segment is short), batch 16.
    static func smallDigitsJob(activation: MLPActivation = .relu, seed: UInt64 = 7) throws -> MLPTrainConfig {
        var config = MLPTrainConfig.digits(dataset: try digits.get(), steps: 30, seed: seed, checkpointInterval: 7)
        config.batch = 16
        config.activation = activation
        return config
    }

    /// A tiny linearly separable problem: 3 features, 3 classes, 40 rows, generated from a fixed seed.
    static func synthetic(rows: Int = 40) throws -> Dataset {
        let random = CounterRandom(seed: 99)
        var features = [Float]()
        var labels = [Int]()
        for row in 0..<rows {
            let label = row % 3
            for column in 0..<3 {
                let noise = random.unit(.dataOrder, step: UInt64(row), counter: UInt64(column))
                features.append((column == label ? 4 : 0) + noise * 4)
            }
            labels.append(label)
        }
        return try Dataset(featureCount: 3, features: features, labels: labels)
    }
}
