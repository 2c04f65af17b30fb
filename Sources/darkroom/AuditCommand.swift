import ArgumentParser
import Foundation
import ImageProcessing
import Inference

/// `darkroom audit`: a classifier's accuracy and error rates per subgroup of a labelled set.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit a classifier across subgroups: accuracy, precision, recall and error rates per group, and their disparities.",
        discussion: """
            The labels file is a CSV with a header: path,label and any group columns (paths are
            relative to the CSV's folder). Prints the audit as JSON; --html writes a report with a
            chart per metric. Exits 3 when the largest disparity (a metric's highest group over its
            lowest) exceeds --max-disparity, so that CI can gate a model on it.

            Example:
              darkroom audit --model classifier.yaml --labels faces.csv --group-by skin_tone --max-disparity 1.25
            """)

    @Option(help: "The model spec (YAML) of a classifier.") var model: String
    @Option(help: "The labelled set: a CSV of path,label,<group columns>.") var labels: String
    @Option(help: "The column whose values are the subgroups.") var groupBy: String
    @Option(help: "Fail (exit 3) when a disparity exceeds this ratio.") var maxDisparity: Double?
    @Option(help: "Also write an HTML report here.") var html: String?
    @OptionGroup var options: ProcessingOptions

    func validate() throws {
        if let maxDisparity, !(maxDisparity >= 1) { throw ValidationError("--max-disparity: expected a ratio of 1 or more") }
    }

    func run() async throws {
        let rows: [LabelledRow]
        do { rows = try LabelledRow.read(csv: labels, groupBy: groupBy) } catch {
            printError("darkroom: \(error)")
            throw ExitCode(2)
        }
        let processor = options.makeProcessor()
        defer { processor.pool.shutdown() }
        let loaded = try await LoadedModel.forCommand(spec: model, pool: processor.pool)
        guard case let .classify(classes, _, _) = loaded.spec.task else {
            printError("darkroom: \(model): an audit needs a classifier; this model's task is \(loaded.spec.task.name)")
            throw ExitCode(2)
        }
        let reader = ModelInputReader(processor: processor)
        let input = loaded.spec.input
        var failures: [any Error] = [], outcomes: [ModelAudit.Outcome] = [], done = 0
        // A slice of rows at a time, so that the input tensors of a large set are never all in
        // memory; the rows' paths are files, found in the order given.
        try await ImageBatch.inSlices(rows.map(\.path), size: PredictCommand.slice, concurrency: options.jobs,
                                      maxBytes: options.maxSrcBytes) { data in
            try await reader.input(of: .bytes(data), for: input)
        } each: { measured in
            for entry in try await loaded.predictions(measured, failures: &failures) {
                let row = rows[done + entry.position]
                outcomes.append(ModelAudit.Outcome(group: row.group, truth: row.label, predicted: entry.prediction.labels?.first?.label ?? ""))
            }
            done += measured.count
        }
        guard failures.isEmpty else { throw ExitCode.forImageFailures(failures) }
        let audit = ModelAudit(model: loaded.spec.name, groupBy: groupBy, labels: classes, outcomes: outcomes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(audit), as: UTF8.self))
        if let html { try Data(AuditReport.html(audit).utf8).write(to: URL(fileURLWithPath: html)) }
        if let maxDisparity, audit.largestDisparity > maxDisparity {
            let worst = audit.disparities[0]
            printError("darkroom: \(worst.metric) differs by \(worst.ratio.isFinite ? String(format: "%.2f×", worst.ratio) : "∞") "
                       + "between \(groupBy)=\(worst.highest) and \(groupBy)=\(worst.lowest), over --max-disparity \(maxDisparity)")
            throw ExitCode(3)
        }
    }
}

/// One row of an audit's labels file.
struct LabelledRow: Sendable {
    let path: String
    let label: String
    let group: String

    /// The rows of the CSV at `file`, with `groupBy`'s value as each row's group.
    /// - Throws: a ``ValidationError`` naming the file, the line and the column.
    static func read(csv file: String, groupBy: String) throws -> [LabelledRow] {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("\(file): cannot be read") }
        let lines = CSVLine.split(String(decoding: data, as: UTF8.self))
        guard let header = lines.first else { throw ValidationError("\(file): expected a header line: path,label,…") }
        guard let pathColumn = header.firstIndex(of: "path"), let labelColumn = header.firstIndex(of: "label") else {
            throw ValidationError("\(file): line 1: expected columns path and label, got \(header.joined(separator: ","))")
        }
        guard let groupColumn = header.firstIndex(of: groupBy) else {
            throw ValidationError("\(file): --group-by: no column '\(groupBy)'; the columns are \(header.joined(separator: ","))")
        }
        let folder = (file as NSString).deletingLastPathComponent
        var rows: [LabelledRow] = []
        for (index, fields) in lines.enumerated().dropFirst() where !(fields.count == 1 && fields[0].isEmpty) {
            let line = index + 1
            guard fields.count == header.count else {
                throw ValidationError("\(file): line \(line): expected \(header.count) fields, got \(fields.count)")
            }
            let relative = fields[pathColumn]
            let path = relative.hasPrefix("/") || folder.isEmpty ? relative : (folder as NSString).appendingPathComponent(relative)
            guard !relative.isEmpty, FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("\(file): line \(line): path: no file at \(relative)")
            }
            guard !fields[labelColumn].isEmpty else { throw ValidationError("\(file): line \(line): label: expected a value") }
            rows.append(LabelledRow(path: path, label: fields[labelColumn], group: fields[groupColumn]))
        }
        guard !rows.isEmpty else { throw ValidationError("\(file): no rows after the header") }
        return rows
    }
}

/// RFC 4180 lines: fields split on commas, double-quoted fields may hold commas, quotes ("")
/// and line breaks.
enum CSVLine {
    static func split(_ text: String) -> [[String]] {
        var lines: [[String]] = [], fields: [String] = [], field = "", quoted = false
        var characters = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else { field.append(character) }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",": fields.append(field); field = ""
            case "\n", "\r\n", "\r":
                fields.append(field); lines.append(fields); fields = []; field = ""
            default: field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); lines.append(fields) }
        return lines
    }
}
