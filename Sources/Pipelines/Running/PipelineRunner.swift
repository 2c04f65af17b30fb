import Crypto
public import Foundation
import ImageAnalysis
import ImageModel
public import ImageProcessing
public import Logging
public import ObjectStorage

/// Runs one pipeline job: read the source, decode it once, measure, check, make and store the outputs.
public struct PipelineRunner: Sendable {
    let catalog: PipelineCatalog
    let processor: ImageProcessor
    let sources: any PipelineSourceReader
    /// Where outputs are stored.
    let store: any ObjectStore
    let logger: Logger

    /// Creates a runner.
    public init(catalog: PipelineCatalog, processor: ImageProcessor, sources: any PipelineSourceReader,
                store: any ObjectStore, logger: Logger = Logger(label: "darkroom.pipelines")) {
        self.catalog = catalog
        self.processor = processor
        self.sources = sources
        self.store = store
        self.logger = logger
    }

    /// Runs `job`. Outputs go to keys derived from the source's content, so running a job twice
    /// (at-least-once delivery) rewrites the same objects with the same bytes.
    ///
    /// - Throws: ``PipelineError``, ``ProcessingError`` or ``ObjectStoreError``.
    public func run(_ job: PipelineJob) async throws -> PipelineResult {
        let pipeline = try catalog.pipeline(named: job.pipeline)
        if pipeline.version != job.version {
            logger.info("running a newer pipeline version than was queued",
                        metadata: ["pipeline": "\(pipeline.name)", "queued": "\(job.version)", "running": "\(pipeline.version)"])
        }
        let (data, sourceName) = try await sources.read(job.source, maxBytes: processor.limits.maxInputBytes)
        let imageID = Self.imageID(of: data)
        let extractor = FeatureExtractor(features: pipeline.features, exifTags: pipeline.exifTags)
        let checks = pipeline.checks
        let recipes = pipeline.outputs.map(\.recipe)

        let derived = try await processor.derive(
            .bytes(data), preprocess: pipeline.preprocess,
            inspect: { working, header in
                let features = try extractor.extract(from: working, sourceWidth: header.orientedWidth,
                                                     sourceHeight: header.orientedHeight)
                return Inspection(features: features, checks: checks.map { $0.evaluate(features) })
            },
            outputs: { inspection in inspection.rejected ? [] : recipes })

        var outputs: [PipelineResult.Output] = []
        for (output, image) in zip(pipeline.outputs, derived.outputs) {
            let key = output.key.render([
                "image_id": imageID, "name": output.name, "ext": image.format.fileExtension,
                "pipeline": pipeline.name, "version": pipeline.version, "source_name": sourceName,
            ])
            try await store.put(try ObjectKey(key), data: image.data,
                                options: PutOptions(contentType: image.format.mimeType))
            outputs.append(.init(name: output.name, key: key, format: image.format.rawValue, bytes: image.data.count,
                                 width: image.width, height: image.height))
        }
        let inspection = derived.inspection
        return PipelineResult(pipeline: pipeline.name, version: pipeline.version, source: job.source, imageID: imageID,
                              features: inspection.features, checks: inspection.checks,
                              flags: inspection.checks.filter { !$0.passed && $0.action == .flag }.map(\.rule),
                              rejected: inspection.rejected, outputs: outputs)
    }

    /// The first 32 hex digits of the SHA-256 of `data`: the id of an image, derived from its content.
    public static func imageID(of data: Data) -> String {
        SHA256.hash(data: data).prefix(16).hexDigits
    }

    private struct Inspection: Sendable {
        let features: ImageFeatures
        let checks: [CheckOutcome]
        var rejected: Bool { checks.contains { !$0.passed && $0.action == .reject } }
    }
}
