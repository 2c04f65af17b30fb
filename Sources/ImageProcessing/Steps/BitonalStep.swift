import Vips

/// Black and white only: grey levels from 128 up become white, the rest black; alpha is kept.
struct BitonalStep: ProcessingStep {
    func apply(to image: VipsImage, context: StepContext) throws -> VipsImage {
        let grey = image.interpretation == .bw ? image : try image.colourspace(.bw)
        // A steep linear ramp around 127.5 that the cast to 8 bits clips to 0 or 255, band 0 only.
        let others = grey.bands - 1
        return try grey.linear([1000] + Array(repeating: 1, count: others), [-127_500] + Array(repeating: 0, count: others))
            .cast(to: .uchar)
    }
}
