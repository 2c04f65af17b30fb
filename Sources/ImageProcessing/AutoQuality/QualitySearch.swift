import Foundation
import ImageModel

/// Finds the quality that meets an ``ResolvedAutoQuality`` target in a few tries.
///
/// Every method measures a value that moves one way with quality: a distance (DSSIM, or 100
/// minus the SSIMULACRA2 score) falls as quality rises, bytes grow. Each is roughly exponential in quality, so the next guess is a secant
/// through the logarithms of the last two measurements (one measurement and a typical slope at
/// first), kept inside the bracket that the measurements so far leave. That lands within the
/// allowed error in two or three tries where plain bisection over 40–90 would take five or six.
struct QualitySearch {
    /// One measured quality.
    struct Probe {
        let quality: Int
        let value: Double
    }

    /// What a search settled on.
    struct Outcome {
        /// The chosen quality.
        let quality: Int
        /// False when no quality in range met the target (the closest one was chosen).
        let met: Bool
        /// Every try, in order.
        let probes: [Probe]
    }

    let request: ResolvedAutoQuality

    /// The slope of ln(value) per quality step before two measurements give one: DSSIM about
    /// halves every 10 steps, SSIMULACRA2's distance from 100 every 30, and bytes double
    /// every 25 (JPEG and WebP at 40–90).
    private var typicalSlope: Double {
        switch request.method {
        case .dssim: -0.07
        case .ssimulacra2: -0.024
        case .size: 0.028
        }
    }

    /// Whether a lower measurement is the one that meets the target (distances), rather than a
    /// higher quality being the one that risks missing it (bytes).
    private var measuresDistance: Bool { request.method != .size }

    /// The target on the measured scale: a score becomes its distance from 100.
    private var target: Double { request.method == .ssimulacra2 ? 100 - request.target : request.target }

    /// Searches from `start` with at most `tries` measurements.
    ///
    /// - Parameter measure: DSSIM (for `dssim`) or bytes (for `size`) at a quality.
    func run(from start: Int, tries: Int, measure: (Int) throws -> Double) rethrows -> Outcome {
        let range = request.qualities
        // A zero distance cannot be met by a lossy encoder; take the best it may do.
        if measuresDistance && target <= 0 {
            return Outcome(quality: range.upperBound, met: false, probes: [])
        }
        var low = range.lowerBound, high = range.upperBound
        var probes: [Probe] = []
        var best: Probe?
        var quality = min(max(start, low), high)
        while probes.count < max(1, tries) {
            let probe = Probe(quality: quality, value: try measure(quality))
            probes.append(probe)
            if meets(probe.value) {
                best = best.map { better(probe, than: $0) ? probe : $0 } ?? probe
                if isClose(probe.value) { break }
                // For a distance a lower quality may still meet it; for size a higher one may still fit.
                if measuresDistance { high = quality - 1 } else { low = quality + 1 }
            } else {
                if measuresDistance { low = quality + 1 } else { high = quality - 1 }
            }
            guard low <= high else { break }
            quality = next(after: probes, low: low, high: high)
            // The last try measures the closest end when nothing has met the target yet, so
            // that the answer is always a measured quality.
            if best == nil && probes.count == tries - 1 {
                quality = measuresDistance ? high : low
            }
        }
        if let best { return Outcome(quality: best.quality, met: true, probes: probes) }
        // Nothing met the target: the closest is the end of the range the search was pushed to.
        let closest = measuresDistance ? range.upperBound : range.lowerBound
        return Outcome(quality: closest, met: false, probes: probes)
    }

    private func meets(_ value: Double) -> Bool { value <= target }

    private func isClose(_ value: Double) -> Bool {
        measuresDistance ? value >= target - request.allowedError : value >= target * (1 - request.allowedError)
    }

    /// Lower quality is better for a distance (fewer bytes), higher for size (better image).
    private func better(_ a: Probe, than b: Probe) -> Bool {
        measuresDistance ? a.quality < b.quality : a.quality > b.quality
    }

    /// The quality where ln(value) reaches the middle of the accepted window, on the line
    /// through the last two probes, inside [low, high] and not one already measured.
    private func next(after probes: [Probe], low: Int, high: Int) -> Int {
        let aim = measuresDistance ? target - request.allowedError / 2 : target * (1 - request.allowedError / 2)
        let last = probes[probes.count - 1]
        var slope = typicalSlope
        if probes.count >= 2 {
            let previous = probes[probes.count - 2]
            let measured = (log(last.value + 1e-9) - log(previous.value + 1e-9)) / Double(last.quality - previous.quality)
            // Keep the sign the method implies; a flat or backwards pair says only "steeper than nothing".
            if measured.isFinite, measured * typicalSlope > 0 { slope = measured }
        }
        var guess = Double(last.quality) + (log(max(aim, 1e-9)) - log(last.value + 1e-9)) / slope
        if !guess.isFinite { guess = Double(low + high) / 2 }
        var quality = min(max(Int(guess.rounded()), low), high)
        let tried = Set(probes.map(\.quality))
        while tried.contains(quality) && quality < high { quality += 1 }
        while tried.contains(quality) && quality > low { quality -= 1 }
        return quality
    }
}
