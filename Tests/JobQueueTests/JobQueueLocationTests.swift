import JobQueue
import Testing

@Suite("Queue locations")
struct JobQueueLocationTests {
    @Test("sqlite:, postgres:// and memory: parse; anything else names what was expected")
    func parsing() throws {
        #expect(try JobQueueLocation("sqlite:./data/queue.db") == .sqlite(path: "./data/queue.db"))
        #expect(try JobQueueLocation("sqlite:///var/lib/darkroom/q.db") == .sqlite(path: "/var/lib/darkroom/q.db"))
        #expect(try JobQueueLocation("memory:") == .memory)
        let postgres = try JobQueueLocation("postgres://darkroom:s3cret@db:5432/jobs")
        #expect(postgres == .postgres(url: "postgres://darkroom:s3cret@db:5432/jobs"))
        #expect(!postgres.description.contains("s3cret"), "the password is not printed: \(postgres)")
        for bad in ["redis://x", "sqlite:", "postgres://db/jobs", ""] {
            #expect(throws: JobQueueError.self, "\(bad)") { try JobQueueLocation(bad) }
        }
    }
}
