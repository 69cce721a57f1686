/// Why no sandbox can run here, in words for an operator.
public struct SandboxUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
