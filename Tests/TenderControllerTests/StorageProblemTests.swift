@testable import TenderControllerService
import TenderStore
import Testing

/// A database that fails a read (a server gone, a refused query) is the controller's trouble,
/// not the client's: 503, never a 500.
@Suite("Storage failures as answers")
struct StorageProblemTests {
    @Test("a store error becomes 503 Storage unavailable; a lost lead names the leader")
    func storeErrorsAre503() {
        let read = ProblemResponse.from(StoreError.readFailed(location: "postgres://x@db/t", reason: "terminating connection"))
        #expect(read?.problem.status == 503)
        #expect(read?.problem.title == "Storage unavailable")
        let following = ProblemResponse.from(ControllerError.notLeading("http://leader:8080"))
        #expect(following?.problem.status == 503)
        #expect(following?.problem.detail.contains("http://leader:8080") == true)
    }
}
