import Foundation
import ImageModel
import ImageProcessing
import Testing
import TestSupport
import Vips

@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("64 concurrent transforms give the same images as the same transforms in sequence")
    func concurrentEqualsSequential() async throws {
        let sources = try ["natural/rocket.jpg", "natural/grace_hopper.jpg", "formats/hopper.png", "formats/hopper.webp"]
            .map { try Fixtures.data($0) }
        let recipes = try ["rs:fit:120:120/q:80", "rs:fill:64:64/g:sm/f:png", "bl:1.5/rs:fit:90:0/f:webp",
                           "rot:90/gs:1/f:png"].map { try Recipe(parsing: $0) }
        let jobs = (0..<64).map { (sources[$0 % 4], recipes[($0 / 4) % 4]) }
        let processor = Harness.processor()
        var sequential: [ProcessedImage] = []
        for (source, recipe) in jobs { sequential.append(try processor.render(recipe, source: .bytes(source))) }

        let concurrent = try await withThrowingTaskGroup(of: (Int, ProcessedImage).self) { group in
            for (index, job) in jobs.enumerated() {
                group.addTask { (index, try await processor.run(job.1, on: .bytes(job.0))) }
            }
            var results = [ProcessedImage?](repeating: nil, count: jobs.count)
            for try await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
        for index in jobs.indices {
            let a = sequential[index], b = concurrent[index]
            #expect((a.width, a.height, a.format) == (b.width, b.height, b.format))
            let psnr = try ImageComparison.psnr(try VipsImage.load(a.data), try VipsImage.load(b.data))
            #expect(psnr > 60, "job \(index): \(psnr) dB")
        }
    }
}
