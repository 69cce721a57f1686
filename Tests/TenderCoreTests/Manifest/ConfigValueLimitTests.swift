import Testing
@testable import TenderCore

@Suite("Document size limits")
struct ConfigValueLimitTests {
    /// Ten anchors, each a list of ten aliases of the one before: ten billion values once expanded.
    static let billionLaughs: String = {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            lines.append("a\(level): &a\(level) [" + Array(repeating: previous, count: 10).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n")
    }()

    @Test("a document whose aliases expand exponentially is refused, not expanded")
    func aliasExpansionIsBounded() {
        #expect(throws: ValidationFailure.self) { try ConfigValue.parse(Self.billionLaughs) }
        #expect(throws: ValidationFailure.self) { try JobManifest.parse(Self.billionLaughs) }
        #expect(throws: ValidationFailure.self) { try ProviderProfile.parse(Self.billionLaughs) }
    }

    @Test("aliases within the limit still expand")
    func smallAliasesExpand() throws {
        let value = try ConfigValue.parse("base: &b [1, 2]\ncopy: *b")
        guard case .mapping(let entries) = value else { Issue.record("expected a mapping"); return }
        #expect(entries.map(\.value) == [.sequence([.scalar("1", quoted: false), .scalar("2", quoted: false)])] + [.sequence([.scalar("1", quoted: false), .scalar("2", quoted: false)])])
    }

    @Test("nesting past the YAML parser's depth limit is a validation failure, not a crash")
    func deepNestingIsRefused() {
        let depth = 20_000
        #expect(throws: ValidationFailure.self) { try ConfigValue.parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) }
        #expect(throws: ValidationFailure.self) { try ConfigValue.parse(String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth)) }
    }
}
