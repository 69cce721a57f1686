import Foundation
import Testing
import TenderWorkloads

@Suite("Numeric CSV loading")
struct NumericCSVTests {
    @Test("reads features and the label in the last column, skipping blank lines and CR")
    func parsesRows() throws {
        let data = try NumericCSV.parse("a,b,label\r\n1,2.5,0\r\n\n-3,4e2,7\n")
        #expect(data.featureCount == 2)
        #expect(data.rowCount == 2)
        #expect(data.features == [1, 2.5, -3, 400])
        #expect(data.labels == [0, 7])
        #expect(data.classCount == 8)
    }

    @Test("unlabelled and inferred label columns")
    func labelModes() throws {
        let text = "a,b\n1,2\n3,4\n"
        let plain = try NumericCSV.parse(text, labels: .none)
        #expect(plain.labels == nil && plain.featureCount == 2)
        #expect(try NumericCSV.parse(text, labels: .infer(featureCount: 2)).labels == nil)
        let labelled = try NumericCSV.parse(text, labels: .infer(featureCount: 1))
        #expect(labelled.labels == [2, 4])
        #expect(throws: WorkloadError.csv(line: 1, message: "2 columns; expected 4 features, optionally followed by a label")) {
            try NumericCSV.parse(text, labels: .infer(featureCount: 4))
        }
    }

    @Test(
        "bad rows are reported with their line number",
        arguments: [
            ("a,b,label\n1,2,0\n1,2\n", 3, "2 columns, header has 3"),
            ("a,b,label\n1,x,0\n", 2, "column 2 (b): 'x' is not a finite number"),
            ("a,b,label\n1,2,0\n\n1,nan,1\n", 4, "column 2 (b): 'nan' is not a finite number"),
            ("a,b,label\n1,2,-1\n", 2, "label '-1' is not a non-negative integer"),
            ("a,b,label\n1,2,1.5\n", 2, "label '1.5' is not a non-negative integer"),
            ("a,b,label\n", 2, "no data rows"),
            ("", 1, "no header row"),
            ("label\n1\n", 1, "needs at least one feature column, found 1 columns"),
        ]
    )
    func badRows(text: String, line: Int, message: String) {
        #expect(throws: WorkloadError.csv(line: line, message: message)) { try NumericCSV.parse(text) }
    }

    @Test("a missing file is an io error")
    func missingFile() {
        #expect(throws: WorkloadError.self) {
            try NumericCSV.load(contentsOf: URL(fileURLWithPath: "/nonexistent/tender/data.csv"))
        }
    }

    @Test("the shipped digits data has 1,797 rows of 64 pixels and ten classes")
    func digitsShape() throws {
        let digits = try Fixtures.digits.get()
        #expect(digits.rowCount == 1797)
        #expect(digits.featureCount == 64)
        #expect(digits.classCount == 10)
        #expect(digits.features.allSatisfy { $0 >= 0 && $0 <= 16 })
    }

    @Test("a dataset's digest changes with any value")
    func digest() throws {
        let a = try Dataset(featureCount: 2, features: [1, 2, 3, 4], labels: [0, 1])
        let b = try Dataset(featureCount: 2, features: [1, 2, 3, 4.0001], labels: [0, 1])
        let c = try Dataset(featureCount: 2, features: [1, 2, 3, 4], labels: [1, 1])
        #expect(a.digest != b.digest && a.digest != c.digest && a.digest.count == 32)
        #expect(throws: WorkloadError.self) { try Dataset(featureCount: 3, features: [1, 2, 3, 4], labels: nil) }
    }
}
