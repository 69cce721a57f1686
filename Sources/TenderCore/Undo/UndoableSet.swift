/// A set that can take back its recent inserts and removals: the keys of an `UndoableDictionary`,
/// which keeps the log.
public struct UndoableSet<Element: Hashable & Sendable>: Sendable {
    private var members: UndoableDictionary<Element, Bool>

    public init(_ elements: Set<Element> = []) {
        members = UndoableDictionary(Dictionary(uniqueKeysWithValues: elements.map { ($0, true) }))
    }

    /// The members as a `Set`, built on request.
    public var elements: Set<Element> { Set(members.keys) }
    public func contains(_ element: Element) -> Bool { members[element] != nil }
    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    public mutating func insert(_ element: Element) {
        if members[element] == nil { members[element] = true }
    }

    public mutating func remove(_ element: Element) {
        if members[element] != nil { members[element] = nil }
    }

    // MARK: - Undo

    var mark: Int { members.mark }
    mutating func startRecording() { members.startRecording() }
    mutating func stopRecording() { members.stopRecording() }
    mutating func undo(to mark: Int) { members.undo(to: mark) }
}

extension UndoableSet: Sequence {
    public func makeIterator() -> Dictionary<Element, Bool>.Keys.Iterator { members.keys.makeIterator() }
    public var underestimatedCount: Int { members.count }
}

extension UndoableSet: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.members == rhs.members }
}
