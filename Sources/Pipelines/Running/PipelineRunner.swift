import Crypto
public import Foundation
import ImageAnalysis
import Media
public import Inference
import ImageModel
public import ImageProcessing
public import Logging
public import ObjectStorage
public import Similarity

/// Runs one pipeline job: read the source, decode it once, measure, check, make and store the outputs.
public struct PipelineRunner: Sendable {
    let catalog: PipelineCatalog
    let processor: ImageProcessor
    let sources: any PipelineSourceReader
    /// Where outputs are stored.
    let store: any ObjectStore
    /// Where images with a signature are indexed when their job completes, and where the
    /// `duplicate` check looks; nil indexes nothing.
    let index: (any SimilarityIndex)?
    /// The models pipelines may run; a pipeline naming one it lacks fails as unavailable.
    let models: ModelRegistry
    let logger: Logger
    /// The prepared references of `inspect:` steps.
    private let references = ReferenceCache()
    /// The key `deidentify: dicom` outputs scope their new UIDs to; nil refuses such outputs.
    let dicomKey: Data?
    /// How many frames' model inputs a `frames:` step holds at once: enough to fill a batch
    /// (tests make it smaller to cross slices on a short clip).
    var framesPerSlice = 32

    /// Creates a runner.
    public init(catalog: PipelineCatalog, processor: ImageProcessor, sources: any PipelineSourceReader,
                store: any ObjectStore, index: (any SimilarityIndex)? = nil, models: ModelRegistry = .empty,
                dicomKey: Data? = nil, logger: Logger = Logger(label: "darkroom.pipelines")) {
        self.dicomKey = dicomKey
        self.index = index
        self.models = models
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
        // A missing face detector fails the job before its source is read, not after decoding.
        if pipeline.features.contains(.faces) || !pipeline.videoCopies.isEmpty, processor.detector == nil {
            throw ProcessingError.detectorUnavailable(processor.detectorAbsence)
        }
        for output in pipeline.outputs { try processor.checkDetectable(output.recipe) }
        if !pipeline.dicomCopies.isEmpty, dicomKey == nil {
            throw PipelineError.unavailable("a deidentify: dicom output needs a key for its UIDs (DARKROOM_DICOM_KEY on the worker)")
        }
        var logger = logger
        logger[metadataKey: "source"] = "\(job.source)"
        logger.debug("reading the source")
        let (data, sourceName) = try await sources.read(job.source, maxBytes: processor.limits.maxInputBytes)
        logger.debug("decoding and rendering", metadata: ["bytes": "\(data.count)"])
        let imageID = Self.imageID(of: data)
        let extractor = FeatureExtractor(features: pipeline.features, exifTags: pipeline.exifTags, detector: processor.detector)
        let checks = pipeline.checks
        let recipes = pipeline.outputs.map(\.recipe)
        let batchers = try pipeline.models.map { name throws(PipelineError) in
            do { return try models.batcher(named: name) } catch {
                throw PipelineError.unavailable("model '\(name)' is not loaded (--models)")
            }
        }
        let inputs = batchers.map(\.model.spec.input)
        let wantsDICOM = pipeline.features.contains(.dicom)

        var reference: ReferenceInspector?
        if let step = pipeline.inspection {
            reference = try await references.inspector(for: step, store: store, processor: processor)
        }
        let inspector = reference

        let derived = try await processor.derive(
            .bytes(data), preprocess: pipeline.preprocess,
            inspect: { working, header in
                var features = try extractor.extract(from: working, sourceWidth: header.orientedWidth,
                                                     sourceHeight: header.orientedHeight)
                features.inspection = try inspector?.inspect(working, sourceWidth: header.orientedWidth,
                                                             sourceHeight: header.orientedHeight)
                if wantsDICOM {
                    // Job results are kept and shown: the patient's fields never go into them.
                    features.dicom = header.dicom
                    features.dicom?.patient = nil
                }
                // The models' inputs come from the same decode; their passes run after, batched.
                let tensors = try inputs.map { input in
                    try InputTensor(working, sourceWidth: header.orientedWidth, sourceHeight: header.orientedHeight, input: input)
                }
                return Inspection(features: features, checks: checks.map { $0.evaluate(features) }, modelInputs: tensors)
            },
            outputs: { inspection in inspection.rejected ? [] : recipes })

        let inspection = derived.inspection
        logger.debug("rendered", metadata: ["outputs": "\(derived.outputs.count)"])
        var predictions: [Prediction] = []
        for (batcher, input) in zip(batchers, inspection.modelInputs) { predictions.append(try await batcher.predict(input)) }
        var frames: [PipelineResult.FrameResult]?
        if let selection = pipeline.frames {
            frames = try await sampledFrames(data, selection: selection, extractor: extractor, checks: checks, batchers: batchers)
        }
        let frameChecks = (frames ?? []).flatMap(\.checks).filter { !$0.passed }
        let rejectedFrame = frameChecks.contains { $0.action == .reject }
        // A label check trips on the image's predictions or on any sampled frame's.
        let trippedLabels = pipeline.labelChecks.filter { check in
            check.isTripped(by: predictions) || frames?.contains { check.isTripped(by: $0.predictions ?? []) } == true
        }
        // The duplicate check needs the index, which the pixel thread may not wait for: the
        // outputs are rendered first and, for a rejected copy, not stored.
        var duplicates: [SimilarityMatch]?
        if let check = pipeline.duplicate, let signature = inspection.features.signature {
            guard let index else { throw PipelineError.unavailable("the duplicate check needs a similarity index (--index)") }
            duplicates = try await index.search(SimilarityQuery(signature: signature, match: check.match, excluding: imageID))
        }
        let rejectedCopy = (pipeline.duplicate?.action == .reject && duplicates?.isEmpty == false)
            || trippedLabels.contains { $0.action == .reject } || rejectedFrame
        var outputs: [PipelineResult.Output] = []
        for (output, image) in zip(pipeline.outputs, derived.outputs) where !rejectedCopy {
            let key = output.key.render([
                "image_id": imageID, "name": output.name, "ext": image.format.fileExtension,
                "pipeline": pipeline.name, "version": pipeline.version, "source_name": sourceName,
            ])
            try await store.put(try ObjectKey(key), data: image.data,
                                options: PutOptions(contentType: image.format.mimeType))
            outputs.append(.init(name: output.name, key: key, format: image.format.rawValue, bytes: image.data.count,
                                 width: image.width, height: image.height))
        }
        var copyFlags: [String] = []
        if !pipeline.dicomCopies.isEmpty, !rejectedCopy, !inspection.rejected {
            for copy in pipeline.dicomCopies {
                let (bytes, report) = try await deidentified(data)
                if !report.pixelsDeclaredClean { copyFlags.append("burned_in_annotation") }
                let key = copy.key.render([
                    "image_id": imageID, "name": copy.name, "ext": "dcm",
                    "pipeline": pipeline.name, "version": pipeline.version, "source_name": sourceName,
                ])
                try await store.put(try ObjectKey(key), data: bytes, options: PutOptions(contentType: "application/dicom"))
                outputs.append(.init(name: copy.name, key: key, format: "dicom", bytes: bytes.count,
                                     width: derived.source.width, height: derived.source.height))
            }
        }
        if !pipeline.storyboards.isEmpty, !rejectedCopy, !inspection.rejected {
            for board in pipeline.storyboards {
                outputs += try await storyboard(board, of: data, pipeline: pipeline, imageID: imageID, sourceName: sourceName)
            }
        }
        if !pipeline.videoCopies.isEmpty, !rejectedCopy, !inspection.rejected {
            for copy in pipeline.videoCopies {
                let video = try await processor.blurredVideo(data, sigma: copy.sigma, keepingAudio: copy.keepsAudio)
                let key = copy.key.render(["image_id": imageID, "name": copy.name, "ext": "mp4", "pipeline": pipeline.name,
                                           "version": pipeline.version, "source_name": sourceName])
                try await store.put(try ObjectKey(key), data: video.data, options: PutOptions(contentType: "video/mp4"))
                outputs.append(.init(name: copy.name, key: key, format: "mp4", bytes: video.data.count, width: video.width,
                                     height: video.height))
            }
        }
        let rejected = inspection.rejected || rejectedCopy
        logger.debug("outputs stored; indexing", metadata: ["outputs": "\(outputs.count)"])
        // Indexed once its outputs are stored; a rejected image (a refused copy) is not.
        if let index, let signature = inspection.features.signature, !rejected {
            try await index.add(IndexedImage(imageID: imageID, key: job.source, signature: signature))
        }
        // An embedding model's vector joins the index too, for "looks like" searches.
        if let index, !rejected {
            for prediction in predictions {
                guard let vector = prediction.embedding else { continue }
                try await index.addEmbedding(ImageEmbedding(imageID: imageID, key: job.source, model: prediction.model, vector: vector))
            }
        }
        // Each sampled frame's signature is indexed by its time: a search finds the moment.
        if let index, let frames, !rejected {
            for frame in frames {
                guard let signature = frame.features.signature else { continue }
                let time = String(format: "%.3f", frame.seconds)
                try await index.add(IndexedImage(imageID: "\(imageID)@\(time)", key: "\(job.source)#t=\(time)", signature: signature))
            }
        }
        logger.debug("done")
        var flags = inspection.checks.filter { !$0.passed && $0.action == .flag }.map(\.rule)
        // A rule a frame failed flags the video (once), unless the poster frame already did.
        for check in frameChecks where check.action == .flag && !flags.contains(check.rule) {
            flags.append(check.rule)
        }
        if pipeline.duplicate?.action == .flag, duplicates?.isEmpty == false { flags.append("duplicate") }
        flags += trippedLabels.filter { $0.action == .flag }.map(\.flag)
        // Text burned into the pixels survives de-identification: the copy is never called clean.
        if let flag = Set(copyFlags).first { flags.append(flag) }
        return PipelineResult(pipeline: pipeline.name, version: pipeline.version, source: job.source, imageID: imageID,
                              features: inspection.features, checks: inspection.checks, flags: flags,
                              rejected: rejected, outputs: outputs, duplicates: duplicates,
                              duplicateOf: pipeline.duplicate?.action == .link ? duplicates?.first?.imageID : nil,
                              predictions: predictions.isEmpty ? nil : predictions, frames: frames)
    }

    /// The features, checks and model predictions of each frame `selection` picks from the
    /// video in `data`. The frames are inspected on the pixel pool in one pass; their model
    /// inputs are then made and predicted `framesPerSlice` frames at a time (the frames decoded
    /// again by their times), each slice together so the models' batchers batch it: a selection
    /// of up to 10,000 frames never holds more than one slice of tensors.
    private func sampledFrames(_ data: Data, selection: FrameSelection, extractor: FeatureExtractor, checks: [PipelineCheck],
                               batchers: [ModelBatcher]) async throws -> [PipelineResult.FrameResult] {
        let sampled = try await processor.inspectFrames(data, selection: selection) { frame, header, _ in
            let features = try extractor.extract(from: frame, sourceWidth: header.orientedWidth, sourceHeight: header.orientedHeight)
            return (features: features, checks: checks.map { $0.evaluate(features) })
        }
        var predictions: [[Prediction]] = []
        if !batchers.isEmpty {
            let inputs = batchers.map(\.model.spec.input)
            for start in stride(from: 0, to: sampled.count, by: framesPerSlice) {
                let times = sampled[start..<min(start + framesPerSlice, sampled.count)].map(\.seconds)
                let slice = try await processor.inspectFrames(data, at: times) { frame, header, _ in
                    try inputs.map { input in
                        try InputTensor(frame, sourceWidth: header.orientedWidth, sourceHeight: header.orientedHeight, input: input)
                    }
                }
                // Each time names a frame the first pass saw: fewer back would pair predictions
                // with the wrong frames, so it is a failure, not a shorter list.
                guard slice.count == times.count else {
                    throw ProcessingError.sourceUnreadable("video: \(slice.count) of \(times.count) sampled frames could be decoded again")
                }
                predictions += try await Self.predict(slice.map(\.value), with: batchers)
            }
        }
        return sampled.enumerated().map { index, frame in
            PipelineResult.FrameResult(seconds: frame.seconds, features: frame.value.features, checks: frame.value.checks,
                                       predictions: predictions.isEmpty ? nil : predictions[index])
        }
    }

    /// Each frame's inputs predicted by the batchers, concurrently (so they batch), in frame order.
    private static func predict(_ frames: [[InputTensor]], with batchers: [ModelBatcher]) async throws -> [[Prediction]] {
        try await withThrowingTaskGroup(of: (Int, [Prediction]).self) { group in
            for (index, inputs) in frames.enumerated() {
                group.addTask {
                    var predictions: [Prediction] = []
                    for (batcher, input) in zip(batchers, inputs) { predictions.append(try await batcher.predict(input)) }
                    return (index, predictions)
                }
            }
            var byFrame = [[Prediction]](repeating: [], count: frames.count)
            for try await (index, predictions) in group { byFrame[index] = predictions }
            return byFrame
        }
    }

    /// The first 32 hex digits of the SHA-256 of `data`: the id of an image, derived from its content.
    public static func imageID(of data: Data) -> String {
        SHA256.hash(data: data).prefix(16).hexDigits
    }

    private struct Inspection: Sendable {
        let features: ImageFeatures
        let checks: [CheckOutcome]
        let modelInputs: [InputTensor]
        var rejected: Bool { checks.contains { !$0.passed && $0.action == .reject } }
    }

    /// A de-identified copy of the DICOM `source` and what de-identifying found.
    /// Makes and stores a video's storyboard: its sheets as outputs `NAME-0`, `NAME-1`… and its
    /// WebVTT file as `NAME`. The video is sampled on the pixel pool (its helper process blocks).
    private func storyboard(_ board: StoryboardOutput, of source: Data, pipeline: Pipeline, imageID: String,
                            sourceName: String) async throws -> [PipelineResult.Output] {
        guard VideoSource.claims(source) else {
            throw ProcessingError.unsupportedFormat("a storyboard output needs a video source")
        }
        @Sendable func key(_ name: String, _ ext: String) -> String {
            board.key.render(["image_id": imageID, "name": name, "ext": ext, "pipeline": pipeline.name,
                              "version": pipeline.version, "source_name": sourceName])
        }
        let maxPixels = processor.limits.maxInputPixels
        let made = try await processor.pool.run { _ in
            var sheets: [(name: String, data: Data)] = []
            do throws(MediaError) {
                let video = try VideoSource(bytes: source, maxPixels: maxPixels)
                // The WebVTT names each sheet by the last part of its key: they share a folder.
                let result = try Storyboard(spec: board.spec).make(
                    from: video, name: { key("\(board.name)-\($0)", "jpg").split(separator: "/").last.map(String.init) ?? "" }
                ) { (_, data) throws(MediaError) in
                    sheets.append(("\(board.name)-\(sheets.count)", data))
                }
                return (sheets, result)
            } catch {
                throw ImageProcessor.classify(error)
            }
        }
        var outputs: [PipelineResult.Output] = []
        let perSheet = board.spec.columns * board.spec.rows
        for (index, sheet) in made.0.enumerated() {
            let sheetKey = key(sheet.name, "jpg")
            try await store.put(try ObjectKey(sheetKey), data: sheet.data, options: PutOptions(contentType: "image/jpeg"))
            // A full sheet holds columns x rows tiles; the last holds what is left, row by row.
            let tiles = min(perSheet, made.1.tiles - index * perSheet)
            let rows = (tiles + board.spec.columns - 1) / board.spec.columns
            outputs.append(.init(name: sheet.name, key: sheetKey, format: "jpeg", bytes: sheet.data.count,
                                 width: made.1.tileWidth * min(board.spec.columns, tiles), height: made.1.tileHeight * rows))
        }
        let vtt = Data(made.1.webVTT.utf8)
        let vttKey = key(board.name, "vtt")
        try await store.put(try ObjectKey(vttKey), data: vtt, options: PutOptions(contentType: "text/vtt"))
        outputs.append(.init(name: board.name, key: vttKey, format: "webvtt", bytes: vtt.count,
                             width: made.1.tileWidth, height: made.1.tileHeight))
        return outputs
    }

    /// De-identifies a DICOM source into a new file and reads it back. The rewrite is blocking file
    /// and codec work, so it runs on the pixel pool like every other pass over the pixels.
    private func deidentified(_ source: Data) async throws -> (Data, DICOMDeidentifier.Report) {
        guard DICOMSource.claims(source), let dicomKey else {
            throw ProcessingError.unsupportedFormat("a deidentify: dicom output needs a DICOM source")
        }
        return try await processor.pool.run { _ in
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("darkroom-deidentified-\(UUID().uuidString).dcm").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let report: DICOMDeidentifier.Report
            do throws(MediaError) { report = try DICOMDeidentifier(key: dicomKey).deidentify(source, writingTo: path) }
            catch { throw ImageProcessor.classify(error) }
            guard let bytes = FileManager.default.contents(atPath: path) else {
                throw ProcessingError.sourceUnreadable("the de-identified copy could not be read back")
            }
            return (bytes, report)
        }
    }
}
