import ArgumentParser
import Foundation
import ImageAnalysis
import ImageProcessing

/// `darkroom inspect`: photos of parts against a golden reference.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Compare images with a golden reference: one JSON line per image with its defects.",
        discussion: """
            Each image is aligned to the reference (keypoints and a homography, or ECC when
            those do not agree), matched to its brightness, and compared; regions that differ
            by --threshold grey levels or more, over at least --min-area pixels, are defects,
            with a box and area in the image's pixels and a severity (0-1). An image that cannot
            be aligned is "unaligned", never a pass. With --output, an overlay PNG per image
            shows the defects. Exit 0 when every image passes, 3 when any has defects or is
            unaligned, 1 or 2 when an image cannot be read (2: only refused formats).

            Example:
              darkroom inspect --reference golden.jpg --output overlays/ line-3/*.jpg
            """)

    @Option(help: "The golden reference image.") var reference: String
    @Option(help: "Folder for overlay PNGs (one per image, named after it).") var output: String?
    @Option(help: "Grey-level difference (1-255) that counts as different.") var threshold: Double = InspectionOptions().threshold
    @Option(help: "Smallest defect, in the image's pixels.") var minArea: Int = InspectionOptions().minimumArea
    @Option(help: "Longer side, in pixels, at which images are aligned and compared.") var workingSize: Int = InspectionOptions().workingSize
    @OptionGroup var options: ProcessingOptions
    @Argument(help: "Images, folders or s3:// prefixes.") var images: [String]

    func validate() throws {
        guard (1...255).contains(threshold) else { throw ValidationError("--threshold must be in 1...255, got \(threshold)") }
        guard minArea >= 1 else { throw ValidationError("--min-area must be at least 1, got \(minArea)") }
        let sizes = InspectionOptions.workingSizes
        guard sizes.contains(workingSize) else {
            throw ValidationError("--working-size must be in \(sizes.lowerBound)...\(sizes.upperBound), got \(workingSize)")
        }
        guard FileManager.default.isReadableFile(atPath: reference) else { throw ValidationError("--reference: cannot read '\(reference)'") }
    }

    func run() async throws {
        #if canImport(Glibc)
        // Each image's working planes are a few 6 MB arrays, freed and made again per image;
        // glibc would hand the heap's top back to the system after each and fault it in again
        // (a seventh of the time, measured). 64 MB of padding kept at the top stops that.
        _ = mallopt(-2 /* M_TOP_PAD */, 64 << 20)
        #endif
        let processor = options.makeProcessor()
        defer { processor.pool.shutdown() }
        let inspection = InspectionOptions(threshold: threshold, minimumArea: minArea, workingSize: workingSize)
        let reader: InspectionReader
        do {
            reader = try await InspectionReader(reference: .file(reference), processor: processor, options: inspection)
        } catch {
            printError("darkroom inspect: the reference \(reference): \(error)")
            throw ExitCode.failure
        }
        if let output { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var failures: [any Error] = []
        var flagged = 0
        try await ImageBatch.inSlices(images, size: 64, concurrency: options.jobs, maxBytes: options.maxSrcBytes) { data in
            try await reader.inspect(.bytes(data), overlay: output != nil)
        } each: { measured in
            for entry in measured {
                switch entry.result {
                case let .success((result, overlay)):
                    if result.status != .pass { flagged += 1 }
                    var line = InspectionLine(file: entry.item.path, result: result, overlay: nil)
                    if let output, let overlay {
                        let name = (URL(fileURLWithPath: entry.item.path).deletingPathExtension().lastPathComponent) + ".overlay.png"
                        let path = (output as NSString).appendingPathComponent(name)
                        try overlay.write(to: URL(fileURLWithPath: path))
                        line.overlay = path
                    }
                    print(String(decoding: try encoder.encode(line), as: UTF8.self))
                case let .failure(error):
                    printError("\(entry.item.path): \(error)")
                    failures.append(error)
                }
            }
        }
        let status = ExitCode.forImageFailures(failures)
        if status != .success { throw status }
        if flagged > 0 { throw ExitCode(3) }
    }
}

/// One line of `darkroom inspect`: the file, the result's fields, and the overlay written.
struct InspectionLine: Encodable {
    let file: String
    let result: InspectionResult
    var overlay: String?

    enum CodingKeys: String, CodingKey { case file, overlay }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encodeIfPresent(overlay, forKey: .overlay)
        try result.encode(to: encoder)
    }
}
