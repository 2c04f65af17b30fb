import ImageAnalysis
public import Foundation
import Inference
import ImageProcessing
public import JobQueue
import Logging
import ObjectStorage

/// Runs the jobs of the `pipelines` queue and queues their webhooks.
public struct PipelineJobHandler: JobHandler {
    let runner: PipelineRunner
    let catalog: PipelineCatalog
    let queue: any JobQueue

    /// Creates a handler; `queue` receives webhook deliveries.
    public init(runner: PipelineRunner, catalog: PipelineCatalog, queue: any JobQueue) {
        self.runner = runner
        self.catalog = catalog
        self.queue = queue
    }

    public func handle(_ job: Job) async throws -> Data? {
        let result: PipelineResult
        do {
            result = try await runner.run(try PipelineJob(payload: job.payload))
        } catch let error as PipelineError {
            throw JobFailure.permanent(error.description)
        } catch let error as ProcessingError {
            switch error {
            case .overloaded, .shuttingDown, .cancelled: throw error
            default:
                // A broken or oversized image stays broken: no point in retrying it.
                throw JobFailure.permanent(error.description)
            }
        } catch let error as InspectionError {
            // Another part's photo, or one that cannot be read, stays so.
            throw JobFailure.permanent(error.description)
        } catch let error as ObjectStoreError {
            // The store not answering is no fault of the job's: it waits, unspent, for the store.
            switch error {
            case .transient, .full: throw JobFailure.unavailable(error.description)
            default: break
            }
            throw JobFailure.permanent(error.description)
        } catch let error as InferenceError {
            switch error {
            // A pass that failed or ran long may succeed on another try, or another worker.
            case .inferenceFailed, .timedOut: throw error
            // An image the model cannot take, or a model that is wrong, stays so.
            case .invalidSpec, .invalidModel, .unusableImage, .unknownModel: throw JobFailure.permanent(error.description)
            }
        }
        let encoded = result.encoded()
        if let hook = try? catalog.pipeline(named: result.pipeline).onComplete {
            let body = """
                {"batch_id":\(Self.json(job.batchID)),"event":"job.completed","job_id":\(Self.json(job.id)),"result":\(String(decoding: encoded, as: UTF8.self))}
                """
            let delivery = WebhookDelivery(url: hook.url, secretEnv: hook.secretEnv, body: body)
            // One delivery per job, however often the job itself runs.
            _ = try await queue.enqueue(NewJob(queue: WebhookDelivery.queue, payload: try JSONEncoder().encode(delivery),
                                               maxAttempts: WebhookDelivery.maxAttempts, idempotencyKey: "webhook:\(job.id)"))
        }
        return encoded
    }

    private static func json(_ text: String?) -> String {
        guard let text else { return "null" }
        return String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
}
