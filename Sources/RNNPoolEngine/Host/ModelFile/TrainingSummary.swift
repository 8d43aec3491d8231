import Foundation
import InputSafety

/// What a model file says of its own training (the header's optional "training"
/// object, written by scripts/train/export.py): when, and how it scored on val. Read
/// leniently: it describes the weights, never changes how they run, so anything
/// missing or malformed in it is simply not shown.
public struct TrainingSummary: Sendable, Equatable {
    /// The day training ended, "YYYY-MM-DD" as written (printable, at most 32 bytes).
    public var date: String?
    /// Val AP50 measured at export.
    public var valAP50: Double?

    public init(date: String? = nil, valAP50: Double? = nil) {
        self.date = date
        self.valAP50 = valAP50
    }

    /// From a model header's JSON; nil when it has no "training" object.
    public static func decode(_ headerJSON: Data) -> TrainingSummary? {
        guard let header = try? JSONSerialization.jsonObject(with: headerJSON) as? [String: Any],
              let training = header["training"] as? [String: Any] else { return nil }
        var s = TrainingSummary()
        if let d = training["date"] as? String, !d.isEmpty { s.date = Printable.excerpt(d, limit: 32) }
        if let ap = (training["val"] as? [String: Any])?["AP50"] as? Double, ap.isFinite, (0...1).contains(ap) {
            s.valAP50 = ap
        }
        return s
    }
}
