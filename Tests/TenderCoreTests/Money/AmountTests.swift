import Testing
@testable import TenderCore

@Suite("Amount")
struct AmountTests {
    @Test("parses credits with up to six decimals", arguments: [
        ("12.345678", Int64(12_345_678)), ("0", 0), ("1", 1_000_000), ("0.5", 500_000), ("0.000001", 1),
        ("1_000.25", 1_000_250_000), (" 7.1 ", 7_100_000),
    ])
    func parses(text: String, micros: Int64) throws {
        #expect(try Amount.parse(text).micros == micros)
    }

    @Test("refuses malformed, negative, over-precise and overflowing text", arguments: [
        "", "-1", "1.2345678", "abc", "1.", ".5", "1e6", "9223372036854775807", "1.2.3",
    ])
    func refuses(text: String) {
        #expect(throws: AmountError.self) { try Amount.parse(text) }
    }

    @Test("prints exactly six decimals and round-trips")
    func prints() throws {
        #expect(try Amount(micros: 12_345_678).description == "12.345678")
        #expect(try Amount(micros: 1).description == "0.000001")
        #expect(Amount.zero.description == "0.000000")
        for micros: Int64 in [0, 1, 999_999, 1_000_000, 123_456_789_012, .max] {
            let amount = try Amount(micros: micros)
            #expect(try Amount.parse(amount.description) == amount)
        }
    }

    @Test("arithmetic reports overflow and negatives instead of trapping")
    func checkedArithmetic() throws {
        let max = try Amount(micros: .max)
        #expect(throws: AmountError.overflow) { try max.adding(Amount(micros: 1)) }
        #expect(throws: AmountError.negative) { try Amount(micros: 1).subtracting(Amount(micros: 2)) }
        #expect(throws: AmountError.negative) { try Amount(micros: -1) }
        #expect(try max.scaled(by: 1, over: 2).micros == Int64.max / 2)
        #expect(throws: AmountError.overflow) { try max.scaled(by: 3, over: 2) }
        #expect(try Amount(micros: 1_000_003).basisPoints(4_000).micros == 400_001)
    }
}
