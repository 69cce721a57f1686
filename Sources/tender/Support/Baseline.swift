import Foundation

/// Reference figures measured by other programs on this machine, in the same run as ours.
enum Baseline {
    /// numpy's `size`x`size` float32 matmul on one thread, in GFLOP/s, best of five rounds of
    /// `repetitions` products; nil if python3 or numpy is missing.
    static func numpyMatmulGFLOPS(size: Int, repetitions: Int = 20) -> Double? {
        let script = """
        import time, numpy as np
        n = \(size)
        a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
        best = 1e9
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(\(repetitions)): a @ b
            best = min(best, time.perf_counter() - t)
        print(2 * n**3 * \(repetitions) / best / 1e9)
        """
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment["OMP_NUM_THREADS"] = "1"
        environment["MKL_NUM_THREADS"] = "1"
        return run("/usr/bin/env", ["python3", "-c", script], environment: environment).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// `openssl speed -evp sha256` at 16 KiB blocks, in MB/s (10^6 bytes); nil if openssl is missing.
    static func opensslSHA256MBps() -> Double? {
        // openssl times itself with SIGALRM, and threads of a Swift process block signals that a
        // child inherits; a small python shim unblocks them before starting openssl.
        let shim = """
        import signal, subprocess, sys
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        r = subprocess.run(["openssl", "speed", "-evp", "sha256", "-bytes", "16384", "-seconds", "2"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        sys.stdout.write(r.stdout.decode()); sys.exit(r.returncode)
        """
        guard let output = run("/usr/bin/env", ["python3", "-c", shim], environment: ProcessInfo.processInfo.environment) else { return nil }
        // The last line reads like "SHA256   1263000.50k": thousands of bytes per second.
        guard let line = output.split(separator: "\n").last(where: { $0.lowercased().hasPrefix("sha256") }),
              let field = line.split(separator: " ").last, field.hasSuffix("k"), let kilobytes = Double(field.dropLast()) else { return nil }
        return kilobytes / 1_000
    }

    private static func run(_ executable: String, _ arguments: [String], environment: [String: String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
