import Foundation
import TenderCore
import TenderWorkloads

/// A tiny deterministic workload whose states can be forged at will: the state is a step counter
/// and a running value, so a test can build "another start" that still decodes as this job's.
struct TallyWorkload: Workload {
    struct State: Sendable, Equatable {
        var step: Int
        var value: UInt64
    }

    var start: UInt64 = 0
    var totalSteps = 12
    var checkpointInterval = 4
    var runtime: String { "tally" }

    func initialState() throws(WorkloadError) -> State { State(step: 0, value: start) }

    func advance(_ state: inout State, steps count: Int) throws(WorkloadError) -> Float? {
        for _ in 0..<count {
            state.step += 1
            state.value = state.value &* 6_364_136_223_846_793_005 &+ UInt64(state.step)
        }
        return nil
    }

    func encode(_ state: State) throws(WorkloadError) -> Data {
        var data = Data()
        withUnsafeBytes(of: UInt64(state.step).bigEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: state.value.bigEndian) { data.append(contentsOf: $0) }
        return data
    }

    func decode(_ bytes: Data) throws(WorkloadError) -> State {
        guard bytes.count == 16 else { throw .badState("a tally state is 16 bytes") }
        let words = stride(from: 0, to: 16, by: 8).map { offset in
            bytes.dropFirst(offset).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        return State(step: Int(words[0]), value: words[1])
    }

    func stepCount(of state: State) -> Int? { state.step }

    func result(of finalState: State) throws(WorkloadError) -> Data { try encode(finalState) }
}
