public import Hummingbird
public import ImageProcessing
public import JobQueue
public import Logging
public import ObjectStorage
public import Pipelines
public import ImageSources
public import Similarity
public import Inference

/// The `/v1` JSON API: uploads, jobs and operations, each its own controller, all behind
/// the bearer token when one is set.
public struct V1API: Sendable {
    let uploads: UploadsController
    let jobs: JobsController
    let operations: OperationsController
    let search: SearchController?
    let models: ModelsController?
    /// When set, every `/v1` request needs `Authorization: Bearer <token>`.
    let apiToken: String?

    /// Creates the API over a queue (with its registry and scheduler), the pipelines, the
    /// object store uploads go to, and the processor that checks them.
    public init(queue: any JobScheduling, catalog: PipelineCatalog, store: any ObjectStore, processor: ImageProcessor,
                onUpload: [String], apiToken: String? = nil, index: (any SimilarityIndex)? = nil, sources: SourceRouter? = nil,
                models: ModelRegistry? = nil) {
        search = index.map { SearchController(index: $0, processor: processor, sources: sources) }
        self.models = models.map { ModelsController(models: $0, processor: processor, sources: sources, index: index) }
        uploads = UploadsController(queue: queue, catalog: catalog, store: store, processor: processor, onUpload: onUpload)
        jobs = JobsController(queue: queue, catalog: catalog)
        operations = OperationsController(queue: queue)
        self.apiToken = apiToken
    }

    /// Adds the `/v1` routes.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let v1 = router.group("v1")
        if let apiToken { v1.add(middleware: BearerTokenMiddleware(token: apiToken)) }
        uploads.addRoutes(to: v1)
        jobs.addRoutes(to: v1)
        operations.addRoutes(to: v1)
        search?.addRoutes(to: v1)
        models?.addRoutes(to: v1)
    }
}
