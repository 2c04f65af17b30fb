import Foundation

/// SSIMULACRA2, Cloudinary's and JPEG XL's perceptual metric: 100 for identical images, 90
/// visually lossless, 70 high quality, 50 medium, 30 low.
///
/// Written from the metric's definition (libjxl's `tools/ssimulacra2`, BSD-3-Clause; its 108
/// weights and final curve are the metric's published constants) and checked against PyPI's
/// `ssimulacra2` 0.3.0, which `bench/autoquality.py` uses as the independent judge. The images
/// go to XYB, then at six halving scales an SSIM map and two edge-difference maps (ringing
/// added, detail lost) per channel are pooled by their mean and their 4-norm.
///
/// A Reference keeps the reference's side of every scale, so measuring a candidate costs
/// only the candidate's blurs: what a quality search wants, since it measures several.
public enum SSIMULACRA2 {
    /// An image to measure candidates against, prepared once.
    public struct Reference: Sendable {
        /// Width in pixels.
        public let width: Int
        /// Height in pixels.
        public let height: Int
        private let scales: [ReferenceScale]

        /// Prepares interleaved 8-bit sRGB pixels (three bands, row by row).
        public init(rgb: [UInt8], width: Int, height: Int) {
            precondition(rgb.count == width * height * 3, "three bands per pixel")
            self.width = width
            self.height = height
            var scales: [ReferenceScale] = []
            LinearImage.walkScales(LinearImage(rgb: rgb, width: width, height: height)) { image in
                let xyb = image.positiveXYB()
                scales.append(ReferenceScale(xyb: xyb, mean: xyb.map { $0.blurred() },
                                             meanOfSquares: xyb.map { $0.squared().blurred() }))
            }
            self.scales = scales
        }

        /// The score of `candidate` (interleaved 8-bit sRGB, the reference's size): 100 when identical.
        public func score(_ candidate: [UInt8]) -> Double {
            precondition(candidate.count == width * height * 3, "the candidate is not the reference's size")
            var features: [Double] = []
            var index = 0
            var perScale: [[Double]] = []
            LinearImage.walkScales(LinearImage(rgb: candidate, width: width, height: height)) { image in
                guard index < scales.count else { return }
                perScale.append(scales[index].features(against: image.positiveXYB()))
                index += 1
            }
            // The weights run channel by channel, scale by scale.
            for channel in 0..<3 {
                for scale in perScale { features.append(contentsOf: scale[(channel * 6)..<(channel * 6 + 6)]) }
            }
            var sum = 0.0
            for (feature, weight) in zip(features, SSIMULACRA2.weights) { sum += weight * abs(feature) }
            return SSIMULACRA2.finalScore(sum)
        }
    }

    /// The published curve from the weighted sum to the 0–100 scale.
    static func finalScore(_ weighted: Double) -> Double {
        let s = weighted * 0.9562382616834844
        let curved = 2.326765642916932 * s - 0.020884521182843837 * s * s + 6.248496625763138e-05 * s * s * s
        return curved > 0 ? 100 - 10 * pow(curved, 0.6276336467831387) : 100
    }

    /// Per channel (X, Y, B) and scale (finest first): SSIM, ringing, blurring, each by mean
    /// then by 4-norm.
    static let weights: [Double] = [
        0.0, 0.0007376606707406586, 0.0, 0.0, 0.0007793481682867309, 0.0,
        0.0, 0.0004371155730107379, 0.0, 1.1041726426657346, 0.00066284834129271, 0.00015231632783718752,
        0.0, 0.0016406437456599754, 0.0, 1.8422455520539298, 11.441172603757666, 0.0,
        0.0007989109436015163, 0.000176816438078653, 0.0, 1.8787594979546387, 10.94906990605142, 0.0,
        0.0007289346991508072, 0.9677937080626833, 0.0, 0.00014003424285435884, 0.9981766977854967, 0.00031949755934435053,
        0.0004550992113792063, 0.0, 0.0, 0.0013648766163243398, 0.0, 0.0,
        0.0, 0.0, 0.0, 7.466890328078848, 0.0, 17.445833984131262,
        0.0006235601634041466, 0.0, 0.0, 6.683678146179332, 0.00037724407979611296, 1.027889937768264,
        225.20515300849274, 0.0, 0.0, 19.213238186143016, 0.0011401524586618361, 0.001237755635509985,
        176.39317598450694, 0.0, 0.0, 24.43300999870476, 0.28520802612117757, 0.0004485436923833408,
        0.0, 0.0, 0.0, 34.77906344483772, 44.835625328877896, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0008680556573291698, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0005313191874358747, 0.0, 0.00016533814161379112, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0004179171803251336, 0.0017290828234722833, 0.0,
        0.0020827005846636437, 0.0, 0.0, 8.826982764996862, 23.19243343998926, 0.0,
        95.1080498811086, 0.9863978034400682, 0.9834382792465353, 0.0012286405048278493, 171.2667255897307, 0.9807858872435379,
        0.0, 0.0, 0.0, 0.0005130064588990679, 0.0, 0.00010854057858411537,
    ]
}

/// The reference's side of one scale.
private struct ReferenceScale: Sendable {
    let xyb: [Plane]
    let mean: [Plane]
    let meanOfSquares: [Plane]

    /// The six pooled values per channel (SSIM, ringing and blurring by mean, then by 4-norm).
    func features(against other: [Plane]) -> [Double] {
        var result: [Double] = []
        for channel in 0..<3 {
            let a = xyb[channel], b = other[channel]
            let muA = mean[channel], muB = b.blurred()
            let sAA = meanOfSquares[channel], sBB = b.squared().blurred(), sAB = a.multiplied(by: b).blurred()
            var ssim = Pooled(), ringing = Pooled(), blurring = Pooled()
            for i in 0..<a.values.count {
                let ma = Double(muA.values[i]), mb = Double(muB.values[i])
                let numM = 1 - (ma - mb) * (ma - mb)
                let numS = 2 * (Double(sAB.values[i]) - ma * mb) + 0.0009
                let denS = (Double(sAA.values[i]) - ma * ma) + (Double(sBB.values[i]) - mb * mb) + 0.0009
                ssim.add(max(0, 1 - numM * numS / denS))
                let edge = (1 + abs(Double(b.values[i]) - mb)) / (1 + abs(Double(a.values[i]) - ma)) - 1
                ringing.add(max(0, edge))
                blurring.add(max(0, -edge))
            }
            let n = Double(a.values.count)
            result += [ssim.mean(n), ringing.mean(n), blurring.mean(n), ssim.norm4(n), ringing.norm4(n), blurring.norm4(n)]
        }
        return result
    }
}

/// Running sums for a mean and a 4-norm.
private struct Pooled {
    var sum = 0.0
    var sum4 = 0.0

    mutating func add(_ value: Double) {
        sum += value
        let square = value * value
        sum4 += square * square
    }

    func mean(_ n: Double) -> Double { sum / n }
    func norm4(_ n: Double) -> Double { pow(sum4 / n, 0.25) }
}
