import Testing
@testable import TenderCore

/// The tables a market command writes in place (performance issue: a write copied the market).
@Suite("Undoable tables")
struct UndoableDictionaryTests {
    /// Random writes in nested savepoints; rolling back to any savepoint gives exactly the contents
    /// it had, however the keys were written (set, replaced, removed, written twice).
    @Test("rolling back to a savepoint restores exactly what the table held there")
    func rollbackRestoresContents() {
        var random = SplitMix(seed: 0x7E4D_E2)
        for _ in 0..<200 {
            var table = UndoableDictionary<Int, [Int]>(Dictionary(uniqueKeysWithValues: (0..<5).map { ($0, [$0]) }))
            var set = UndoableSet<Int>(Set(0..<3))
            table.startRecording()
            set.startRecording()
            var savepoints: [(table: Int, set: Int, contents: [Int: [Int]], members: Set<Int>)] = []
            for _ in 0..<Int.random(in: 1...30, using: &random) {
                if Int.random(in: 0..<4, using: &random) == 0 {
                    savepoints.append((table.mark, set.mark, table.dictionary, set.elements))
                }
                let key = Int.random(in: 0..<8, using: &random)
                switch Int.random(in: 0..<5, using: &random) {
                case 0: table[key] = [Int.random(in: 0..<100, using: &random)]
                case 1: table[key] = nil
                case 2: table[key, default: []].append(key)
                case 3: table.append(Int.random(in: 0..<100, using: &random), at: key)
                default:
                    if Bool.random(using: &random) { set.insert(key) } else { set.remove(key) }
                }
            }
            while let savepoint = savepoints.popLast() {
                table.undo(to: savepoint.table)
                set.undo(to: savepoint.set)
                #expect(table.dictionary == savepoint.contents)
                #expect(set.elements == savepoint.members)
            }
            table.undo(to: 0)
            #expect(table.dictionary == Dictionary(uniqueKeysWithValues: (0..<5).map { ($0, [$0]) }))
        }
    }

    @Test("writes are kept for good once recording stops, and are not logged without it")
    func stopRecordingKeepsWrites() {
        var table = UndoableDictionary<String, Int>()
        table["a"] = 1
        table.startRecording()
        table["b"] = 2
        #expect(table.mark == 1)
        table.stopRecording()
        #expect(table.mark == 0)
        table["c"] = 3
        #expect(table.mark == 0)
        table.undo(to: 0)
        #expect(table.dictionary == ["a": 1, "b": 2, "c": 3])
    }
}
