import Foundation

/// File names for `r` recordings and `s` stills: timestamped so repeated presses never
/// overwrite earlier files.
enum OutputNames {
    static func timestamp(_ date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%04d%02d%02d-%02d%02d%02d", parts.tm_year + 1900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    static func recording(in directory: String, date: Date = Date()) -> String {
        unique((directory as NSString).appendingPathComponent("rnnpool-cam-\(timestamp(date))"), ext: "y4m")
    }

    static func still(in directory: String, frameIndex: Int, date: Date = Date()) -> String {
        unique((directory as NSString).appendingPathComponent("rnnpool-cam-\(timestamp(date))-frame\(frameIndex)"),
               ext: "pgm")
    }

    /// `base.ext`, or `base-2.ext`, ... when that exists (two presses in one second).
    private static func unique(_ base: String, ext: String) -> String {
        var candidate = "\(base).\(ext)"
        var n = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(base)-\(n).\(ext)"
            n += 1
        }
        return candidate
    }
}
