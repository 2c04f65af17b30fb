public import JobQueue
import Scheduling

/// The workers and the scheduler's leader, as `GET /v1/workers` and `darkroom workers --json`
/// write them.
public struct WorkersView: Sendable, Equatable, Codable {
    /// One registered worker.
    public struct Worker: Sendable, Equatable, Codable {
        /// What its last heartbeat said.
        public struct Load: Sendable, Equatable, Codable {
            public let inFlight: Int
            public let cpuUtilisation: Double?
            public let jobsPerSecond: Double?
            public let speed: Double?
            public let draining: Bool?
            public let recentSecondsPerJob: [String: Double]?

            enum CodingKeys: String, CodingKey {
                case speed, draining
                case inFlight = "in_flight", cpuUtilisation = "cpu_utilisation", jobsPerSecond = "jobs_per_second"
                case recentSecondsPerJob = "recent_seconds_per_job"
            }
        }

        /// One GPU, with live figures when the driver reports them.
        public struct GPU: Sendable, Equatable, Codable {
            public let index: Int
            public let model: String
            public let memoryMB: Int
            public let memoryUsedMB: Int?
            public let utilisation: Double?

            enum CodingKeys: String, CodingKey {
                case index, model, utilisation
                case memoryMB = "memory_mb", memoryUsedMB = "memory_used_mb"
            }
        }

        public let id: String
        public let host: String
        public let pid: Int
        public let version: String
        public let labels: [String: String]
        public let slots: Int
        public let memoryMB: Int
        public let alive: Bool
        public let load: Load
        public let startedAt: String
        public let lastSeen: String
        public let gpus: [GPU]
        /// Whether this worker leads the scheduler.
        public let scheduler: Bool

        enum CodingKeys: String, CodingKey {
            case id, host, pid, version, labels, slots, alive, load, gpus, scheduler
            case memoryMB = "memory_mb", startedAt = "started_at", lastSeen = "last_seen"
        }

        /// The view of `worker`; `leads` when it holds the scheduler's term.
        public init(_ worker: WorkerRecord, leads: Bool) {
            id = worker.id
            host = worker.host
            pid = worker.pid
            version = worker.version
            labels = worker.labels
            slots = worker.slots
            memoryMB = worker.memoryMB
            alive = worker.alive
            load = Load(inFlight: worker.load.inFlight, cpuUtilisation: worker.load.cpuUtilisation,
                        jobsPerSecond: worker.load.jobsPerSecond, speed: worker.load.speed,
                        draining: worker.load.draining == true ? true : nil, recentSecondsPerJob: worker.load.recentDurations)
            startedAt = WireFormat.timestamp(worker.startedAt)
            lastSeen = WireFormat.timestamp(worker.lastSeen)
            // Live figures from the last heartbeat when the driver reports them.
            gpus = (worker.load.gpus ?? worker.gpus).map {
                GPU(index: $0.index, model: $0.model, memoryMB: $0.memoryMB, memoryUsedMB: $0.memoryUsedMB, utilisation: $0.utilisation)
            }
            scheduler = leads
        }
    }

    /// The scheduler's current term.
    public struct Leader: Sendable, Equatable, Codable {
        public let leader: String
        public let renewedAt: String

        enum CodingKeys: String, CodingKey {
            case leader
            case renewedAt = "renewed_at"
        }
    }

    public let workers: [Worker]
    /// Null while no scheduler leads.
    public let scheduler: Nullable<Leader>

    /// The view of `workers` under `leader`.
    public init(_ workers: [WorkerRecord], leader: SchedulerLeader?) {
        self.workers = workers.map { Worker($0, leads: $0.id == leader?.holder) }
        scheduler = Nullable(leader.map { Leader(leader: $0.holder, renewedAt: WireFormat.timestamp($0.renewedAt)) })
    }
}
