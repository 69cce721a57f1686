import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Sandbox {
    /// Starts `/usr/bin/true` in the sandbox: bubblewrap can be installed and still be refused
    /// user namespaces by the kernel.
    func probe() -> Result<Void, SandboxUnavailable> {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("tender-sandbox-probe-\(UUID().uuidString)")
        let errors = work.appendingPathComponent("stderr")
        defer { try? FileManager.default.removeItem(at: work) }
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: false)
            if let unprivileged { _ = chown(work.path, unprivileged.uid, unprivileged.gid) }
            FileManager.default.createFile(atPath: errors.path, contents: nil)
            let handle = try FileHandle(forWritingTo: errors)
            defer { try? handle.close() }
            let line = commandLine(program: "/usr/bin/true", arguments: [], work: work.path, cpuSeconds: 5)
            let child = try ChildProcess(
                executable: line[0], arguments: Array(line.dropFirst()), environment: [:], directory: "/",
                standardError: handle.fileDescriptor
            )
            let ending = child.wait(timeout: .seconds(10))
            guard ending == .exited(0) else {
                let message = String(decoding: (try? Data(contentsOf: errors))?.prefix(500) ?? Data(), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                return .failure(SandboxUnavailable("bubblewrap cannot start a sandbox here (\(ending)): \(message)"))
            }
            return .success(())
        } catch {
            return .failure(SandboxUnavailable("cannot try the sandbox: \(error)"))
        }
    }
}
