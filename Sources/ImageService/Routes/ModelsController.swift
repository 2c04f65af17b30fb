import Foundation
import NIOFoundationEssentialsCompat
import ImageModel
import Scheduling
public import Hummingbird
public import ImageProcessing
public import ImageSources
public import Inference
public import Similarity

/// The loaded models: `GET /v1/models` (their specs and batch statistics),
/// `POST /v1/models/{name}/predict` (an image body or `{"source": …}`), answering a prediction,
/// and `POST /v1/models/{name}/similar?k=N` for an embedding model: the indexed images whose
/// vectors look most like the image's (`{"matches": [{image_id, key, score}]}`). Predictions
/// join the model's batches like a pipeline's do.
public struct ModelsController: Sendable {
    let models: ModelRegistry
    let processor: ImageProcessor
    let sources: SourceRouter?
    let index: (any SimilarityIndex)?

    /// Creates the controller; without `sources`, predictions by `source` are refused, and
    /// without `index` "looks like" searches are.
    public init(models: ModelRegistry, processor: ImageProcessor, sources: SourceRouter? = nil, index: (any SimilarityIndex)? = nil) {
        self.models = models
        self.processor = processor
        self.sources = sources
        self.index = index
    }

    /// Adds the routes to `group` (`/v1`, behind its authentication).
    public func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.get("models") { _, _ in
            JSONResponse(ModelList(runtime: self.models.runtimeName,
                                   models: self.models.batchers.values.map(ModelDescription.init).sorted { $0.name < $1.name }))
        }
        group.post("models/:name/predict") { request, context in
            let name = try context.parameters.require("name")
            return try await self.predict(name: name, request: request)
        }
        group.post("models/:name/explain") { request, context in
            let name = try context.parameters.require("name")
            return try await self.explain(name: name, request: request, context: context)
        }
        group.post("models/:name/similar") { request, context in
            let name = try context.parameters.require("name")
            guard let index = self.index else { throw ServiceError(status: 404, error: "not found", detail: "this server has no similarity index") }
            // Checked before anything is decoded: only an embedding model gives a vector.
            guard case .embed = try self.batcher(named: name).model.spec.task else {
                throw ServiceError(status: 400, error: "invalid request", detail: "model '\(name)' gives no embedding (its task is not embed)")
            }
            let k = try SearchController.options(k: request.uri.queryParameters.get("k"), match: nil).k
            let vector = try await self.predict(name: name, request: request).body.embedding ?? []
            let matches = try await index.searchEmbeddings(EmbeddingQuery(model: name, vector: vector, limit: k))
            return JSONResponse(SimilarResponse(matches: matches))
        }
    }

    /// The batcher of the loaded model `name`.
    /// - Throws: ``ServiceError`` 404.
    private func batcher(named name: String) throws -> ModelBatcher {
        guard let batcher = models.batchers[name] else {
            throw ServiceError(status: 404, error: "not found", detail: "no model named '\(name)' is loaded")
        }
        return batcher
    }

    /// `POST /v1/models/{name}/explain[?format=png][&patch=N]`: the occlusion map of a
    /// classification (``OcclusionMap``) as JSON, or drawn over the image as a PNG.
    private func explain<Context: RequestContext>(name: String, request: Request, context: Context) async throws -> Response {
        let batcher = try batcher(named: name)
        guard case .classify = batcher.model.spec.task else {
            throw ServiceError(status: 400, error: "invalid request", detail: "model '\(name)' is not a classifier: an occlusion map explains a class")
        }
        let format = request.uri.queryParameters.get("format") ?? "json"
        guard ["json", "png"].contains(format) else { throw ServiceError(status: 400, error: "invalid request", detail: "format: expected json or png") }
        let patch = try request.uri.queryParameters.get("patch").map { text -> Int in
            guard let value = Int(text), (2...1024).contains(value) else {
                throw ServiceError(status: 400, error: "invalid request", detail: "patch: expected 2...1024 pixels, got '\(text)'")
            }
            return value
        }
        let source = try await self.source(of: request)
        let input = try await ModelInputReader(processor: processor).input(of: source, for: batcher.model.spec.input)
        let map = try await OcclusionMap.compute(model: batcher.model, input: input, patch: patch)
        guard format == "png" else { return try JSONResponse(map).response(from: request, context: context) }
        let png = try await map.heatmap(over: source, input: input, processor: processor)
        return Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(data: png)))
    }

    /// The image a request brings: its body, or the `{"source": …}` it names.
    private func source(of request: Request) async throws -> ImageSource {
        switch try await ImageRequestBody.read(request, maxBytes: processor.limits.maxInputBytes) {
        case let .json(json):
            guard let body = try? JSONDecoder().decode(PredictRequest.self, from: json) else {
                throw ServiceError(status: 400, error: "invalid request", detail: "body: expected JSON {source}")
            }
            return try await ImageRequestBody.fetch(body.source, from: sources, maxBytes: processor.limits.maxInputBytes)
        case let .image(image):
            return .bytes(image)
        }
    }

    private func predict(name: String, request: Request) async throws -> JSONResponse<Prediction> {
        let batcher = try batcher(named: name)
        let source = try await self.source(of: request)
        let input = try await ModelInputReader(processor: processor).input(of: source, for: batcher.model.spec.input)
        return JSONResponse(try await batcher.predict(input))
    }
}

/// `POST /v1/models/{name}/similar`.
struct SimilarResponse: ResponseEncodable {
    let matches: [EmbeddingMatch]
}

/// `{"source": "…"}`.
struct PredictRequest: Decodable {
    let source: String
}

/// `GET /v1/models`.
struct ModelList: ResponseEncodable {
    let runtime: String
    let models: [ModelDescription]
}

/// One loaded model, as `GET /v1/models` shows it.
struct ModelDescription: Codable {
    struct Input: Codable {
        let name: String?
        let layout: String
        let width: Int
        let height: Int
        let resize: String
        let colours: String
        let mean: [Float]
        let std: [Float]
    }

    let name: String
    let task: String
    let labels: [String]?
    let input: Input
    let batchMaxSize: Int
    let batchMaxWaitMilliseconds: Int
    let gpu: Double
    let statistics: BatchStatistics

    init(_ batcher: ModelBatcher) {
        let spec = batcher.model.spec
        name = spec.name
        task = spec.task.name
        switch spec.task {
        case let .classify(labels, _, _): self.labels = labels
        case let .detect(detection): labels = detection.labels
        case .embed: labels = nil
        }
        input = Input(name: spec.input.name, layout: spec.input.layout.rawValue, width: spec.input.width, height: spec.input.height,
                      resize: spec.input.resize.rawValue, colours: spec.input.colours.rawValue, mean: spec.input.mean, std: spec.input.std)
        batchMaxSize = spec.batch.maxSize
        batchMaxWaitMilliseconds = spec.batch.maxWaitMilliseconds
        gpu = spec.resources.gpu
        statistics = batcher.batches
    }

    enum CodingKeys: String, CodingKey {
        case name, task, labels, input, gpu, statistics
        case batchMaxSize = "batch_max_size", batchMaxWaitMilliseconds = "batch_max_wait_ms"
    }
}

extension Prediction: ResponseEncodable {}
extension OcclusionMap: ResponseEncodable {}
