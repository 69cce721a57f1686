#if os(Linux)
import Foundation
import Glibc
import Synchronization
import TenderCore

/// Reads the event stream of a plain-HTTP controller on a socket of its own, in a thread of its
/// own, with blocking reads.
///
/// FoundationNetworking on Linux keeps a long-lived response's socket registered for writing as
/// well as reading, and since a socket can always be written, its event loop wakes without pause:
/// each follower of the stream burned half a core doing nothing. A blocking read waits in the
/// kernel instead. HTTPS controllers still go through URLSession.
///
/// `@unchecked Sendable`: the descriptor is behind a `Mutex`, the rest is constant or atomic.
final class EventStreamSocket: @unchecked Sendable {
    private let continuation: AsyncThrowingStream<API.MarketEvent, any Error>.Continuation
    private let controller: String
    private let descriptor = Mutex<Int32?>(nil)
    private let stopped = Atomic(false)
    /// Silence longer than this is a dead connection: the controller writes at least every 15 s.
    private let idleSeconds: Int

    init(continuation: AsyncThrowingStream<API.MarketEvent, any Error>.Continuation, controller: String, idleSeconds: Int = 45) {
        self.continuation = continuation
        self.controller = controller
        self.idleSeconds = idleSeconds
    }

    /// Starts reading `url` (http only) on a new thread.
    func start(_ url: URL) {
        let thread = Thread { [self] in
            do {
                // A follower sends the stream to its leader: each redirect is a new connection,
                // the old one closed first.
                var next: URL? = url
                var redirects = 0
                while let target = next {
                    next = try follow(target)
                    redirects += 1
                    if next != nil, redirects > 3 { throw ClientError.unexpectedResponse(status: 307, reason: "more than 3 redirects for the event stream") }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: stopped.load(ordering: .relaxed) ? nil : error)
            }
        }
        thread.name = "tender-event-stream"
        thread.start()
    }

    /// Ends the connection: a blocked read returns at once.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        descriptor.withLock { fd in
            if let fd { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    // MARK: - The connection

    private func unreachable(_ reason: String) -> ClientError {
        .unreachable(controller: controller, reason: reason)
    }

    /// Reads one response: the stream until it ends, or the redirect's target.
    private func follow(_ url: URL) throws -> URL? {
        guard let host = url.host, !host.isEmpty else { throw ClientError.badControllerURL(url.absoluteString) }
        let port = url.port ?? 80
        let fd = try connect(host: host, port: port)
        defer {
            descriptor.withLock { $0 = nil }
            close(fd)
        }
        // A stop() that came while connecting found no socket to shut down.
        if stopped.load(ordering: .relaxed) { return nil }
        let components = URLComponents(url: url, resolvingAgainstBaseURL: true)
        var target = components?.percentEncodedPath ?? "/"
        if target.isEmpty { target = "/" }
        if let query = components?.percentEncodedQuery { target += "?" + query }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let hostHeader = url.port.map { "\(bracketed):\($0)" } ?? bracketed
        let request = "GET \(target) HTTP/1.1\r\nHost: \(hostHeader)\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
            + "User-Agent: tender\r\nConnection: close\r\n\r\n"
        try send(fd, Array(request.utf8))

        var buffer: [UInt8] = []
        var headEnd: Int?
        while headEnd == nil {
            guard let bytes = try receive(fd) else { throw unreachable("the connection closed before a response") }
            buffer += bytes
            headEnd = Self.endOfHead(buffer)
            if headEnd == nil, buffer.count > 64 << 10 { throw ClientError.unexpectedResponse(status: 0, reason: "a response head over 64 KiB") }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        var body = Array(buffer[(headEnd! + 4)...])
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw ClientError.unexpectedResponse(status: 0, reason: "not an HTTP response: \(lines[0].prefix(80))")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var chunked = headers["transfer-encoding"]?.lowercased().contains("chunked") == true ? ChunkedDecoder() : nil

        if (300..<400).contains(status), let location = headers["location"], let next = URL(string: location, relativeTo: url)?.absoluteURL {
            guard next.scheme == "http" else { throw ClientError.unexpectedResponse(status: status, reason: "redirected to \(location), which is not plain http") }
            return next
        }

        guard status == 200 else {
            // The error's body, bounded, for its problem+json.
            var payload: [UInt8] = []
            func take(_ bytes: [UInt8]) throws {
                guard var decoder = chunked else {
                    payload += bytes
                    return
                }
                do { payload += try decoder.feed(bytes) } catch {
                    throw ClientError.unexpectedResponse(status: status, reason: "the error's chunked coding is broken: \(error)")
                }
                chunked = decoder
            }
            try take(body)
            let length = headers["content-length"].flatMap(Int.init)
            while payload.count < 64 << 10, length.map({ payload.count < $0 }) ?? true, !(chunked?.isFinished ?? false) {
                guard let bytes = try receive(fd) else { break }
                try take(bytes)
            }
            throw APIResponse(status: status, headers: headers, body: Data(payload)).error
        }

        var parser = ServerSentEventParser()
        while true {
            if !body.isEmpty {
                let payload: [UInt8]
                if var decoder = chunked {
                    do { payload = try decoder.feed(body) } catch {
                        throw ClientError.unexpectedResponse(status: 200, reason: "the event stream's chunked coding is broken: \(error)")
                    }
                    chunked = decoder
                } else {
                    payload = body
                }
                let events: [ServerSentEventParser.Event]
                do { events = try parser.feed(payload) } catch {
                    throw ClientError.unexpectedResponse(status: 200, reason: "the event stream sent something that is not a market event: \(error)")
                }
                for event in events {
                    // A kind this client does not know (a newer controller) is passed over, not fatal.
                    guard let decoded = try? JSONDecoder().decode(API.MarketEvent.self, from: Data(event.data.utf8)) else { continue }
                    continuation.yield(decoded)
                }
                if chunked?.isFinished == true { return nil }
            }
            guard !stopped.load(ordering: .relaxed), let bytes = try receive(fd) else { return nil }
            body = bytes
        }
    }

    private static func endOfHead(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }

    private func connect(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else { throw unreachable("host not found") }
        defer { freeaddrinfo(first) }
        var lastError = "connection refused"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            // Connecting and sending give up after 10 s; reads after the idle limit.
            var sendLimit = timeval(tv_sec: 10, tv_usec: 0)
            var readLimit = timeval(tv_sec: idleSeconds, tv_usec: 0)
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendLimit, socklen_t(MemoryLayout<timeval>.size))
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &readLimit, socklen_t(MemoryLayout<timeval>.size))
            descriptor.withLock { $0 = fd }
            if stopped.load(ordering: .relaxed) {
                descriptor.withLock { $0 = nil }
                close(fd)
                throw unreachable("stopped")
            }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            lastError = errno == ECONNREFUSED ? "connection refused" : String(cString: strerror(errno))
            descriptor.withLock { $0 = nil }
            close(fd)
        }
        throw unreachable(lastError)
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if result < 0 {
                if errno == EINTR { continue }
                throw unreachable(String(cString: strerror(errno)))
            }
            sent += result
        }
    }

    /// The next bytes, or nil at the end of the stream.
    private func receive(_ fd: Int32) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return Array(buffer[..<count]) }
            if count == 0 { return nil }
            if errno == EINTR { continue }
            if stopped.load(ordering: .relaxed) { return nil }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw unreachable("no event or keep-alive for \(idleSeconds) s") }
            throw unreachable(String(cString: strerror(errno)))
        }
    }
}
#endif
