public import Foundation
public import Scheduling

/// A worker as the registry keeps it: who it is, what it offers, and how busy it is.
public struct WorkerRecord: Sendable, Equatable, Codable {
    /// One GPU it offers, as detected or declared (with live figures when the driver reports them).
    public typealias GPU = GPUInventory.Device

    /// How busy it is, as its last heartbeat said.
    public struct Load: Sendable, Equatable, Codable {
        public var inFlight: Int
        /// 0...1 (of its CPU slots); nil when unknown.
        public var cpuUtilisation: Double?
        /// Jobs it completed per second since its previous heartbeat; nil when unknown.
        public var jobsPerSecond: Double?
        /// Its observed speed: job cost (megapixels) per second per slot, a moving average;
        /// nil before its first job. `adaptive` predicts run times by it.
        public var speed: Double?
        /// Seconds per job by kind (pipeline), a moving average of its recent jobs.
        public var recentDurations: [String: Double]?
        /// Its GPUs with their live memory use and utilisation, when the driver reports them.
        public var gpus: [GPU]?
        /// True once it stopped claiming to shut down: the scheduler assigns it nothing more.
        public var draining: Bool?

        /// Describes a load.
        public init(inFlight: Int = 0, cpuUtilisation: Double? = nil, jobsPerSecond: Double? = nil, speed: Double? = nil,
                    recentDurations: [String: Double]? = nil, gpus: [GPU]? = nil, draining: Bool? = nil) {
            self.gpus = gpus
            self.draining = draining
            self.inFlight = inFlight
            self.cpuUtilisation = cpuUtilisation
            self.jobsPerSecond = jobsPerSecond
            self.speed = speed
            self.recentDurations = recentDurations
        }

    }

    public var id: String
    public var host: String
    public var pid: Int
    public var version: String
    public var labels: [String: String]
    /// CPU slots: jobs it runs at once.
    public var slots: Int
    public var memoryMB: Int
    public var gpus: [GPU]
    /// Seconds between its heartbeats (5 when not recorded): it is dead after missing a few.
    public var heartbeatSeconds: Double?
    public var load: Load
    /// When it registered and when it was last heard from.
    public var startedAt: Date
    public var lastSeen: Date
    /// False once it missed its heartbeats (its running jobs went back to the queue).
    public var alive: Bool
    /// True once an operator asked it to stop claiming (the console's drain); it does at its
    /// next heartbeat and finishes what it runs. A restart (registering again) clears it.
    public var drainRequested: Bool?

    /// Describes a worker about to register.
    public init(id: String = UUID().uuidString.lowercased(), host: String, pid: Int, version: String,
                labels: [String: String] = [:], slots: Int, memoryMB: Int = 0, gpus: [GPU] = [], now: Date = Date()) {
        self.id = id
        self.host = host
        self.pid = pid
        self.version = version
        self.labels = labels
        self.slots = slots
        self.memoryMB = memoryMB
        self.gpus = gpus
        self.load = Load()
        self.startedAt = now
        self.lastSeen = now
        self.alive = true
    }
}

extension WorkerRecord {
    /// The largest request it could ever run: its CPU slots and memory, and its biggest GPU.
    public var capacity: ResourceRequest {
        ResourceRequest(cpu: Double(slots), memoryMB: memoryMB, gpu: gpus.isEmpty ? 0 : 1,
                        gpuMemoryMB: gpus.map(\.memoryMB).max() ?? 0)
    }

    /// Whether it has been silent for more than `beats` of its own heartbeat periods at `now`.
    package func isSilent(missing beats: Int, now: Date) -> Bool {
        lastSeen < now.addingTimeInterval(-Double(beats) * (heartbeatSeconds ?? 5))
    }

    /// Live workers first, then by id: the order every backend lists them in.
    package static func listOrder(_ a: WorkerRecord, _ b: WorkerRecord) -> Bool {
        a.alive != b.alive ? a.alive : a.id < b.id
    }
}

extension WorkerRecord {
    /// The JSON the registry tables keep.
    package func stored() throws(JobQueueError) -> Data {
        do { return try JSONEncoder().encode(self) } catch { throw .storage("cannot encode the worker: \(error)") }
    }

    /// A record read back from its JSON, with the liveness columns the table keeps beside it;
    /// nil when the JSON is unreadable.
    package static func stored(_ data: Data, lastSeen: Date? = nil, alive: Bool? = nil) -> WorkerRecord? {
        guard var record = try? JSONDecoder().decode(WorkerRecord.self, from: data) else { return nil }
        if let lastSeen { record.lastSeen = lastSeen }
        if let alive { record.alive = alive }
        return record
    }
}
