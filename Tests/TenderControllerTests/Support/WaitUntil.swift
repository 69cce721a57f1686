/// Polls `condition` every 2 ms until it holds; throws if it never does within a minute (a hang,
/// not a slow machine).
func waitUntil(_ what: String, _ condition: () async -> Bool) async throws {
    for _ in 0..<30_000 {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(2))
    }
    throw HarnessFailure("gave up waiting until \(what)")
}
