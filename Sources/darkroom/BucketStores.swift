import ObjectStorage
import Synchronization

/// One S3 store per source bucket, opened on first use and kept.
final class BucketStores: Sendable {
    private let open: @Sendable (String) throws(ObjectStoreError) -> any ObjectStore
    private let stores = Mutex<[String: any ObjectStore]>([:])

    init(open: @escaping @Sendable (String) throws(ObjectStoreError) -> any ObjectStore) {
        self.open = open
    }

    /// The store for `bucket`.
    @Sendable func store(for bucket: String) throws(ObjectStoreError) -> any ObjectStore {
        if let store = stores.withLock({ $0[bucket] }) { return store }
        let store = try open(bucket)
        stores.withLock { $0[bucket] = store }
        return store
    }
}
