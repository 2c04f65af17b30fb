public import ImageAnalysis

/// One rule on the features with what to do when it fails.
public struct PipelineCheck: Sendable, Equatable {
    /// What a failed check does.
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// Record it in the result; the outputs are still made.
        case flag
        /// Make no outputs; the job completes as rejected (retrying cannot help).
        case reject
    }

    public let rule: CheckRule
    public let threshold: Double
    public let action: Action

    /// Creates a check.
    public init(rule: CheckRule, threshold: Double, action: Action = .flag) {
        self.rule = rule
        self.threshold = threshold
        self.action = action
    }

    /// The outcome on `features`.
    public func evaluate(_ features: ImageFeatures) -> CheckOutcome {
        let value = rule.measure(features)
        let passed = value.map { rule.isMinimum ? $0 >= threshold : $0 <= threshold } ?? false
        return CheckOutcome(rule: rule.rawValue, threshold: threshold, value: value, passed: passed, action: action)
    }
}

/// A check as evaluated for one image.
public struct CheckOutcome: Sendable, Codable, Equatable {
    public let rule: String
    public let threshold: Double
    /// The measurement; nil when it could not be made.
    public let value: Double?
    public let passed: Bool
    public let action: PipelineCheck.Action
}
