import Foundation
import JobQueue
import Pipelines
import Scheduling

/// The values each console page renders, shaped for its template: strings already
/// formatted, so the templates stay logic-less. Mustache reads them by property name.
enum ConsolePages {
    /// What every page's layout needs: who is logged in, the form token, a message.
    struct Frame {
        let nav: Bool
        let actor: String
        let scope: String
        let csrf: String
        let canAct: Bool
        let flash: String?

        init(session: ConsoleSessions.Session?, flash: String? = nil) {
            nav = session != nil
            actor = session?.principal.actor ?? ""
            scope = session?.principal.scope.rawValue ?? ""
            csrf = session?.csrf ?? ""
            canAct = session?.principal.scope.grants(.admin) ?? false
            self.flash = flash
        }
    }

    struct Example {
        let name: String
        let url: String
        let iiif: String
    }

    struct Landing {
        let about: ServerDescription
        let examples: [Example]
    }

    struct Login {
        let error: String?
    }

    struct Latest {
        let requests: String
        let jobs: String
        let p50: String
        let p99: String
        let cache: String
        let pool: String
    }

    struct Chart {
        let title: String
        let maximum: String
        let svg: String

        init(_ chart: SVGChart) {
            title = chart.title
            maximum = chart.maximum
            svg = chart.svg
        }
    }

    struct Overview {
        let frame: Frame
        let latest: Latest
        let charts: [Chart]
    }

    struct QueueRow {
        let name: String
        let depth: Int
        let inFlight: Int
        let dead: Int
        let oldest: String
        let unschedulable: Int
        let desired: Int
    }

    struct Queues {
        let frame: Frame
        let queues: [QueueRow]
    }

    struct Choice {
        let value: String
        let label: String
        let selected: Bool
    }

    struct JobRow {
        let id: String
        let short: String
        let status: String
        let pipeline: String
        let source: String
        let attempts: Int
        let updated: String
        let error: String

        init(_ job: Job) {
            let payload = try? JSONDecoder().decode(PipelineJob.self, from: job.payload)
            id = job.id
            short = String(job.id.prefix(8))
            status = job.status.rawValue
            pipeline = payload?.pipeline ?? job.queue
            source = payload?.source ?? ""
            attempts = job.attempts
            updated = WireFormat.timestamp(job.updatedAt)
            error = job.lastError.map { String($0.prefix(200)) } ?? ""
        }
    }

    struct Progress {
        let id: String
        let total: Int
        let finished: Int
        let summary: String
    }

    struct Jobs {
        let frame: Frame
        let queueChoices: [Choice]
        let statusChoices: [Choice]
        let pipeline: String
        let batch: String
        let progress: Progress?
        let jobs: [JobRow]
    }

    struct JobFacts {
        let id: String
        let queue: String
        let status: String
        let batch: String?
        let attempts: Int
        let maxAttempts: Int
        let created: String
        let updated: String
        let runAt: String
        let claimedBy: String
        let error: String?
    }

    struct Output {
        let name: String
        let url: String
        let width: Int
        let height: Int
        let format: String
        let bytes: Int
    }

    struct Delivery {
        let status: String
        let attempts: Int
        let error: String?
    }

    struct JobPage {
        let frame: Frame
        let job: JobFacts
        let pipeline: String
        let source: String
        let sourceImage: String?
        let outputs: [Output]
        let checks: [String]
        let hasChecks: Bool
        let webhooks: [Delivery]
        let result: String
        let payload: String
        let isDead: Bool
        let isOpen: Bool
    }

    struct GPUCell {
        let index: Int
        let model: String
        let memory: String
    }

    struct WorkerRow {
        let id: String
        let host: String
        let state: String
        let canDrain: Bool
        let inFlight: Int
        let slots: Int
        let cpu: String
        let speed: String
        let gpus: [GPUCell]
        let labels: String
        let lastSeen: String
    }

    struct Workers {
        let frame: Frame
        let leader: String?
        let strategy: String
        let workers: [WorkerRow]
        let scaling: [QueueRow]
    }

    struct StoredObject {
        let key: String
        let url: String
        let size: Int
    }

    struct Images {
        let frame: Frame
        let prefix: String
        let objects: [StoredObject]
        let next: String?
        let search: Bool
    }

    struct Playground {
        let frame: Frame
        let source: String
        let options: String
        let url: String?
        let error: String?
    }

    struct PipelineRow {
        let name: String
        let version: String
        let features: String
        let outputs: String
        let checks: Int
        let models: String
    }

    struct Pipelines {
        let frame: Frame
        let pipelines: [PipelineRow]
        let spec: String
        let verdict: String?
        let verdictClass: String
    }

    struct AuditRow {
        let at: String
        let actor: String
        let action: String
        let target: String
        let detail: String
    }

    struct Audit {
        let frame: Frame
        let entries: [AuditRow]
    }
}
