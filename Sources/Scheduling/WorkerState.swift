/// One worker as the scheduler sees it: capacity, what it has been given, and how fast it
/// has proved to be.
public struct WorkerState: Sendable {
    public let id: Int
    /// CPU slots: jobs it runs at once.
    public let slots: Int
    public internal(set) var gpus: [GPUState]
    /// Jobs assigned and not finished (running or waiting in its queue).
    public internal(set) var outstanding: Int = 0
    /// Megapixels assigned and not finished.
    public internal(set) var outstandingCost: Double = 0
    /// Observed megapixels per second per slot (EWMA); starts at `assumedSpeed`.
    public internal(set) var speed: Double

    /// Creates a worker.
    public init(id: Int, slots: Int, gpus: [GPUState] = [], assumedSpeed: Double = 1) {
        self.id = id
        self.slots = max(1, slots)
        self.gpus = gpus
        self.speed = assumedSpeed
    }

    /// Outstanding jobs per slot: `least-loaded`'s measure.
    public var load: Double { Double(outstanding) / Double(slots) }

    /// Seconds until its backlog is done at its observed speed.
    public var drainTime: Double { outstandingCost / Double(slots) / speed }

    /// Seconds until a job of `cost` would finish here, from its backlog and observed speed:
    /// `adaptive`'s measure.
    public func expectedCompletion(of cost: Double) -> Double {
        (outstandingCost / Double(slots) + cost) / speed
    }
}
