import ObjectStorage
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The date formats S3 speaks, formatted and parsed by hand: `DateFormatter` is neither
/// cheap nor `Sendable`.
enum HTTPDate {
    /// `20130524T000000Z`, for `x-amz-date`.
    static func amzTimestamp(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses `Wed, 12 Oct 2009 17:50:00 GMT` (RFC 7231's preferred form).
    static func parseHTTP(_ text: String) -> Date? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, let day = Int(fields[1]), let month = months.firstIndex(of: String(fields[2])),
              let year = Int(fields[3]) else { return nil }
        let clock = fields[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        return date(year: year, month: month + 1, day: day, hour: clock[0], minute: clock[1], second: clock[2], fraction: 0)
    }

    /// Parses `2009-10-12T17:50:30.000Z` (ISO 8601 in UTC, as listings give it).
    static func parseISO8601(_ text: String) -> Date? {
        let digits = text.split(whereSeparator: { "-T:Z".contains($0) })
        guard digits.count >= 6, let year = Int(digits[0]), let month = Int(digits[1]), let day = Int(digits[2]),
              let hour = Int(digits[3]), let minute = Int(digits[4]), let seconds = Double(digits[5]) else { return nil }
        return date(year: year, month: month, day: day, hour: hour, minute: minute, second: Int(seconds),
                    fraction: seconds - seconds.rounded(.down))
    }

    private static func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double) -> Date {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)) + fraction)
    }
}
