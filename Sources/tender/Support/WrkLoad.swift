import Foundation
import TenderCore
import TenderWorkloads

/// `wrk`, the HTTP load generator, run in its own process against a controller: the bench's
/// client then costs the controller nothing but the two cores it shares with it, and a signed
/// write is signed before the clock starts, as a real client's would be.
struct WrkLoad {
    let executable: String
    let base: String

    /// wrk on `PATH`, or nil (Debian: `apt-get install wrk`).
    static func find(base: String) -> WrkLoad? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = (path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"])
            .map { "\($0)/wrk" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        return found.map { WrkLoad(executable: $0, base: base) }
    }

    /// What one wrk run measured.
    struct Result {
        var requests: Int
        var failures: Int
        var seconds: Double
        var p50Milliseconds: Double?
        var p99Milliseconds: Double?

        /// Successful requests per second.
        var rate: Double { Double(requests - failures) / max(seconds, 1e-9) }
    }

    /// Unsigned `GET path` on `connections` connections for `seconds`.
    func get(_ path: String, connections: Int, seconds: Int) -> Result? {
        run(script: nil, path: path, connections: connections, seconds: seconds)
    }

    /// Pre-signed transfers of one micro-credit to `sink` on `connections` connections,
    /// round-robin over `keys` (whose nonces start at `firstNonce`), enough for `seconds` at
    /// `ceiling` writes per second.
    func transfers(keys: [KeyPair], to sink: AccountID, firstNonce: UInt64, connections: Int, seconds: Int, ceiling: Int) throws -> Result? {
        let host = URL(string: base).map { "\($0.host ?? "127.0.0.1"):\($0.port ?? 80)" } ?? "127.0.0.1"
        let body = try CanonicalJSON.encode(API.TransferRequest(to: sink, amount: Amount(micros: 1)))
        let bodyText = String(decoding: body, as: UTF8.self)
        let count = max(keys.count, ceiling * seconds)
        var lua = "local r = {\n"
        lua.reserveCapacity(count * 400)
        for index in 0..<count {
            let key = keys[index % keys.count]
            let nonce = firstNonce + UInt64(index / keys.count)
            let signature = try RequestSignature.sign(method: "POST", pathWithQuery: "/v1/transfers", nonce: nonce, body: body, with: key)
            var request = "POST /v1/transfers HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\n"
            for header in signature.headers { request += "\(header.name): \(header.value)\r\n" }
            request += "Content-Length: \(body.count)\r\n\r\n\(bodyText)"
            lua += "\"" + Self.luaEscaped(request) + "\",\n"
        }
        // Past the last pre-signed request a connection stops rather than send a stale nonce.
        lua += """
            }
            local n = 0
            request = function()
              n = n + 1
              if n > #r then wrk.thread:stop() return r[#r] end
              return r[n]
            end

            """
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("tender-bench-\(UUID().uuidString).lua")
        try Data(lua.utf8).write(to: script)
        defer { try? FileManager.default.removeItem(at: script) }
        return run(script: script, path: "/v1/transfers", connections: connections, seconds: seconds)
    }

    private func run(script: URL?, path: String, connections: Int, seconds: Int) -> Result? {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tender-wrk-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: output) }
        guard FileManager.default.createFile(atPath: output.path, contents: nil), let handle = try? FileHandle(forWritingTo: output) else { return nil }
        defer { try? handle.close() }
        var arguments = ["-t", "1", "-c", String(connections), "-d", "\(seconds)s", "--latency", "--timeout", "10s"]
        if let script { arguments += ["-s", script.path] }
        arguments.append(base + path)
        guard let child = try? ChildProcess(executable: executable, arguments: arguments, environment: nil, directory: nil, standardOutput: handle.fileDescriptor),
              child.wait(timeout: .seconds(seconds + 30)) == .exited(0),
              let text = try? String(contentsOf: output, encoding: .utf8) else { return nil }
        return Self.parse(text)
    }

    /// Reads wrk's report: "N requests in Xs", "Non-2xx or 3xx responses: K", and with
    /// `--latency` the "50%" and "99%" lines.
    static func parse(_ text: String) -> Result? {
        var requests: Int?, seconds: Double?, failures = 0, p50: Double?, p99: Double?
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(separator: " ").map(String.init)
            if words.count >= 4, words[1] == "requests", words[2] == "in" {
                requests = Int(words[0])
                seconds = duration(String(words[3].trimmingCharacters(in: CharacterSet(charactersIn: ","))))
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let last = words.last {
                failures = Int(last) ?? 0
            } else if words.count == 2, words[0] == "50%" {
                p50 = duration(words[1]).map { $0 * 1_000 }
            } else if words.count == 2, words[0] == "99%" {
                p99 = duration(words[1]).map { $0 * 1_000 }
            }
        }
        guard let requests, let seconds else { return nil }
        return Result(requests: requests, failures: failures, seconds: seconds, p50Milliseconds: p50, p99Milliseconds: p99)
    }

    /// "12.34ms", "850.00us", "1.02s", "2m" in seconds.
    static func duration(_ text: String) -> Double? {
        for (suffix, scale) in [("us", 1e-6), ("ms", 1e-3), ("s", 1.0), ("m", 60.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return nil
    }

    static func luaEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\r\n": escaped += "\\r\\n"
            case "\r": escaped += "\\r"
            case "\n": escaped += "\\n"
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
