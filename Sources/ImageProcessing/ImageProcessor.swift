public import Foundation
public import ImageModel
public import Logging
package import Media
package import Vips

/// Runs recipes: bytes in, bytes out, on a bounded pool of pixel threads.
///
/// Every run follows the same order: check the byte size, read the header, check the pixel
/// and frame limits, plan the output size and check it, and only then decode, using
/// shrink-on-load when the recipe starts with a resize. Operations run in the recipe's
/// order; cancellation is checked between them.
public struct ImageProcessor: Sendable {
    /// The limits every input and result must respect.
    public let limits: Limits
    /// Where pixel work runs.
    public let pool: PixelPool
    /// The watermark image (encoded) that `watermark` operations draw.
    public let watermark: Data?
    /// What finds faces for `g:obj:face`, `bd` and `dd`; nil refuses those options.
    public let detector: (any ObjectDetector)?
    /// Why there is no detector, for the refusal's message.
    public let detectorAbsence: String
    /// What fills in the arguments an `aq` option leaves out.
    public let autoQuality: AutoQualityPolicy
    private let logger: Logger

    /// Creates a processor.
    ///
    /// - Parameters:
    ///   - limits: the limits to enforce.
    ///   - pool: the pixel pool to run on.
    ///   - watermark: the encoded watermark image, if any.
    ///   - detector: what finds objects for the options that need it, if any.
    ///   - detectorAbsence: why there is none (its model files are missing, say), for messages.
    ///   - autoQuality: the defaults for `aq`'s arguments.
    ///   - logger: where to log.
    public init(limits: Limits = Limits(), pool: PixelPool, watermark: Data? = nil, detector: (any ObjectDetector)? = nil,
                detectorAbsence: String = "no face detector is configured", autoQuality: AutoQualityPolicy = AutoQualityPolicy(),
                logger: Logger = Logger(label: "darkroom.processing")) {
        self.limits = limits
        self.pool = pool
        self.watermark = watermark
        self.detector = detector
        self.detectorAbsence = detectorAbsence
        self.autoQuality = autoQuality
        self.logger = logger
    }

    /// This processor with `detector` for the options that look for objects.
    public func detecting(with detector: (any ObjectDetector)?, absence: String) -> ImageProcessor {
        ImageProcessor(limits: limits, pool: pool, watermark: watermark, detector: detector, detectorAbsence: absence,
                       autoQuality: autoQuality, logger: logger)
    }

    /// Refuses, before anything is read, a recipe that looks for objects this processor cannot find.
    /// - Throws: ``ProcessingError/detectorUnavailable(_:)``.
    public func checkDetectable(_ recipe: Recipe) throws(ProcessingError) {
        let wanted = Set(recipe.operations.flatMap(\.detectedClasses))
        guard !wanted.isEmpty else { return }
        guard let detector else { throw .detectorUnavailable(detectorAbsence) }
        if let missing = wanted.subtracting(detector.classes).sorted().first {
            throw .detectorUnavailable("the detector finds \(detector.classes.sorted().joined(separator: ", ")), not \(missing)")
        }
    }

    /// Reads the header of a source without decoding pixels.
    ///
    /// - Throws: ``ProcessingError`` when the source is unreadable, too big, or not an image.
    public func probe(_ source: ImageSource) throws(ProcessingError) -> ImageHeader {
        try probe(try read(source))
    }

    /// A DICOM source's data set as DICOM JSON (DICOMweb's `/metadata`), without Pixel Data and,
    /// unless `includesPatient`, without the patient's identifying attributes. Run on the pixel pool.
    ///
    /// - Throws: ``ProcessingError/unsupportedFormat(_:)`` when the bytes are not DICOM.
    public func dicomMetadata(_ source: ImageSource, includesPatient: Bool) async throws -> String {
        try await pool.run { _ in
            guard case let .dicom(parsed) = try self.read(source) else { throw ProcessingError.unsupportedFormat("the source is not DICOM") }
            do throws(MediaError) { return try parsed.metadataJSON(includesPatient: includesPatient) } catch { throw Self.classify(error) }
        }
    }

    /// Runs `recipe` on `source` on the pixel pool.
    ///
    /// - Parameter qualitySeed: the quality `aq` chose for a neighbouring request (the same
    ///   source in another size, say), where its search starts.
    /// - Returns: the encoded result with its format and size.
    /// - Throws: ``ProcessingError``; `CancellationError` when cancelled while waiting.
    public func run(_ recipe: Recipe, on source: ImageSource, qualitySeed: Int? = nil) async throws -> ProcessedImage {
        let submitted = ContinuousClock.now
        // Taken here: the pixel thread has no task-local context of its own.
        let trace = RenderTrace.current
        return try await pool.run { flag in
            let queued = ContinuousClock.now - submitted
            var result = try self.render(recipe, source: source, cancellation: flag, qualitySeed: qualitySeed, trace: trace)
            result.timings.queue = queued
            return result
        }
    }

    /// Runs `recipe` on the calling thread. Use ``run(_:on:)`` unless already on a pixel thread.
    ///
    /// - Throws: ``ProcessingError``.
    public func render(_ recipe: Recipe, source: ImageSource, cancellation: CancellationFlag = CancellationFlag(),
                       qualitySeed: Int? = nil, trace: RenderTrace = .off) throws(ProcessingError) -> ProcessedImage {
        let started = ContinuousClock.now
        try checkEncodable(recipe.output.format)
        try checkDetectable(recipe)
        let input = try read(source)
        let header = try probe(input)
        let image = try trace.span("image.decode", attributes: [("image.loader", input.loader ?? "unknown")]) { trace throws(ProcessingError) in
            try mapped { () throws -> VipsImage in
                try self.decode(recipe, input: input, header: header, cancellation: cancellation, trace: trace)
            }
        }
        return try encode(image, as: recipe.output, started: started, cancellation: cancellation, qualitySeed: qualitySeed,
                          trace: trace)
    }

    /// Decodes `source` once and makes every output from that one image.
    ///
    /// The source is decoded with `preprocess` (shrink-on-load when it starts with a resize),
    /// kept in memory, shown to `inspect` (analysis), and then each recipe that `outputs` picks
    /// from the inspection runs on it, so N derivatives cost one decode instead of N. The output recipes' own auto-rotation is
    /// moot: the working image is already upright.
    /// - Throws: ``ProcessingError``; `CancellationError` when cancelled while waiting.
    public func derive<T: Sendable>(
        _ source: ImageSource, preprocess: Recipe,
        inspect: @escaping @Sendable (_ working: DecodedImage, _ source: ImageHeader) throws -> T,
        outputs: @escaping @Sendable (T) -> [Recipe]
    ) async throws -> DerivedImages<T> {
        let trace = RenderTrace.current
        return try await pool.run { flag in
            try self.checkDetectable(preprocess)
            let input = try self.read(source)
            let header = try self.probe(input)
            let context = StepContext(watermark: self.watermark, detector: self.detector, detectorAbsence: self.detectorAbsence)
            let working = try trace.span("image.decode", attributes: [("image.loader", input.loader ?? "unknown")]) { trace throws(ProcessingError) in
                try self.mapped { () throws -> VipsImage in
                    try self.decode(preprocess, input: input, header: header, cancellation: flag, trace: trace).materialised()
                }
            }
            try flag.check()
            let inspection: T
            do { inspection = try inspect(DecodedImage(working), header) }
            catch let error as VipsError { throw Self.classify(error) }
            var results: [ProcessedImage] = []
            for output in outputs(inspection) {
                let started = ContinuousClock.now
                try self.checkEncodable(output.output.format)
                let image = try self.mapped { () throws -> VipsImage in
                    // The working image's gain map matches it; an output's own operations would not keep it so.
                    let start = output.operations.isEmpty ? working : try working.droppingGainMap()
                    var context = context
                    context.bitDepth = output.output.bitDepth
                    return try self.apply(output.operations, to: start, context: context, cancellation: flag, trace: trace)
                }
                results.append(try self.encode(image, as: output.output, started: started, cancellation: flag, trace: trace))
            }
            return DerivedImages(source: header, width: working.width, height: working.height,
                                 inspection: inspection, outputs: results)
        }
    }

    /// Refuses, before any decoding, an output format this engine cannot write.
    private func checkEncodable(_ format: OutputFormat) throws(ProcessingError) {
        if format == .heic && !VipsRuntime.savesHEIC {
            throw .encodeFailed("heic: this libvips (\(VipsRuntime.version)) has no HEVC encoder; use f:avif")
        }
    }

    /// The decoded image after `recipe`'s operations, before encoding. Limits are checked first.
    private func decode(_ recipe: Recipe, input: EncodedInput, header: ImageHeader,
                        cancellation: CancellationFlag, trace: RenderTrace) throws -> VipsImage {
        let oriented = recipe.autoRotate
            ? (header.orientedWidth, header.orientedHeight) : (header.width, header.height)
        let leading = recipe.leadingResize.map { $0.step as! ResizeStep }
        let plan = leading?.plan(sourceWidth: oriented.0, sourceHeight: oriented.1)
        if let plan {
            do throws(LimitError) { try limits.checkOutput(width: plan.outputSize.width, height: plan.outputSize.height) }
            catch { throw ProcessingError.limitExceeded(error) }
        }
        try cancellation.check()

        var context = StepContext(watermark: watermark, detector: detector, detectorAbsence: detectorAbsence)
        context.bitDepth = recipe.output.bitDepth
        if let container = try containerFrame(input, recipe: recipe) {
            var image = container
            if let plan {
                let (width, height) = loadSize(plan, source: oriented, gravity: leading?.gravity)
                image = try image.thumbnail(width: width, height: height, size: .force)
            }
            if recipe.operations.contains(where: { $0.needsRandomAccess }) { image = try image.materialised() }
            return try apply(recipe.operations, to: image, context: context, cancellation: cancellation, trace: trace)
        }
        let needsRandom = recipe.operations.contains { $0.needsRandomAccess }
        var image: VipsImage
        var operations = recipe.operations
        // An Ultra HDR gain map stays only while it still matches the pixels: libvips'
        // thumbnail resizes (and rotates) it with the image, but every other operation leaves
        // it as it was. So it is kept when the recipe only resizes, and dropped otherwise.
        let keepsGainMap: Bool
        let region = plan == nil && (!recipe.autoRotate || header.orientation == 1)
            ? RegionPlan(operations: operations, header: header, loader: input.loader) : nil
        if let region, let (reduced, mapped) = try region.load(input, header: header, operations: operations,
                                                               access: needsRandom ? .random : .sequential) {
            // A region scaled down: decode at a fraction of full size and cut it from that.
            image = reduced
            operations = mapped
            keepsGainMap = false
        } else if let plan {
            // Shrink-on-load: the decoder itself produces a small image (JPEG DCT scaling,
            // WebP scaling), then the resize step only crops or extends.
            let (width, height) = loadSize(plan, source: oriented, gravity: leading?.gravity)
            image = try VipsImage.thumbnail(try input.bytes(), width: width, height: height, size: .force,
                                            autoRotate: recipe.autoRotate)
            if needsRandom { image = try image.materialised() }
            keepsGainMap = operations.count == 1 && plan.crop == nil && plan.canvas == nil
        } else {
            let rotates = recipe.autoRotate && header.orientation != 1
            image = try input.load(access: needsRandom || rotates ? .random : .sequential)
            if recipe.autoRotate { image = try AutoRotateStep().apply(to: image, context: context) }
            keepsGainMap = operations.isEmpty && !rotates
        }
        if !keepsGainMap { image = try image.droppingGainMap() }
        return try apply(operations, to: image, context: context, cancellation: cancellation, trace: trace)
    }

    /// The recipe's frame of a container source (a DICOM frame, a video's frame at
    /// `video_thumbnail_second`); nil for a still image, which libvips loads.
    private func containerFrame(_ input: EncodedInput, recipe: Recipe) throws(ProcessingError) -> VipsImage? {
        switch input {
        case let .dicom(source):
            return try renderDICOM(source, recipe: recipe)
        case let .video(source):
            do throws(MediaError) { return try source.frame(at: recipe.videoSecond) } catch { throw Self.classify(error) }
        case .bytes, .tiffFile:
            return nil
        }
    }

    /// Renders the recipe's frame of a DICOM source, windowed (see ``DICOMSource``). Decoding
    /// every frame may take at most 8 bytes per pixel of the source pixel limit.
    private func renderDICOM(_ source: DICOMSource, recipe: Recipe) throws(ProcessingError) -> VipsImage {
        do throws(MediaError) {
            return try source.render(frame: recipe.frame, window: recipe.window, bitDepth: recipe.output.bitDepth,
                                     maxDecodedBytes: limits.maxInputPixels.multipliedReportingOverflow(by: 8).partialValue)
        } catch {
            throw Self.classify(error)
        }
    }

    /// DICOM and video bytes opened once (their header and frames come from that), anything else
    /// left to libvips' loaders.
    private func container(_ data: Data) throws(ProcessingError) -> EncodedInput {
        do throws(MediaError) {
            if DICOMSource.claims(data) { return .dicom(try DICOMSource(bytes: data)) }
            if VideoSource.claims(data) { return .video(try VideoSource(bytes: data, maxPixels: limits.maxInputPixels)) }
        } catch {
            throw Self.classify(error)
        }
        return .bytes(data)
    }

    /// Sorts a container's failure the way a libvips one is sorted.
    package static func classify(_ error: MediaError) -> ProcessingError {
        switch error {
        case let .unsupported(detail): .unsupportedFormat(detail)
        case let .broken(detail): .undecodable(detail)
        case let .limitExceeded(limit): .limitExceeded(limit)
        }
    }

    /// The size to shrink on load to: the plan's, or, when the resize crops on objects, at least
    /// the detector's framing size (never more than the source), so the detector sees the
    /// objects larger than the final crop shows them; the resize step then shrinks the rest.
    private func loadSize(_ plan: ResizePlan, source: (Int, Int), gravity: Gravity?) -> (Int, Int) {
        guard case .objects = gravity, plan.crop != nil, let detector else { return (plan.width, plan.height) }
        let longest = Double(max(plan.width, plan.height))
        let wanted = min(Double(max(source.0, source.1)), Double(detector.framingSize))
        guard wanted > longest else { return (plan.width, plan.height) }
        let factor = wanted / longest
        return (min(source.0, Int((Double(plan.width) * factor).rounded())),
                min(source.1, Int((Double(plan.height) * factor).rounded())))
    }

    /// Brings `image` to 8-bit sRGB, then runs `operations` in order.
    private func apply(_ operations: [ImageModel.Operation], to image: VipsImage, context: StepContext,
                       cancellation: CancellationFlag, trace: RenderTrace) throws -> VipsImage {
        var image = try ColourStep().apply(to: image, context: context)
        for operation in operations {
            try cancellation.check()
            // libvips is lazy: an operation's span times building its part of the pipeline; the
            // pixels are computed under the encode span.
            image = try trace.span("image.operation", attributes: [("image.operation", operation.name)]) { _ in
                try operation.step.apply(to: image, context: context)
            }
        }
        return image
    }

    /// Checks the result's size, then encodes it.
    private func encode(_ image: VipsImage, as output: OutputSpec, started: ContinuousClock.Instant,
                        cancellation: CancellationFlag, qualitySeed: Int? = nil, trace: RenderTrace) throws(ProcessingError) -> ProcessedImage {
        try cancellation.check()
        do throws(LimitError) { try limits.checkOutput(width: image.width, height: image.height) }
        catch { throw ProcessingError.limitExceeded(error) }
        let encoding = ContinuousClock.now
        let result = try trace.span("image.encode", attributes: [("image.format", output.format.rawValue)]) { _ throws(ProcessingError) in
            try mapped { () throws -> EncodeStep.Result in
                try EncodeStep(output: output, policy: autoQuality, seed: qualitySeed).encode(image)
            }
        }
        var timings = RenderTimings()
        timings.processing = encoding - started
        timings.encode = ContinuousClock.now - encoding
        return ProcessedImage(data: result.data, format: result.format, width: image.width, height: image.height,
                              quality: result.quality, qualitySearch: result.search, formatDecision: result.decision,
                              timings: timings)
    }

    /// Runs pixel work, turning libvips' failures into ``ProcessingError``.
    private func mapped<T>(_ body: () throws -> T) throws(ProcessingError) -> T {
        do {
            return try body()
        } catch let error as ProcessingError {
            throw error
        } catch let error as VipsError {
            throw Self.classify(error)
        } catch {
            throw .undecodable(String(describing: error))
        }
    }

    private func read(_ source: ImageSource) throws(ProcessingError) -> EncodedInput {
        switch source {
        case let .bytes(data):
            do throws(LimitError) { try limits.checkInput(bytes: data.count) } catch { throw .limitExceeded(error) }
            return try container(data)
        case let .file(path):
            // The size is checked from the file system before a byte is read.
            let attributes: [FileAttributeKey: Any]
            do { attributes = try FileManager.default.attributesOfItem(atPath: path) }
            catch { throw .sourceUnreadable("\(path): no such file or not readable") }
            if let type = attributes[.type] as? FileAttributeType, type == .typeDirectory {
                throw .sourceUnreadable("\(path) is a directory")
            }
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            do throws(LimitError) { try limits.checkInput(bytes: size) } catch { throw .limitExceeded(error) }
            // TIFFs stay on disk: libvips reads the tiles a request needs, not the whole file.
            if EncodedInput.isTIFF(path) { return .tiffFile(path) }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .sourceUnreadable("\(path): cannot be read")
            }
            return try container(data)
        }
    }

    /// The loaders Darkroom accepts: the engine's unblocked buffer loaders (JPEG, Ultra HDR
    /// JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF). Everything else (ImageMagick, PDF, SVG, JPEG XL…)
    /// is refused before libvips touches more than the first bytes.
    static var acceptedLoaders: Set<String> { ForeignOperation.servedBufferLoaders }

    private func probe(_ input: EncodedInput) throws(ProcessingError) -> ImageHeader {
        let containerHeader: ImageHeader? = switch input {
        case let .dicom(source): source.header
        case let .video(source): source.header
        case .bytes, .tiffFile: nil
        }
        if let header = containerHeader {
            do throws(LimitError) { try limits.checkInput(width: header.width, height: header.height, frames: header.pages) }
            catch { throw .limitExceeded(error) }
            return header
        }
        guard let loader = input.loader else {
            throw .unsupportedFormat("the bytes are not in a known image format")
        }
        guard Self.acceptedLoaders.contains(loader) else {
            throw .unsupportedFormat("\(loader.replacingOccurrences(of: "load_buffer", with: "")) is not an accepted format")
        }
        let header: ImageHeader
        do throws(VipsError) { header = try input.header() } catch { throw Self.classify(error) }
        do throws(LimitError) { try limits.checkInput(width: header.width, height: header.height, frames: header.pages) }
        catch { throw .limitExceeded(error) }
        return header
    }

    /// Sorts a libvips failure into "a broken image" and "cannot encode".
    ///
    /// Whether the bytes are an accepted format at all is settled earlier, from the loader
    /// that claims them. Pixels decode lazily, while the result is being saved, so a broken
    /// source usually fails inside a saver; only a message from the saver itself means
    /// encoding failed. (A saver that failed beside other failures may report its message as
    /// lost, never as another's: see the Vips module's error channel; that reads as broken.)
    package static func classify(_ error: VipsError) -> ProcessingError {
        let message = error.message
        if error.operation.hasSuffix("save_buffer"), message.contains("save") {
            return .encodeFailed(error.description)
        }
        return .undecodable(message.isEmpty ? "\(error.operation) failed" : message)
    }
}
