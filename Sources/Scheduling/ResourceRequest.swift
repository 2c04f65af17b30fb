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

    /// The GPU share in twentieths, the unit GPU capacity is counted in (so sums are exact).
    var gpuUnits: Int { gpu <= 0 ? 0 : max(1, min(GPUState.units, Int((gpu * Double(GPUState.units)).rounded(.up)))) }

    enum CodingKeys: String, CodingKey {
        case cpu, gpu
        case memoryMB = "memory_mb"
        case gpuMemoryMB = "gpu_memory_mb"
    }
}
