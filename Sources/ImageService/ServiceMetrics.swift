public import CoreMetrics
import ImageModel
import ImageProcessing

/// The service's metrics, made through an injected factory (Prometheus in production).
public struct ServiceMetrics: Sendable {
    private let factory: any MetricsFactory
    private let spanTimers: [String: CoreMetrics.Timer]
    private let requestDuration: CoreMetrics.Timer
    private let cacheHits: Counter
    private let cacheMisses: Counter
    private let cacheBytes: Gauge
    private let bytesIn: Counter
    private let bytesOut: Counter
    private let poolUtilisation: Gauge
    private let poolRunning: Gauge
    private let poolQueued: Gauge
    private let inFlight: Gauge
    /// The same requests and cache lookups, kept in process for the console.
    public let tally = RequestTally()

    /// Creates the metrics through `factory`.
    public init(factory: any MetricsFactory) {
        self.factory = factory
        spanTimers = Dictionary(uniqueKeysWithValues: ["queue", "download", "processing", "encode"].map {
            ($0, CoreMetrics.Timer(label: "darkroom_span_duration_seconds", dimensions: [("span", $0)], factory: factory))
        })
        requestDuration = CoreMetrics.Timer(label: "darkroom_request_duration_seconds", factory: factory)
        cacheHits = Counter(label: "darkroom_cache_hits_total", factory: factory)
        cacheMisses = Counter(label: "darkroom_cache_misses_total", factory: factory)
        cacheBytes = Gauge(label: "darkroom_cache_bytes", factory: factory)
        bytesIn = Counter(label: "darkroom_bytes_in_total", factory: factory)
        bytesOut = Counter(label: "darkroom_bytes_out_total", factory: factory)
        poolUtilisation = Gauge(label: "darkroom_pool_utilisation", factory: factory)
        poolRunning = Gauge(label: "darkroom_pool_running", factory: factory)
        poolQueued = Gauge(label: "darkroom_pool_queued", factory: factory)
        inFlight = Gauge(label: "darkroom_requests_in_flight", factory: factory)
    }

    /// Counts a finished request by status and records its duration.
    func request(status: Int, duration: Duration) {
        Counter(label: "darkroom_requests_total", dimensions: [("status", String(status))], factory: factory).increment()
        requestDuration.recordNanoseconds(duration.nanoseconds)
        tally.request(seconds: duration.seconds)
    }

    /// Records the duration of one part of a render.
    func span(_ name: String, _ duration: Duration) {
        spanTimers[name]?.recordNanoseconds(duration.nanoseconds)
    }

    func cache(hit: Bool, bytesHeld: Int) {
        (hit ? cacheHits : cacheMisses).increment()
        cacheBytes.record(bytesHeld)
        tally.cache(hit: hit)
    }

    func transferred(in input: Int, out output: Int) {
        if input > 0 { bytesIn.increment(by: input) }
        if output > 0 { bytesOut.increment(by: output) }
    }

    func requestsInFlight(_ count: Int) { inFlight.record(count) }

    /// Counts an AVIF answer made as WebP under load, and how many AVIF renders wait.
    func degraded(pending: Int) {
        Counter(label: "darkroom_degraded_total", dimensions: [("from", "avif"), ("to", "webp")], factory: factory).increment()
        deferredRenders(pending)
    }

    /// How many renders put off under load wait for an idle pool.
    func deferredRenders(_ pending: Int) {
        Gauge(label: "darkroom_deferred_renders", factory: factory).record(pending)
    }

    /// Counts `f:auto`'s choices by content and format.
    func chose(_ decision: FormatDecision) {
        Counter(label: "darkroom_auto_format_total",
                dimensions: [("content", decision.content.kind.rawValue), ("format", decision.format.rawValue)],
                factory: factory).increment()
    }

    /// The histograms' buckets that Prometheus' defaults (made for seconds) do not fit.
    public static let histogramBuckets: [String: [Double]] = [
        "darkroom_output_quality": [10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 100],
        "darkroom_autoquality_encodes": [1, 2, 3, 4, 5, 6, 8],
    ]

    /// Records the quality a lossy result was encoded at and, when `aq` or `mb` searched for
    /// it, how many full encodes that cost and whether the target was met.
    func encoded(format: OutputFormat, quality: Int?, search: QualitySearchReport?) {
        guard let quality else { return }
        Recorder(label: "darkroom_output_quality", dimensions: [("format", format.rawValue), ("auto", search == nil ? "0" : "1")],
                 factory: factory).record(quality)
        guard let search else { return }
        Recorder(label: "darkroom_autoquality_encodes", dimensions: [("format", format.rawValue)], factory: factory)
            .record(search.fullEncodes)
        if !search.met {
            Counter(label: "darkroom_autoquality_unmet_total", dimensions: [("format", format.rawValue)], factory: factory).increment()
        }
    }

    /// Copies the pool's load into gauges; called when metrics are scraped.
    func record(_ load: PixelPool.Load) {
        poolUtilisation.record(Double(load.running) / Double(max(1, load.threads)))
        poolRunning.record(load.running)
        poolQueued.record(load.queued)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var seconds: Double { Double(nanoseconds) / 1e9 }
}
