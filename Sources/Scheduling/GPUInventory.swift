import Foundation

/// The GPUs a worker offers, and how they were found: `nvidia-smi`, declared by hand
/// (`--gpus`), or simulated for tests and demos (`--simulate-gpus`).
public struct GPUInventory: Sendable, Equatable {
    /// One GPU as detected or declared.
    public struct Device: Sendable, Equatable, Codable {
        public let index: Int
        public let model: String
        public let memoryMB: Int
        /// Live figures, when the driver reports them.
        public var memoryUsedMB: Int?
        public var utilisation: Double?

        /// Describes a device.
        public init(index: Int, model: String, memoryMB: Int, memoryUsedMB: Int? = nil, utilisation: Double? = nil) {
            self.index = index
            self.model = model
            self.memoryMB = memoryMB
            self.memoryUsedMB = memoryUsedMB
            self.utilisation = utilisation
        }
    }

    public let devices: [Device]

    /// An inventory of these devices.
    public init(devices: [Device]) { self.devices = devices }

    /// No GPUs: what a machine without a driver has.
    public static let none = GPUInventory(devices: [])

    /// The arguments that make `nvidia-smi` print what ``init(nvidiaSMI:)`` reads.
    public static let nvidiaSMIArguments = [
        "--query-gpu=index,name,memory.total,memory.used,utilization.gpu", "--format=csv,noheader,nounits",
    ]

    /// Reads `nvidia-smi --query-gpu=index,name,memory.total,memory.used,utilization.gpu
    /// --format=csv,noheader,nounits` output, one GPU a line (`0, NVIDIA H200, 143771, 0, 0`).
    ///
    /// - Throws: ``GPUInventoryError`` naming the line that does not parse.
    public init(nvidiaSMI output: String) throws(GPUInventoryError) {
        var devices: [Device] = []
        for line in output.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 5, let index = Int(fields[0]), !fields[1].isEmpty, let memory = Int(fields[2]), memory > 0 else {
                throw GPUInventoryError("nvidia-smi line '\(line)': expected index, name, memory.total, memory.used, utilization.gpu")
            }
            // "[N/A]" appears for figures a GPU does not report.
            devices.append(Device(index: index, model: fields[1], memoryMB: memory, memoryUsedMB: Int(fields[3]),
                                  utilisation: Double(fields[4]).map { $0 / 100 }))
        }
        self.init(devices: devices)
    }

    /// Parses `--gpus`: `INDEX:MODEL:MEMORY_MB` items, comma-separated (`0:A100:81920,1:A100:81920`).
    ///
    /// - Throws: ``GPUInventoryError`` naming the item and what was expected.
    public init(declared text: String) throws(GPUInventoryError) {
        var devices: [Device] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let index = Int(parts[0]), index >= 0, !parts[1].isEmpty,
                  let memory = Int(parts[2]), memory > 0 else {
                throw GPUInventoryError("--gpus item '\(item)': expected INDEX:MODEL:MEMORY_MB, such as 0:A100:81920")
            }
            devices.append(Device(index: index, model: parts[1], memoryMB: memory))
        }
        guard !devices.isEmpty else { throw GPUInventoryError("--gpus: expected at least one INDEX:MODEL:MEMORY_MB") }
        guard Set(devices.map(\.index)).count == devices.count else { throw GPUInventoryError("--gpus: an index is declared twice") }
        self.init(devices: devices)
    }

    /// Parses `--simulate-gpus COUNT:MEMORY_MB` (`2:16000`): that many identical simulated GPUs.
    ///
    /// - Throws: ``GPUInventoryError`` saying what was expected.
    public init(simulated text: String) throws(GPUInventoryError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), (1...64).contains(count), let memory = Int(parts[1]), memory > 0 else {
            throw GPUInventoryError("--simulate-gpus '\(text)': expected COUNT:MEMORY_MB with COUNT 1...64, such as 2:16000")
        }
        self.init(devices: (0..<count).map { Device(index: $0, model: "simulated", memoryMB: memory) })
    }

    /// The scheduler's view: every GPU empty.
    public var states: [GPUState] { devices.map { GPUState(index: $0.index, memoryMB: $0.memoryMB) } }
}

/// A GPU list that does not parse.
public struct GPUInventoryError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
