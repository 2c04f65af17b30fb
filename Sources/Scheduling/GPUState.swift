/// One GPU of a worker, as the scheduler counts it.
public struct GPUState: Sendable, Hashable {
    /// A GPU's capacity in scheduling units: shares are counted in twentieths.
    public static let units = 20

    public let index: Int
    public let memoryMB: Int
    /// Units not yet allocated, 0...20.
    public internal(set) var freeUnits: Int
    public internal(set) var freeMemoryMB: Int

    /// A GPU with nothing allocated.
    public init(index: Int, memoryMB: Int) {
        self.index = index
        self.memoryMB = memoryMB
        freeUnits = Self.units
        freeMemoryMB = memoryMB
    }

    /// Whether nothing is allocated on it.
    public var isWhollyFree: Bool { freeUnits == Self.units }

    func fits(_ request: ResourceRequest) -> Bool {
        freeUnits >= request.gpuUnits && freeMemoryMB >= request.gpuMemoryMB
    }
}
