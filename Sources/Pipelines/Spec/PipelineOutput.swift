public import ImageModel
public import Media

/// A named derivative: a recipe and where its result is stored.
public struct PipelineOutput: Sendable, Equatable {
    public let name: String
    /// Runs on the preprocessed working image.
    public let recipe: Recipe
    public let key: KeyTemplate

    /// Creates an output.
    public init(name: String, recipe: Recipe, key: KeyTemplate) {
        self.name = name
        self.recipe = recipe
        self.key = key
    }
}

/// A de-identified copy of a DICOM source (`deidentify: dicom` in place of a recipe): PS3.15's
/// basic profile applied by ``Media/DICOMDeidentifier``, stored under `key` (`{ext}` is `dcm`).
public struct DICOMCopyOutput: Sendable, Equatable {
    public let name: String
    public let key: KeyTemplate

    /// Creates the output.
    public init(name: String, key: KeyTemplate) {
        self.name = name
        self.key = key
    }
}

/// A video's storyboard (`storyboard: {every, width, columns, rows}` in place of a recipe):
/// sprite sheets stored under `key` with `{name}` as `NAME-0`, `NAME-1`… and `{ext}` `jpg`, and
/// the WebVTT file under `key` with `{name}` and `{ext}` `vtt`, which names the sheets by their
/// last path component (so keep them in one folder).
public struct StoryboardOutput: Sendable, Equatable {
    public let name: String
    public let spec: StoryboardSpec
    public let key: KeyTemplate

    /// Creates the output.
    public init(name: String, spec: StoryboardSpec, key: KeyTemplate) {
        self.name = name
        self.spec = spec
        self.key = key
    }
}

/// `{name, video: {blur_detections: 25}, key}`: a private copy of a video source, every face
/// blurred in every frame, re-encoded as H.264 MP4 under `key` (`{ext}` is `mp4`).
public struct VideoCopyOutput: Sendable, Equatable {
    public let name: String
    /// The blur's sigma, as the `bd` option takes it.
    public let sigma: Double
    /// Whether the source's sound is copied into the copy unchanged (`audio: keep`, the
    /// default) or left out (`audio: drop`, for footage whose voices are private too).
    public let keepsAudio: Bool
    public let key: KeyTemplate

    /// Creates the output.
    public init(name: String, sigma: Double, keepsAudio: Bool = true, key: KeyTemplate) {
        self.name = name
        self.sigma = sigma
        self.keepsAudio = keepsAudio
        self.key = key
    }
}
