/// How a classifier does across subgroups of a labelled set: per group, its accuracy, and per
/// class its precision, recall, false-positive and false-negative rates; and for each of these,
/// the largest ratio between two groups (the disparity a fairness gate checks).
public struct ModelAudit: Sendable, Equatable, Codable {
    /// One labelled image's outcome.
    public struct Outcome: Sendable, Equatable {
        public var group: String
        public var truth: String
        public var predicted: String

        public init(group: String, truth: String, predicted: String) {
            self.group = group
            self.truth = truth
            self.predicted = predicted
        }
    }

    /// One group's numbers.
    public struct Group: Sendable, Equatable, Codable {
        public var name: String
        public var count: Int
        public var accuracy: Double
        /// Per class: precision, recall, and the false-positive and false-negative rates (nil
        /// where a rate has no denominator in this group).
        public var classes: [String: ClassRates]
    }

    /// One class's rates within a group, one-vs-rest.
    public struct ClassRates: Sendable, Equatable, Codable {
        public var precision: Double?
        public var recall: Double?
        public var falsePositiveRate: Double?
        public var falseNegativeRate: Double?

        enum CodingKeys: String, CodingKey {
            case precision, recall
            case falsePositiveRate = "false_positive_rate", falseNegativeRate = "false_negative_rate"
        }
    }

    /// The largest ratio of one metric between two groups: `highest` over `lowest`, infinite when
    /// one group's value is 0 and another's is not.
    public struct Disparity: Sendable, Equatable, Codable {
        public var metric: String
        public var highest: String
        public var lowest: String
        public var ratio: Double

        /// JSON has no infinity: an infinite ratio is written as null.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(metric, forKey: .metric)
            try container.encode(highest, forKey: .highest)
            try container.encode(lowest, forKey: .lowest)
            try container.encode(ratio.isFinite ? ratio : nil, forKey: .ratio)
        }

        enum CodingKeys: String, CodingKey { case metric, highest, lowest, ratio }
    }

    public var model: String
    public var groupBy: String
    public var groups: [Group]
    /// Each metric's disparity, the largest first.
    public var disparities: [Disparity]

    /// The largest disparity (1 when every group agrees or there is one group).
    public var largestDisparity: Double { disparities.first?.ratio ?? 1 }

    enum CodingKeys: String, CodingKey {
        case model, groups, disparities
        case groupBy = "group_by"
    }

    /// The audit of `outcomes`, grouped by their group, over the classes in `labels`.
    public init(model: String, groupBy: String, labels: [String], outcomes: [Outcome]) {
        self.model = model
        self.groupBy = groupBy
        let grouped = Dictionary(grouping: outcomes, by: \.group)
        groups = grouped.keys.sorted().map { name in
            let rows = grouped[name]!
            var classes: [String: ClassRates] = [:]
            for label in labels {
                let tp = rows.count { $0.truth == label && $0.predicted == label }
                let fp = rows.count { $0.truth != label && $0.predicted == label }
                let fn = rows.count { $0.truth == label && $0.predicted != label }
                let tn = rows.count - tp - fp - fn
                func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
                classes[label] = ClassRates(precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn),
                                            falsePositiveRate: ratio(fp, fp + tn), falseNegativeRate: ratio(fn, fn + tp))
            }
            return Group(name: name, count: rows.count, accuracy: Double(rows.count { $0.truth == $0.predicted }) / Double(rows.count),
                         classes: classes)
        }
        var metrics: [(name: String, value: (Group) -> Double?)] = [("accuracy", { $0.accuracy })]
        for label in labels {
            metrics.append(("\(label) precision", { $0.classes[label]?.precision }))
            metrics.append(("\(label) recall", { $0.classes[label]?.recall }))
            metrics.append(("\(label) false_positive_rate", { $0.classes[label]?.falsePositiveRate }))
            metrics.append(("\(label) false_negative_rate", { $0.classes[label]?.falseNegativeRate }))
        }
        let groups = groups
        disparities = metrics.compactMap { metric -> Disparity? in
            let values = groups.compactMap { group in metric.value(group).map { (group.name, $0) } }
            guard values.count >= 2, let high = values.max(by: { $0.1 < $1.1 }), let low = values.min(by: { $0.1 < $1.1 }) else {
                return nil
            }
            let ratio = high.1 == low.1 ? 1 : (low.1 == 0 ? .infinity : high.1 / low.1)
            return Disparity(metric: metric.name, highest: high.0, lowest: low.0, ratio: ratio)
        }.sorted { $0.ratio != $1.ratio ? $0.ratio > $1.ratio : $0.metric < $1.metric }
    }
}
