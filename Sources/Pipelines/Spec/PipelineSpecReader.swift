import Foundation
import ImageAnalysis
import ImageModel
import Media
import Scheduling
import Similarity
import SpecReading
import Yams

/// Walks a YAML (or JSON) document into a ``Pipeline``, field by field, so an error can name
/// the file, the field's path and what was expected. Unknown fields are errors: a typo must
/// not silently drop an output.
struct PipelineSpecReader {
    let file: String

    static let topLevelFields: Set<String> = [
        "name", "version", "preprocess", "features", "exif_tags", "checks", "outputs", "on_complete", "max_attempts",
        "resources", "models", "inspect", "motion", "on_event", "frames",
    ]

    func read(_ text: String, defaultVersion: String) throws(PipelineError) -> Pipeline {
        let fields = try nodes.document(text, allowed: Self.topLevelFields, expected: "a mapping with name and outputs")

        let name = try string(fields["name"], "name", required: true)!
        guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", options: .regularExpression) != nil else {
            throw fail("name", "1–64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
        let version = try string(fields["version"], "version") ?? defaultVersion
        let preprocess = try recipe(fields["preprocess"], "preprocess") ?? (try! Recipe())

        var features: Set<Feature> = []
        for (index, node) in try sequence(fields["features"], "features").enumerated() {
            let field = "features[\(index)]"
            let text = try string(node, field, required: true)!
            guard let feature = Feature(rawValue: text) else {
                throw fail(field, "one of \(Feature.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
            }
            features.insert(feature)
        }
        let exifTags = try fields["exif_tags"] == nil ? FeatureExtractor.defaultExifTags
            : sequence(fields["exif_tags"], "exif_tags").enumerated().map { index, node throws(PipelineError) in
                try string(node, "exif_tags[\(index)]", required: true)!
            }

        var checks: [PipelineCheck] = []
        var duplicate: DuplicateCheck?
        var labelChecks: [LabelCheck] = []
        let models = try sequence(fields["models"], "models").enumerated().map { index, node throws(PipelineError) in
            try string(node, "models[\(index)]", required: true)!
        }
        guard Set(models).count == models.count else { throw fail("models", "each model once") }
        for (index, node) in try sequence(fields["checks"], "checks").enumerated() {
            let field = "checks[\(index)]"
            if case let .mapping(entry) = node, entry.count == 1, let value = entry["duplicate"] {
                guard duplicate == nil else { throw fail(field, "one duplicate check at most") }
                duplicate = try duplicateCheck(value, "\(field).duplicate")
            } else if case let .mapping(entry) = node, entry.count == 1, let value = entry["label"] {
                let check = try labelCheck(value, "\(field).label")
                guard !models.isEmpty else { throw fail("\(field).label", "a pipeline with models: to give labels") }
                if let model = check.model, !models.contains(model) {
                    throw fail("\(field).label.model", "one of the pipeline's models (\(models.joined(separator: ", "))), not '\(model)'")
                }
                labelChecks.append(check)
            } else {
                checks.append(try check(node, field))
            }
        }

        let motion = try fields["motion"].map { node throws(PipelineError) in try motionStep(node, "motion") }
        let frames = try fields["frames"].map { node throws(PipelineError) in try frameSelection(node, "frames") }
        let outputNodes = try sequence(fields["outputs"], "outputs")
        guard !outputNodes.isEmpty || !features.isEmpty || motion != nil else {
            throw fail("outputs", "at least one output (or some features, or a motion: step)")
        }
        var outputs: [PipelineOutput] = []
        var dicomCopies: [DICOMCopyOutput] = []
        var storyboards: [StoryboardOutput] = []
        var videoCopies: [VideoCopyOutput] = []
        var keys: [String: String] = [:]
        var names: Set<String> = []
        /// Takes an output's name and the keys its files render to: two outputs of one name, or
        /// writing one key, would overwrite each other.
        func claim(_ output: String, key: KeyTemplate, files: [(name: String, ext: String)], _ field: String) throws(PipelineError) {
            guard names.insert(output).inserted else { throw fail("\(field).name", "a name not used by another output") }
            for file in files {
                let sample = key.render(["image_id": "I", "name": file.name, "ext": file.ext, "pipeline": name, "version": version,
                                         "source_name": "S"])
                if let other = keys[sample] { throw fail("\(field).key", "a key distinct from output '\(other)' (use {name})") }
                keys[sample] = output
            }
        }
        for (index, node) in outputNodes.enumerated() {
            let field = "outputs[\(index)]"
            if case let .mapping(entry) = node, entry["storyboard"] != nil {
                let board = try storyboard(node, field)
                try claim(board.name, key: board.key, files: [("\(board.name)-0", "jpg"), (board.name, "vtt")], field)
                storyboards.append(board)
                continue
            }
            if case let .mapping(entry) = node, entry["video"] != nil {
                let copy = try videoCopy(node, field)
                try claim(copy.name, key: copy.key, files: [(copy.name, "mp4")], field)
                videoCopies.append(copy)
                continue
            }
            if case let .mapping(entry) = node, entry["deidentify"] != nil {
                let copy = try dicomCopy(node, field)
                try claim(copy.name, key: copy.key, files: [(copy.name, "dcm")], field)
                dicomCopies.append(copy)
                continue
            }
            let output = try self.output(node, field)
            try claim(output.name, key: output.key, files: [(output.name, output.recipe.output.format.fileExtension)], field)
            outputs.append(output)
        }

        let webhook = try fields["on_complete"].map { node throws(PipelineError) in try webhookSpec(node, "on_complete") }
        let eventHook = try fields["on_event"].map { node throws(PipelineError) in try webhookSpec(node, "on_event") }
        if eventHook != nil, motion == nil { throw fail("on_event", "a motion: step whose events it receives") }
        let attempts = try integer(fields["max_attempts"], "max_attempts") ?? 5
        guard (1...100).contains(attempts) else { throw fail("max_attempts", "1...100") }

        let resources = try nodes.resources(fields["resources"], "resources") ?? ResourceRequest()
        let inspection = try fields["inspect"].map { node throws(PipelineError) in try inspectionStep(node, "inspect") }
        if inspection == nil, let index = checks.firstIndex(where: \.rule.needsInspection) {
            throw fail("checks[\(index)]", "an inspect: step with a reference for \(checks[index].rule.rawValue) to measure")
        }

        return Pipeline(name: name, version: version, preprocess: preprocess, features: features, exifTags: exifTags,
                        checks: checks, duplicate: duplicate, outputs: outputs, onComplete: webhook, maxAttempts: attempts,
                        resources: resources, models: models, labelChecks: labelChecks, inspection: inspection,
                        dicomCopies: dicomCopies, storyboards: storyboards, motion: motion, onEvent: eventHook, frames: frames,
                        videoCopies: videoCopies)
    }

    // MARK: Parts

    /// `{url, secret_env}`: where a webhook goes.
    private func webhookSpec(_ node: Node, _ field: String) throws(PipelineError) -> WebhookSpec {
        let hook = try mapping(node, field, allowed: ["url", "secret_env"])
        let url = try string(hook["url"], "\(field).url", required: true)!
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw fail("\(field).url", "an http or https URL")
        }
        return WebhookSpec(url: url, secretEnv: try string(hook["secret_env"], "\(field).secret_env"))
    }

    /// `{every: 1s | keyframes | scene_change: 0.3, max: 500}`: which frames of a video run
    /// the features, checks and models.
    private func frameSelection(_ node: Node, _ field: String) throws(PipelineError) -> FrameSelection {
        let fields = try mapping(node, field, allowed: ["every", "keyframes", "scene_change", "max"])
        let rules = ["every", "keyframes", "scene_change"].filter { fields[$0] != nil }
        guard rules.count == 1 else { throw fail(field, "one of every: 1s, keyframes or scene_change: 0.3 (and max)") }
        let rule: FrameSelection.Rule
        switch rules[0] {
        case "every":
            guard let text = try string(fields["every"], "\(field).every"), let seconds = StoryboardSpec.seconds(text) else {
                throw fail("\(field).every", "a duration such as 1s or 500ms")
            }
            rule = .every(seconds)
        case "keyframes":
            // `{keyframes, max: 100}` in YAML's flow style gives the key no value; `keyframes: true` too.
            guard ["", "~", "null", "true", "yes"].contains(fields["keyframes"]?.string?.lowercased() ?? "?") else {
                throw fail("\(field).keyframes", "no value, or true")
            }
            rule = .keyFrames
        default:
            guard let share = try nodes.number(fields["scene_change"], "\(field).scene_change") else {
                throw fail("\(field).scene_change", "a share of the luma range such as 0.3")
            }
            rule = .sceneChange(share)
        }
        let max = try integer(fields["max"], "\(field).max") ?? 500
        do throws(MediaError) {
            return try FrameSelection(rule, max: max)
        } catch {
            throw fail(field, error.description.replacingOccurrences(of: "frames: ", with: ""))
        }
    }

    /// `{every, width, min_area, dwell, threshold, blur_faces}`: motion detection on a stream's frames.
    private func motionStep(_ node: Node, _ field: String) throws(PipelineError) -> MotionStep {
        let fields = try mapping(node, field, allowed: ["every", "width", "min_area", "dwell", "threshold", "blur_faces"])
        let defaults = MotionStep()
        func duration(_ name: String, _ range: ClosedRange<Double>, _ fallback: Double) throws(PipelineError) -> Double {
            guard let node = fields[name] else { return fallback }
            guard let text = try string(node, "\(field).\(name)"), let seconds = StoryboardSpec.seconds(text), range.contains(seconds) else {
                throw fail("\(field).\(name)", "a duration such as 100ms or 1s, from \(range.lowerBound) to \(range.upperBound) s")
            }
            return seconds
        }
        var detector = defaults.detector
        detector.dwell = try duration("dwell", 0...60, detector.dwell)
        let every = try duration("every", MotionStep.everyRange, defaults.every)
        let width = try integer(fields["width"], "\(field).width") ?? defaults.width
        guard MotionStep.widthRange.contains(width) else {
            throw fail("\(field).width", "\(MotionStep.widthRange.lowerBound)...\(MotionStep.widthRange.upperBound) pixels")
        }
        if let area = try nodes.number(fields["min_area"], "\(field).min_area") {
            guard area > 0, area < MotionDetector.sceneChange else {
                throw fail("\(field).min_area", "a share of the frame above 0 and below \(MotionDetector.sceneChange)")
            }
            detector.minArea = area
        }
        if let threshold = try integer(fields["threshold"], "\(field).threshold") {
            guard (1...254).contains(threshold) else { throw fail("\(field).threshold", "1...254 luma levels") }
            detector.threshold = threshold
        }
        let blur = try nodes.number(fields["blur_faces"], "\(field).blur_faces")
        if let blur, !(blur > 0 && blur <= 1000) { throw fail("\(field).blur_faces", "the blur's sigma, above 0 and at most 1000") }
        return MotionStep(every: every, width: width, detector: detector, blurFaces: blur)
    }

    private func check(_ node: Node, _ field: String) throws(PipelineError) -> PipelineCheck {
        let allowed = Set(CheckRule.allCases.map(\.rawValue)).union(["action"])
        let fields = try mapping(node, field, allowed: allowed)
        let rules = fields.keys.filter { $0 != "action" }
        guard rules.count == 1, let rule = CheckRule(rawValue: rules[0]) else {
            throw fail(field, "exactly one rule among \(CheckRule.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let threshold = fields[rules[0]]?.float else { throw fail("\(field).\(rules[0])", "a number") }
        return PipelineCheck(rule: rule, threshold: threshold, action: try action(fields, field))
    }

    /// `{reference: KEY, threshold: 45, min_area: 40, working_size: 1024}`; only the reference is required.
    private func inspectionStep(_ node: Node, _ field: String) throws(PipelineError) -> InspectionStep {
        let fields = try mapping(node, field, allowed: ["reference", "threshold", "min_area", "working_size"])
        let reference = try string(fields["reference"], "\(field).reference", required: true)!
        var options = InspectionOptions()
        if let threshold = try nodes.number(fields["threshold"], "\(field).threshold") {
            guard (1...255).contains(threshold) else { throw fail("\(field).threshold", "a grey-level difference in 1...255") }
            options.threshold = threshold
        }
        if let area = try integer(fields["min_area"], "\(field).min_area") {
            guard area >= 1 else { throw fail("\(field).min_area", "at least 1 pixel") }
            options.minimumArea = area
        }
        if let size = try integer(fields["working_size"], "\(field).working_size") {
            let sizes = InspectionOptions.workingSizes
            guard sizes.contains(size) else { throw fail("\(field).working_size", "\(sizes.lowerBound)...\(sizes.upperBound) pixels") }
            options.workingSize = size
        }
        return InspectionStep(reference: reference, options: options)
    }

    /// `{match: near, action: link}`; both fields optional (near, flag).
    private func duplicateCheck(_ node: Node, _ field: String) throws(PipelineError) -> DuplicateCheck {
        let fields = try mapping(node, field, allowed: ["match", "action"])
        let matchText = try string(fields["match"], "\(field).match") ?? "near"
        guard let match = MatchKind(rawValue: matchText) else { throw fail("\(field).match", "exact, near or transformed") }
        return DuplicateCheck(match: match, action: try action(fields, field))
    }

    /// `{name: unsafe, model: moderation, min_score: 0.8, action: reject}`.
    private func labelCheck(_ node: Node, _ field: String) throws(PipelineError) -> LabelCheck {
        let fields = try mapping(node, field, allowed: ["name", "model", "min_score", "action"])
        let score = try nodes.number(fields["min_score"], "\(field).min_score") ?? 0.5
        guard (0...1).contains(score) else { throw fail("\(field).min_score", "a number in 0...1") }
        return LabelCheck(label: try string(fields["name"], "\(field).name", required: true)!,
                          model: try string(fields["model"], "\(field).model"), minScore: Float(score), action: try action(fields, field))
    }

    /// A check's `action` field, `flag` when it is absent; every kind of check reads it so.
    private func action<Action: RawRepresentable & CaseIterable>(_ fields: [String: Node], _ field: String) throws(PipelineError) -> Action
    where Action.RawValue == String {
        let text = try string(fields["action"], "\(field).action") ?? "flag"
        guard let action = Action(rawValue: text) else {
            let names = Action.allCases.map(\.rawValue)
            throw fail("\(field).action", names.dropLast().joined(separator: ", ") + " or " + names.last!)
        }
        return action
    }

    private func output(_ node: Node, _ field: String) throws(PipelineError) -> PipelineOutput {
        let fields = try mapping(node, field, allowed: ["name", "recipe", "key"])
        let name = try outputName(fields["name"], "\(field).name")
        guard let recipe = try recipe(fields["recipe"], "\(field).recipe") else { throw fail("\(field).recipe", "a recipe, such as rs:fit:320:320/f:webp") }
        let template = try string(fields["key"], "\(field).key") ?? "derivatives/{image_id}/{name}.{ext}"
        do throws(KeyTemplateError) {
            return PipelineOutput(name: name, recipe: recipe, key: try KeyTemplate(template))
        } catch {
            throw fail("\(field).key", error.expected)
        }
    }

    /// `{name, storyboard: {every, width, columns, rows, max_tiles}, key}`: a video's storyboard.
    private func storyboard(_ node: Node, _ field: String) throws(PipelineError) -> StoryboardOutput {
        let fields = try mapping(node, field, allowed: ["name", "storyboard", "key"])
        let name = try outputName(fields["name"], "\(field).name")
        let layout = try mapping(fields["storyboard"]!, "\(field).storyboard", allowed: ["every", "width", "columns", "rows", "max_tiles"])
        let defaults = try! StoryboardSpec()
        var every = defaults.every
        if let node = layout["every"] {
            guard let text = try string(node, "\(field).storyboard.every"), let seconds = StoryboardSpec.seconds(text) else {
                throw fail("\(field).storyboard.every", "a duration such as 2s, 500ms or 1m")
            }
            every = seconds
        }
        let width = try integer(layout["width"], "\(field).storyboard.width") ?? defaults.width
        let columns = try integer(layout["columns"], "\(field).storyboard.columns") ?? defaults.columns
        let rows = try integer(layout["rows"], "\(field).storyboard.rows") ?? defaults.rows
        let maxTiles = try integer(layout["max_tiles"], "\(field).storyboard.max_tiles") ?? defaults.maxTiles
        let spec: StoryboardSpec
        do throws(MediaError) {
            spec = try StoryboardSpec(every: every, width: width, columns: columns, rows: rows, maxTiles: maxTiles)
        } catch {
            throw fail("\(field).storyboard", error.description.replacingOccurrences(of: "storyboard: ", with: ""))
        }
        let template = try string(fields["key"], "\(field).key") ?? "storyboards/{image_id}/{name}.{ext}"
        do throws(KeyTemplateError) {
            return StoryboardOutput(name: name, spec: spec, key: try KeyTemplate(template))
        } catch {
            throw fail("\(field).key", error.expected)
        }
    }

    /// An output's name: 1–64 letters, digits, '_' or '-'.
    private func outputName(_ node: Node?, _ field: String) throws(PipelineError) -> String {
        let name = try string(node, field, required: true)!
        guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", options: .regularExpression) != nil else {
            throw fail(field, "1–64 letters, digits, '_' or '-'")
        }
        return name
    }

    /// `{name, video: {blur_detections: 25, audio: keep}, key}`: a video copy with every face
    /// blurred, its sound kept (the default) or dropped.
    private func videoCopy(_ node: Node, _ field: String) throws(PipelineError) -> VideoCopyOutput {
        let fields = try mapping(node, field, allowed: ["name", "video", "key"])
        let name = try outputName(fields["name"], "\(field).name")
        let video = try mapping(fields["video"]!, "\(field).video", allowed: ["blur_detections", "audio"])
        guard let sigma = try nodes.number(video["blur_detections"], "\(field).video.blur_detections"), sigma > 0, sigma <= 1000 else {
            throw fail("\(field).video.blur_detections", "the blur's sigma, above 0 and at most 1000")
        }
        let audio = try string(video["audio"], "\(field).video.audio") ?? "keep"
        guard audio == "keep" || audio == "drop" else { throw fail("\(field).video.audio", "keep or drop") }
        let template = try string(fields["key"], "\(field).key") ?? "videos/{image_id}/{name}.{ext}"
        do throws(KeyTemplateError) {
            return VideoCopyOutput(name: name, sigma: sigma, keepsAudio: audio == "keep", key: try KeyTemplate(template))
        } catch {
            throw fail("\(field).key", error.expected)
        }
    }

    /// `{name, deidentify: dicom, key}`: a de-identified copy of a DICOM source.
    private func dicomCopy(_ node: Node, _ field: String) throws(PipelineError) -> DICOMCopyOutput {
        let fields = try mapping(node, field, allowed: ["name", "deidentify", "key"])
        let name = try outputName(fields["name"], "\(field).name")
        guard try string(fields["deidentify"], "\(field).deidentify") == "dicom" else {
            throw fail("\(field).deidentify", "dicom (PS3.15's basic confidentiality profile)")
        }
        let template = try string(fields["key"], "\(field).key") ?? "deidentified/{image_id}/{name}.{ext}"
        do throws(KeyTemplateError) {
            return DICOMCopyOutput(name: name, key: try KeyTemplate(template))
        } catch {
            throw fail("\(field).key", error.expected)
        }
    }

    /// Recipes are written in the imgproxy option grammar (`rs:fit:320:320/q:80/f:webp`), run in the order written.
    private func recipe(_ node: Node?, _ field: String) throws(PipelineError) -> Recipe? {
        guard let text = try string(node, field) else { return nil }
        do throws(RecipeError) {
            return try Recipe(canonical: text)
        } catch {
            throw fail(field, "a recipe in the URL option grammar (\(error))")
        }
    }

    // MARK: Nodes

    private var nodes: SpecNodes<PipelineError> {
        let file = file
        return SpecNodes { field, expected in .invalidSpec(file: file, field: field, expected: expected) }
    }

    private func fail(_ field: String, _ expected: String) -> PipelineError { nodes.fail(field, expected) }

    private func mapping(_ node: Node, _ field: String, allowed: Set<String>) throws(PipelineError) -> [String: Node] {
        try nodes.mapping(node, field, allowed: allowed)
    }

    private func sequence(_ node: Node?, _ field: String) throws(PipelineError) -> [Node] { try nodes.sequence(node, field) }

    private func string(_ node: Node?, _ field: String, required: Bool = false) throws(PipelineError) -> String? {
        try nodes.string(node, field, required: required)
    }

    private func integer(_ node: Node?, _ field: String) throws(PipelineError) -> Int? { try nodes.integer(node, field) }
}
