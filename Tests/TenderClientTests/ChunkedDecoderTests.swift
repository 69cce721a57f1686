import Testing
import TenderClient

@Suite("chunked transfer coding")
struct ChunkedDecoderTests {
    static let wire = Array("5\r\nhello\r\nB;ext=1\r\n, event str\r\n3\r\neam\r\n0\r\nTrailer: x\r\n\r\n".utf8)

    @Test("decodes whole, and byte by byte the same, and knows where it ends")
    func decodes() throws {
        var whole = ChunkedDecoder()
        #expect(String(decoding: try whole.feed(Self.wire), as: UTF8.self) == "hello, event stream")
        #expect(whole.isFinished)
        var bytewise = ChunkedDecoder()
        var out: [UInt8] = []
        for byte in Self.wire { out += try bytewise.feed([byte]) }
        #expect(String(decoding: out, as: UTF8.self) == "hello, event stream")
        #expect(bytewise.isFinished)
    }

    @Test("a bad size or a chunk without its CRLF is an error, not a guess")
    func refuses() {
        var badSize = ChunkedDecoder()
        #expect(throws: ChunkedDecoder.Failure.self) { try badSize.feed(Array("zz\r\nhello\r\n".utf8)) }
        var noCRLF = ChunkedDecoder()
        #expect(throws: ChunkedDecoder.Failure.missingCRLF) { try noCRLF.feed(Array("2\r\nhiXX".utf8)) }
        var endless = ChunkedDecoder()
        #expect(throws: ChunkedDecoder.Failure.self) { try endless.feed([UInt8](repeating: UInt8(ascii: "1"), count: 2_000)) }
    }
}
