/// The cluster and the traffic a simulation runs.
public struct SimulationSettings: Sendable {
    public var workers = 100
    /// Share of workers with GPUs, and share of jobs that ask for part of one.
    public var gpuFraction = 0.0
    /// Fastest worker ÷ slowest (speeds are spread log-uniformly between).
    public var speedSpread = 1.0
    /// Offered load: arrivals as a share of the cluster's capacity (0.8 = 80% busy on average).
    public var load = 0.8
    public var jobs = 100_000
    public var seed: UInt64 = 1
    public var slotsPerWorker = 4
    public var gpusPerWorker = 2
    public var gpuMemoryMB = 24_000
    /// Seconds one megapixel takes on a worker of average speed.
    public var secondsPerMegapixel = 0.05

    /// Default settings.
    public init() {}
}
