import Foundation
import Logging
import PostgresNIO
import Similarity
import SimilarityPostgres
import SimilaritySQLite
import Testing
import TestSupport

@Suite("SimilarityIndex contract")
struct SimilarityIndexContractTests {
    @Test("in memory", arguments: SimilarityIndexContract.allCases)
    func memory(_ contractCase: SimilarityIndexContract) async throws {
        try await SimilarityIndexContract.run(contractCase) { MemorySimilarityIndex() }
    }

    @Test("SQLite", arguments: SimilarityIndexContract.allCases)
    func sqlite(_ contractCase: SimilarityIndexContract) async throws {
        let folder = NSTemporaryDirectory() + "darkroom-index-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await SimilarityIndexContract.run(contractCase) {
            try SQLiteSimilarityIndex(path: folder + "/index-\(UUID().uuidString).db")
        }
    }

    @Test("SQLite looks up by its keys, never by scanning a table")
    func sqlitePlans() async throws {
        let folder = NSTemporaryDirectory() + "darkroom-index-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plans = try await SQLiteSimilarityIndex(path: folder + "/index.db").queryPlans()
        #expect(plans.count >= 6)
        #expect(plans.allSatisfy { $0.hasPrefix("SEARCH") }, "\(plans)")
    }

    @Test("PostgreSQL", .enabled(if: TestPostgres.url != nil), arguments: SimilarityIndexContract.allCases)
    func postgres(_ contractCase: SimilarityIndexContract) async throws {
        try await TestPostgres.withClient { client in
            try await SimilarityIndexContract.run(contractCase) {
                let index = try PostgresSimilarityIndex(client: client, table: "image_\(UInt32.random(in: 0...UInt32.max))")
                try await index.migrate()
                return index
            }
        }
    }

    @Test("PostgreSQL re-chunks an index written with the old chunk widths when it migrates", .enabled(if: TestPostgres.url != nil))
    func postgresRechunks() async throws {
        try await TestPostgres.withClient { client in
            let table = "image_\(UInt32.random(in: 0...UInt32.max))"
            let index = try PostgresSimilarityIndex(client: client, table: table)
            try await index.migrate()
            try await index.add(IndexedImage(imageID: "rocket", key: "rocket.jpg", signature: try SignatureFixtures.signature("rocket")))
            // As an older darkroom left it: chunk rows under the old names, none under the new.
            try await client.query("UPDATE \(unescaped: table)_chunk SET hash = 'phash' WHERE hash = 'phash21'")
            try await client.query("UPDATE \(unescaped: table)_chunk SET hash = 'block' WHERE hash = 'block32'")
            try await client.query("UPDATE \(unescaped: table) SET phash = NULL, block0 = NULL, block1 = NULL, block2 = NULL, block3 = NULL")
            let copy = SimilarityQuery(signature: try SignatureFixtures.signature("rocket", .resized))
            #expect(try await index.search(copy).isEmpty)
            try await index.migrate()
            #expect(try await index.search(copy).map(\.imageID) == ["rocket"])
            var filled = 0
            for try await count in try await client.query("SELECT count(*)::INT FROM \(unescaped: table) WHERE phash IS NOT NULL AND block3 IS NOT NULL")
                .decode(Int.self) { filled = count }
            #expect(filled == 1, "the hash columns are filled when the index is re-chunked")
        }
    }

    @Test("PostgreSQL joins the probed chunks against the key: no sequential scan of 200,000 images' chunks",
          .enabled(if: TestPostgres.url != nil))
    func postgresPlan() async throws {
        try await TestPostgres.withClient { client in
            let table = "image_\(UInt32.random(in: 0...UInt32.max))"
            let index = try PostgresSimilarityIndex(client: client, table: table)
            try await index.migrate()
            // Synthetic rows, as many as a catalogue, so the planner has statistics to go by (with a
            // few thousand images a scan is cheaper, and the planner rightly scans).
            try await client.query("""
                INSERT INTO \(unescaped: table) (id, key, digest, flat, version, signature)
                SELECT 'i' || n, 'k' || n, md5(n::TEXT), false, 1, '\\x00'::BYTEA FROM generate_series(1, 200000) AS n
                """)
            try await client.query("""
                INSERT INTO \(unescaped: table)_chunk (hash, position, value, image_id)
                SELECT h, p, (hashtext(n::TEXT || h || p) & 65535), 'i' || n
                FROM generate_series(1, 200000) AS n, unnest(ARRAY['phash21', 'block32']) AS h, generate_series(0, 3) AS p
                """)
            try await client.query("ANALYZE \(unescaped: table)_chunk")
            let plan = try await index.lookupPlan(for: SimilarityQuery(signature: try SignatureFixtures.signature("rocket")))
            #expect(plan.contains("Index") && !plan.contains("Seq Scan on \(table)_chunk"), "\(plan)")
        }
    }
}

/// The PostgreSQL cluster `scripts/test-servers` starts (`make test` does).
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["DARKROOM_TEST_POSTGRES_URL"]

    /// Runs `body` with a running client, stopped afterwards.
    static func withClient<T: Sendable>(_ body: @Sendable @escaping (PostgresClient) async throws -> T) async throws -> T {
        let parsed = URLComponents(string: url!)!
        let configuration = PostgresClient.Configuration(host: parsed.host!, port: parsed.port ?? 5432, username: parsed.user!,
                                                         password: parsed.password, database: String(parsed.path.dropFirst()),
                                                         tls: .disable)
        let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "test.postgres"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
