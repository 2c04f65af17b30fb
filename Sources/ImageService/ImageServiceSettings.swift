public import ImageModel

/// What the HTTP service needs to know, as typed values (the CLI maps flags, environment
/// variables and the config file onto this).
public struct ImageServiceSettings: Sendable {
    /// Verifies URL signatures; with no keys, signatures are not checked.
    public var signer: URLSigner
    /// Accept `unsafe` in place of a signature even when keys are configured.
    public var allowUnsafe: Bool
    /// Named option strings for `pr:name`; `default` applies to every URL.
    public var presets: [String: String]
    /// Refuse every URL whose options are not presets.
    public var presetsOnly: Bool
    /// Source and result limits.
    public var limits: Limits
    /// `Cache-Control: public, max-age=…` in seconds.
    public var cacheMaxAge: Int
    /// Formats offered for `auto`, best first, when `Accept` allows them.
    public var formatPreference: [OutputFormat]
    /// How long one request may take before it is answered 504.
    public var timeout: Duration
    /// Where IIIF identifiers resolve, and how the service names itself.
    public var iiif: IIIFSettings
    /// Load-aware encoding: with this many renders waiting for a pixel thread, a negotiated
    /// answer that would be AVIF is made as WebP now (short-lived) and the AVIF later, when
    /// the pool is idle. 0 turns it off.
    public var degradeAVIFAtQueue: Int
    /// The landing page and the operator console.
    public var console = ConsoleSettings()
    /// Whether `info` shows a DICOM source's patient name, ID, birth date and sex. Off: patient
    /// data leaves the service only where a deployment has decided it may.
    public var dicomPatientData: Bool

    /// Creates settings; the defaults suit a local development server.
    public init(signer: URLSigner = URLSigner(keys: []), allowUnsafe: Bool = false, presets: [String: String] = [:],
                presetsOnly: Bool = false, limits: Limits = Limits(), cacheMaxAge: Int = 31_536_000,
                formatPreference: [OutputFormat] = [.avif, .webp], timeout: Duration = .seconds(30),
                iiif: IIIFSettings = IIIFSettings(), degradeAVIFAtQueue: Int = 0, dicomPatientData: Bool = false) {
        self.iiif = iiif
        self.dicomPatientData = dicomPatientData
        self.degradeAVIFAtQueue = degradeAVIFAtQueue
        self.signer = signer
        self.allowUnsafe = allowUnsafe
        self.presets = presets
        self.presetsOnly = presetsOnly
        self.limits = limits
        self.cacheMaxAge = cacheMaxAge
        self.formatPreference = formatPreference
        self.timeout = timeout
    }
}

/// How the IIIF Image API is served.
public struct IIIFSettings: Sendable {
    /// Prepended to every identifier to name its source: `local:///` (the local root),
    /// `local:///archive/` or `s3://bucket/prefix/`.
    public var sourcePrefix: String
    /// The public base URL (scheme, host, any path before `/iiif/3`) used in `id`; when nil it
    /// comes from `X-Forwarded-Proto`, `X-Forwarded-Host` and `Host`.
    public var publicBaseURL: String?
    /// The tile size announced in `info.json`.
    public var tileSize: Int

    /// Creates settings.
    public init(sourcePrefix: String = "local:///", publicBaseURL: String? = nil, tileSize: Int = 512) {
        self.sourcePrefix = sourcePrefix
        self.publicBaseURL = publicBaseURL
        self.tileSize = tileSize
    }
}
