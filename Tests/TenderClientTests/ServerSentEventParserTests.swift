import Foundation
import Testing
import TenderClient

/// The event stream's wire format, read in pieces of any size (performance issue: followers
/// read one stream instead of polling).
@Suite("Server-sent event parsing")
struct ServerSentEventParserTests {
    let stream = "id: 7\nevent: order\ndata: {\"a\":1}\n\n: keep-alive\n\nid: 8\r\nevent: lease\r\ndata: x\r\ndata: y\r\n\r\ndata: no id\n\nevent: empty\n\n"

    @Test("events, comments and line endings, fed whole or a byte at a time, give the same events")
    func anySplitGivesTheSameEvents() throws {
        var whole = ServerSentEventParser()
        let expected = try whole.feed(Array(stream.utf8))
        #expect(expected == [
            .init(id: "7", name: "order", data: #"{"a":1}"#),
            .init(id: "8", name: "lease", data: "x\ny"),
            .init(id: "8", name: "message", data: "no id"),
        ])
        for size in [1, 2, 3, 5, 13] {
            var parser = ServerSentEventParser()
            var events: [ServerSentEventParser.Event] = []
            let bytes = Array(stream.utf8)
            for start in stride(from: 0, to: bytes.count, by: size) {
                events += try parser.feed(bytes[start..<min(start + size, bytes.count)])
            }
            #expect(events == expected, "pieces of \(size) bytes")
        }
    }

    @Test("a line longer than the limit is refused, not buffered without end")
    func longLineIsRefused() {
        var parser = ServerSentEventParser()
        let chunk = [UInt8](repeating: 0x61, count: 1 << 20)
        #expect(throws: ServerSentEventParser.Failure.lineTooLong) {
            for _ in 0...(ServerSentEventParser.maximumLineBytes >> 20) { _ = try parser.feed(chunk) }
        }
    }
}
