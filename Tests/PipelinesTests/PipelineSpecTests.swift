import Foundation
import ImageAnalysis
import PropertyBased
import Testing
@testable import Pipelines
import Scheduling
import ImageModel
import JobQueue

@Suite("Pipeline specs")
struct PipelineSpecTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/pipelines").standardizedFileURL

    @Test("the shipped examples load: web.yaml makes three derivatives with features and checks")
    func examples() throws {
        let catalog = try PipelineCatalog(directory: Self.examples)
        let web = try catalog.pipeline(named: "web")
        #expect(web.version == "1")
        #expect(web.outputs.map(\.name) == ["thumbnail", "medium", "large"])
        // Every feature but quality and faces, which intake.yaml and privacy.yaml measure.
        #expect(web.features == Set(Feature.allCases).subtracting([.quality, .faces, .dicom]))
        let privacy = try catalog.pipeline(named: "privacy")
        #expect(privacy.features.contains(.faces))
        #expect(privacy.outputs.allSatisfy { $0.recipe.operations.contains(.blurDetections(sigma: $0.name == "public" ? 25 : 12, classes: ["face"])) })
        let intake = try catalog.pipeline(named: "intake")
        #expect(intake.features.contains(.quality) && intake.checks.map(\.rule) == [.maxClipped, .maxBRISQUE, .maxNoise])
        #expect(web.checks.map(\.rule) == [.minWidth, .minSharpness])
        #expect(web.checks.map(\.action) == [.reject, .flag])
        #expect(web.preprocess.canonical.hasPrefix("rs:fit:1600:1600"))
        #expect(catalog.names.contains("catalog"))
        let camera = try catalog.pipeline(named: "camera")
        #expect(camera.motion?.every == 0.1 && camera.motion?.width == 640 && camera.features == [.faces] && camera.outputs.isEmpty)
    }

    @Test("a spec without a version is versioned by its hash; checks add the features they need")
    func implicitVersion() throws {
        let spec = "name: plain\nchecks: [{min_sharpness: 10}]\noutputs: [{name: small, recipe: rs:fit:10:10}]\n"
        let pipeline = try Pipeline(spec: spec, file: "plain.yaml")
        #expect(pipeline.version.hasPrefix("h") && pipeline.version.count == 13)
        #expect(try Pipeline(spec: spec + "\n", file: "plain.yaml").version != pipeline.version)
        #expect(pipeline.features == [.sharpness])
        #expect(pipeline.checks.first?.action == .flag)
    }

    @Test("resources: a fractional GPU with its memory; absent fields take the defaults; jobs carry them")
    func resources() throws {
        let spec = "name: embed\nresources: {gpu: 0.25, gpu_memory_mb: 4000, memory_mb: 512}\noutputs: [{name: a, recipe: rs:fit:1:1}]"
        let pipeline = try Pipeline(spec: spec, file: "embed.yaml")
        #expect(pipeline.resources == ResourceRequest(cpu: 1, memoryMB: 512, gpu: 0.25, gpuMemoryMB: 4000))
        let job = pipeline.job(source: "originals/x", megapixels: 12)
        #expect(job.resources == pipeline.resources && job.cost == 12 && job.kind == "embed" && job.affinityKey == "originals/x")
        #expect(try Pipeline(spec: "name: p\noutputs: [{name: a, recipe: rs:fit:1:1}]", file: "p.yaml").resources == ResourceRequest())
    }

    static let invalid: [(String, String, String)] = [
        ("outputs: [{name: a, recipe: rs:fit:10:10}]", "name", "required"),
        ("name: 'bad name'\noutputs: [{name: a, recipe: rs:fit:1:1}]", "name", "letters"),
        ("name: x\nouputs: []", "ouputs", "no such field"),
        ("name: x", "outputs", "at least one output"),
        ("name: x\nfeatures: [colour]\noutputs: []", "features[0]", "dominant_colors"),
        ("name: x\noutputs: [{name: a, recipe: 'rs:fit:abc'}]", "outputs[0].recipe", "recipe"),
        ("name: x\noutputs: [{name: a}]", "outputs[0].recipe", "recipe"),
        ("name: x\noutputs: [{name: a, recipe: rs:fit:1:1, key: 'x/{id}.{ext}'}]", "outputs[0].key", "{image_id}"),
        ("name: x\noutputs: [{name: a, recipe: rs:fit:1:1, key: k}, {name: b, recipe: rs:fit:2:2, key: k}]", "outputs[1].key", "distinct"),
        ("name: x\noutputs: [{name: a, recipe: rs:fit:1:1}, {name: a, recipe: rs:fit:2:2}]", "outputs[1].name", "not used"),
        ("name: x\noutputs: [{name: a, recipe: rs:fit:1:1, key: k}, {name: v, video: {blur_detections: 25}, key: k}]", "outputs[1].key", "distinct"),
        ("name: x\noutputs: [{name: a, recipe: rs:fit:1:1}, {name: a, deidentify: dicom}]", "outputs[1].name", "not used"),
        ("name: x\nchecks: [{min_width: wide}]\noutputs: [{name: a, recipe: rs:fit:1:1}]", "checks[0].min_width", "a number"),
        ("name: x\nchecks: [{min_width: 5, max_width: 9}]\noutputs: [{name: a, recipe: rs:fit:1:1}]", "checks[0]", "exactly one rule"),
        ("name: x\nchecks: [{min_width: 5, action: drop}]\noutputs: [{name: a, recipe: rs:fit:1:1}]", "checks[0].action", "flag or reject"),
        ("name: x\non_complete: {url: 'ftp://x'}\noutputs: [{name: a, recipe: rs:fit:1:1}]", "on_complete.url", "http"),
        ("name: x\nmax_attempts: 0\noutputs: [{name: a, recipe: rs:fit:1:1}]", "max_attempts", "1...100"),
        ("[1, 2]", "(document)", "a mapping"),
        ("name: [unclosed", "(document)", "valid YAML"),
        ("base: &b {name: a, recipe: rs:fit:1:1}\nname: x\noutputs: [*b]", "base", "no such field"),
        ("name: x\nresources: {gpu: 2}\noutputs: [{name: a, recipe: rs:fit:1:1}]", "resources.gpu", "0...1"),
        ("name: x\nresources: {cpu: 0}\noutputs: [{name: a, recipe: rs:fit:1:1}]", "resources.cpu", "0.05...1024"),
        ("name: x\nresources: {cpus: 2}\noutputs: [{name: a, recipe: rs:fit:1:1}]", "resources.cpus", "no such field"),
        ("name: x\nresources: {gpu_memory_mb: 4000}\noutputs: [{name: a, recipe: rs:fit:1:1}]", "resources.gpu", "above 0"),
        ("name: x\nresources: {memory_mb: lots}\noutputs: [{name: a, recipe: rs:fit:1:1}]", "resources.memory_mb", "a number"),
    ]

    @Test("a wrong spec is refused with the file, the field and what was expected", arguments: 0..<invalid.count)
    func invalidSpecs(_ index: Int) {
        let (spec, field, expected) = Self.invalid[index]
        do {
            _ = try Pipeline(spec: spec, file: "bad.yaml")
            Issue.record("accepted: \(spec)")
        } catch let error as PipelineError {
            guard case let .invalidSpec(file, actualField, message) = error else { Issue.record("\(error)"); return }
            #expect(file == "bad.yaml")
            #expect(actualField == field, "\(error)")
            #expect(message.contains(expected), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("two files may not declare the same pipeline")
    func duplicateNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("specs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in ["a.yaml", "b.json"] {
            try #"{"name": "same", "outputs": [{"name": "o", "recipe": "rs:fit:9:9"}]}"#
                .write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        #expect(throws: PipelineError.invalidSpec(file: "b.json", field: "name", expected: "a name not already used by a.yaml")) {
            try PipelineCatalog(directory: folder)
        }
    }

    @Test("any text is either a valid spec or a named error, never a crash")
    func arbitraryText() async {
        let pieces = ["name: x\n", "outputs:\n", "  - name: a\n", "    recipe: rs:fit:5:5\n", "{", "}", "[", "]", ": ", "- ",
                      "checks: [{min_width: 3}]\n", "&a ", "*a ", "\"", "'", "\t", "features: [phash]\n", "version: 2\n"]
        await propertyCheck(count: 300, input: Gen.int(in: 0..<pieces.count).array(of: 0...12)) { indexes in
            let text = indexes.map { pieces[$0] }.joined()
            do { _ = try Pipeline(spec: text, file: "fuzz.yaml") } catch { #expect(String(describing: error).hasPrefix("fuzz.yaml: ")) }
        }
    }

    @Test("key templates fill every placeholder and refuse unknown ones")
    func keyTemplates() async throws {
        let template = try KeyTemplate("{pipeline}/{version}/{image_id}/{source_name}-{name}.{ext}")
        #expect(template.render(["pipeline": "web", "version": "1", "image_id": "ab", "source_name": "cat", "name": "thumb",
                                 "ext": "webp"]) == "web/1/ab/cat-thumb.webp")
        #expect(throws: KeyTemplateError.self) { try KeyTemplate("/absolute/{name}") }
        #expect(throws: KeyTemplateError.self) { try KeyTemplate("open/{name") }
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000).array(of: 1...8)) { values in
            // A placeholder named anything but the six is refused.
            let name = String(values.map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
            if KeyTemplate.placeholders.contains(name) { return }
            #expect(throws: KeyTemplateError.self) { try KeyTemplate("x/{\(name)}") }
        }
    }
}
