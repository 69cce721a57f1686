/// A set that can take back its recent inserts and removals; see `UndoableDictionary`.
public struct UndoableSet<Element: Hashable & Sendable>: Sendable {
    public private(set) var elements: Set<Element>
    /// Each recorded change's element and whether it was a member before.
    private var log: [(element: Element, wasMember: Bool)] = []
    private var recording = false

    public init(_ elements: Set<Element> = []) {
        self.elements = elements
    }

    public func contains(_ element: Element) -> Bool { elements.contains(element) }
    public var count: Int { elements.count }
    public var isEmpty: Bool { elements.isEmpty }

    public mutating func insert(_ element: Element) {
        let inserted = elements.insert(element).inserted
        if recording, inserted { log.append((element, false)) }
    }

    public mutating func remove(_ element: Element) {
        let removed = elements.remove(element) != nil
        if recording, removed { log.append((element, true)) }
    }

    // MARK: - Undo

    var mark: Int { log.count }

    mutating func startRecording() {
        recording = true
        log.removeAll(keepingCapacity: true)
    }

    mutating func stopRecording() {
        recording = false
        log.removeAll(keepingCapacity: true)
    }

    mutating func undo(to mark: Int) {
        while log.count > mark {
            let change = log.removeLast()
            if change.wasMember { elements.insert(change.element) } else { elements.remove(change.element) }
        }
    }
}

extension UndoableSet: Sequence {
    public func makeIterator() -> Set<Element>.Iterator { elements.makeIterator() }
    public var underestimatedCount: Int { elements.count }
}

extension UndoableSet: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.elements == rhs.elements }
}
