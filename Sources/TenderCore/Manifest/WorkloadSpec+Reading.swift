extension WorkloadSpec {
    static func read(_ reader: FieldReader, kind: JobManifest.Kind?) -> WorkloadSpec? {
        defer { reader.rejectUnknownKeys() }
        guard let runtime = reader.choice("runtime", required: true, as: Runtime.self) else { return nil }
        switch (runtime, kind) {
        case (.mlpTrain, .inference?):
            reader.report("runtime", "mlp-train is a training runtime but kind is inference")
        case (.mlpInfer, .training?):
            reader.report("runtime", "mlp-infer is an inference runtime but kind is training")
        default:
            break
        }
        switch runtime {
        case .mlpTrain: return MLPTrainSpec.read(reader).map(WorkloadSpec.mlpTrain)
        case .mlpInfer: return MLPInferSpec.read(reader).map(WorkloadSpec.mlpInfer)
        case .exec: return ExecSpec.read(reader).map(WorkloadSpec.exec)
        }
    }
}

extension FieldReader {
    func artifact(_ key: String, required: Bool = false) -> ArtifactReference? {
        guard let text = string(key, required: required) else { return nil }
        switch ArtifactReference.parse(text) {
        case .success(let reference): return reference
        case .failure(let problem):
            report(key, problem.message)
            return nil
        }
    }

    /// A checkpoint interval, which must divide the run into at least one segment.
    func checkpointInterval(steps: Int64?) -> Int? {
        guard let interval = integer("checkpointInterval", required: true, range: 1...1_000_000) else { return nil }
        if let steps, interval > steps {
            report("checkpointInterval", "must be <= steps (\(steps))")
            return nil
        }
        return Int(interval)
    }

    func float(_ key: String, default fallback: Float, range: ClosedRange<Double>) -> Float? {
        guard value(key) != nil else { return fallback }
        return number(key, range: range).map { Float($0) }
    }
}

extension MLPTrainSpec {
    static func read(_ reader: FieldReader) -> MLPTrainSpec? {
        let dataset = reader.artifact("dataset", required: true)
        let trainRows = reader.integer("trainRows", required: true, range: 1...10_000_000)
        var layers: [Int]?
        if let items = reader.list("layers", required: true) {
            var widths: [Int] = []
            for (path, value) in items {
                if case .scalar(let text, _) = value, let width = Int(text), (1...4096).contains(width) {
                    widths.append(width)
                } else {
                    reader.problemLog.report(path, "must be a whole number between 1 and 4096")
                }
            }
            if widths.count == items.count {
                if widths.count < 2 {
                    reader.report("layers", "needs at least an input and an output width")
                } else {
                    layers = widths
                }
            }
        }
        let activation = reader.value("activation") == nil ? .relu : reader.choice("activation", as: Activation.self)
        let steps = reader.integer("steps", required: true, range: 1...100_000_000)
        let batch = reader.integer("batch", required: true, range: 1...65_536)
        let learningRate = reader.number("learningRate", required: true, range: 0.000_001...10).map { Float($0) }
        let momentum = reader.float("momentum", default: 0.9, range: 0...0.999)
        let seed = reader.unsigned("seed", required: true)
        let interval = reader.checkpointInterval(steps: steps)
        let inputScale = reader.float("inputScale", default: 1, range: 0.000_001...1_000_000)
        guard let dataset, let trainRows, let layers, let activation, let steps, let batch, let learningRate,
              let momentum, let seed, let interval, let inputScale else { return nil }
        return MLPTrainSpec(
            dataset: dataset, trainRows: Int(trainRows), layers: layers, activation: activation, steps: Int(steps),
            batch: Int(batch), learningRate: learningRate, momentum: momentum, seed: seed,
            checkpointInterval: interval, inputScale: inputScale
        )
    }
}

extension MLPInferSpec {
    static func read(_ reader: FieldReader) -> MLPInferSpec? {
        let model = reader.artifact("model", required: true)
        let inputs = reader.artifact("inputs", required: true)
        let batch = reader.integer("batch", required: true, range: 1...65_536)
        let interval = reader.checkpointInterval(steps: nil)
        let inputScale = reader.float("inputScale", default: 1, range: 0.000_001...1_000_000)
        guard let model, let inputs, let batch, let interval, let inputScale else { return nil }
        return MLPInferSpec(model: model, inputs: inputs, batch: Int(batch), checkpointInterval: interval, inputScale: inputScale)
    }
}

extension ExecSpec {
    static func read(_ reader: FieldReader) -> ExecSpec? {
        let program = reader.artifact("program", required: true)
        var pin = reader.string("sha256")?.lowercased()
        if let given = pin, !Hashing.isSHA256Hex(given) {
            reader.report("sha256", "must be 64 hex digits")
            pin = nil
        }
        switch program {
        case .sha256(let hex)?:
            if let given = pin, given != hex {
                reader.report("sha256", "does not match the program's sha256 reference")
                pin = nil
            } else {
                pin = hex
            }
        case .local?:
            if pin == nil && reader.value("sha256") == nil {
                reader.report("sha256", "is required for a local program, so every verifier runs the same bytes")
            }
        case nil:
            break
        }
        let steps = reader.integer("steps", required: true, range: 1...100_000_000)
        let interval = reader.checkpointInterval(steps: steps)
        let timeout = reader.value("stepTimeout") == nil ? 60 : reader.duration("stepTimeout", range: 1...86_400)
        guard let program, let pin, let steps, let interval, let timeout else { return nil }
        return ExecSpec(program: program, programSHA256: pin, steps: Int(steps), checkpointInterval: interval, stepTimeoutSeconds: timeout)
    }
}
