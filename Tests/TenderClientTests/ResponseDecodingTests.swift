import Foundation
import Testing
import TenderClient
import TenderCore

@Suite("Response decoding")
struct ResponseDecodingTests {
    static let problemJSON = ["content-type": "application/problem+json"]

    @Test("a problem+json body becomes an API error with its status and field-path problems")
    func validationProblem() throws {
        let body = """
        {"type":"https://tender.dev/problems/invalid-manifest","title":"Invalid manifest","status":422,
         "detail":"the manifest has 2 problems",
         "problems":[{"path":"resources.gpu.units","message":"must be >= 1"},{"path":"pricing.maxPrice","message":"must be more than 0"}]}
        """
        let error = APIResponse(status: 422, headers: Self.problemJSON, body: Data(body.utf8)).error
        let problem = try #require(error.problem)
        #expect(error.status == 422)
        #expect(error.isUserInput)
        #expect(problem.title == "Invalid manifest")
        #expect(problem.problems == [
            ValidationProblem(path: "resources.gpu.units", message: "must be >= 1"),
            ValidationProblem(path: "pricing.maxPrice", message: "must be more than 0"),
        ])
        #expect(error.description.contains("resources.gpu.units: must be >= 1"))
        #expect(error.description.contains("HTTP 422"))
    }

    @Test("bid decline reasons are kept")
    func declineReasons() throws {
        let problem = API.Problem(title: "Bid refused", status: 409, detail: "the bid is not eligible",
                                  reasons: [.init(code: "stake", message: "free stake 1.000000 is below the collateral 5.000000")])
        let error = APIResponse(status: 409, headers: Self.problemJSON, body: try JSONEncoder().encode(problem)).error
        #expect(error == .api(status: 409, problem: problem))
        #expect(!error.isUserInput)
        #expect(error.description.contains("stake: free stake 1.000000 is below the collateral 5.000000"))
    }

    @Test("a problem without the optional members still decodes, keeping the HTTP status")
    func lenientProblem() throws {
        let error = APIResponse(status: 401, headers: Self.problemJSON, body: Data(#"{"title":"Unauthorized"}"#.utf8)).error
        let problem = try #require(error.problem)
        #expect(error.status == 401)
        #expect(problem.status == 401)
        #expect(problem.detail == "")
        #expect(problem.type == "about:blank")
    }

    @Test("an error status without a problem body is an unexpected response")
    func nonProblemError() {
        let error = APIResponse(status: 502, headers: ["content-type": "text/html"], body: Data("<html>bad gateway</html>".utf8)).error
        guard case .unexpectedResponse(502, let reason) = error else {
            Issue.record("expected an unexpected response, got \(error)")
            return
        }
        #expect(reason.contains("Bad Gateway"))
        #expect(APIResponse(status: 500).error == .unexpectedResponse(status: 500, reason: "Internal Server Error"))
    }

    @Test("a success body of the wrong shape is reported, not trapped on")
    func wrongShape() {
        let response = APIResponse(status: 200, headers: ["content-type": "application/json"], body: Data(#"{"status":"ok"}"#.utf8))
        #expect(throws: ClientError.self) { try response.decode(API.Health.self) }
        do {
            _ = try response.decode(API.Health.self)
        } catch {
            guard case .unexpectedResponse(200, let reason) = error else {
                Issue.record("expected an unexpected response, got \(error)")
                return
            }
            #expect(reason.contains("missing"))
        }
    }

    @Test("negative amounts on the wire are refused")
    func negativeAmount() throws {
        let body = Data(#"{"journal":[1],"ledgerHead":"00"}"#.utf8)
        #expect(try APIResponse(status: 200, body: body).decode(API.Receipt.self).journal == [1])
        let bad = Data(#"{"amount":-5}"#.utf8)
        #expect(throws: ClientError.self) { try APIResponse(status: 200, body: bad).decode(API.AmountRequest.self) }
    }

    @Test("random bytes as a body never crash decoding")
    func randomBodies() {
        var generator = SplitMix64(seed: 42)
        let fragments = [#"{"#, #"}"#, #"["#, #"]"#, #"""#, ":", ",", "null", "-1", "1e999", #""title""#, #""problems""#, "\u{0}", "é"]
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 12) {
                text += fragments[Int(generator.next() % UInt64(fragments.count))]
            }
            let status = [200, 201, 400, 404, 409, 422, 500][Int(generator.next() % 7)]
            let response = APIResponse(status: status, body: Data(text.utf8))
            _ = response.error
            _ = try? response.decode(API.OrderView.self)
            _ = try? response.decode(Signed<API.LedgerHead>.self)
        }
    }
}

/// A small seeded generator so random-input tests are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
