import ArgumentParser
import Foundation
import ImageModel
import ImageProcessing
import ObjectStorage

/// `darkroom transform`: one image through one recipe.
struct TransformCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Run a recipe on one image.",
        discussion: """
            The recipe uses imgproxy's processing options. The output format comes from OUT's
            extension unless the recipe names one (f:webp). Use - for standard input or output.

            Examples:
              darkroom transform photo.jpg thumb.jpg --recipe 'rs:fill:300:200/q:80'
              cat photo.jpg | darkroom transform - - --recipe 'rs:fit:800:0/f:webp' > photo.webp
              darkroom transform s3://media/in.jpg s3://media/out.webp --recipe 'rs:fit:800:0'

            s3:// inputs and outputs take their endpoint, region and credentials from the URL's
            query (?endpoint=…&region=…&path_style=true) and the standard AWS_* variables.
            """)

    @Argument(help: "The input image, s3://bucket/key, or - for standard input.")
    var input: String

    @Argument(help: "The output file, s3://bucket/key, or - for standard output.")
    var output: String

    @Option(help: "Processing options, such as 'rs:fill:300:200/q:80'.")
    var recipe: String = ""

    @OptionGroup var options: ProcessingOptions

    func validate() throws {
        let parsed = try parseRecipe(recipe)
        if parsed.output.format == .auto && output != "-" {
            let ext = ObjectIO.pathExtension(output)
            guard OutputFormat(name: ext) != nil else {
                throw ValidationError("cannot tell the output format from '\(output)': use a .jpg, .png, .webp, .avif, .heic, .tif or .gif name, or f: in the recipe")
            }
        }
    }

    func run() async throws {
        var parsed = try parseRecipe(recipe)
        if parsed.output.format == .auto, output != "-", let format = OutputFormat(name: ObjectIO.pathExtension(output)) {
            var spec = parsed.output
            spec.format = format
            // Everything else the recipe says (frame, window, video second, cache buster) stays.
            parsed = try parsed.with(output: spec)
        }
        let processor = options.makeProcessor(for: [parsed])
        defer { processor.pool.shutdown() }
        let opener = StoreOpener()
        do {
            try await transform(parsed, processor: processor, opener: opener)
            await opener.shutdown()
        } catch {
            await opener.shutdown()
            throw error
        }
    }

    private func transform(_ recipe: Recipe, processor: ImageProcessor, opener: StoreOpener) async throws {
        let result: ProcessedImage
        do {
            let source: ImageSource
            if input == "-" {
                source = .bytes(try readStandardInput(limit: options.maxSrcBytes))
            } else if StoreOpener.isObjectURL(input) {
                let (store, key) = try opener.open(objectURL: input)
                source = try await ObjectIO.source(store, key, maxBytes: options.maxSrcBytes)
            } else {
                source = .file(input)
            }
            result = try await processor.run(recipe, on: source)
        } catch {
            printError("darkroom: \(input): \(error)")
            throw ExitCode.forImageFailures([error])
        }
        do {
            if output == "-" {
                FileHandle.standardOutput.write(result.data)
            } else if StoreOpener.isObjectURL(output) {
                let (store, key) = try opener.open(objectURL: output)
                try await ObjectIO.save(result, to: store, key)
            } else {
                try result.data.write(to: URL(fileURLWithPath: output), options: .atomic)
            }
        } catch {
            printError("darkroom: cannot write \(output): \(error)")
            throw ExitCode(1)
        }
    }

    /// Reads standard input, stopping as soon as it passes the byte limit.
    private func readStandardInput(limit: Int) throws -> Data {
        var data = Data()
        let handle = FileHandle.standardInput
        while true {
            let chunk = handle.readData(ofLength: 1 << 16)
            if chunk.isEmpty { break }
            data.append(chunk)
            if data.count > limit {
                printError("darkroom: standard input: limit exceeded: max-src-bytes is \(limit), but the input is larger")
                throw ExitCode(1)
            }
        }
        return data
    }
}
