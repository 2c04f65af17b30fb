public import Hummingbird
public import ImageProcessing
public import JobQueue
import Logging
public import ObjectStorage
public import Pipelines
public import ImageSources
public import Similarity
public import Inference

/// The `/v1` JSON API: uploads, jobs and operations, each its own controller, all behind
/// ``APIKeyMiddleware`` (the `--api-token` and the API keys, their scopes and rates).
public struct V1API: Sendable {
    let uploads: UploadsController
    let jobs: JobsController
    let operations: OperationsController
    let streams: StreamsController
    let search: SearchController?
    let models: ModelsController?
    /// Checks the `--api-token` and the API keys; the console's log-in uses it too.
    let verifier: APIKeyVerifier
    /// The API keys and the audit log (the queue's database); nil keeps neither.
    let access: (any AccessStore)?
    /// What the console shows and acts on.
    let queue: any JobScheduling
    let catalog: PipelineCatalog
    let store: any ObjectStore
    let dicomweb: DICOMwebController

    /// Creates the API over a queue (with its registry and scheduler), the pipelines, the
    /// object store uploads go to, and the processor that checks them.
    public init(queue: any JobScheduling, catalog: PipelineCatalog, store: any ObjectStore, processor: ImageProcessor,
                onUpload: [String], apiToken: String? = nil, access: (any AccessStore)? = nil, rateLimit: Double = 0,
                index: (any SimilarityIndex)? = nil, sources: SourceRouter? = nil, models: ModelRegistry? = nil,
                dicomPatientData: Bool = false, streamRules: StreamSourceRules = StreamSourceRules(schemes: [], policy: .init())) {
        dicomweb = DICOMwebController(store: store, processor: processor, includesPatient: dicomPatientData)
        search = index.map { SearchController(index: $0, processor: processor, sources: sources) }
        self.models = models.map { ModelsController(models: $0, processor: processor, sources: sources, index: index) }
        uploads = UploadsController(queue: queue, catalog: catalog, store: store, processor: processor, onUpload: onUpload)
        jobs = JobsController(queue: queue, catalog: catalog, audit: access)
        operations = OperationsController(queue: queue, audit: access)
        streams = StreamsController(queue: queue, catalog: catalog, rules: streamRules, audit: access)
        verifier = APIKeyVerifier(apiToken: apiToken, keys: access, defaultRate: rateLimit)
        self.access = access
        self.queue = queue
        self.catalog = catalog
        self.store = store
    }

    /// Adds the `/v1` routes.
    ///
    /// - Parameter readiness: while it reports the queue or storage down, the API answers 503 at once.
    public func addRoutes<Context: AuthenticatedContext>(to router: Router<Context>, readiness: ReadinessMonitor? = nil) {
        let v1 = router.group("v1")
        if let readiness { v1.add(middleware: DependencyGate(readiness: readiness)) }
        v1.add(middleware: APIKeyMiddleware(verifier: verifier))
        uploads.addRoutes(to: v1)
        jobs.addRoutes(to: v1)
        operations.addRoutes(to: v1)
        streams.addRoutes(to: v1)
        search?.addRoutes(to: v1)
        models?.addRoutes(to: v1)
        access.map(AccessController.init(store:))?.addRoutes(to: v1)
        // DICOMweb sits at its own root, as viewers expect, behind the same keys.
        let dicomweb = router.group("dicomweb")
        if let readiness { dicomweb.add(middleware: DependencyGate(readiness: readiness)) }
        dicomweb.add(middleware: APIKeyMiddleware(verifier: verifier))
        self.dicomweb.addRoutes(to: dicomweb)
    }
}
