import Foundation
import Testing
import TenderClient
import TenderCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Unreachable controller")
struct UnreachableTests {
    @Test("a refused connection is the unreachable error, with how to start a controller")
    func refused() async throws {
        // Nothing listens on port 1 of the loopback address.
        let client = try TenderAPIClient(controller: "http://127.0.0.1:1", key: KeyPair(), timeout: 5)
        await #expect(throws: ClientError.self) { try await client.health() }
        let amount = try Amount.credits(1)
        do {
            _ = try await client.faucet(amount)
            Issue.record("a call to a closed port returned")
        } catch {
            guard case .unreachable(let controller, let reason) = error else {
                Issue.record("expected unreachable, got \(error)")
                return
            }
            #expect(controller == "http://127.0.0.1:1")
            #expect(reason == "connection refused")
            #expect(error.description.hasPrefix("cannot reach the controller at http://127.0.0.1:1"))
            #expect(error.description.contains("tender-controller serve --dev"))
            #expect(error.status == nil)
        }
    }

    @Test("a controller that accepts the connection but never answers times out as unreachable")
    func silent() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let client = try TenderAPIClient(controller: "http://127.0.0.1:\(listener.port)", timeout: 1)
        do {
            _ = try await client.health()
            Issue.record("a silent server answered")
        } catch {
            #expect(error == .unreachable(controller: "http://127.0.0.1:\(listener.port)", reason: "no answer within 1s"))
        }
    }
}

/// A loopback socket that listens and never accepts: the kernel completes the handshake, then nothing.
struct SilentListener {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        #if os(Linux)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        try #require(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        try #require(listen(descriptor, 8) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        try #require(named == 0)
        self.descriptor = descriptor
        self.port = UInt16(bigEndian: address.sin_port)
    }

    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }
}
