import Foundation
import ImageAnalysis
import Logging
public import PostgresNIO
import PostgresQuerying
public import Similarity
import NIOFoundationEssentialsCompat

/// Signatures in PostgreSQL, shared by every server and worker of a cluster.
///
/// As in SQLite, each hash chunk is a row whose primary key is (hash, position, value, image):
/// a search joins the probed chunks against that key in one statement, index-driven, which a
/// test shows with `EXPLAIN`. The caller owns the `PostgresClient` and runs it.
public final class PostgresSimilarityIndex: SimilarityIndex {
    private let client: PostgresClient
    private let table: String
    private let logger: Logger
    private let executor: SimilarityExecutor

    /// An index in `table` (lower-case letters, digits and `_`), which ``migrate()`` creates;
    /// `executor` runs keypoint verification.
    public init(client: PostgresClient, table: String = "darkroom_image", logger: Logger = Logger(label: "darkroom.index"),
                executor: SimilarityExecutor = .inline) throws(SimilarityError) {
        self.executor = executor
        guard !table.isEmpty, table.first?.isLetter == true,
              table.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw .invalidConfiguration("table: expected lower-case letters, digits and _, got '\(table)'")
        }
        self.client = client
        self.table = table
        self.logger = logger
    }

    /// Creates the tables once, under an advisory lock so that processes starting together do not race.
    ///
    /// A schema that is already current is left alone: `ALTER TABLE … ADD COLUMN IF NOT EXISTS`
    /// takes the table's exclusive lock even when the column exists, so a node starting while
    /// another writes a long batch into the index would wait for that batch.
    public func migrate() async throws(SimilarityError) {
        let table = table
        try await transaction { connection in
            try await connection.liveQuery("SELECT pg_advisory_xact_lock(hashtext(\(table)))", logger: self.logger)
            var current = false
            for try await found in try await connection.liveQuery("""
                SELECT to_regclass(\(table + "_embedding_image")) IS NOT NULL AND EXISTS (
                    SELECT 1 FROM information_schema.columns WHERE table_name = \(table) AND column_name = 'block3')
                """, logger: self.logger).decode(Bool.self) { current = found }
            if !current { try await self.createSchema(table, connection) }
            try await self.rechunkStaleRows(table, connection)
        }
    }

    /// The tables, columns and indexes, each made only if missing.
    private func createSchema(_ table: String, _ connection: PostgresConnection) async throws {
        try await connection.liveQuery("""
            CREATE TABLE IF NOT EXISTS \(unescaped: table) (
                id TEXT PRIMARY KEY, key TEXT NOT NULL, digest TEXT NOT NULL, flat BOOL NOT NULL, version INT NOT NULL,
                signature BYTEA NOT NULL, added_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """, logger: self.logger)
        try await connection.liveQuery("CREATE INDEX IF NOT EXISTS \(unescaped: table)_digest ON \(unescaped: table) (digest)",
                                   logger: self.logger)
        try await connection.liveQuery("""
            CREATE TABLE IF NOT EXISTS \(unescaped: table)_chunk (
                hash TEXT NOT NULL, position INT NOT NULL, value INT NOT NULL,
                image_id TEXT NOT NULL REFERENCES \(unescaped: table) (id) ON DELETE CASCADE,
                PRIMARY KEY (hash, position, value, image_id))
            """, logger: self.logger)
        try await connection.liveQuery(
            "CREATE INDEX IF NOT EXISTS \(unescaped: table)_chunk_image ON \(unescaped: table)_chunk (image_id)",
            logger: self.logger)
        // Signature version 2: packed keypoints, read only by transformed searches.
        try await connection.liveQuery("ALTER TABLE \(unescaped: table) ADD COLUMN IF NOT EXISTS keypoints BYTEA",
                                   logger: self.logger)
        // The DCT hash and the block hash's four words as integers, so that a search drops the
        // candidates its chunks found by chance (SignatureComparison.prefilterPHashRadius)
        // before reading their signatures. Rows written before have NULLs and are read.
        try await connection.liveQuery("""
            ALTER TABLE \(unescaped: table) ADD COLUMN IF NOT EXISTS phash BIGINT, ADD COLUMN IF NOT EXISTS block0 BIGINT,
                ADD COLUMN IF NOT EXISTS block1 BIGINT, ADD COLUMN IF NOT EXISTS block2 BIGINT, ADD COLUMN IF NOT EXISTS block3 BIGINT
            """, logger: self.logger)
        // Models' vectors, for "looks like" searches: one row per model and image.
        try await connection.liveQuery("""
            CREATE TABLE IF NOT EXISTS \(unescaped: table)_embedding (
                model TEXT NOT NULL, image_id TEXT NOT NULL, key TEXT NOT NULL, vector BYTEA NOT NULL,
                PRIMARY KEY (model, image_id))
            """, logger: self.logger)
        try await connection.liveQuery(
            "CREATE INDEX IF NOT EXISTS \(unescaped: table)_embedding_image ON \(unescaped: table)_embedding (image_id)",
            logger: self.logger)
    }

    /// Chunk widths changed (MultiIndexHash): rows of the old widths, named 'phash' and
    /// 'block', are made again from each image's stored signature, and its hash columns filled.
    private func rechunkStaleRows(_ table: String, _ connection: PostgresConnection) async throws {
        var stale = false
        for try await found in try await connection.liveQuery("""
            SELECT EXISTS (SELECT 1 FROM \(unescaped: table)_chunk WHERE hash IN ('phash', 'block'))
            """, logger: self.logger).decode(Bool.self) { stale = found }
        guard stale else { return }
        try await connection.liveQuery("DELETE FROM \(unescaped: table)_chunk WHERE hash IN ('phash', 'block')", logger: self.logger)
        // A thousand images at a time, in id order: memory stays bounded however large the index.
        var last = ""
        while true {
            var images: [(String, ByteBuffer)] = []
            for try await (id, blob) in try await connection.liveQuery("""
                SELECT id, signature FROM \(unescaped: table) WHERE NOT flat AND id > \(last) ORDER BY id LIMIT 1000
                """, logger: self.logger).decode((String, ByteBuffer).self) {
                images.append((id, blob))
            }
            guard let end = images.last?.0 else { break }
            for (id, blob) in images {
                let signature = try SimilarityRules.decode(Data(buffer: blob))
                try await self.insertChunks(SimilarityRules.chunkRows(of: signature), image: id, table: table, connection)
                // Its hash columns too, which rows of that age lack, so the prefilter sees them.
                let block = Self.words(signature.blockHash)
                try await connection.liveQuery("""
                    UPDATE \(unescaped: table) SET phash = \(Int64(bitPattern: signature.phash.value)), block0 = \(block[0]),
                        block1 = \(block[1]), block2 = \(block[2]), block3 = \(block[3]) WHERE id = \(id)
                    """, logger: self.logger)
            }
            last = end
        }
    }

    public func add(_ entry: IndexedImage) async throws(SimilarityError) {
        try await add(contentsOf: [entry])
    }

    /// Adds every entry in one transaction (one commit, not one per image).
    public func add(contentsOf entries: [IndexedImage]) async throws(SimilarityError) {
        var rows: [(entry: IndexedImage, signature: ByteBuffer, keypoints: ByteBuffer)] = []
        for entry in entries {
            try SimilarityRules.check(entry.signature)
            rows.append((entry, ByteBuffer(data: SimilarityRules.encode(entry.signature)),
                         ByteBuffer(data: SimilarityRules.encodeKeypoints(of: entry.signature))))
        }
        let table = table, prepared = rows
        try await transaction { connection in
            for (entry, blob, keypoints) in prepared {
                try await self.insert(entry, signature: blob, keypoints: keypoints, table: table, connection)
            }
        }
    }

    /// Replaces one image's rows, inside the caller's transaction.
    private func insert(_ entry: IndexedImage, signature blob: ByteBuffer, keypoints: ByteBuffer, table: String,
                        _ connection: PostgresConnection) async throws {
        let signature = entry.signature
        // Anchors share the chunk table: hash 'anchor', position 0, the combined key.
        let rows = SimilarityRules.chunkRows(of: signature)
            + SimilarityRules.anchorKeys(of: signature).map { (KeypointAnchors.source, 0, UInt64($0)) }
        try await connection.liveQuery("DELETE FROM \(unescaped: table) WHERE id = \(entry.imageID)", logger: logger)
        let block = Self.words(signature.blockHash)
        try await connection.liveQuery("""
            INSERT INTO \(unescaped: table) (id, key, digest, flat, version, signature, keypoints, phash, block0, block1, block2, block3)
            VALUES (\(entry.imageID), \(entry.key), \(signature.pixelDigest), \(signature.isFlat), \(signature.version), \(blob),
                    \(keypoints), \(Int64(bitPattern: signature.phash.value)), \(block[0]), \(block[1]), \(block[2]), \(block[3]))
            """, logger: logger)
        try await insertChunks(rows, image: entry.imageID, table: table, connection)
    }

    /// Inserts one image's chunk (and anchor) rows, inside the caller's transaction. Flat images
    /// have none: they are found only by their digest.
    private func insertChunks(_ rows: [(hash: String, position: Int, value: UInt64)], image: String, table: String,
                              _ connection: PostgresConnection) async throws {
        guard !rows.isEmpty else { return }
        let (hashes, positions, values) = Self.columns(rows)
        try await connection.liveQuery("""
            INSERT INTO \(unescaped: table)_chunk (hash, position, value, image_id)
            SELECT hash, position, value, \(image) FROM unnest(\(hashes)::TEXT[], \(positions)::INT[], \(values)::INT[])
                AS chunk(hash, position, value)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    public func remove(imageID: String) async throws(SimilarityError) {
        let table = table
        try await transaction { connection in
            _ = try await connection.liveQuery("DELETE FROM \(unescaped: table) WHERE id = \(imageID)", logger: self.logger)
            _ = try await connection.liveQuery("DELETE FROM \(unescaped: table)_embedding WHERE image_id = \(imageID)", logger: self.logger)
        }
    }

    public func addEmbedding(_ embedding: ImageEmbedding) async throws(SimilarityError) {
        try EmbeddingRules.check(model: embedding.model, vector: embedding.vector)
        let vector = ByteBuffer(data: EmbeddingRules.encode(embedding.vector)), table = table
        try await transaction { connection in
            _ = try await connection.liveQuery("""
                INSERT INTO \(unescaped: table)_embedding (model, image_id, key, vector)
                VALUES (\(embedding.model), \(embedding.imageID), \(embedding.key), \(vector))
                ON CONFLICT (model, image_id) DO UPDATE SET key = EXCLUDED.key, vector = EXCLUDED.vector
                """, logger: self.logger)
        }
    }

    /// Reads the model's vectors (by the primary key's model prefix) and ranks them
    /// (``EmbeddingRules``).
    public func searchEmbeddings(_ query: EmbeddingQuery) async throws(SimilarityError) -> [EmbeddingMatch] {
        try EmbeddingRules.check(query)
        let table = table
        let stored = try await transaction { connection in
            var rows: [(imageID: String, key: String, vector: [Float])] = []
            for try await (id, key, vector) in try await connection.liveQuery(
                "SELECT image_id, key, vector FROM \(unescaped: table)_embedding WHERE model = \(query.model)", logger: self.logger)
                .decode((String, String, ByteBuffer).self) {
                rows.append((id, key, try EmbeddingRules.decode(Data(buffer: vector))))
            }
            return rows
        }
        return try EmbeddingRules.rank(stored, for: query)
    }

    public func image(id: String) async throws(SimilarityError) -> IndexedImage? {
        let table = table
        return try await transaction { connection in
            try await self.images(connection, "SELECT id, key, signature, keypoints FROM \(unescaped: table) WHERE id = \(id)",
                                  keypoints: true).first
        }
    }

    public func count() async throws(SimilarityError) -> Int {
        let table = table
        return try await transaction { connection in
            var count = 0
            for try await value in try await connection.liveQuery("SELECT COUNT(*)::INT FROM \(unescaped: table)", logger: self.logger)
                .decode(Int.self) { count = value }
            return count
        }
    }

    public func search(_ query: SimilarityQuery) async throws(SimilarityError) -> [SimilarityMatch] {
        try SimilarityRules.check(query)
        let (hashes, positions, values) = Self.columns(SimilarityRules.hashProbes(for: query))
        let (anchorHashes, anchorPositions, anchorValues) = Self.columns(
            SimilarityRules.anchorProbes(for: query).map { (KeypointAnchors.source, 0, UInt64($0)) })
        let transformed = query.match == .transformed
        let table = table
        // Chance candidates of the hash chunks are dropped in the database (see migrate()).
        let phash = Int64(bitPattern: query.signature.phash.value)
        let mirroredPHash = Int64(bitPattern: query.signature.mirroredPHash.value)
        let block = Self.words(query.signature.blockHash), mirroredBlock = Self.words(query.signature.mirroredBlockHash)
        let radius = SignatureComparison.prefilterPHashRadius, blockRadius = SignatureComparison.blockHashRadius
        let candidates = try await transaction { connection in
            // One statement: the probed chunks joined against the chunk table's key, kept only
            // when a hash is within reach; then the digest, and the images sharing the most
            // anchors (KeypointAnchors.candidates, in SQL), which keypoints judge.
            try await self.images(connection, """
                SELECT id, key, signature, \(unescaped: transformed ? "keypoints" : "NULL::BYTEA") FROM \(unescaped: table) WHERE id IN (
                    SELECT c.image_id FROM \(unescaped: table)_chunk c
                    JOIN unnest(\(hashes)::TEXT[], \(positions)::INT[], \(values)::INT[]) AS p(hash, position, value)
                        ON c.hash = p.hash AND c.position = p.position AND c.value = p.value)
                    AND (phash IS NULL
                         OR bit_count((phash # \(phash))::BIT(64)) <= \(radius) OR bit_count((phash # \(mirroredPHash))::BIT(64)) <= \(radius)
                         OR bit_count((block0 # \(block[0]))::BIT(64)) + bit_count((block1 # \(block[1]))::BIT(64))
                            + bit_count((block2 # \(block[2]))::BIT(64)) + bit_count((block3 # \(block[3]))::BIT(64)) <= \(blockRadius)
                         OR bit_count((block0 # \(mirroredBlock[0]))::BIT(64)) + bit_count((block1 # \(mirroredBlock[1]))::BIT(64))
                            + bit_count((block2 # \(mirroredBlock[2]))::BIT(64)) + bit_count((block3 # \(mirroredBlock[3]))::BIT(64))
                            <= \(blockRadius))
                UNION SELECT id, key, signature, \(unescaped: transformed ? "keypoints" : "NULL::BYTEA") FROM \(unescaped: table) WHERE id IN (
                    SELECT id FROM \(unescaped: table) WHERE digest = \(query.signature.pixelDigest)
                    UNION (SELECT c.image_id FROM \(unescaped: table)_chunk c
                        JOIN unnest(\(anchorHashes)::TEXT[], \(anchorPositions)::INT[], \(anchorValues)::INT[]) AS a(hash, position, value)
                            ON c.hash = a.hash AND c.position = a.position AND c.value = a.value
                        GROUP BY c.image_id HAVING count(*) >= \(KeypointAnchors.minimumVotes)
                        ORDER BY count(*) DESC, c.image_id LIMIT \(KeypointAnchors.maximumCandidates)))
                """, keypoints: transformed)
        }
        return try await SimilarityRules.rank(candidates, for: query, on: executor)
    }

    /// A 256-bit hash's four words as the BIGINTs the prefilter columns hold.
    static func words(_ hash: BinaryHash) -> [Int64] {
        (0..<4).map { hash.words.indices.contains($0) ? Int64(bitPattern: hash.words[$0]) : 0 }
    }

    /// Lookup rows as the three arrays a statement unnests.
    static func columns(_ rows: [(hash: String, position: Int, value: UInt64)]) -> ([String], [Int32], [Int32]) {
        (rows.map(\.hash), rows.map { Int32($0.position) }, rows.map { Int32(truncatingIfNeeded: $0.value) })
    }

    /// The plan PostgreSQL makes for a search's chunk lookup, for the test that it uses the key.
    public func lookupPlan(for query: SimilarityQuery) async throws(SimilarityError) -> String {
        let (hashes, positions, values) = Self.columns(SimilarityRules.hashProbes(for: query))
        let table = table
        return try await transaction { connection in
            var lines: [String] = []
            for try await line in try await connection.liveQuery("""
                EXPLAIN SELECT c.image_id FROM \(unescaped: table)_chunk c
                    JOIN unnest(\(hashes)::TEXT[], \(positions)::INT[], \(values)::INT[]) AS p(hash, position, value)
                        ON c.hash = p.hash AND c.position = p.position AND c.value = p.value
                """, logger: self.logger).decode(String.self) { lines.append(line) }
            return lines.joined(separator: "\n")
        }
    }

    /// The images a statement selects as (id, key, signature, keypoints or NULL).
    private func images(_ connection: PostgresConnection, _ query: PostgresQuery, keypoints: Bool) async throws -> [IndexedImage] {
        var images: [IndexedImage] = []
        for try await (id, key, blob, points) in try await connection.liveQuery(query, logger: logger)
            .decode((String, String, ByteBuffer, ByteBuffer?).self) {
            let signature = try SimilarityRules.decode(Data(buffer: blob), keypoints: keypoints ? points.map { Data(buffer: $0) } : nil)
            images.append(IndexedImage(imageID: id, key: key, signature: signature))
        }
        return images
    }

    private func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(SimilarityError) -> T {
        do {
            return try await client.withLiveTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as SimilarityError {
            throw error
        } catch {
            throw .storage(String(reflecting: error))
        }
    }
}
