import Foundation
import ImageModel
import ImageProcessing
public import ObjectStorage

/// Serves `s3://bucket/key` sources from object storage.
///
/// The same rules hold as for other sources: the allow-list, and the byte limit, checked from
/// the object's size (a HEAD) before its body is read. The body is downloaded only when a render
/// needs it, so an answer from the cache or the result store costs one HEAD. The URL may not carry a query: where a bucket
/// lives (endpoint, region, credentials) is the operator's configuration, never the caller's.
public struct ObjectSourceFetcher: ImageSourceFetcher {
    public var schemes: Set<String> { ["s3"] }
    let allowList: SourceAllowList
    let store: @Sendable (_ bucket: String) throws(ObjectStoreError) -> any ObjectStore

    /// Creates a fetcher that opens the store of each bucket through `store`.
    public init(allowList: SourceAllowList, store: @escaping @Sendable (_ bucket: String) throws(ObjectStoreError) -> any ObjectStore) {
        self.allowList = allowList
        self.store = store
    }

    public func fetch(_ url: String, maxBytes: Int) async throws(SourceError) -> FetchedSource {
        guard url.lowercased().hasPrefix("s3://"), !url.contains("?") else {
            throw .invalid("expected s3://bucket/key without a query, got '\(url)'")
        }
        try allowList.check(url)
        let path = url.dropFirst("s3://".count)
        guard let slash = path.firstIndex(of: "/") else { throw .invalid("expected s3://bucket/key, got '\(url)'") }
        let bucket = String(path[..<slash])
        let rawKey = String(path[path.index(after: slash)...])
        do {
            let key = try ObjectKey(rawKey.removingPercentEncoding ?? rawKey)
            let store = try store(bucket)
            // A HEAD identifies the version and checks the size; the bytes come only if a render needs them.
            let info = try await store.head(key)
            do { try Limits(maxInputBytes: maxBytes).checkInput(bytes: info.size) } catch { throw SourceError.tooLarge(error) }
            let name = ((key.segments.last.map(String.init) ?? "image") as NSString).deletingPathExtension
            return FetchedSource(identity: "s3:\(bucket)/\(key):\(info.etag)", name: name, byteCount: info.size) {
                do {
                    let download = try await store.stream(key, range: nil)
                    return .bytes(try await download.body.collect(upTo: maxBytes))
                } catch {
                    throw Self.sourceError(error, url: url)
                }
            }
        } catch {
            throw Self.sourceError(error, url: url)
        }
    }

    private static func sourceError(_ error: any Error, url: String) -> SourceError {
        switch error {
        case let error as SourceError:
            return error
        case let error as ObjectStoreError:
            switch error {
            case .notFound: return .notFound(url)
            case .invalidKey: return .invalid(error.description)
            case .accessDenied: return .forbidden(error.description)
            default: return .unreachable(error.description)
            }
        default:
            return .unreachable(String(describing: error))
        }
    }
}
