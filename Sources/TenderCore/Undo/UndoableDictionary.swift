/// A dictionary that can take back its recent writes.
///
/// The market must refuse a command whole, leaving nothing of it behind. Running the command on a
/// copy of the market does that, but a copy shares storage with the original, so the first write
/// to each collection copied all of it: a write cost as much as the market was large. This table
/// is written in place instead, and while recording it logs each key's previous value, so
/// `undo(to:)` can restore exactly what a refused command changed, at the cost of what it touched.
public struct UndoableDictionary<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The current contents.
    public private(set) var dictionary: [Key: Value]
    /// How to take back each recorded write, oldest first.
    private var log: [Undo] = []
    private var recording = false

    public init(_ dictionary: [Key: Value] = [:]) {
        self.dictionary = dictionary
    }

    public subscript(key: Key) -> Value? {
        get { dictionary[key] }
        set {
            if recording { log.append(.restore(key, dictionary[key])) }
            dictionary[key] = newValue
        }
    }

    public subscript(key: Key, default defaultValue: @autoclosure () -> Value) -> Value {
        get { dictionary[key] ?? defaultValue() }
        set { self[key] = newValue }
        _modify {
            if recording { log.append(.restore(key, dictionary[key])) }
            yield &dictionary[key, default: defaultValue()]
        }
    }

    public var keys: Dictionary<Key, Value>.Keys { dictionary.keys }
    public var values: Dictionary<Key, Value>.Values { dictionary.values }
    public var count: Int { dictionary.count }
    public var isEmpty: Bool { dictionary.isEmpty }

    // MARK: - Undo

    /// How many writes have been recorded; pass it to `undo(to:)` to take back everything after.
    var mark: Int { log.count }

    /// Starts logging writes, with an empty log.
    mutating func startRecording() {
        recording = true
        log.removeAll(keepingCapacity: true)
    }

    /// Stops logging and forgets the log: the writes so far are kept for good.
    mutating func stopRecording() {
        recording = false
        log.removeAll(keepingCapacity: true)
    }

    /// Restores every key written since `mark`, newest write first.
    mutating func undo(to mark: Int) {
        while log.count > mark {
            switch log.removeLast() {
            case .restore(let key, let previous): dictionary[key] = previous
            case .run(let undo):
                undo(&dictionary)
            }
        }
    }

    /// One recorded write, as what undoes it.
    private enum Undo: Sendable {
        /// Put back the value the key had (nil: remove the key).
        case restore(Key, Value?)
        /// Undo a write the table cannot restore by value (`append(_:at:)`).
        case run(@Sendable (inout [Key: Value]) -> Void)
    }
}

extension UndoableDictionary where Value: AppendableToEnd {
    /// Appends to the collection at `key` in place, logging only how to remove it again: saving the
    /// whole old collection for undo would keep it alive, and the append would then copy it.
    public mutating func append(_ element: Value.Element, at key: Key) {
        if recording {
            let existed = dictionary[key] != nil
            log.append(.run { dictionary in
                dictionary[key]?.removeLastElement()
                if !existed { dictionary[key] = nil }
            })
        }
        dictionary[key, default: Value()].append(element)
    }
}

/// A collection `UndoableDictionary.append(_:at:)` can grow and shrink at its end.
public protocol AppendableToEnd: RangeReplaceableCollection {
    mutating func removeLastElement()
}

extension Array: AppendableToEnd {
    public mutating func removeLastElement() { removeLast() }
}

extension UndoableDictionary: Sequence {
    public func makeIterator() -> Dictionary<Key, Value>.Iterator { dictionary.makeIterator() }
    public var underestimatedCount: Int { dictionary.count }
}

extension UndoableDictionary: Equatable where Value: Equatable {
    /// Equal contents; what was recorded does not matter.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.dictionary == rhs.dictionary }
}
