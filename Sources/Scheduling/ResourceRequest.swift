/// What a job needs from the worker that runs it: CPU slots, memory and a share of one GPU.
///
/// Fractional GPUs are allowed (`gpu: 0.25`): jobs share a GPU while their shares and GPU
/// memory fit. The default is one CPU slot and no GPU.
public struct ResourceRequest: Sendable, Hashable, Codable {
    public var cpu: Double
    public var memoryMB: Int
    /// A share of one GPU, 0 (none) to 1 (a whole one).
    public var gpu: Double
    public var gpuMemoryMB: Int

    /// Creates a request.
    public init(cpu: Double = 1, memoryMB: Int = 0, gpu: Double = 0, gpuMemoryMB: Int = 0) {
        self.cpu = cpu
        self.memoryMB = memoryMB
        self.gpu = gpu
        self.gpuMemoryMB = gpuMemoryMB
    }

    /// What is wrong with it, as the field and what it should be; nil when it is valid: CPU
    /// 0.05...1024, a GPU share 0...1 (and above 0 when GPU memory is asked for), memory ≥ 0.
    public var problem: (field: String, expected: String)? {
        if !(cpu.isFinite && (0.05...1024).contains(cpu)) { return ("cpu", "a number in 0.05...1024") }
        if !(gpu.isFinite && (0...1).contains(gpu)) { return ("gpu", "a number in 0...1") }
        if memoryMB < 0 { return ("memory_mb", "a number ≥ 0") }
        if gpuMemoryMB < 0 { return ("gpu_memory_mb", "a number ≥ 0") }
        if gpuMemoryMB > 0, gpu == 0 { return ("gpu", "a GPU share above 0 when gpu_memory_mb is set") }
        return nil
    }

    /// Whether a worker whose largest offer is `capacity` could ever run this: CPU slots and
    /// memory within its own, and a GPU share only where it has a GPU with the memory asked for.
    /// Zero memory in `capacity` means unknown, which does not refuse.
    public func fits(within capacity: ResourceRequest) -> Bool {
        cpu <= capacity.cpu && (capacity.memoryMB == 0 || memoryMB <= capacity.memoryMB)
            && (gpu <= 0 || (capacity.gpu > 0 && gpuMemoryMB <= capacity.gpuMemoryMB))
    }

    /// The GPU share in twentieths, the unit GPU capacity is counted in (so sums are exact).
    var gpuUnits: Int { gpu <= 0 ? 0 : max(1, min(GPUState.units, Int((gpu * Double(GPUState.units)).rounded(.up)))) }

    /// Decodes a request; absent fields take their defaults, so `{"gpu": 0.5}` is a whole request.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(cpu: try container.decodeIfPresent(Double.self, forKey: .cpu) ?? 1,
                  memoryMB: try container.decodeIfPresent(Int.self, forKey: .memoryMB) ?? 0,
                  gpu: try container.decodeIfPresent(Double.self, forKey: .gpu) ?? 0,
                  gpuMemoryMB: try container.decodeIfPresent(Int.self, forKey: .gpuMemoryMB) ?? 0)
    }

    enum CodingKeys: String, CodingKey {
        case cpu, gpu
        case memoryMB = "memory_mb"
        case gpuMemoryMB = "gpu_memory_mb"
    }
}
