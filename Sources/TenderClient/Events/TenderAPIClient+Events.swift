import Foundation
import Synchronization
import TenderCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension TenderAPIClient {
    /// Follows `GET /v1/events` from `after` (nil: from now, starting with a `reset`): the market's
    /// events as they are committed, until the connection ends or the task is cancelled.
    ///
    /// The stream finishes (without error) when the controller ends it, and throws a `ClientError`
    /// when it cannot be reached, answers with an error, or sends something that is not an event;
    /// resume by calling again with the last id received.
    public func events(after: UInt64? = nil) -> AsyncThrowingStream<API.MarketEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<API.MarketEvent, any Error>.makeStream()
        let request: URLRequest
        do {
            var built = try urlRequest(for: .get("/v1/events", query: [("after", after.map(String.init))]))
            built.setValue("text/event-stream", forHTTPHeaderField: "Accept")
            // The controller writes at least every 15 s; 45 s of silence is a dead connection.
            built.timeoutInterval = 45
            request = built
        } catch {
            continuation.finish(throwing: error)
            return stream
        }
        #if os(Linux)
        if request.url?.scheme == "http", let url = request.url {
            let socket = EventStreamSocket(continuation: continuation, controller: baseURL.absoluteString)
            continuation.onTermination = { _ in socket.stop() }
            socket.start(url)
            return stream
        }
        #endif
        let reader = EventStreamReader(continuation: continuation, controller: baseURL.absoluteString)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.timeoutIntervalForRequest = 45
        let session = URLSession(configuration: configuration, delegate: reader, delegateQueue: nil)
        let task = session.dataTask(with: request)
        // The task is never cancelled: on Linux, FoundationNetworking can deadlock every session
        // of the process when a task is cancelled while the session is busy with it, and a stream
        // is always busy. A follower that stops listening leaves the connection to be closed by
        // its process's exit or the controller's shutdown; the reader drops what still arrives.
        continuation.onTermination = { _ in reader.stop() }
        task.resume()
        return stream
    }
}

/// Feeds a streaming response's bytes to the parser and the parsed events to a stream.
final class EventStreamReader: NSObject, URLSessionDataDelegate, Sendable {
    private let continuation: AsyncThrowingStream<API.MarketEvent, any Error>.Continuation
    private let controller: String
    private let parser = Mutex(ServerSentEventParser())
    /// The status and body of a response that is not a stream, for its error.
    private let refusal = Mutex<(status: Int, body: Data)?>(nil)
    /// The follower went away: end the connection at the next callback.
    private let stopped = Atomic(false)

    init(continuation: AsyncThrowingStream<API.MarketEvent, any Error>.Continuation, controller: String) {
        self.continuation = continuation
        self.controller = controller
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        if stopped.load(ordering: .relaxed) {
            completionHandler(.allow)
            return
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if status != 200 { refusal.withLock { $0 = (status, Data()) } }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        if stopped.load(ordering: .relaxed) { return }
        let refused = refusal.withLock { state -> Bool in
            guard state != nil else { return false }
            if state!.body.count < 64 << 10 { state!.body.append(data) }
            return true
        }
        guard !refused else { return }
        do {
            let events = try parser.withLock { parser throws(ServerSentEventParser.Failure) in try parser.feed(data) }
            for event in events {
                // A kind this client does not know (a newer controller) is passed over, not fatal:
                // the same kept event would be sent again on every reconnect.
                guard let decoded = try? JSONDecoder().decode(API.MarketEvent.self, from: Data(event.data.utf8)) else { continue }
                continuation.yield(decoded)
            }
        } catch {
            stop()
            continuation.finish(throwing: ClientError.unexpectedResponse(status: 200, reason: "the event stream sent something that is not a market event: \(error)"))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if let (status, body) = refusal.withLock({ $0 }) {
            continuation.finish(throwing: APIResponse(status: status, body: body).error)
        } else if let error {
            continuation.finish(throwing: ClientError.unreachable(controller: controller, reason: error.localizedDescription))
        } else {
            continuation.finish()
        }
        // Not from inside the session's own callback.
        DispatchQueue.global().async { session.finishTasksAndInvalidate() }
    }
}
