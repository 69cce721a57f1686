/// Which deterministic runtime runs the job, and its parameters (DESIGN section 6).
public enum WorkloadSpec: Sendable, Equatable {
    case mlpTrain(MLPTrainSpec)
    case mlpInfer(MLPInferSpec)
    case exec(ExecSpec)

    public enum Runtime: String, Sendable, Codable, CaseIterable {
        case mlpTrain = "mlp-train"
        case mlpInfer = "mlp-infer"
        case exec
    }

    public var runtime: Runtime {
        switch self {
        case .mlpTrain: .mlpTrain
        case .mlpInfer: .mlpInfer
        case .exec: .exec
        }
    }

    /// Steps between two committed states.
    public var checkpointInterval: Int {
        switch self {
        case .mlpTrain(let spec): spec.checkpointInterval
        case .mlpInfer(let spec): spec.checkpointInterval
        case .exec(let spec): spec.checkpointInterval
        }
    }

    /// Every artifact the job reads, so a client can upload local files and rewrite references.
    public var inputs: [ArtifactReference] {
        switch self {
        case .mlpTrain(let spec): [spec.dataset]
        case .mlpInfer(let spec): [spec.model, spec.inputs]
        case .exec(let spec): [spec.program]
        }
    }

    /// The hashes of the inputs named `sha256:`, the ones a controller's artifact store can hold.
    public var storedInputHashes: [String] {
        inputs.compactMap { reference in
            if case .sha256(let hash) = reference { return hash }
            return nil
        }
    }
}

/// Train a dense MLP with SGD and momentum on a numeric CSV (label in the last column).
public struct MLPTrainSpec: Sendable, Equatable, Codable {
    public enum Activation: String, Sendable, Codable, CaseIterable {
        case relu
        case tanh
    }

    public var dataset: ArtifactReference
    /// The first `trainRows` rows train; the rest are held out for accuracy.
    public var trainRows: Int
    /// Layer widths from input to output, e.g. `[64, 64, 10]`.
    public var layers: [Int]
    public var activation: Activation
    public var steps: Int
    public var batch: Int
    public var learningRate: Float
    public var momentum: Float
    public var seed: UInt64
    public var checkpointInterval: Int
    /// Inputs are divided by this before training (16 for the digits pixels).
    public var inputScale: Float

    public init(
        dataset: ArtifactReference, trainRows: Int, layers: [Int], activation: Activation = .relu, steps: Int,
        batch: Int, learningRate: Float, momentum: Float = 0.9, seed: UInt64, checkpointInterval: Int, inputScale: Float = 1
    ) {
        self.dataset = dataset
        self.trainRows = trainRows
        self.layers = layers
        self.activation = activation
        self.steps = steps
        self.batch = batch
        self.learningRate = learningRate
        self.momentum = momentum
        self.seed = seed
        self.checkpointInterval = checkpointInterval
        self.inputScale = inputScale
    }
}

/// Apply a trained MLP (an `mlp-train` result) to a CSV of inputs, one batch per step.
public struct MLPInferSpec: Sendable, Equatable, Codable {
    public var model: ArtifactReference
    public var inputs: ArtifactReference
    public var batch: Int
    public var checkpointInterval: Int
    public var inputScale: Float

    public init(model: ArtifactReference, inputs: ArtifactReference, batch: Int, checkpointInterval: Int, inputScale: Float = 1) {
        self.model = model
        self.inputs = inputs
        self.batch = batch
        self.checkpointInterval = checkpointInterval
        self.inputScale = inputScale
    }
}

/// An external deterministic program pinned by its SHA-256, speaking the step protocol.
public struct ExecSpec: Sendable, Equatable, Codable {
    public var program: ArtifactReference
    /// The program's SHA-256; a runner refuses a file whose hash differs.
    public var programSHA256: String
    public var steps: Int
    public var checkpointInterval: Int
    /// Longest one `step` call may take before the run is abandoned.
    public var stepTimeoutSeconds: Int64

    public init(program: ArtifactReference, programSHA256: String, steps: Int, checkpointInterval: Int, stepTimeoutSeconds: Int64 = 60) {
        self.program = program
        self.programSHA256 = programSHA256
        self.steps = steps
        self.checkpointInterval = checkpointInterval
        self.stepTimeoutSeconds = stepTimeoutSeconds
    }
}
