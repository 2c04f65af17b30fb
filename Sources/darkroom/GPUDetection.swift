import Foundation
import Logging
import Scheduling

/// Finds the GPUs a worker offers: simulated (`--simulate-gpus`), declared (`--gpus`), or asked
/// of `nvidia-smi` when it is on the PATH. A machine without one simply has none.
enum GPUDetection {
    static func inventory(declared: String?, simulated: String?, logger: Logger) throws -> GPUInventory {
        if let simulated { return try GPUInventory(simulated: simulated) }
        if let declared { return try GPUInventory(declared: declared) }
        guard let tool = executable("nvidia-smi") else { return .none }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = GPUInventory.nvidiaSMIArguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                logger.warning("nvidia-smi failed; running without GPUs", metadata: ["status": "\(process.terminationStatus)"])
                return .none
            }
            return try GPUInventory(nvidiaSMI: String(decoding: data, as: UTF8.self))
        } catch {
            logger.warning("cannot read the GPUs; running without them", metadata: ["error": "\(error)"])
            return .none
        }
    }

    private static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
