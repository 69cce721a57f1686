/// Collects validation problems while a document is read, so reading never stops at the first.
///
/// A reference type on purpose: every `FieldReader` of one document appends to the same log.
/// It lives only for the duration of one synchronous parse and is never shared across tasks.
final class ProblemLog {
    private(set) var problems: [ValidationProblem] = []

    func report(_ path: String, _ message: String) {
        problems.append(ValidationProblem(path: path, message: message))
    }

    /// Throws every collected problem, or returns `value` when there were none.
    func finish<Value>(_ value: Value?) throws(ValidationFailure) -> Value {
        guard problems.isEmpty, let value else {
            throw ValidationFailure(problems.isEmpty ? [ValidationProblem(path: "", message: "document is empty")] : problems)
        }
        return value
    }
}

extension String {
    /// `parent.child`, or `child` at the top level.
    func appendingField(_ key: String) -> String { isEmpty ? key : "\(self).\(key)" }
    func appendingIndex(_ index: Int) -> String { "\(self)[\(index)]" }
}
