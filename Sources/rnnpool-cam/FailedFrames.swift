/// The closing line of a live run (headless or UI) in which the detector failed on some
/// frames: the run went on, but it did not do what was asked, so it exits 1 and says why.
enum FailedFrames {
    static func summary(failed: Int, of total: Int, last: String?) -> String {
        "the detector failed on \(failed) of \(total) frame\(total == 1 ? "" : "s")" + (last.map { ": \($0)" } ?? "")
    }
}
