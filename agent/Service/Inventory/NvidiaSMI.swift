import Foundation
import TenderCore

/// Reads the machine's GPUs from `nvidia-smi`, so the agent screens orders against what is really
/// installed rather than what the profile claims.
public enum NvidiaSMI {
    /// The query the agent runs.
    public static let arguments = ["--query-gpu=name,memory.total", "--format=csv,noheader"]

    /// Parses `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader` output into groups of
    /// identical GPUs, in order of first appearance. Lines that do not parse are skipped.
    ///
    /// `NVIDIA H100 80GB HBM3, 81559 MiB` becomes vendor `nvidia`, model `h100`, 80Gi (memory is
    /// rounded to the nearest GiB, as boards report a little less than their nominal size), and
    /// interface `sxm` when the name says SXM, `pcie` otherwise.
    public static func parse(_ text: String) -> [Inventory.GPUGroup] {
        var groups: [Inventory.GPUGroup] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 2, let spec = spec(name: fields[0], memory: fields[1]) else { continue }
            if let index = groups.firstIndex(where: { $0.spec == spec }) {
                groups[index].count += 1
            } else {
                groups.append(Inventory.GPUGroup(spec: spec, count: 1))
            }
        }
        return groups
    }

    static func spec(name: String, memory: String) -> GPUSpec? {
        let lower = name.lowercased()
        let tokens = lower.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" }).map(String.init)
            .filter { !["nvidia", "geforce", "tesla", "quadro"].contains($0) }
        guard !tokens.isEmpty else { return nil }
        var model: String?
        if let rtx = tokens.firstIndex(of: "rtx"), rtx + 1 < tokens.count {
            model = "rtx" + tokens[rtx + 1]
        } else {
            // The first token that mixes letters and digits names the chip: a100, h100, l40s, t4.
            model = tokens.first { token in token.contains(where: \.isLetter) && token.contains(where: \.isNumber) && !token.hasSuffix("gb") }
        }
        let interface = tokens.contains { $0.hasPrefix("sxm") } ? "sxm" : "pcie"
        return GPUSpec(vendor: "nvidia", model: model ?? tokens[0], ramBytes: memoryBytes(memory), interface: interface)
    }

    /// `81559 MiB` as bytes, rounded to the nearest GiB; nil when it does not read.
    static func memoryBytes(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard let number = parts.first.flatMap({ Int64($0) }), number >= 0 else { return nil }
        let unit = parts.count > 1 ? parts[1].lowercased() : "mib"
        let mebibytes: Int64
        switch unit {
        case "mib", "mb": mebibytes = number
        case "gib", "gb": mebibytes = number * 1024
        default: return nil
        }
        let gibibytes = (mebibytes + 512) / 1024
        return gibibytes << 30
    }

    /// Runs nvidia-smi if it is on the PATH; nil when it is absent or fails.
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> [Inventory.GPUGroup]? {
        let paths = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        guard let executable = paths.map({ $0 + "/nvidia-smi" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return parse(String(decoding: data, as: UTF8.self))
    }
}
