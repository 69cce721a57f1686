import Foundation
import TenderCore

/// One malformed (or occasionally valid) request: what the fuzz tests send.
struct FuzzRequest: Sendable, CustomStringConvertible {
    var method: String
    var path: String
    var headers: [(name: String, value: String)]
    var body: Data

    var description: String {
        let preview = String(decoding: body.prefix(120), as: UTF8.self)
        let headerText = headers.map { "\($0.name): \($0.value.prefix(60))" }.joined(separator: ", ")
        return "\(method) \(path.prefix(200)) [\(headerText)] body(\(body.count) bytes): \(preview)"
    }
}

/// Makes malformed requests from a seed, so a failure reproduces: random bytes, truncated and
/// mutated JSON and YAML, wrong content types, huge and negative numbers, deep nesting, unknown ids,
/// random paths and methods, broken signature headers, non-UTF-8 documents and huge query values.
///
/// Half of the requests carry a correct signature by `signer` over exactly what is sent, so the
/// bodies get past authentication and reach the decoders and the market.
struct RequestFuzzer {
    var generator: SplitMix64
    let signer: KeyPair
    /// Ids that exist, so some requests reach real objects.
    let knownOrder: OrderID
    let knownAccount: AccountID
    /// Strictly increasing nonces for the valid signatures.
    private var nonce: UInt64

    init(seed: UInt64, signer: KeyPair, knownOrder: OrderID, knownAccount: AccountID, firstNonce: UInt64) {
        generator = SplitMix64(seed: seed)
        self.signer = signer
        self.knownOrder = knownOrder
        self.knownAccount = knownAccount
        nonce = firstNonce
    }

    static let templates: [(method: String, path: String, body: BodyKind)] = [
        ("GET", "/v1/health", .none), ("GET", "/v1/accounts/{account}", .none),
        ("POST", "/v1/faucet", .faucet), ("POST", "/v1/transfers", .transfer),
        ("PUT", "/v1/providers/{account}", .profile), ("POST", "/v1/providers/{account}/stake", .amount),
        ("POST", "/v1/providers/{account}/unstake", .amount), ("POST", "/v1/providers/{account}/withdraw", .none),
        ("POST", "/v1/orders", .manifest), ("GET", "/v1/orders", .none), ("GET", "/v1/orders/{id}", .none),
        ("POST", "/v1/orders/{id}/cancel", .none), ("POST", "/v1/orders/{id}/bids", .bid),
        ("GET", "/v1/leases/{id}", .none), ("POST", "/v1/leases/{id}/heartbeat", .heartbeat),
        ("POST", "/v1/leases/{id}/commitment", .commitment), ("GET", "/v1/ledger/journal", .none),
        ("GET", "/v1/ledger/supply", .none), ("GET", "/v1/ledger/head", .none),
        ("PUT", "/v1/artifacts/{sha}", .bytes), ("GET", "/v1/artifacts/{sha}", .none),
        ("GET", "/metrics", .none), ("GET", "/v1/openapi.json", .none),
    ]

    enum BodyKind { case none, faucet, transfer, profile, amount, manifest, bid, heartbeat, commitment, bytes }

    /// The same small documents the route tests use, so both suites mutate one fixture.
    static let manifest = ControllerRouteTests.manifest
    static let profile = ControllerRouteTests.profile

    /// Ten anchors of ten aliases each: ten billion values if a reader expands aliases naively.
    static let billionLaughs: String = {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n")
    }()

    static let hugeNumbers = ["99999999999999999999999999", "-1", "-9223372036854775808", "9223372036854775807", "1e400", "-0",
                              "0", "1.5", "NaN", "\"12\"", "null", "true", "[]", "{}", "18446744073709551616"]

    // MARK: - Requests

    mutating func next() -> FuzzRequest {
        let template = Self.templates[int(Self.templates.count)]
        var method = template.method
        if chance(0.1) { method = pick(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]) }
        var path = chance(0.08) ? randomPath() : fill(template.path)
        if chance(0.15) { path += query() }
        var body = self.body(template.body)
        if chance(0.1) { body = randomBytes(int(3_000)) }
        var headers: [(name: String, value: String)] = []
        switch int(8) {
        case 0: break
        case 1: headers.append(("Content-Type", pick(["text/html", "application/xml", "garbage", "", "application/json; charset=utf-16", "*/*"])))
        case 2: headers.append(("Content-Type", "application/yaml"))
        default: headers.append(("Content-Type", template.body == .manifest || template.body == .profile ? pick(["application/yaml", "application/json", "text/plain"]) : "application/json"))
        }
        if method != "GET" || chance(0.1) { headers += signature(method: method, path: path, body: body) }
        return FuzzRequest(method: method, path: path, headers: headers, body: body)
    }

    private mutating func signature(method: String, path: String, body: Data) -> [(name: String, value: String)] {
        nonce += 1
        let valid = (try? RequestSignature.sign(method: method, pathWithQuery: path, nonce: nonce, body: body, with: signer))?.headers
            .map { (name: $0.name, value: $0.value) } ?? []
        guard chance(0.5) else { return valid }
        var headers = valid
        let index = int(max(headers.count, 1))
        switch int(9) {
        case 0: if !headers.isEmpty { headers.remove(at: index) }
        case 1: if !headers.isEmpty { headers[index].value = "" }
        case 2: if !headers.isEmpty { headers[index].value = String(repeating: pick(["A", "f", "9", "="]), count: 1 + int(20_000)) }
        case 3: if !headers.isEmpty { headers[index].value = pick(Self.hugeNumbers).replacingOccurrences(of: "\"", with: "") }
        case 4: if !headers.isEmpty { headers[index].value = Data(randomBytes(1 + int(100))).base64EncodedString() }
        case 5: headers = headers.map { $0.name == RequestSignature.nonceHeader ? (name: $0.name, value: "1") : $0 }
        case 6: headers = headers.map { $0.name == RequestSignature.accountHeader ? (name: $0.name, value: KeyPair().account.hex) : $0 }
        case 7: headers = headers.map { $0.name == RequestSignature.accountHeader ? (name: $0.name, value: String($0.value.dropLast())) : $0 }
        default: headers += headers
        }
        return headers
    }

    // MARK: - Paths

    private mutating func fill(_ template: String) -> String {
        var path = template
        path = path.replacingOccurrences(of: "{account}", with: pick([knownAccount.hex, signer.account.hex, KeyPair().account.hex,
                                                                       "nope", String(repeating: "f", count: 64 + int(3)), "%00", "-1", garbageSegment()]))
        path = path.replacingOccurrences(of: "{id}", with: pick([knownOrder.description, String(random() % 1_000_000), "0", "-1",
                                                                 "99999999999999999999999", "1e3", "0x10", garbageSegment()]))
        path = path.replacingOccurrences(of: "{sha}", with: pick([Hashing.sha256Hex(Data("x".utf8)), String(repeating: "A", count: 64),
                                                                  "short", String(repeating: "0", count: 65), garbageSegment()]))
        return path
    }

    private mutating func randomPath() -> String {
        pick(["/", "/v1", "/v1/", "/v2/health", "/v1/orders/", "//v1//orders", "/v1/orders/1/2/3", "/v1/../v1/health",
              "/v1/health/", "/v1/" + garbageSegment(), "/" + garbageSegment() + "/" + garbageSegment(), "/metrics/x",
              "/v1/ledger", "/v1/artifacts", "/v1/accounts"])
    }

    private mutating func query() -> String {
        let key = pick(["state", "submitter", "after", "limit", "x", garbageSegment()])
        let value = pick(Self.hugeNumbers.map { $0.replacingOccurrences(of: "\"", with: "") } + [
            "open", "bogus", String(repeating: "9", count: 2_000 + int(20_000)), garbageSegment(), "", "%FF%FE", "a%20b",
        ])
        return "?\(key)=\(value)" + (chance(0.3) ? "&\(key)=\(value)" : "")
    }

    /// A path or query segment of random bytes, percent-encoded so it is a valid request target.
    private mutating func garbageSegment() -> String {
        randomBytes(1 + int(40)).map { String(format: "%%%02X", $0) }.joined()
    }

    // MARK: - Bodies

    private mutating func body(_ kind: BodyKind) -> Data {
        let valid: Data
        switch kind {
        case .none: valid = Data()
        case .faucet: valid = Data(#"{"account":"\#(signer.account.hex)","amount":\#(amountText())}"#.utf8)
        case .transfer: valid = Data(#"{"to":"\#(knownAccount.hex)","amount":\#(amountText())}"#.utf8)
        case .amount: valid = Data(#"{"amount":\#(amountText())}"#.utf8)
        case .bid: valid = Data(#"{"price":\#(amountText())}"#.utf8)
        case .heartbeat: valid = Data(#"{"step":\#(amountText()),"loss":\#(pick(["0.5", "1e999", "-1e999", "null", "\"x\""]))}"#.utf8)
        case .commitment: valid = Data(#"{"value":{"lease":1},"signer":"\#(signer.account.hex)","signature":"AAAA"}"#.utf8)
        case .profile: valid = Data(Self.profile.utf8)
        case .manifest: valid = Data(Self.manifest.utf8)
        case .bytes: valid = randomBytes(int(2_000))
        }
        switch int(12) {
        case 0: return valid.prefix(int(valid.count + 1))
        case 1: return mutate(valid)
        case 2: return nested(depth: 1 + int(5_000))
        case 3: return Data([0xFF, 0xFE, 0xC3, 0x28]) + valid + Data([0xED, 0xA0, 0x80])
        case 4: return randomBytes(int(500))
        case 5: return Data(pick(Self.hugeNumbers).utf8)
        case 6: return Data(#"{"account":\#(pick(Self.hugeNumbers)),"to":\#(pick(Self.hugeNumbers)),"amount":\#(pick(Self.hugeNumbers)),"price":{"a":[1]}}"#.utf8)
        case 7: return Data((String(decoding: valid, as: UTF8.self) + "\nextra: \(pick(Self.hugeNumbers))").utf8)
        case 8: return Data(Self.manifest.replacingOccurrences(of: "10", with: pick(Self.hugeNumbers)).utf8)
        case 9: return Data(Self.billionLaughs.utf8)
        default: return valid
        }
    }

    private mutating func amountText() -> String {
        chance(0.5) ? String(1 + int(1_000_000)) : pick(Self.hugeNumbers)
    }

    private mutating func nested(depth: Int) -> Data {
        switch int(3) {
        case 0: return Data((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
        case 1: return Data((String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)).utf8)
        default: return Data(String(repeating: "[", count: depth).utf8)
        }
    }

    private mutating func mutate(_ data: Data) -> Data {
        guard !data.isEmpty else { return randomBytes(int(10)) }
        var bytes = [UInt8](data)
        for _ in 0..<(1 + int(8)) {
            let index = int(bytes.count)
            switch int(3) {
            case 0: bytes[index] = UInt8(truncatingIfNeeded: random())
            case 1: bytes.insert(pick(Array("{}[]\",:-0123456789e.\\&*!|>".utf8)), at: index)
            default: if bytes.count > 1 { bytes.remove(at: index) }
            }
        }
        return Data(bytes)
    }

    // MARK: - Randomness

    private mutating func random() -> UInt64 { generator.next() }
    private mutating func int(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(random() % UInt64(bound)) }
    private mutating func chance(_ probability: Double) -> Bool { Double(random() % 1_000_000) / 1_000_000 < probability }
    private mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
    private mutating func randomBytes(_ count: Int) -> Data { Data((0..<count).map { _ in UInt8(truncatingIfNeeded: random()) }) }
}
