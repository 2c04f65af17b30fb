import Foundation
public import Hummingbird
public import ImageProcessing
public import JobQueue
public import ObjectStorage
public import Pipelines
import Logging
import NIOFoundationEssentialsCompat
import ImageModel

/// `POST /v1/images`: uploads, sniffed and limited (bytes, then the header's pixels and
/// frames) before they are stored, under a key derived from their content, so the same image
/// uploaded twice is stored once and its upload pipelines run once.
public struct UploadsController: Sendable {
    let queue: any JobQueue
    let catalog: PipelineCatalog
    let store: any ObjectStore
    let processor: ImageProcessor
    /// The pipelines an upload runs.
    let onUpload: [String]

    /// Creates the controller.
    public init(queue: any JobQueue, catalog: PipelineCatalog, store: any ObjectStore, processor: ImageProcessor,
                onUpload: [String]) {
        self.queue = queue
        self.catalog = catalog
        self.store = store
        self.processor = processor
        self.onUpload = onUpload
    }

    /// Adds the route to `group` (`/v1`, behind its authentication).
    public func addRoutes<Context: AuthenticatedContext>(to group: RouterGroup<Context>) {
        group.post("images") { request, context in try await self.upload(request, context: context) }
    }

    private func upload(_ request: Request, context: some AuthenticatedContext) async throws -> JSONResponse<UploadResponse> {
        let body = try await ImageRequestBody.readImage(request, maxBytes: processor.limits.maxInputBytes)
        // Sniff the type and check pixels and frames from the header, before storing anything.
        let header = try await processor.pool.run { _ in try self.processor.probe(.bytes(body)) }
        let imageID = PipelineRunner.imageID(of: body)
        // A key bound to a prefix uploads under it.
        let key = (context.principal?.prefix ?? "") + "originals/\(imageID)"
        let contentType = header.dicom == nil ? "image/\(header.format)" : "application/dicom"
        _ = try await store.put(try ObjectKey(key), data: body, options: PutOptions(contentType: contentType))
        // A DICOM instance is indexed by its UIDs, for the DICOMweb routes; one whose UIDs are not
        // valid UIDs is stored all the same, only not reachable through DICOMweb.
        if let dicom = header.dicom, let study = dicom.studyInstanceUID, let series = dicom.seriesInstanceUID,
           let instance = dicom.sopInstanceUID {
            if let entry = try? DICOMwebController.indexKey(prefix: context.principal?.prefix ?? "", study: study, series: series,
                                                            instance: instance) {
                _ = try await store.put(entry, data: Data(key.utf8), options: PutOptions(contentType: "text/plain"))
            } else {
                context.logger.notice("a DICOM upload's UIDs are not valid UIDs: not indexed for DICOMweb", metadata: ["key": "\(key)"])
            }
        }
        var jobs: [UploadResponse.UploadJob] = []
        for name in onUpload {
            let pipeline = try catalog.pipeline(named: name)
            let job = try await queue.enqueue(pipeline.job(
                source: key, queue: PipelineJob.uploadQueue,
                // The same image through the same pipeline version runs once.
                // (under a key's prefix, per prefix: another tenant's copy is another object).
                idempotencyKey: "upload:\(pipeline.name):\(pipeline.version):\(context.principal?.prefix ?? "")\(imageID)",
                batchID: "upload-\(imageID)",
                megapixels: Double(header.orientedWidth) * Double(header.orientedHeight) / 1e6))
            jobs.append(UploadResponse.UploadJob(id: job.id, pipeline: pipeline.name, status: job.status.rawValue))
        }
        context.logger.info("upload stored", metadata: ["key": "\(key)", "jobs": "\(jobs.count)"])
        return JSONResponse(UploadResponse(imageID: imageID, key: key, width: header.orientedWidth, height: header.orientedHeight,
                                           format: header.format, batchID: "upload-\(imageID)", jobs: jobs),
                            status: .accepted)
    }
}
