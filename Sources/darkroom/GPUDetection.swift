import Foundation
import Logging
import Scheduling

/// Finds the GPUs a worker offers: simulated (`--simulate-gpus`), declared (`--gpus`), or asked
/// of `nvidia-smi` when it is on the PATH. A machine without one simply has none.
enum GPUDetection {
    /// The GPUs at start, and, when they came from `nvidia-smi`, a way to read their live use
    /// again (each heartbeat does).
    static func inventory(declared: String?, simulated: String?, logger: Logger) async throws
        -> (GPUInventory, live: (@Sendable () async -> [GPUInventory.Device]?)?) {
        if let simulated { return (try GPUInventory(simulated: simulated), nil) }
        if let declared { return (try GPUInventory(declared: declared), nil) }
        guard let tool = executable("nvidia-smi") else { return (.none, nil) }
        do {
            let inventory = try await query(tool)
            guard !inventory.devices.isEmpty else { return (inventory, nil) }
            let live: @Sendable () async -> [GPUInventory.Device]? = { try? await query(tool).devices }
            return (inventory, live)
        } catch {
            logger.warning("cannot read the GPUs; running without them", metadata: ["error": "\(error)"])
            return (.none, nil)
        }
    }

    struct ToolFailed: Error, CustomStringConvertible {
        let status: Int32
        var description: String { "nvidia-smi exited with status \(status)" }
    }

    /// Runs `nvidia-smi` without blocking a task thread: its exit is awaited through the
    /// termination handler (its output is a few lines, well within the pipe's buffer).
    private static func query(_ tool: String) async throws -> GPUInventory {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = GPUInventory.nvidiaSMIArguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        guard status == 0 else { throw ToolFailed(status: status) }
        let data = try output.fileHandleForReading.readToEnd() ?? Data()
        return try GPUInventory(nvidiaSMI: String(decoding: data, as: UTF8.self))
    }

    private static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
