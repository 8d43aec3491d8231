import ArgumentParser
import Foundation
import FrameIO

/// `rnnpool-cam record SOURCE -o out.y4m`: records frames as YUV4MPEG2. Ctrl-C or
/// SIGTERM ends the recording after the current frame, leaving a valid file.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a camera, a video clip or a .y4m file to a .y4m file (Cmono, or C420jpeg with --color)."
    )

    @Argument(help: "A V4L2 camera (/dev/videoN), a video clip or a .y4m file.")
    var source: String

    @Option(name: [.short, .customLong("output")], help: "The .y4m file to write.")
    var output: String

    @Option(parsing: .unconditional, help: "Stop after this many frames.")
    var frames: Int?

    @Option(parsing: .unconditional, help: "Stop after this many seconds of video (by the frames' timestamps).")
    var seconds: Double?

    @Flag(name: [.customShort("y"), .customLong("overwrite")], help: "Replace the output file if it exists (otherwise an existing file is refused).")
    var overwrite = false

    @Flag(help: "Keep colour (C420jpeg) when the source has it.")
    var color = false

    @OptionGroup var sourceOptions: SourceOptions

    func validate() throws {
        if let frames, frames < 1 { throw optionError("--frames must be at least 1 (got \(frames))") }
        if let seconds, !(seconds > 0) { throw optionError("--seconds must be positive (got \(seconds))") }
    }

    func run() throws {
        try reportingFailures {
            if Self.sameFile(source, output) {
                throw CLIFailure(message: "\(output): is the source itself; refusing to record over it")
            }
            if !overwrite && FileManager.default.fileExists(atPath: output) {
                throw CLIFailure(message: "\(output): already exists; add --overwrite (-y) to replace it")
            }
            let frameSource = try SourceOpening.open(source, options: sourceOptions)
            defer { frameSource.close() }
            var writer: Y4MWriter?
            var sourceError: Error?
            do {
                while !StopSignal.requested {
                    if let frames, let w = writer, w.framesWritten >= frames { break }
                    guard let frame = try frameSource.nextFrame() else { break }
                    if let seconds, frame.timestamp >= seconds - 1e-9 { break }
                    if writer == nil { writer = try makeWriter(for: frame, source: frameSource) }
                    try writer!.append(frame)
                }
            } catch let error as FrameSourceError where error.path != output {
                // The source failed mid-way: keep what was recorded, then report.
                sourceError = error
            }
            guard let writer else {
                if let sourceError { throw sourceError }
                if let signal = StopSignal.name {
                    Console.note("stopped by \(signal) before the first frame; nothing recorded")
                    try StopSignal.exitIfStopped()
                }
                throw CLIFailure(message: "\(source): no frames to record")
            }
            try writer.close()
            let kind = writer.color ? "420jpeg" : "mono"
            var summary = "recorded \(writer.framesWritten) frame\(writer.framesWritten == 1 ? "" : "s") (\(writer.width)x\(writer.height) \(kind)) to \(output)"
            if let signal = StopSignal.name { summary = "stopped by \(signal); " + summary }
            Console.note(summary)
            if let sourceError { throw sourceError }
            try StopSignal.exitIfStopped()
        }
    }

    /// True when both paths name one existing file (recording would truncate the source).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    private func makeWriter(for frame: Frame, source: any FrameSource) throws -> Y4MWriter {
        var keepColour = color
        if color && frame.chroma == nil {
            Console.note("\(self.source) has no colour; recording grayscale (Cmono)")
            keepColour = false
        }
        // A .y4m source's rate is copied as the rational its header states (F1:2147483647
        // was rounded to F25:1 through a Double); others are rounded to the nearest one.
        if let y4m = source as? Y4MReader {
            return try Y4MWriter(path: output, width: frame.width, height: frame.height,
                                 rate: (y4m.header.fpsNumerator, y4m.header.fpsDenominator), color: keepColour)
        }
        let fps = source.nominalFPS ?? sourceOptions.fps ?? 30
        return try Y4MWriter(path: output, width: frame.width, height: frame.height, fps: fps, color: keepColour)
    }
}
