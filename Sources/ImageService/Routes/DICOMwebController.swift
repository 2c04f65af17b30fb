import Foundation
public import Hummingbird
public import ImageProcessing
public import ObjectStorage
import ImageModel
import NIOFoundationEssentialsCompat

/// A subset of DICOMweb (PS3.18), so that web viewers can point at Darkroom: rendered instances
/// and frames, and an instance's metadata as DICOM JSON, for DICOM files uploaded through
/// `POST /v1/images`, which indexes them by their study, series and SOP instance UIDs.
///
/// - `GET /dicomweb/studies/{study}/series/{series}/instances/{instance}/rendered`
/// - `GET …/instances/{instance}/frames/{frame}/rendered` (frames count from 1, as in DICOMweb)
/// - `GET …/instances/{instance}/metadata`
///
/// `rendered` takes `window=centre,width`, `viewport=width,height` and `quality=1…100`, and
/// answers JPEG, or PNG or WebP when `Accept` asks for them. Behind the `/v1` API keys.
public struct DICOMwebController: Sendable {
    let store: any ObjectStore
    let processor: ImageProcessor
    let includesPatient: Bool

    /// Creates the controller; `includesPatient` releases patient attributes in `/metadata`.
    public init(store: any ObjectStore, processor: ImageProcessor, includesPatient: Bool) {
        self.store = store
        self.processor = processor
        self.includesPatient = includesPatient
    }

    /// Where the index entry of an instance is kept, under the uploader's prefix: its content is
    /// the key of the DICOM file.
    static func indexKey(prefix: String, study: String, series: String, instance: String) throws -> ObjectKey {
        for uid in [study, series, instance] where !Self.isUID(uid) {
            throw ServiceError(status: 400, error: "invalid request", detail: "UID: expected digits and dots, at most 64, found \(uid.prefix(80))")
        }
        return try ObjectKey(prefix + "dicomweb/\(study)/\(series)/\(instance)")
    }

    /// A UID as PS3.5 9.1 spells them: digits and dots, at most 64 characters.
    static func isUID(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { $0 == "." || $0.isASCII && $0.isNumber }
    }

    /// Adds the routes to `group` (`/dicomweb`, behind the API keys).
    public func addRoutes<Context: AuthenticatedContext>(to group: RouterGroup<Context>) {
        let instance = "studies/:study/series/:series/instances/:instance"
        group.get("\(instance)/rendered") { request, context in try await self.rendered(request, context: context, frame: 1) }
        group.get("\(instance)/frames/:frame/rendered") { request, context in
            let text = context.parameters.get("frame") ?? ""
            guard let frame = Int(text), frame >= 1 else {
                throw ServiceError(status: 400, error: "invalid request", detail: "frame: expected one frame number from 1, found \(text)")
            }
            return try await self.rendered(request, context: context, frame: frame)
        }
        group.get("\(instance)/metadata") { request, context in try await self.metadata(context: context) }
    }

    /// The DICOM file of the instance the path names.
    private func source(context: some AuthenticatedContext) async throws -> Data {
        let parameters = context.parameters
        let key = try Self.indexKey(prefix: context.principal?.prefix ?? "", study: parameters.get("study") ?? "",
                                    series: parameters.get("series") ?? "", instance: parameters.get("instance") ?? "")
        guard let entry = try await object(key) else {
            throw ServiceError(status: 404, error: "not found",
                               detail: "no instance \(parameters.get("instance") ?? "") in series \(parameters.get("series") ?? "") of study \(parameters.get("study") ?? "")")
        }
        return try await store.get(try ObjectKey(String(decoding: entry.data, as: UTF8.self))).data
    }

    /// The object under `key`, or nil when there is none. (Outside the generic route function:
    /// catching the store's typed error there crashes Swift 6.3.1's compiler.)
    private func object(_ key: ObjectKey) async throws(ObjectStoreError) -> StoredObject? {
        do {
            return try await store.get(key)
        } catch {
            if case .notFound = error { return nil }
            throw error
        }
    }

    private func rendered(_ request: Request, context: some AuthenticatedContext, frame: Int) async throws -> Response {
        let query = request.uri.queryParameters
        var options = ["fr:\(frame - 1)"]
        if let window = query.get("window") {
            let values = window.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard values.count >= 2, let centre = values[0], let width = values[1] else {
                throw ServiceError(status: 400, error: "invalid request", detail: "window: expected centre,width[,function], found \(window)")
            }
            options.append("dw:\(centre):\(width)")
        }
        if let viewport = query.get("viewport") {
            let values = viewport.split(separator: ",").prefix(2).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard values.count == 2, let width = values[0], let height = values[1], width > 0, height > 0 else {
                throw ServiceError(status: 400, error: "invalid request", detail: "viewport: expected width,height, found \(viewport)")
            }
            options.append("rs:fit:\(width):\(height)")
        }
        let format = Self.format(accept: request.headers[.accept] ?? "")
        options.append("f:\(format)")
        if let quality = query.get("quality") {
            guard let value = Int(quality), (1...100).contains(value) else {
                throw ServiceError(status: 400, error: "invalid request", detail: "quality: expected 1 to 100, found \(quality)")
            }
            if format != "png" { options.append("q:\(value)") }
        }
        let recipe: Recipe
        do { recipe = try Recipe(canonical: options.joined(separator: "/")) }
        catch { throw ServiceError(status: 400, error: "invalid request", detail: "\(error)") }
        let bytes = try await source(context: context)
        let image = try await processor.run(recipe, on: .bytes(bytes))
        return Response(status: .ok, headers: [.contentType: image.format.mimeType ?? "application/octet-stream"],
                        body: ResponseBody(byteBuffer: ByteBuffer(data: image.data)))
    }

    /// The rendered media type `Accept` prefers among JPEG (the default), PNG and WebP: the
    /// highest q-value, then the first listed.
    static func format(accept: String) -> String {
        let offered = ["image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"]
        var best: (format: String, quality: Double)?
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let format = offered[parts[0].lowercased()] else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0, quality > best?.quality ?? 0 { best = (format, quality) }
        }
        return best?.format ?? "jpg"
    }

    private func metadata(context: some AuthenticatedContext) async throws -> Response {
        let bytes = try await source(context: context)
        let json = try await processor.dicomMetadata(.bytes(bytes), includesPatient: includesPatient)
        // DICOMweb answers a list of instances, even for one.
        return Response(status: .ok, headers: [.contentType: "application/dicom+json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: "[" + json + "]")))
    }
}
