/// Loss and accuracy of a model on the training rows and on the held-out rows after them.
///
/// Computed with the same deterministic kernels as training, in fixed chunks, so the numbers in a
/// result are reproducible too. Accuracy is kept as integer counts; the float is for display.
public struct MLPEvaluation: Sendable, Equatable {
    public var trainLoss: Float
    public var trainCorrect: Int
    public var trainCount: Int
    public var heldOutLoss: Float
    public var heldOutCorrect: Int
    public var heldOutCount: Int

    /// Held-out accuracy in [0, 1]; 0 when nothing is held out.
    public var heldOutAccuracy: Double {
        heldOutCount == 0 ? 0 : Double(heldOutCorrect) / Double(heldOutCount)
    }

    public var trainAccuracy: Double {
        trainCount == 0 ? 0 : Double(trainCorrect) / Double(trainCount)
    }

    /// Evaluates `model` on row-major `inputs` (already scaled) with one label per row.
    public init(model: MLPModel, inputs: [Float], labels: [Int], trainRows: Int, path: Kernels.Path = Kernels.preferredPath) {
        let train = Self.score(model: model, inputs: inputs, labels: labels, rows: 0..<trainRows, path: path)
        let heldOut = Self.score(model: model, inputs: inputs, labels: labels, rows: trainRows..<labels.count, path: path)
        trainLoss = train.loss
        trainCorrect = train.correct
        trainCount = trainRows
        heldOutLoss = heldOut.loss
        heldOutCorrect = heldOut.correct
        heldOutCount = labels.count - trainRows
    }

    /// Mean loss and correct count over `rows`, in chunks of 256 rows taken in order.
    static func score(model: MLPModel, inputs: [Float], labels: [Int], rows: Range<Int>, path: Kernels.Path) -> (loss: Float, correct: Int) {
        guard !rows.isEmpty else { return (0, 0) }
        let width = model.inputCount
        var total: Float = 0
        var correct = 0
        var start = rows.lowerBound
        while start < rows.upperBound {
            let end = min(start + 256, rows.upperBound)
            let chunk = Array(inputs[start * width..<end * width])
            let chunkLabels = Array(labels[start..<end])
            let logits = model.logits(input: chunk, rows: end - start, path: path)
            let scored = Kernels.softmaxCrossEntropy(logits: logits, labels: chunkLabels, classes: model.outputCount)
            total = total + scored.loss * Float(end - start)
            correct += zip(scored.predictions, chunkLabels).filter { $0 == $1 }.count
            start = end
        }
        return (total / Float(rows.count), correct)
    }
}
