import Foundation
import TenderCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Which redirects a session follows by itself: only plain unsigned reads.
///
/// A controller that follows a shared database answers writes and signed requests with a 307 to
/// the leader. Foundation may re-send such a request without its body or its signature headers,
/// so `TenderAPIClient` takes those redirects itself and sends the same signed bytes, body and
/// headers to the leader (the signature covers neither host nor port).
final class RedirectPolicy: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(Self.followsItself(task.originalRequest) ? request : nil)
    }

    /// True for a GET or HEAD without a signature.
    static func followsItself(_ request: URLRequest?) -> Bool {
        guard let request, ["GET", "HEAD"].contains(request.httpMethod ?? "GET") else { return false }
        return request.value(forHTTPHeaderField: RequestSignature.signatureHeader) == nil
    }
}
