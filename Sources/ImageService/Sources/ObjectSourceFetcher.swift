import Foundation
import ImageModel
import ImageProcessing
import ObjectStorage

/// Serves `s3://bucket/key` sources from object storage.
///
/// The same rules hold as for other sources: the allow-list, and the byte limit, checked from
/// the object's size before its body is read. The URL may not carry a query: where a bucket
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
            let download = try await store(bucket).stream(key, range: nil)
            do { try Limits(maxInputBytes: maxBytes).checkInput(bytes: download.info.size) } catch { throw SourceError.tooLarge(error) }
            let data = try await download.body.collect(upTo: maxBytes)
            let name = ((key.segments.last.map(String.init) ?? "image") as NSString).deletingPathExtension
            return FetchedSource(source: .bytes(data), identity: "s3:\(bucket)/\(key):\(download.info.etag)",
                                 name: name, byteCount: data.count)
        } catch let error as SourceError {
            throw error
        } catch let error as ObjectStoreError {
            switch error {
            case .notFound: throw .notFound(url)
            case .invalidKey: throw .invalid(error.description)
            case .accessDenied: throw .forbidden(error.description)
            default: throw .unreachable(error.description)
            }
        } catch {
            throw .unreachable(String(describing: error))
        }
    }
}
