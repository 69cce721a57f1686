/// One thing wrong with a manifest or profile, at a field path like `resources.gpu.units`.
public struct ValidationProblem: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// Dotted path with list indices: `resources.storage[1].size`. Empty for the whole document.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Every problem found in a document. Thrown only when the list is non-empty.
public struct ValidationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ValidationProblem]

    public init(_ problems: [ValidationProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
