/// One optimiser step of `mlp-train`: gather the batch, forward, softmax cross-entropy,
/// backward, momentum update.
extension MLPTrainWorkload {
    /// The training-row indices of step `state.step`, from the per-epoch permutations.
    func batchRows(_ state: inout MLPTrainState) -> [Int] {
        let trainRows = config.trainRows
        let start = state.step * config.batch
        var rows = [Int]()
        rows.reserveCapacity(config.batch)
        for position in start..<start + config.batch {
            let epoch = position / trainRows
            if state.orderCache?.epoch != epoch {
                state.orderCache = (epoch, random.permutation(count: trainRows, epoch: UInt64(epoch)))
            }
            rows.append(Int(state.orderCache!.order[position % trainRows]))
        }
        return rows
    }

    /// Applies one step to `state` and returns the batch's mean loss (before the update).
    func trainStep(_ state: inout MLPTrainState) -> Float {
        let rows = batchRows(&state)
        let layers = config.layers
        let width = layers[0]
        let labels = config.dataset.labels ?? []
        var batchInput = [Float]()
        batchInput.reserveCapacity(rows.count * width)
        var batchLabels = [Int]()
        batchLabels.reserveCapacity(rows.count)
        for row in rows {
            batchInput.append(contentsOf: inputs[row * width..<(row + 1) * width])
            batchLabels.append(labels[row])
        }
        let batch = rows.count
        let activations = state.model.activations(input: batchInput, rows: batch, path: path)
        let output = Kernels.softmaxCrossEntropy(
            logits: activations[layers.count - 1], labels: batchLabels, classes: layers[layers.count - 1]
        )
        var delta = output.gradient
        for l in stride(from: layers.count - 2, through: 0, by: -1) {
            let fanIn = layers[l], fanOut = layers[l + 1]
            let weightGradient = Kernels.matmulTransposedA(activations[l], delta, m: fanIn, k: batch, n: fanOut, path: path)
            let biasGradient = Kernels.columnSums(delta, rows: batch, cols: fanOut)
            if l > 0 {
                // Propagate with the weights as they were before this step's update.
                let transposed = Kernels.transpose(state.model.weights[l], rows: fanIn, cols: fanOut)
                var previous = Kernels.matmul(delta, transposed, m: batch, k: fanOut, n: fanIn, path: path)
                switch config.activation {
                case .relu: Kernels.reluBackward(&previous, activated: activations[l])
                case .tanh: Kernels.tanhBackward(&previous, activated: activations[l])
                }
                delta = previous
            }
            Kernels.momentumUpdate(
                weights: &state.model.weights[l], velocity: &state.velocityWeights[l], gradient: weightGradient,
                learningRate: config.learningRate, momentum: config.momentum
            )
            Kernels.momentumUpdate(
                weights: &state.model.biases[l], velocity: &state.velocityBiases[l], gradient: biasGradient,
                learningRate: config.learningRate, momentum: config.momentum
            )
        }
        state.step += 1
        return output.loss
    }
}
